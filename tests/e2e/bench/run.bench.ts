// The flow runtime in Chromium: the 10,000-step flow of standard actions the native benchmark
// runs (crates/model/examples/runtime_bench.rs), from a press on "Run" until the header says
// "Flow run succeeded", with the canvas, step marks and Variables pane following the run.
// Steps per second beside the native figure (scripts/bench.sh passes it in PB_NATIVE_STEPS_PER_SEC).
import { expect, test } from '@playwright/test';
import { runtimeFlow } from './flows';
import { median, printReportAfterAll, report } from './report';

printReportAfterAll();

test('run a 10,000-step flow of standard actions', async ({ page }) => {
  const flow: any = runtimeFlow();
  const index = { current: flow.id, flows: [{ id: flow.id, name: flow.name }] };
  await page.addInitScript(([f, ix]) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.clear();
      localStorage.setItem('plugboard.index.v1', ix as string);
      localStorage.setItem(`plugboard.flow.${JSON.parse(f as string).id}`, f as string);
      sessionStorage.setItem('seeded', '1');
    }
  }, [JSON.stringify(flow), JSON.stringify(index)]);
  await page.goto('/');
  await expect(page.locator('.step-count')).toHaveText('10000 actions', { timeout: 60_000 });
  await expect(page.getByRole('region', { name: 'Errors' })).toContainText('No errors found', { timeout: 60_000 });
  const times: number[] = [];
  let steps = 0;
  for (let round = 0; round < 5; round++) {
    const ms = await page.evaluate(() => new Promise<number>((resolve, reject) => {
      const status = document.querySelector('.run-status')!;
      const run = document.querySelector<HTMLButtonElement>('.run-toolbar button[aria-label="Run"]')!;
      const t0 = performance.now();
      const check = () => {
        const text = status.textContent ?? '';
        if (text === 'Flow run succeeded') {
          resolve(performance.now() - t0);
        } else if (text.startsWith('Flow run')) {
          reject(new Error(text));
        } else {
          requestAnimationFrame(check);
        }
      };
      run.click();
      requestAnimationFrame(check);
    }));
    times.push(ms);
    // The steps the run took (an If whose condition is false skips its body), as the Run log says.
    steps = Number((await page.locator('.run-steps').textContent())!.replace(/\D/g, ''));
  }
  expect(steps).toBeGreaterThan(5000);
  const ms = median(times);
  const rate = steps / (ms / 1000);
  const native = Number(process.env.PB_NATIVE_STEPS_PER_SEC || 0);
  report(`run the 10,000-step flow in Chromium (${steps} steps run; press to done, compile and drawing included; median of 5)`, `${ms.toFixed(0)} ms`, '—', '—');
  report('  steps per second, Chromium', rate.toFixed(0), '—',
    native ? `native ${native.toFixed(0)} (${(rate / native * 100).toFixed(0)}%)` : 'native: see runtime_bench');
});
