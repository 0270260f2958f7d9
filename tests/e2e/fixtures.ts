// The `test` every spec uses: Playwright's, plus a check that the page never hit the
// Content-Security-Policy (a `securitypolicyviolation` event fails the test that caused it).
import { test as base, expect, type BrowserContext } from '@playwright/test';

/** Collects the policy violations of every page of `context` into `into`. */
export async function watchCsp(context: BrowserContext, into: string[]): Promise<void> {
  await context.exposeBinding('__pbCspViolation', (_source, v: string) => {
    into.push(v);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __pbCspViolation: (v: string) => void }).__pbCspViolation;
      report(`${e.effectiveDirective} refused ${e.blockedURI || 'an inline source'} (${e.sourceFile}:${e.lineNumber}): ${e.sample}`);
    });
  });
}

export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ context }, use) => {
      const seen: string[] = [];
      await watchCsp(context, seen);
      await use(seen);
      expect(seen, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { BrowserContext, Locator, Page } from '@playwright/test';
