// Designer benchmarks in Chromium: open large flows until the steps are drawn and interactive,
// one edit (insert, move, undo) at 10,000 steps from input to the next paint, and the frames
// while a step is dragged at 5,000 steps.
// Prints each figure beside its target and the Node-RED reference from DESIGN.md.
import { expect, test, type Page } from '@playwright/test';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { generateFlow } from './flows';
import { median, printReportAfterAll, quantile, report } from './report';

printReportAfterAll();

/** Load `flow` as the browser's saved flow, then time from navigation start to drawn + interactive. */
async function openFlow(page: Page, flow: any, steps: number): Promise<number> {
  const index = { current: flow.id, flows: [{ id: flow.id, name: flow.name }] };
  await page.addInitScript(([f, ix, n]) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.clear();
      localStorage.setItem('plugboard.index.v1', ix as string);
      localStorage.setItem(`plugboard.flow.${JSON.parse(f as string).id}`, f as string);
      sessionStorage.setItem('seeded', '1');
    }
    const want = `${n} actions`;
    const poll = () => {
      const count = document.querySelector('.step-count')?.textContent;
      if (count === want && (n === 0 || document.querySelector('#flow-lines .line'))) {
        // Drawn: wait for the frame that shows it.
        requestAnimationFrame(() => setTimeout(() => { (window as any).__ready = performance.now(); }, 0));
      } else {
        requestAnimationFrame(poll);
      }
    };
    requestAnimationFrame(poll);
  }, [JSON.stringify(flow), JSON.stringify(index), steps]);
  await page.goto('/');
  await page.waitForFunction(() => (window as any).__ready !== undefined, null, { timeout: 120_000 });
  return page.evaluate(() => (window as any).__ready as number);
}

/** Run `act` in the page and time until the next paint after the DOM changed. */
async function editToPaint(page: Page, act: string): Promise<number> {
  return page.evaluate(async (code) => {
    const t0 = performance.now();
    new Function(code)();
    await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - t0;
  }, act);
}

test('first visit, as served to Chromium', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const served: { path: string; bytes: number; encoding: string }[] = [];
  page.on('requestfinished', async (req) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith('/api/')) return;
    const res = await req.response();
    const sizes = await req.sizes();
    served.push({ path: url.pathname, bytes: sizes.responseBodySize, encoding: res?.headers()['content-encoding'] ?? 'none' });
  });
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Undo' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await context.close();
  const total = served.reduce((n, s) => n + s.bytes, 0);
  // The same files gzip -9 (what a browser without brotli gets), from dist/.
  const dist = join(__dirname, '..', '..', '..', 'dist');
  const gzip = served.reduce((n, s) => n + statSync(join(dist, s.path === '/' ? 'index.html' : s.path) + '.gz').size, 0);
  const encodings = [...new Set(served.map((s) => s.encoding))].join(', ');
  report(`first visit as served (${served.length} files, ${encodings})`, `${(total / 1024).toFixed(1)} KB`, '≤ 250 KB', `gzip -9: ${(gzip / 1024).toFixed(1)} KB`);
});

for (const [n, target, reference] of [[0, '—', '—'], [1000, '≤ 500 ms', 'Node-RED 2,800 ms'], [5000, '≤ 1,000 ms', 'Node-RED 11,100 ms'], [10000, '≤ 2,000 ms', 'Node-RED —']] as const) {
  test(`open a ${n}-step flow`, async ({ browser }) => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      times.push(await openFlow(page, generateFlow(n), n));
      await context.close();
    }
    report(`open ${n.toLocaleString('en')} steps (median of 3)`, `${median(times).toFixed(0)} ms`, target, reference);
  });
}

test('one edit at 10,000 steps: insert, move, undo', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await openFlow(page, generateFlow(10000), 10000);
  await page.locator('#flow-lines .line').first().click();
  const key = (k: string, extra = '') =>
    `document.getElementById('flow-scroller').dispatchEvent(new KeyboardEvent('keydown', {key: '${k}', bubbles: true${extra}}))`;
  const clip = JSON.stringify(JSON.stringify({ schema: 1, id: '00000000-0000-4000-8000-000000000001', name: 'Clipboard', subflows: [{ name: 'Main', steps: [{ id: '00000000-0000-4000-8000-000000000002', action: 'flow.comment', inputs: { comment: 'pasted' } }] }] }));
  const paste = `const dt = new DataTransfer(); dt.setData('text/plain', ${clip}); document.getElementById('flow-scroller').dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true}))`;
  const undo = `window.dispatchEvent(new KeyboardEvent('keydown', {key: 'z', ctrlKey: true, bubbles: true}))`;
  const inserts: number[] = [], moves: number[] = [], undos: number[] = [];
  for (let i = 0; i < 7; i++) {
    inserts.push(await editToPaint(page, paste));
    moves.push(await editToPaint(page, key('ArrowDown', ', altKey: true')));
    undos.push(await editToPaint(page, undo));
  }
  report('insert at 10,000 steps (median of 7)', `${median(inserts).toFixed(1)} ms`, '≤ 16 ms', '—');
  report('move at 10,000 steps (median of 7)', `${median(moves).toFixed(1)} ms`, '≤ 16 ms', '—');
  report('undo at 10,000 steps (median of 7)', `${median(undos).toFixed(1)} ms`, '≤ 16 ms', '—');
  await context.close();
});

test('drag a step at 5,000 steps: frames', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await openFlow(page, generateFlow(5000), 5000);
  const lines = page.locator('#flow-lines .line');
  const dragged = lines.nth(2);
  const text = await dragged.innerText();
  const box = (await dragged.boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 8, y + 8, { steps: 2 });
  // Every frame's interval while the pointer moves down across 12 lines, 3 px per move.
  await page.evaluate(() => {
    const w = window as any;
    w.__frames = [];
    w.__stop = false;
    let last = performance.now();
    const tick = (t: number) => {
      w.__frames.push(t - last);
      last = t;
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  for (let i = 1; i <= 144; i++) await page.mouse.move(x + 8, y + 8 + i * 3);
  const frames: number[] = await page.evaluate(() => {
    const w = window as any;
    w.__stop = true;
    return w.__frames.slice(1);
  });
  await page.mouse.up();
  // The drop moved the step 12 lines down: the drag was real.
  await expect(lines.nth(2)).not.toHaveText(text);
  const over = frames.filter((f) => f > 16.7 * 1.5).length;
  report(`drag a step at 5,000 steps: frame interval, median of ${frames.length}`, `${median(frames).toFixed(1)} ms`, '≤ 16.7 ms', 'Node-RED 33 ms');
  report('drag a step at 5,000 steps: frame interval, p90', `${quantile(frames, 0.9).toFixed(1)} ms`, '≤ 16.7 ms', 'Node-RED 450 ms');
  report('drag a step at 5,000 steps: worst frame interval', `${Math.max(...frames).toFixed(1)} ms`, '≤ 16.7 ms', '—');
  report('drag a step at 5,000 steps: frames missed (interval over 25 ms)', `${over} of ${frames.length}`, '0', '—');
  await context.close();
});
