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
