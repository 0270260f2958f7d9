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

test('two tabs on one flow: a tab takes the other\'s saved change, and asks when it has its own', async ({ context }) => {
  const a = await context.newPage();
  const da = new Designer(a);
  await da.open();
  await da.add('Set variable', { Value: 'from A' });
  const b = await context.newPage();
  const db = new Designer(b);
  await db.open();
  expect(await db.lines()).toEqual(['1 Set variable NewVar to from A']);
  // A saves another change: B, with nothing unsaved, shows it.
  await da.add('Display message', { 'Message to display': 'hello' });
  await expect(db.steps).toHaveCount(2);

  // B edits, and before its save (300 ms later) another tab saves the flow: B asks.
  const other = await context.newPage();
  await other.goto('/api/health');
  await db.line(2).click();
  await b.keyboard.press('Delete');
  await other.evaluate(() => {
    const ix = JSON.parse(localStorage.getItem('plugboard.index.v1')!);
    const id = ix.current;
    localStorage.setItem(`plugboard.flow.${id}`, localStorage.getItem(`plugboard.flow.${id}`)!);
    localStorage.setItem(`plugboard.rev.${id}`, 'another-tab:1');
  });
  const asked = b.getByRole('alert').filter({ hasText: 'This flow was changed and saved in another tab.' });
  await expect(asked).toBeVisible();
  await expect(db.steps).toHaveCount(1);
  // Nothing was overwritten: the stored flow still has both steps.
  await expect.poll(() => other.evaluate(() => {
    const id = JSON.parse(localStorage.getItem('plugboard.index.v1')!).current;
    return localStorage.getItem(`plugboard.flow.${id}`)!.includes('hello');
  })).toBe(true);
  // "Keep mine": B's version is saved, and A (nothing unsaved) takes it.
  await asked.getByRole('button', { name: 'Keep mine' }).click();
  await expect(asked).toBeHidden();
  await expect(da.steps).toHaveCount(1);
  await a.reload();
  await expect(da.steps).toHaveCount(1);
  expect(await da.lines()).toEqual(['1 Set variable NewVar to from A']);
});

test('a full storage keeps the flow in memory, says so, and offers to export it', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.add('Set variable', { Value: 'kept' });
  // Something else fills this site's storage to the last byte.
  await page.evaluate(() => {
    let i = 0;
    for (const size of [1 << 19, 1 << 12, 1 << 6, 1]) {
      const chunk = 'x'.repeat(size);
      try {
        for (;;) localStorage.setItem(`junk.${i++}`, chunk);
      } catch {
        // Full at this size: go on with smaller pieces.
      }
    }
  });
  await d.add('Display message', { 'Message to display': 'not saved yet' });
  const full = page.getByRole('alert').filter({ hasText: "This browser's storage for Plugboard is full" });
  await expect(full).toBeVisible();
  await expect(d.steps).toHaveCount(2);
  await page.screenshot({ path: 'screenshots/storage-full.png' });
  // Opening another flow now would drop the unsaved changes: refused, and said why.
  await page.getByRole('button', { name: 'Flows', exact: true }).click();
  await page.getByRole('menuitem', { name: 'New flow' }).click();
  await expect(page.getByRole('status')).toContainText('export it or free some space before opening another');
  await expect(d.steps).toHaveCount(2);
  const download = page.waitForEvent('download');
  await full.getByRole('button', { name: 'Export flow' }).click();
  const file = await (await download).path();
  expect(require('node:fs').readFileSync(file, 'utf8')).toContain('not saved yet');
  // Room again: the next save goes through and the notice goes.
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('junk.')) localStorage.removeItem(k);
  });
  await d.add('Set variable', { Value: 'third' });
  await expect(full).toBeHidden();
  await page.reload();
  await expect(d.steps).toHaveCount(3);
});

test('a stored flow that no longer reads is kept aside and reported, never overwritten', async ({ page }) => {
  const id = '6f1d7c2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f';
  const stored = JSON.stringify({ version: 99, id, name: 'From the future', subflows: [] });
  await page.addInitScript(([id, stored]) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('plugboard.index.v1', JSON.stringify({ current: id, flows: [{ id, name: 'From the future' }] }));
      localStorage.setItem(`plugboard.flow.${id}`, stored);
      sessionStorage.setItem('seeded', '1');
    }
  }, [id, stored]);
  const d = new Designer(page);
  await d.open();
  const notice = page.getByRole('alert').filter({ hasText: '“From the future” could not be read (' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('It is kept as it was');
  // A new flow opens instead; editing and saving it leaves the unreadable one as it was.
  await expect(d.steps).toHaveCount(0);
  await d.add('Set variable', { Value: '1' });
  await page.reload();
  await expect(d.steps).toHaveCount(1);
  await expect(notice).toBeVisible();
  expect(await page.evaluate((id) => localStorage.getItem(`plugboard.flow.${id}`), id)).toBe(stored);
  const download = page.waitForEvent('download');
  await notice.getByRole('button', { name: 'Download it' }).click();
  expect(require('node:fs').readFileSync(await (await download).path(), 'utf8')).toBe(stored);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();
});
