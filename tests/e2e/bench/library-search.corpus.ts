// Library search over every corpus connector action (about 16,000), one keystroke at a time:
// from the key's keydown to the paint of the frame that shows its results. Prints the median and
// p95 over keystrokes that search (two characters or more) beside the target from DESIGN.md
// (≤ 16 ms per keystroke), and, for comparison, a keystroke that changes nothing.
import { expect, test } from '@playwright/test';
import { Designer } from '../pages/designer';
import { median, printReportAfterAll, quantile, report } from './report';

printReportAfterAll();

/** Queries a maker might type, each typed from empty, one key at a time. */
const QUERIES = [
  'send an email', 'create record', 'get file content', 'list rows', 'update item', 'delete',
  'translate text', 'weather', 'invoice', 'get user profile', 'post message', 'sql',
];
const MIN_QUERY = 2;

test('library search over the corpus, per keystroke', async ({ page }) => {
  const d = new Designer(page);
  await page.addInitScript(() => {
    // Time each keystroke from its keydown to the frame after the DOM settled.
    const w = window as any;
    w.__keystrokes = [];
    document.addEventListener('keydown', (e) => {
      if (!(e.target instanceof HTMLInputElement)) return;
      const t0 = performance.now();
      // The work: from keydown until the results are in the DOM and laid out. The input event
      // follows the keydown. This listener, added last, runs after the designer's and after
      // the microtasks they queued (its reactive updates: microtasks run whenever a listener
      // returns); reading a layout property then forces style and layout of the new rows.
      const k: any = {};
      w.__keystrokes.push(k);
      window.addEventListener('input', () => {
        document.querySelector('.tree .action:last-child')?.getBoundingClientRect();
        k.work = performance.now() - t0;
        k.workRows = document.querySelectorAll('.tree li').length;
      }, { once: true });
      // To the paint: the frame that follows the input draws its results; a task queued from
      // it runs after that frame is painted. This includes waiting for the frame (up to 16.7 ms
      // at 60 Hz), whatever the work.
      requestAnimationFrame(() => setTimeout(() => {
        Object.assign(k, {
          ms: performance.now() - t0,
          value: (e.target as HTMLInputElement).value,
          rows: document.querySelectorAll('.tree li').length,
        });
      }, 0));
    }, { capture: true });
  });
  await d.open();

  // The index arrives once, when the group is first expanded: fetch, parse, build the search.
  const t0 = Date.now();
  await d.toggleBranch('Cloud connectors');
  await expect(d.group('Cloud connectors').locator('> li.connector').first()).toBeVisible({ timeout: 60_000 });
  const loaded = Date.now() - t0;
  const counts = await page.evaluate(async () => {
    const ix = await (await fetch('/api/connectors')).json();
    const actions = ix.connectors.reduce((n: number, c: any) => n + c.actions.filter((a: any) => a.visibility !== 'internal').length, 0);
    return { connectors: ix.connectors.length, actions };
  });
  await d.toggleBranch('Cloud connectors');

  const times: number[] = [];
  const works: number[] = [];
  const unchanged: number[] = [];
  let rows = 0;
  for (const q of QUERIES) {
    await d.search.fill('');
    await d.search.click();
    for (let i = 0; i < q.length; i++) {
      const before = await page.evaluate(() => (window as any).__keystrokes.length);
      await page.keyboard.press(q[i] === ' ' ? 'Space' : q[i]);
      await page.waitForFunction((n) => {
        const k = (window as any).__keystrokes[n];
        return k !== undefined && k.ms !== undefined && k.work !== undefined;
      }, before);
      const k = await page.evaluate(() => (window as any).__keystrokes.at(-1));
      expect(k.value).toBe(q.slice(0, i + 1));
      // A trailing space changes no result: what any keystroke costs here, for comparison.
      if (k.value.endsWith(' ')) unchanged.push(k.ms);
      else if (k.value.trim().length >= MIN_QUERY) { times.push(k.ms); works.push(k.work); }
      // The work was timed once the results were in the DOM (nothing changed after it).
      expect(k.workRows).toBe(k.rows);
      rows = Math.max(rows, k.rows);
      if (process.env.PB_BENCH_VERBOSE) console.log(JSON.stringify(k.value), k.ms.toFixed(1), k.work.toFixed(1), k.rows);
    }
    // The last keystroke's results are on screen.
    await expect(d.group('Cloud connectors')).toBeVisible();
  }
  report(`catalog index: ${counts.connectors.toLocaleString('en')} connectors, ${counts.actions.toLocaleString('en')} actions (fetch, parse, build)`, `${loaded} ms`, '—', '—');
  report(`search per keystroke, keydown to results laid out: median (${works.length} keystrokes, ${QUERIES.length} queries)`, `${median(works).toFixed(1)} ms`, '≤ 16 ms', '—');
  report('search per keystroke, keydown to results laid out: p95', `${quantile(works, 0.95).toFixed(1)} ms`, '≤ 16 ms', '—');
  report('search per keystroke, keydown to results laid out: worst', `${Math.max(...works).toFixed(1)} ms`, '—', '—');
  report('search per keystroke, keydown to the next paint (waits for the frame): median', `${median(times).toFixed(1)} ms`, '—', '—');
  report('search per keystroke, keydown to the next paint (waits for the frame): p95', `${quantile(times, 0.95).toFixed(1)} ms`, '—', '—');
  report(`a keystroke that changes no result (trailing space), to the next paint, median of ${unchanged.length}`, `${median(unchanged).toFixed(1)} ms`, '—', '—');
  report('most rows in the library after a keystroke', `${rows}`, '—', '—');
});
