// Generated flows for benchmarks: a realistic mix of plain actions and blocks.
import { randomUUID } from 'node:crypto';

type Step = { id: string; action: string; inputs?: Record<string, string>; outputs?: Record<string, string>; children?: Step[] };

/** A flow of exactly `n` steps: runs of Set variable / Comment / Display message and If blocks. */
export function generateFlow(n: number): object {
  const steps: Step[] = [];
  let made = 0;
  let k = 0;
  while (made < n) {
    k += 1;
    if (k % 10 === 0 && n - made >= 4) {
      const children: Step[] = [
        { id: randomUUID(), action: 'flow.comment', inputs: { comment: `inside ${k}` } },
        { id: randomUUID(), action: 'variables.increase', inputs: { variable: 'Counter', amount: '1' } },
        { id: randomUUID(), action: 'flow.wait', inputs: { seconds: '1' } },
      ];
      steps.push({ id: randomUUID(), action: 'conditionals.if', inputs: { first: '%Counter%', operator: 'Less than (<)', second: String(k) }, children });
      made += 4;
    } else if (k % 3 === 0) {
      steps.push({ id: randomUUID(), action: 'flow.comment', inputs: { comment: `Step ${k}: a note about what follows` } });
      made += 1;
    } else {
      steps.push({ id: randomUUID(), action: 'variables.set', inputs: { value: String(k) }, outputs: { variable: k === 1 ? 'Counter' : `Var${k}` } });
      made += 1;
    }
  }
  return { schema: 1, id: randomUUID(), name: `Generated ${n}`, subflows: [{ name: 'Main', steps }] };
}

/** The runtime benchmark's flow, step for step as crates/model/examples/runtime_bench.rs builds
 * it: two set-up steps, then groups of Set variable with arithmetic, Increase variable, an If
 * holding a Set variable, and Replace text; exactly 10,000 steps. */
export function runtimeFlow(): object {
  const steps: Step[] = [
    { id: randomUUID(), action: 'variables.set', inputs: { value: '0' }, outputs: { variable: 'N' } },
    { id: randomUUID(), action: 'variables.set', inputs: { value: 'None' }, outputs: { variable: 'Last' } },
  ];
  const count = (s: Step[]): number => s.reduce((n, x) => n + 1 + count(x.children ?? []), 0);
  for (let i = 0; i < 2000; i++) {
    steps.push({ id: randomUUID(), action: 'variables.set', inputs: { value: `%N * 2 + ${i}%` }, outputs: { variable: `V${i % 100}` } });
    steps.push({ id: randomUUID(), action: 'variables.increase', inputs: { variable: 'N' } });
    steps.push({
      id: randomUUID(), action: 'conditionals.if', inputs: { first: '%N mod 2%', operator: 'Equal to (=)', second: '0' },
      children: [{ id: randomUUID(), action: 'variables.set', inputs: { value: 'Even %N%' }, outputs: { variable: 'Last' } }],
    });
    steps.push({ id: randomUUID(), action: 'text.replace', inputs: { text: '%Last% of many', find: 'many', replace: '%N%' }, outputs: { result: 'Text' } });
  }
  while (count(steps) > 10000) steps.pop();
  while (count(steps) < 10000) steps.push({ id: randomUUID(), action: 'variables.increase', inputs: { variable: 'N' } });
  return { schema: 1, id: randomUUID(), name: 'Runtime benchmark', subflows: [{ name: 'Main', steps }] };
}
