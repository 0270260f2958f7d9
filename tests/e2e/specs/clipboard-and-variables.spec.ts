import { expect, test } from '../fixtures';
import { Designer } from '../pages/designer';

test('Ctrl+C / Ctrl+V copy steps as flow JSON through the system clipboard, into another tab', async ({ context, page }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const d = new Designer(page);
  await d.open();
  await d.add('Set variable', { Value: '1' });
  await d.add('If', { 'First operand': '%NewVar%', 'Second operand': '1' });
  await d.line(1).click();
  await d.line(2).click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+c');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  expect(JSON.parse(text).subflows[0].steps.map((s: any) => s.action)).toEqual(['variables.set', 'conditionals.if']);

  // Paste in this tab after the selection: fresh ids, one undo step.
  await d.line(3).click();
  await page.keyboard.press('Control+v');
  expect(await d.lines()).toEqual([
    '1 Set variable NewVar to 1', '2 If %NewVar% = 1', '3 End',
    '4 Set variable NewVar to 1', '5 If %NewVar% = 1', '6 End',
  ]);
  await page.keyboard.press('Control+z');
  await expect(d.steps).toHaveCount(3);

  // Another tab, a new flow: paste puts the same steps there.
  const other = await context.newPage();
  const d2 = new Designer(other);
  await d2.open();
  await other.getByRole('button', { name: 'Flows' }).click();
  await other.getByRole('menuitem', { name: 'New flow' }).click();
  await expect(d2.steps).toHaveCount(0);
  await d2.flow.getByLabel('Flow steps').focus();
  await other.keyboard.press('Control+v');
  expect(await d2.lines()).toEqual(['1 Set variable NewVar to 1', '2 If %NewVar% = 1', '3 End']);
});

test('Variables lists produced variables; rename changes every usage; find usages selects them', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.add('Set variable', { Value: '5' });
  await d.add('Display message', { 'Message to display': 'Total: %NewVar%' });
  await d.add('Wait', { 'Duration (seconds)': '1' });
  await expect(d.variables.getByText('%NewVar%')).toBeVisible();
  await d.variables.getByRole('button', { name: 'Rename NewVar' }).click();
  await d.variables.getByLabel('New name for NewVar').fill('Total');
  await page.keyboard.press('Enter');
  expect((await d.lines()).slice(0, 2)).toEqual([
    '1 Set variable Total to 5',
    '2 Display message Message to display: Total: %Total%, into ButtonPressed',
  ]);
  await d.variables.getByRole('button', { name: 'Find usages of Total' }).click();
  await expect(d.line(1)).toHaveClass(/selected/);
  await expect(d.line(2)).toHaveClass(/selected/);
  await expect(d.line(3)).not.toHaveClass(/selected/);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(d.variables.getByText('%NewVar%')).toBeVisible();
});

test('the {x} picker lists the flow\'s variables and inserts one by click or by Enter', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.add('Set variable', { Value: '5' });
  await d.action('Display message').dblclick();
  const dialog = d.dialog('Display message');
  const field = dialog.getByLabel('Message to display', { exact: true });
  await field.fill('Total: ');
  const picker = field.locator('..').getByRole('button', { name: 'Insert variable' });
  await picker.click();
  const list = dialog.getByRole('listbox', { name: 'Variables' });
  await list.getByRole('option', { name: '%NewVar%' }).click();
  await expect(field).toHaveValue('Total: %NewVar%');
  await expect(list).toHaveCount(0);
  // Enter on an option picks it and does not reach the dialog.
  await picker.click();
  await list.getByRole('option', { name: '%NewVar%' }).press('Enter');
  await expect(field).toHaveValue('Total: %NewVar%%NewVar%');
  await expect(list).toHaveCount(0);
  await expect(dialog).toBeVisible();
});
