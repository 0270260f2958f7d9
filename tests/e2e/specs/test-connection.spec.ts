// "Test connection" in "Add new connection reference": typed fields checked against the connector's
// service (the fixture services: nginx on loopback checking Contoso's key and Fabrikam's basic
// credentials) before anything is created, and saved connections tested from the list.
import { expect, test, type Page } from '../fixtures';
import { Designer } from '../pages/designer';
import { Client, FIXTURE_CREDENTIALS, makeEnvironment, makeUser, owner, signInPage } from '../pages/proxy';

async function setUp(page: Page, baseURL: string) {
  const admin = await owner(baseURL);
  const user = await makeUser(admin, 'tester', 'Tess Tester');
  const env = await makeEnvironment(admin, 'Testing', [user]);
  await signInPage(page, user);
  const d = new Designer(page);
  await d.open();
  await d.useEnvironment(env.name);
  const client = await Client.signIn(baseURL, user.username, user.password);
  return { d, client, env };
}

test('@postgres a new connection is tested before it is created: wrong key, then the right one', async ({ page, baseURL }) => {
  const { d, client } = await setUp(page, baseURL!);
  await d.addConnectorAction('Contoso Tickets', 'Create a ticket');
  const add = d.dialog('Add new connection reference');
  await expect(add.getByRole('radio', { name: 'Create a new connection' })).toBeChecked();
  await add.getByLabel('Connection name').fill('Support desk');
  const key = add.getByLabel('API key');
  const testButton = add.getByRole('button', { name: 'Test connection' });
  const outcome = add.getByRole('status');

  await key.fill('ck_wrong_key');
  await testButton.click();
  await expect(outcome).toHaveText('Contoso Tickets refused the credentials (HTTP 401).');
  // Nothing of the service's answer (it echoes the key) reaches the page.
  await expect(add).not.toContainText('ck_wrong_key');
  await expect(add).not.toContainText('invalid key');

  // Typing makes the outcome stale; the right key works.
  await key.fill(FIXTURE_CREDENTIALS.contosoKey);
  await expect(outcome).toHaveCount(0);
  await testButton.click();
  await expect(outcome).toHaveText('Connection works');
  await expect(testButton).toBeEnabled();
  await page.screenshot({ path: 'screenshots/test-connection-1280.png' });

  // Testing stored nothing; creating does.
  expect(await client.call('GET', '/api/connections?connector=contoso-tickets')).toHaveLength(0);
  await add.getByRole('button', { name: 'Create' }).click();
  await expect(add).toBeHidden();
  await expect(d.dialog('Create a ticket').getByRole('button', { name: 'Connection reference' })).toContainText('Contoso Tickets');
  const list = await client.call('GET', '/api/connections?connector=contoso-tickets');
  expect(list.map((c: any) => [c.display_name, c.status])).toEqual([['Support desk', 'connected']]);
});

test('saved connections are tested from the list, and basic credentials too', async ({ page, baseURL }) => {
  const { d, client } = await setUp(page, baseURL!);
  const { username, password } = FIXTURE_CREDENTIALS.fabrikam;
  await client.call('POST', '/api/connections', { connector_id: 'fabrikam-crm', display_name: 'Old password', values: { username, password: 'stale' } });
  await d.addConnectorAction('Fabrikam CRM', 'Find contacts');
  const add = d.dialog('Add new connection reference');
  await expect(add.getByRole('radio', { name: 'Use an existing connection' })).toBeChecked();
  const existing = add.getByRole('radiogroup', { name: 'Existing connections' });
  await expect(existing).toContainText('Connected');
  await existing.getByRole('button', { name: 'Test' }).click();
  await expect(existing.getByRole('status')).toHaveText('Fabrikam CRM refused the credentials (HTTP 401).');
  await expect(existing).toContainText('Error');
  await page.screenshot({ path: 'screenshots/test-connection-existing-1280.png' });

  // A new one with the right password works.
  await add.getByRole('radio', { name: 'Create a new connection' }).check();
  await add.getByLabel('Username').fill(username);
  await add.getByLabel('Password').fill(password);
  await add.getByRole('button', { name: 'Test connection' }).click();
  await expect(add.getByRole('status')).toHaveText('Connection works');
});
