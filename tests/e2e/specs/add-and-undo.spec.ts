import { expect, test } from '../fixtures';
import { Designer } from '../pages/designer';

test('double-click adds an action through its dialog; undo and redo', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await expect(d.flow.getByText('This flow has no actions yet')).toBeVisible();

  await d.add('Set variable', { Value: '5' });
  expect(await d.lines()).toEqual(['1 Set variable NewVar to 5']);

  await d.add('Display message', { 'Message to display': 'Hello %NewVar%' });
  expect(await d.lines()).toEqual([
    '1 Set variable NewVar to 5',
    '2 Display message Message to display: Hello %NewVar%, into ButtonPressed',
  ]);

  await page.getByRole('button', { name: 'Undo' }).click();
  expect(await d.lines()).toEqual(['1 Set variable NewVar to 5']);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(d.steps).toHaveCount(2);
});

test('Cancel in the dialog of a new action adds nothing', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.action('Wait').dblclick();
  await d.dialog('Wait').getByRole('button', { name: 'Cancel' }).click();
  await expect(d.dialog('Wait')).toBeHidden();
  await expect(d.steps).toHaveCount(0);
});
