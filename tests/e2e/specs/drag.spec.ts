import { expect, test } from '../fixtures';
import { Designer } from '../pages/designer';

test.beforeEach(async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.add('Set variable', { Value: '1' });
  await d.add('Wait', { 'Duration (seconds)': '2' });
});

test('a mouse drag from the library inserts between steps 1 and 2', async ({ page }) => {
  const d = new Designer(page);
  await d.drag(d.action('Comment'), await d.gapAfter(1));
  const dialog = d.dialog('Comment');
  await dialog.getByLabel('Comment', { exact: true }).fill('between');
  await dialog.getByRole('button', { name: 'Save' }).click();
  expect(await d.lines()).toEqual(['1 Set variable NewVar to 1', '2 Comment between', '3 Wait 2 seconds']);
});

test('a drag into an If block lands inside it, and steps reorder by drag', async ({ page }) => {
  const d = new Designer(page);
  await d.add('If', { 'First operand': '%NewVar%', 'Second operand': '1' });
  // Lines: 1 Set variable, 2 Wait, 3 If, 4 End. Drop between If and End.
  await d.drag(d.action('Display message'), await d.gapAfter(3));
  const dialog = d.dialog('Display message');
  await dialog.getByLabel('Message to display', { exact: true }).fill('inside');
  await dialog.getByRole('button', { name: 'Save' }).click();
  expect(await d.lines()).toEqual([
    '1 Set variable NewVar to 1',
    '2 Wait 2 seconds',
    '3 If %NewVar% = 1',
    '4 Display message Message to display: inside, into ButtonPressed',
    '5 End',
  ]);
  await expect(d.line(4).locator('.body')).toHaveCSS('padding-left', '24px');

  // Reorder: drag Wait (line 2) above Set variable.
  await d.drag(d.line(2), await d.gapAfter(0));
  expect((await d.lines()).slice(0, 2)).toEqual(['1 Wait 2 seconds', '2 Set variable NewVar to 1']);

  // Dragging the If block moves its contents too, and one undo restores the order.
  await d.drag(d.line(3), await d.gapAfter(0));
  expect(await d.lines()).toEqual([
    '1 If %NewVar% = 1',
    '2 Display message Message to display: inside, into ButtonPressed',
    '3 End',
    '4 Wait 2 seconds',
    '5 Set variable NewVar to 1',
  ]);
  await page.keyboard.press('Control+z');
  expect((await d.lines())[0]).toBe('1 Wait 2 seconds');
});

test('multi-select with Ctrl and Shift, then move and delete together', async ({ page }) => {
  const d = new Designer(page);
  await d.add('Comment', { Comment: 'c' });
  // 1 Set variable, 2 Wait, 3 Comment: select 1 and 3 with Ctrl, drag them below... to the top of Wait.
  await d.line(1).click();
  await d.line(3).click({ modifiers: ['Control'] });
  await d.drag(d.line(3), await d.gapAfter(3));
  expect(await d.lines()).toEqual(['1 Wait 2 seconds', '2 Set variable NewVar to 1', '3 Comment c']);

  await d.line(1).click();
  await d.line(2).click({ modifiers: ['Shift'] });
  await page.keyboard.press('Delete');
  expect(await d.lines()).toEqual(['1 Comment c']);
  await page.keyboard.press('Control+z');
  await expect(d.steps).toHaveCount(3);
});
