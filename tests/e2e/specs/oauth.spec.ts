// OAuth 2.0 sign-in in the designer, against a real authorization server on loopback
// (tests/fixtures/oauth/server.mjs, started by serve.sh with E2E_OAUTH=1 behind a proxy of its
// own): the owner registers the app from "Add new connection reference" (the redirect URI shown
// there), "Create" opens the provider in a popup, the callback tells the designer, and the
// connection is Connected without a reload; the token then executes an action. Denied consent
// and a blocked popup each say so and leave the connection "Needs sign-in".
import { expect, test, type Page } from '../fixtures';
import { Designer } from '../pages/designer';
import { Client, makeEnvironment, owner, OWNER } from '../pages/proxy';

const port = Number(process.env.PB_TEST_PORT || 18080) + 2;
test.use({ baseURL: `http://127.0.0.1:${port}` });
// One owner and one app registration for the connector: the tests take turns.
test.describe.configure({ mode: 'serial' });

const CONNECTOR = 'woodgrove-profile';

/** The authorization server's address, from the connector's OAuth settings. */
async function oauthServer(client: Client): Promise<string> {
  const detail = await client.call('GET', `/api/connectors/${CONNECTOR}`);
  const set = detail.connection_parameter_sets[0];
  return new URL(set.parameters[0].oauth.authorization_url).origin;
}

async function setUp(page: Page, baseURL: string) {
  const admin = await owner(baseURL);
  const me = await admin.call('GET', '/api/session');
  const env = await makeEnvironment(admin, 'OAuth', [{ ...OWNER, id: me.user.id, displayName: 'Owner' }]);
  const r = await page.request.post('/api/session', { data: OWNER });
  expect(r.status()).toBe(200);
  const d = new Designer(page);
  await d.open();
  await d.useEnvironment(env.name);
  return { d, admin, env };
}

test('the owner registers the app, signs in through the popup and the token executes an action', async ({ page, baseURL }) => {
  const { d, admin, env } = await setUp(page, baseURL!);
  await admin.call('DELETE', `/api/oauth/apps/${CONNECTOR}`).catch(() => undefined);
  await d.addConnectorAction('Woodgrove Profile', 'Get my profile');
  const add = d.dialog('Add new connection reference');
  await expect(add.getByRole('radio', { name: 'Create a new connection' })).toBeChecked();
  // No app registered yet: the owner sees the redirect URI to give the provider.
  const app = add.getByRole('group', { name: 'Register the OAuth app' });
  await expect(app.getByLabel('Redirect URI')).toHaveValue(`${baseURL}/api/oauth/callback`);
  await app.getByLabel('Client ID').fill('plugboard-test');
  await app.getByRole('button', { name: 'Save app registration' }).click();
  await expect(add.getByRole('status').filter({ hasText: 'OAuth app registered' })).toHaveText('OAuth app registered (client id plugboard-test).');
  await page.screenshot({ path: 'screenshots/oauth-add-reference-1280.png' });

  const popup = page.waitForEvent('popup');
  await add.getByRole('button', { name: 'Create' }).click();
  const window = await popup;
  await window.waitForEvent('close');
  // The callback told the designer: the dialog is done, the step names the new reference.
  await expect(add).toBeHidden();
  const step = d.dialog('Get my profile');
  await expect(step.getByRole('button', { name: 'Connection reference' })).toContainText('Woodgrove Profile');
  const list = await admin.call('GET', `/api/connections?connector=${CONNECTOR}`);
  expect(list.map((c: any) => c.status)).toContain('connected');
  const refs = await admin.call('GET', `/api/environments/${env.id}/references`);
  const ref = refs.find((r: any) => r.connector_id === CONNECTOR);
  // The token works: the action runs through the proxy with it.
  const result = await admin.call('POST', `/api/environments/${env.id}/execute`, {
    reference: ref.logical_name, connector_id: CONNECTOR, operation_id: 'GetMyProfile', inputs: {},
  });
  expect(result.status).toBe(200);
  expect(result.body).toMatchObject({ sub: 'johndoe', scope: 'profile.read' });
  // Nothing of the tokens reached the page's storage.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + document.cookie);
  expect(stored).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/);
});

test('denied consent says so and "Sign in" then finishes it; a blocked popup says so', async ({ page, baseURL }) => {
  const { d, admin } = await setUp(page, baseURL!);
  await admin.call('PUT', `/api/oauth/apps/${CONNECTOR}`, { client_id: 'plugboard-test' });
  const server = await oauthServer(admin);
  const knob = await page.request.post(`${server}/test/deny`, { data: {} });
  expect(knob.ok()).toBeTruthy();
  await d.addConnectorAction('Woodgrove Profile', 'Get my profile');
  const add = d.dialog('Add new connection reference');
  await add.getByRole('radio', { name: 'Create a new connection' }).check();
  await add.getByLabel('Connection name').fill('Denied first');
  const popup = page.waitForEvent('popup');
  await add.getByRole('button', { name: 'Create' }).click();
  await (await popup).waitForEvent('close');
  await expect(add.getByRole('alert').filter({ hasText: 'Consent was denied' })).toContainText(
    'Consent was denied at 127.0.0.1', { timeout: 10_000 });
  const denied = (await admin.call('GET', `/api/connections?connector=${CONNECTOR}`))
    .find((c: any) => c.display_name === 'Denied first');
  expect(denied.status).toBe('needs_sign_in');
  await page.screenshot({ path: 'screenshots/oauth-denied-1280.png' });

  // A blocked popup: window.open answers null.
  await page.evaluate(() => { (window as any).__open = window.open; window.open = () => null; });
  await add.getByRole('button', { name: 'Sign in' }).click();
  await expect(add.getByRole('alert').filter({ hasText: 'blocked' })).toHaveText(
    'The browser blocked the sign-in window. Allow pop-ups for this site, then click “Sign in” again.');
  await page.evaluate(() => { window.open = (window as any).__open; });

  const again = page.waitForEvent('popup');
  await add.getByRole('button', { name: 'Sign in' }).click();
  await (await again).waitForEvent('close');
  await expect(add).toBeHidden();
  const after = await admin.call('GET', `/api/connections/${denied.id}`);
  expect(after.status).toBe('connected');
});

test('an existing connection that needs sign-in offers "Sign in again" and becomes Connected', async ({ page, baseURL }) => {
  const { d, admin } = await setUp(page, baseURL!);
  await admin.call('PUT', `/api/oauth/apps/${CONNECTOR}`, { client_id: 'plugboard-test' });
  const conn = await admin.call('POST', '/api/connections', { connector_id: CONNECTOR, display_name: 'Signed out', values: {} });
  await d.addConnectorAction('Woodgrove Profile', 'Get my profile');
  const add = d.dialog('Add new connection reference');
  await add.getByRole('radio', { name: 'Use an existing connection' }).check();
  const row = add.getByRole('radiogroup', { name: 'Existing connections' }).locator('.choice-row', { hasText: 'Signed out' });
  await expect(row).toContainText('Needs sign-in');
  const popup = page.waitForEvent('popup');
  await row.getByRole('button', { name: 'Sign in again' }).click();
  await (await popup).waitForEvent('close');
  await expect(row).toContainText('Connected');
  expect((await admin.call('GET', `/api/connections/${conn.id}`)).status).toBe('connected');
});
