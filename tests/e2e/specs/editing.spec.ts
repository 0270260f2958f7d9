import { expect, test } from '../fixtures';
import { Designer } from '../pages/designer';

test('double-click a step to edit it; Save is one undoable change', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.add('Set variable', { Value: '5' });
  await d.line(1).dblclick();
  const dialog = d.dialog('Set variable');
  await expect(dialog.getByLabel('Value', { exact: true })).toHaveValue('5');
  await dialog.getByLabel('Value', { exact: true }).fill('42');
  await dialog.getByRole('button', { name: 'Save' }).click();
  expect(await d.lines()).toEqual(['1 Set variable NewVar to 42']);
  await page.getByRole('button', { name: 'Undo' }).click();
  expect(await d.lines()).toEqual(['1 Set variable NewVar to 5']);
});

test('required inputs are validated inline and Escape closes the dialog', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.action('Wait').dblclick();
  const dialog = d.dialog('Wait');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('“Duration (seconds)” is required')).toBeVisible();
  await expect(dialog.getByLabel('Duration (seconds)')).toBeFocused();
  await dialog.getByLabel('Duration (seconds)').fill('abc');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Enter a number or a %variable%')).toBeVisible();
  // Rust's float parser reads "inf" and "NaN"; a flow does not take them as numbers.
  for (const word of ['inf', 'NaN']) {
    await dialog.getByLabel('Duration (seconds)').fill(word);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog.getByText('Enter a number or a %variable%')).toBeVisible();
  }
  await dialog.getByLabel('Duration (seconds)').fill('1.5e1');
  await expect(dialog.getByText('Enter a number or a %variable%')).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(d.steps).toHaveCount(0);
});

test('search filters actions and categories from two characters', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.search.fill('t');
  await expect(d.actions.getByRole('group', { name: 'Loops' })).toBeVisible();
  await d.search.fill('subtext');
  await expect(d.action('Get subtext')).toBeVisible();
  await expect(d.actions.getByRole('treeitem')).toHaveCount(2); // the category and the action
  await d.search.fill('loops');
  await expect(d.actions.getByRole('group', { name: 'Loops' }).getByRole('treeitem')).toHaveCount(5);
  await d.search.fill('zzzz');
  await expect(d.actions.getByText('No actions match')).toBeVisible();
});

test('reload keeps the flow', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.add('Set variable', { Value: 'kept' });
  await page.waitForTimeout(600); // autosave is debounced
  await page.reload();
  expect(await d.lines()).toEqual(['1 Set variable NewVar to kept']);
});

test('a malformed import shows an error and changes nothing', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.add('Set variable', { Value: '1' });
  await page.getByRole('button', { name: 'Flows' }).click();
  await page.getByLabel('Import flow file').setInputFiles({
    name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"schema": 1, "id": '),
  });
  await expect(page.getByRole('status')).toContainText('Cannot import broken.json');
  expect(await d.lines()).toEqual(['1 Set variable NewVar to 1']);
  await page.getByRole('button', { name: 'Flows' }).click();
  await page.getByLabel('Import flow file').setInputFiles({
    name: 'deep.json', mimeType: 'application/json', buffer: Buffer.from('['.repeat(100000)),
  });
  await expect(page.getByRole('status')).toContainText('Cannot import deep.json');
  expect(await d.lines()).toEqual(['1 Set variable NewVar to 1']);
});

test('a keyboard-only user can add and configure an action', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.search.focus();
  await page.keyboard.type('set var');
  await page.keyboard.press('ArrowDown'); // the category
  await page.keyboard.press('ArrowDown'); // Set variable
  await expect(d.action('Set variable')).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = d.dialog('Set variable');
  await expect(dialog.getByLabel('Value', { exact: true })).toBeFocused();
  await page.keyboard.type('7');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  expect(await d.lines()).toEqual(['1 Set variable NewVar to 7']);
  // The canvas has focus: Enter reopens the step, Escape closes, Delete removes, Ctrl+Z restores.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Delete');
  await expect(d.steps).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(d.steps).toHaveCount(1);
});

test('the context menu disables and enables actions, undoably', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.add('Set variable', { Value: '1' });
  await d.add('Display message', { 'Message to display': '%NewVar%' });
  await d.line(1).click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Action' });
  await menu.getByRole('menuitem', { name: 'Disable action' }).click();
  await expect(d.line(1)).toContainText('Disabled');
  // A disabled step produces nothing: the checker says so for line 2.
  await expect(d.errors.getByRole('listitem')).toContainText('%NewVar% is used before any step produces it');
  await page.keyboard.press('Control+z');
  await expect(d.line(1)).not.toContainText('Disabled');
  await expect(d.errors.getByText('No errors found in this flow.')).toBeVisible();
  // Keyboard: Shift+F10 opens the menu on the selection.
  await page.keyboard.press('Shift+F10');
  await expect(menu.getByRole('menuitem', { name: 'Edit' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Disable action' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
});

test('export to a .json file and import it back as another flow', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.add('Set variable', { Value: 'exported' });
  await page.getByRole('button', { name: 'Flows' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'Export to file' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('My flow.json');
  const path = await file.path();

  await page.getByRole('button', { name: 'Flows' }).click();
  await page.getByRole('menuitem', { name: 'New flow' }).click();
  await expect(d.steps).toHaveCount(0);
  await page.getByRole('button', { name: 'Flows' }).click();
  await page.getByLabel('Import flow file').setInputFiles(path);
  // The file is read asynchronously: wait for the imported flow to be drawn.
  await expect(d.steps).toHaveCount(1);
  expect(await d.lines()).toEqual(['1 Set variable NewVar to exported']);
  await page.getByRole('button', { name: 'Flows' }).click();
  // The original, the new empty one and the import (its id was taken, so it got a new one).
  const flows = page.getByRole('menu', { name: 'Flows' });
  await expect(flows.getByRole('menuitemradio')).toHaveCount(3);
  await expect(flows.getByRole('menuitemradio').nth(2)).toHaveAttribute('aria-checked', 'true');
  // Switch to the empty flow, then delete it (the browser asks first): the first flow opens.
  await flows.getByRole('menuitemradio', { name: 'Flow 2' }).click();
  await expect(flows).toBeHidden();
  await expect(d.steps).toHaveCount(0);
  await page.getByRole('button', { name: 'Flows' }).click();
  await expect(flows.getByRole('menuitemradio', { name: 'Flow 2' })).toHaveAttribute('aria-checked', 'true');
  page.once('dialog', (dialog) => dialog.accept());
  await flows.getByRole('button', { name: 'Delete Flow 2' }).click();
  await expect(flows.getByRole('menuitemradio')).toHaveCount(2);
  await expect(d.steps).toHaveCount(1);
  await expect(flows.getByRole('menuitemradio').first()).toHaveAttribute('aria-checked', 'true');
});
