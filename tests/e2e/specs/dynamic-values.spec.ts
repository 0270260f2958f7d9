// Dynamic values: Contoso Tickets' "List tickets" takes a queue that its service lists
// (`x-ms-dynamic-values` from "List queues"). The field is a combobox whose values are loaded
// through the proxy's execute endpoint with the step's connection reference, from the fixture
// nginx that checks the key: the list loads and a value is picked and saved; a connection the
// service refuses shows the service's error; a typed %variable% is kept.
import { expect, test, type Page } from '../fixtures';
import { Designer } from '../pages/designer';
import { Client, FIXTURE_CREDENTIALS, makeEnvironment, makeUser, owner, signInPage } from '../pages/proxy';

const CONTOSO = 'contoso-tickets';

/** A new user in a new environment with one Contoso reference bound to a connection with `key`. */
async function setUp(page: Page, baseURL: string, key: string) {
  const admin = await owner(baseURL);
  const user = await makeUser(admin, 'lister', 'Lee Lister');
  const env = await makeEnvironment(admin, 'Dynamic', [user]);
  const client = await Client.signIn(baseURL, user.username, user.password);
  const conn = await client.call('POST', '/api/connections', { connector_id: CONTOSO, display_name: 'Desk key', values: { api_key: key } });
  await client.call('POST', `/api/environments/${env.id}/references`, { display_name: 'Desk', connector_id: CONTOSO, connection_id: conn.id });
  await signInPage(page, user);
  const d = new Designer(page);
  await d.open();
  await d.useEnvironment(env.name);
  await d.addConnectorAction('Contoso Tickets', 'List tickets');
  const dialog = d.dialog('List tickets');
  await expect(dialog.getByRole('button', { name: 'Connection reference' })).toContainText('Desk');
  return { d, dialog, queue: dialog.getByRole('combobox', { name: 'Queue' }), show: dialog.getByRole('button', { name: 'Show values for Queue' }) };
}

test('the queue dropdown loads through the proxy, a value is picked and saved', async ({ page, baseURL }) => {
  // Hold the listing request until the loading state has been seen (the request itself is real).
  let release = () => {};
  const held = new Promise<void>((r) => { release = r; });
  const executes: any[] = [];
  await page.route('**/api/environments/*/execute', async (route) => {
    executes.push(route.request().postDataJSON());
    await held;
    await route.continue();
  });
  const { d, dialog, queue, show } = await setUp(page, baseURL!, FIXTURE_CREDENTIALS.contosoKey);
  await expect(dialog).toContainText('Values come from “List queues” of Contoso Tickets: pick one, or type one or a %variable%.');
  await expect(queue).toHaveAttribute('aria-expanded', 'false');

  await show.click();
  await expect(queue).toHaveAttribute('aria-expanded', 'true');
  await expect(dialog.getByRole('status').filter({ hasText: 'Loading values…' })).toBeVisible();
  release();
  const list = dialog.getByRole('listbox', { name: 'Values for Queue' });
  await expect(list.getByRole('option')).toHaveText([/Support\s*q1/, /Sales\s*q2/]);
  // The step's reference and the listing operation went to the execute endpoint.
  expect(executes).toHaveLength(1);
  expect(executes[0]).toMatchObject({ connector_id: CONTOSO, operation_id: 'ListQueues', inputs: {} });
  expect(executes[0].reference).toMatch(/^pb_contoso_tickets_[0-9a-f]{4}$/);
  await page.screenshot({ path: 'screenshots/dynamic-values-1280.png' });

  await list.getByRole('option', { name: /Sales/ }).click();
  await expect(list).toBeHidden();
  await expect(queue).toHaveValue('q2');
  // Opening again with the same inputs shows the options without asking again; the keyboard
  // opens it too, and Escape closes only the list.
  await queue.focus();
  await page.keyboard.press('ArrowDown');
  await expect(list.getByRole('option')).toHaveCount(2);
  expect(executes).toHaveLength(1);
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  await expect(dialog).toBeVisible();

  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(d.steps).toHaveCount(1);
  await d.steps.first().dblclick();
  await expect(d.dialog('List tickets').getByRole('combobox', { name: 'Queue' })).toHaveValue('q2');
});

test('a connection the service refuses: the list shows the service\'s error, never the key', async ({ page, baseURL }) => {
  const { dialog, show } = await setUp(page, baseURL!, 'ck_wrong_key_77');
  await show.click();
  const alert = dialog.getByRole('alert').filter({ hasText: 'answered HTTP 401' });
  await expect(alert).toHaveText('Contoso Tickets answered HTTP 401 to ListQueues: invalid key ***');
  await expect(dialog).not.toContainText('ck_wrong_key_77');
  await expect(dialog.getByRole('listbox', { name: 'Values for Queue' })).toHaveCount(0);
  // "Try again" asks again (and fails again: the key is still wrong).
  const executes = page.waitForRequest('**/api/environments/*/execute');
  await dialog.getByRole('button', { name: 'Try again' }).click();
  await executes;
  await expect(alert).toBeVisible();
});

test('a typed %variable% is kept: the combobox still takes any text', async ({ page, baseURL }) => {
  const { d, dialog, queue } = await setUp(page, baseURL!, FIXTURE_CREDENTIALS.contosoKey);
  await queue.fill('%QueueId%');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await d.steps.first().dblclick();
  await expect(d.dialog('List tickets').getByRole('combobox', { name: 'Queue' })).toHaveValue('%QueueId%');
});
