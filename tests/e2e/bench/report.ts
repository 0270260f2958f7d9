// The benchmarks' printed table: each figure beside its target and reference (DESIGN.md).
import { test } from '@playwright/test';

const rows: string[][] = [];

export function report(measure: string, value: string, target: string, reference: string) {
  rows.push([measure, value, target, reference]);
}

/** Print the table once the file's benchmarks are done (call at the top level of a bench file). */
export function printReportAfterAll() {
  test.afterAll(() => {
    const head = ['measure', 'Plugboard', 'target', 'reference'];
    const widths = [0, 1, 2, 3].map((i) => Math.max(...[head, ...rows].map((r) => r[i].length)));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join(' | ');
    console.log('\n' + line(head));
    console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const r of rows) console.log(line(r));
  });
}

export function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

/** The q-quantile by the nearest-rank method (q = 0.95: the p95). */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return q === 0.5 ? s[Math.floor(s.length / 2)] : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}
