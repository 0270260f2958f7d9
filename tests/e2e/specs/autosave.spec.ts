// Autosave waits for edits to pause; leaving the page must not lose the last edit (regression:
// an edit followed at once by a reload or a closed tab was lost, the debounced save never ran).
import { expect, test } from '../fixtures';
import { Designer } from '../pages/designer';

test('an edit followed at once by a reload is kept', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.add('Set variable', { Value: 'first' });
  await page.reload();
  await expect(d.steps).toHaveCount(1);
  expect(await d.lines()).toEqual(['1 Set variable NewVar to first']);
  // And an edit of an existing step, undone, then reloaded at once.
  await d.add('Display message', { 'Message to display': 'second' });
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(d.steps).toHaveCount(1);
  await page.reload();
  await expect(d.actions.getByRole('group', { name: 'Variables' })).toBeVisible();
  await expect(d.steps).toHaveCount(1);
  expect(await d.lines()).toEqual(['1 Set variable NewVar to first']);
});

test('an edit followed at once by closing the tab is kept', async ({ context }) => {
  const page = await context.newPage();
  const d = new Designer(page);
  await d.open();
  await d.add('Set variable', { Value: 'closed' });
  // As a person closes a tab: the page gets to run its unload handlers.
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => page.isClosed()).toBe(true);

  const again = await context.newPage();
  const d2 = new Designer(again);
  await d2.open();
  await expect(d2.steps).toHaveCount(1);
  expect(await d2.lines()).toEqual(['1 Set variable NewVar to closed']);
});
