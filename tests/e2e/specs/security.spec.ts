// The web surface: the designer cannot be framed by another origin (no clickjacking), and the
// Content-Security-Policy every spec runs under (fixtures.ts fails a test on any violation)
// is the one the proxy sends.
import { expect, test } from '../fixtures';
import { Designer } from '../pages/designer';
import { makeUser, owner } from '../pages/proxy';

test('another origin cannot frame the designer', async ({ page, baseURL }) => {
  // A page of another origin (served by the browser itself) that frames the designer.
  await page.route('http://elsewhere.test/', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>Elsewhere</title><iframe src="${baseURL}/" width=800 height=600></iframe>`,
    }),
  );
  await page.goto('http://elsewhere.test/');
  // Chromium replaces a refused frame by its error page; an allowed one would load the designer.
  await expect
    .poll(() => page.frames().find((f) => f !== page.mainFrame())?.url(), { timeout: 10_000 })
    .toMatch(/^chrome-error:/);
  await expect(page.frameLocator('iframe').getByRole('button', { name: 'Undo' })).toHaveCount(0);
});

test('the designer is served under a strict policy and works within it', async ({ page, request }) => {
  const r = await request.get('/');
  const csp = r.headers()['content-security-policy'];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
  expect(csp).not.toContain('unsafe-inline');
  expect(r.headers()['x-frame-options']).toBe('DENY');
  const api = await request.get('/api/health');
  expect(api.headers()['cache-control']).toBe('no-store');
  // The app starts (its loader is allowed by hash) and draws connectors' brand colours
  // through the CSSOM: the fixture fails this test on any violation.
  const d = new Designer(page);
  await d.open();
  await d.add('Set variable', { Value: '5' });
  expect(await d.lines()).toEqual(['1 Set variable NewVar to 5']);
});

test('repeated wrong passwords make the account wait, and the designer says so', async ({ page, baseURL }) => {
  const admin = await owner(baseURL!);
  const user = await makeUser(admin, 'guessed', 'Gus Guessed');
  const d = new Designer(page);
  await d.open();
  await page.getByRole('button', { name: 'Sign in' }).click();
  const signIn = d.dialog('Sign in');
  await signIn.getByLabel('User name').fill(user.username);
  for (let i = 0; i < 5; i++) {
    await signIn.getByLabel('Password').fill(`wrong password ${i}`);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await expect(signIn.getByRole('alert')).toHaveText('The user name or password is not right.');
    await expect(signIn.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  }
  // Now even the right password waits.
  await signIn.getByLabel('Password').fill(user.password);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(signIn.getByRole('alert')).toHaveText(/^Too many failed sign-ins for this account\. Try again in [12] seconds?\.$/);
  // Once the wait is over, it signs in.
  await page.waitForTimeout(2_100);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(signIn).toBeHidden();
  await expect(page.getByRole('button', { name: 'Gus Guessed' })).toBeVisible();
});
