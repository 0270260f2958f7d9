// Share links in Chromium: for the benchmark's generated 10-, 100- and 1,000-step flows, the
// link's length as the designer writes it (the browser's CompressionStream), the time from
// pressing "Share" until the link is shown (encode + dialog), and from a link in the address
// until its preview is drawn (decode + preview), each beside its target (DESIGN.md).
import { expect, test } from '@playwright/test';
import { median, printReportAfterAll, report } from './report';
import { generated, seedFlow, Sharing } from '../pages/share';

printReportAfterAll();

const RUNS = 15;

for (const n of [10, 100, 1000]) {
  test(`share link of a ${n}-step flow`, async ({ page }) => {
    await seedFlow(page, generated(n));
    await page.goto('/');
    await expect(page.locator('.step-count')).toHaveText(`${n} actions`);
    const s = new Sharing(page);
    const link = await s.link();
    const payload = link.split('#/s/')[1];
    await s.close();
    const encode: number[] = [];
    const decode: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      encode.push(await page.evaluate(async () => {
        const t0 = performance.now();
        (Array.from(document.querySelectorAll('button')).find((b) => b.textContent === 'Share') as HTMLButtonElement).click();
        for (;;) {
          const box = document.querySelector('#share-link') as HTMLTextAreaElement | null;
          if (box && box.value) break;
          await new Promise((r) => setTimeout(r, 0));
        }
        await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return performance.now() - t0;
      }));
      await s.close();
      decode.push(await page.evaluate(async (p) => {
        const t0 = performance.now();
        location.hash = '#/s/' + p;
        while (!document.querySelector('.preview-dialog .preview-name')) await new Promise((r) => setTimeout(r, 0));
        await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return performance.now() - t0;
      }, payload));
      await s.preview.getByRole('button', { name: 'Cancel' }).click();
      await expect(s.preview).toBeHidden();
    }
    const target = n === 100 ? '≤ 2,000' : '—';
    report(`link length, ${n.toLocaleString('en')} steps (characters of #/s/…)`, `${payload.length.toLocaleString('en')}`, target, 'native share_bench: same body, miniz_oxide');
    const time = n === 100 ? '≤ 5 ms (codec alone)' : '—';
    report(`${n.toLocaleString('en')} steps: "Share" to link shown (median of ${RUNS})`, `${median(encode).toFixed(1)} ms`, time, 'includes the dialog');
    report(`${n.toLocaleString('en')} steps: link to preview drawn (median of ${RUNS})`, `${median(decode).toFixed(1)} ms`, time, 'includes drawing the preview');
  });
}
