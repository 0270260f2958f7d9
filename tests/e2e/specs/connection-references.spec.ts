// The seed document's journeys: cloud connector actions bound to connection references through
// the socket icon, "Add new connection reference", environments and deployment settings.
import { expect, test, type Page } from '../fixtures';
import { Designer } from '../pages/designer';
import { Client, makeEnvironment, makeUser, owner, signInPage, unique } from '../pages/proxy';

const CONTOSO = 'contoso-tickets';

/** Sign in as a new user who belongs to new environments named `envs`; open the designer. */
async function setUp(page: Page, baseURL: string, envs: string[]) {
  const admin = await owner(baseURL);
  const user = await makeUser(admin, 'maker', 'Mia Maker');
  const environments = [];
  for (const e of envs) environments.push(await makeEnvironment(admin, e, [user]));
  await signInPage(page, user);
  const d = new Designer(page);
  await d.open();
  await d.useEnvironment(environments[0].name);
  const client = await Client.signIn(baseURL, user.username, user.password);
  return { admin, user, d, environments, client };
}

test('@postgres the seed journey: prompted for a reference, created with a new connection, preselected next time; environments, binding, deployment settings', async ({ page, baseURL }) => {
  const { d, environments, client } = await setUp(page, baseURL!, ['Development', 'Production', 'Test']);
  const [dev, prod, test3] = environments;
  // Another connector's reference in the same environment: never offered for Contoso actions.
  await client.call('POST', `/api/environments/${dev.id}/references`, { display_name: 'Fabrikam CRM', connector_id: 'fabrikam-crm' });

  // No compatible reference yet: adding the action first asks for one.
  await d.addConnectorAction('Contoso Tickets', 'Create a ticket');
  const add = d.dialog('Add new connection reference');
  await expect(add).toBeVisible();
  await expect(add).toContainText('Contoso Tickets needs a connection reference in ' + dev.name);
  await expect(add.getByLabel('Display name')).toHaveValue('Contoso Tickets');
  const logical = await add.getByLabel('Logical name').inputValue();
  expect(logical).toMatch(/^pb_contoso_tickets_[0-9a-f]{4}$/);
  await expect(add.getByRole('radio', { name: 'Create a new connection' })).toBeChecked();
  await add.getByLabel('Connection name').fill('Support desk');
  const key = add.getByLabel('API key');
  await expect(key).toHaveAttribute('type', 'password');
  await key.fill('ck_live_secret_1234');
  await add.getByRole('button', { name: 'Create' }).click();
  await expect(add).toBeHidden();

  // The action opens with the new reference selected on its socket.
  const dialog = d.dialog('Create a ticket');
  await expect(dialog).toBeVisible();
  // Inputs from the operation: the required one first, the advanced one collapsed.
  await expect(dialog.locator('.field label').first()).toHaveText('Title');
  await expect(dialog.getByLabel('Description', { exact: true })).toBeHidden();
  await expect(dialog.getByRole('button', { name: 'Connection reference' })).toContainText('Contoso Tickets');
  await expect(dialog.getByRole('button', { name: 'Connection reference' })).toContainText(logical);
  await dialog.getByLabel('Title', { exact: true }).fill('Printer on fire');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(d.steps).toHaveCount(1);

  // A second action of the same connector gets the reference preselected, no prompt.
  await d.addConnectorAction('Contoso Tickets', 'Get a ticket');
  const get = d.dialog('Get a ticket');
  await expect(get.getByRole('button', { name: 'Connection reference' })).toContainText(logical);
  await get.getByLabel('Ticket ID', { exact: true }).fill('42');
  await get.getByRole('button', { name: 'Save' }).click();
  await expect(d.steps).toHaveCount(2);

  // The picker lists the compatible references only; add one wrapping the existing connection.
  await d.line(2).dblclick();
  await get.getByRole('button', { name: 'Connection reference' }).click();
  const picker = d.dialog('Select a connection reference');
  await expect(picker.getByRole('option')).toHaveCount(1);
  await expect(picker.getByRole('option').first()).toContainText('Support desk');
  await expect(picker.getByRole('option').first()).toContainText('Connected');
  await expect(picker).not.toContainText('Fabrikam');
  await picker.getByRole('button', { name: 'Add new connection reference' }).click();
  await expect(add).toBeVisible();
  await add.getByLabel('Display name').fill('Contoso Tickets (escalations)');
  await expect(add.getByRole('radio', { name: 'Use an existing connection' })).toBeChecked();
  await expect(add.getByRole('radiogroup', { name: 'Existing connections' })).toContainText('Support desk');
  await add.getByRole('button', { name: 'Create' }).click();
  await expect(add).toBeHidden();
  await expect(get.getByRole('button', { name: 'Connection reference' })).toContainText('Contoso Tickets (escalations)');
  await get.getByRole('button', { name: 'Save' }).click();
  await expect(get).toBeHidden();

  // The references pane lists both with their usages.
  const pane = d.references;
  await expect(pane.getByRole('listitem')).toHaveCount(2);
  const first = pane.getByRole('listitem').filter({ hasText: logical });
  await expect(first.getByRole('button', { name: 'Step 1' })).toBeVisible();
  // "Change" points every usage of one reference at another: one undoable step.
  await first.getByRole('button', { name: 'Change' }).click();
  await expect(picker.getByRole('option')).toHaveCount(2);
  await picker.getByRole('option', { name: /escalations/ }).click();
  await expect(pane.getByRole('listitem')).toHaveCount(1);
  await expect(pane.getByRole('listitem')).toContainText('Contoso Tickets (escalations)');
  await expect(pane.getByRole('button', { name: 'Step 2' })).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(pane.getByRole('listitem')).toHaveCount(2);
  // Setting a step's reference in its dialog is undoable too.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(pane.getByRole('listitem')).toHaveCount(1);
  await expect(pane.getByRole('listitem').first()).toContainText(logical);
  await expect(pane.getByRole('button', { name: 'Step 2' })).toBeVisible();
  await pane.getByRole('button', { name: 'Step 2' }).click();
  await expect(d.line(2)).toHaveClass(/selected/);
  await expect(d.errors.getByRole('button')).toHaveCount(0);

  // Another environment: the reference does not exist there; the Errors panel says so per step.
  await d.useEnvironment(prod.name);
  await expect(d.errors).toContainText(`Connection reference ${logical} does not exist in ${prod.name}`);
  await expect(d.errors.getByRole('button')).toHaveCount(2);
  // The pane names what the reference is for (its connector) and that it is not here.
  await expect(pane.locator('.ref-item .ref-title')).toHaveText('Contoso Tickets');
  await expect(pane.locator('.ref-item')).toContainText(logical);
  await expect(pane.locator('.ref-item .status-badge')).toHaveText(`Not in ${prod.name}`);
  await expect(pane.locator('.ref-item .status-badge')).toHaveAttribute('title', `Not in ${prod.name}`);
  // An unbound reference of that logical name there: "has no connection".
  await client.call('POST', `/api/environments/${prod.id}/references`, { display_name: 'Contoso (prod)', connector_id: CONTOSO, logical_name: logical });
  await d.useEnvironment(dev.name);
  await d.useEnvironment(prod.name);
  await expect(d.errors).toContainText(`Connection reference Contoso (prod) (${logical}) has no connection in ${prod.name}`);
  // Bind it from the pane: one change for every step that uses it.
  await pane.getByRole('button', { name: 'Choose connection' }).click();
  const bind = d.dialog('Bind connection reference');
  await expect(bind.getByLabel('Logical name')).toHaveValue(logical);
  await bind.getByRole('button', { name: 'Bind' }).click();
  await expect(bind).toBeHidden();
  await expect(d.errors.getByRole('button')).toHaveCount(0);
  await expect(pane).toContainText('Support desk');

  // Deployment settings: export from Development, import into Test: bound there too.
  await d.useEnvironment(dev.name);
  const download = page.waitForEvent('download');
  await pane.getByRole('button', { name: 'Export deployment settings' }).click();
  const file = await (await download).path();
  const settings = JSON.parse(require('fs').readFileSync(file, 'utf8'));
  expect(settings.ConnectionReferences).toHaveLength(1);
  expect(settings.ConnectionReferences[0]).toMatchObject({ LogicalName: logical, ConnectorId: CONTOSO });
  expect(JSON.stringify(settings)).not.toContain('ck_live_secret');

  await d.useEnvironment(test3.name);
  await expect(d.errors).toContainText(`does not exist in ${test3.name}`);
  await page.getByLabel('Deployment settings file').setInputFiles(file);
  await expect(page.getByRole('status')).toContainText(`Imported deployment settings into ${test3.name}`);
  await expect(d.errors.getByRole('button')).toHaveCount(0);
  await expect(pane).toContainText('Support desk');

  // The secret typed once never comes back to the browser.
  expect(await page.content()).not.toContain('ck_live_secret');
  const stored = await page.evaluate(() => JSON.stringify(localStorage));
  expect(stored).not.toContain('ck_live_secret');
});

test("another user's unshared connection never appears in the pickers; a shared one does", async ({ page, baseURL }) => {
  const admin = await owner(baseURL!);
  const mia = await makeUser(admin, 'mia', 'Mia Maker');
  const sam = await makeUser(admin, 'sam', 'Sam Sharer');
  const env = await makeEnvironment(admin, 'Shared', [mia, sam]);
  const samClient = await Client.signIn(baseURL!, sam.username, sam.password);
  const secret = await samClient.call('POST', '/api/connections', { connector_id: CONTOSO, display_name: "Sam's private desk", values: { api_key: 'k1' } });
  const shared = await samClient.call('POST', '/api/connections', { connector_id: CONTOSO, display_name: "Sam's team desk", values: { api_key: 'k2' } });
  await samClient.call('PUT', `/api/connections/${shared.id}/shares/${mia.id}`);
  expect(secret.id).not.toEqual(shared.id);

  await signInPage(page, mia);
  const d = new Designer(page);
  await d.open();
  await d.useEnvironment(env.name);
  await d.addConnectorAction('Contoso Tickets', 'Create a ticket');
  const add = d.dialog('Add new connection reference');
  await expect(add.getByRole('radio', { name: 'Use an existing connection' })).toBeChecked();
  const existing = add.getByRole('radiogroup', { name: 'Existing connections' });
  await expect(existing).toContainText("Sam's team desk");
  await expect(existing).toContainText('Shared by Sam Sharer');
  await expect(existing).not.toContainText("Sam's private desk");
  await add.getByRole('button', { name: 'Cancel' }).click();
  await expect(add).toBeHidden();
  await expect(d.steps).toHaveCount(0);
});

test('signing in from the designer, then the connector action continues', async ({ page, baseURL }) => {
  const admin = await owner(baseURL!);
  const user = await makeUser(admin, 'late', 'Lee Late');
  await makeEnvironment(admin, unique('Env'), [user]);
  const d = new Designer(page);
  await d.open();
  await d.addConnectorAction('Contoso Tickets', 'Create a ticket');
  const signIn = d.dialog('Sign in');
  await expect(signIn).toBeVisible();
  await signIn.getByLabel('User name').fill(user.username);
  await signIn.getByLabel('Password').fill('wrong-password');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(signIn.getByRole('alert').filter({ hasText: 'not right' })).toBeVisible();
  await signIn.getByLabel('Password').fill(user.password);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(signIn).toBeHidden();
  await expect(d.dialog('Add new connection reference')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(d.dialog('Add new connection reference')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Lee Late' })).toBeVisible();
});

test('a deployment settings file that is not one, or names a connection the user may not use, changes nothing', async ({ page, baseURL }) => {
  const { d, environments, client } = await setUp(page, baseURL!, ['Imports']);
  const [env] = environments;
  const conn = await client.call('POST', '/api/connections', { connector_id: CONTOSO, display_name: 'Desk', values: { api_key: 'k' } });
  const ref = await client.call('POST', `/api/environments/${env.id}/references`, { display_name: 'Desk', connector_id: CONTOSO, connection_id: conn.id });
  // A flow that uses the reference, opened from a file.
  const flow = {
    schema: 1, id: '3d0c7b52-5a43-4a0e-9d1f-2f6a1b7c9e10', name: 'Imported tickets',
    subflows: [{ name: 'Main', steps: [{ id: '8b2f9a66-0c1d-4e7a-b3c2-9d8e7f6a5b41', action: 'connector:contoso-tickets/GetTicket', inputs: { id: '7' }, reference: ref.logical_name }] }],
  };
  await page.getByRole('button', { name: 'Flows' }).click();
  await page.getByLabel('Import flow file').setInputFiles({ name: 'flow.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(flow)) });
  await expect(d.line(1)).toContainText('Get a ticket');
  await expect(d.references.getByRole('listitem')).toContainText('Desk');

  await page.getByLabel('Deployment settings file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"ConnectionReferences": [ {"LogicalName": 3} ]}') });
  await expect(page.getByRole('status')).toContainText('Cannot import bad.json: not a deployment settings file (line 1');

  const settings = { ConnectionReferences: [
    { LogicalName: 'pb_contoso_new_0001', ConnectionId: conn.id, ConnectorId: CONTOSO },
    { LogicalName: ref.logical_name, ConnectionId: 'no-such-connection', ConnectorId: CONTOSO },
  ] };
  await page.getByLabel('Deployment settings file').setInputFiles({ name: 'settings.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(settings)) });
  await expect(page.getByRole('status')).toContainText(`Nothing was imported into ${env.name}: ${ref.logical_name}:`);
  const refs = await client.call('GET', `/api/environments/${env.id}/references`);
  expect(refs.map((r: any) => r.logical_name)).toEqual([ref.logical_name]);
  expect(refs[0].connection_id).toEqual(conn.id);
});

test('look: socket, picker, Add new connection reference, references pane, at 1280 and 1024 pixels, light and dark', async ({ page, baseURL }) => {
  const { d, environments, client } = await setUp(page, baseURL!, ['Look', 'Look prod']);
  const [env, prod] = environments;
  const conn = await client.call('POST', '/api/connections', { connector_id: CONTOSO, display_name: 'Support desk', values: { api_key: 'k' } });
  await client.call('POST', `/api/environments/${env.id}/references`, { display_name: 'Contoso Tickets', connector_id: CONTOSO, connection_id: conn.id });
  await client.call('POST', `/api/environments/${env.id}/references`, { display_name: 'Contoso (unbound)', connector_id: CONTOSO });
  const shot = (name: string) => page.screenshot({ path: `screenshots/references-${name}.png` });
  for (const [width, scheme] of [[1280, 'light'], [1024, 'dark']] as const) {
    await page.setViewportSize({ width, height: 800 });
    await page.emulateMedia({ colorScheme: scheme });
    await d.useEnvironment(env.name);
    await d.addConnectorAction('Contoso Tickets', 'Create a ticket');
    const dialog = d.dialog('Create a ticket');
    // No reference used before: the one whose connection works is preselected.
    await expect(dialog.getByRole('button', { name: 'Connection reference' })).toContainText('Contoso Tickets');
    await shot(`dialog-${width}-${scheme}`);
    await dialog.getByRole('button', { name: 'Connection reference' }).click();
    const picker = d.dialog('Select a connection reference');
    await expect(picker.getByRole('option')).toHaveCount(2);
    await shot(`picker-${width}-${scheme}`);
    await picker.getByRole('button', { name: 'Add new connection reference' }).click();
    const add = d.dialog('Add new connection reference');
    await add.getByRole('radio', { name: 'Create a new connection' }).check();
    await add.getByRole('button', { name: 'Create' }).click();
    await expect(add.getByText('“API key” is required')).toBeVisible();
    await shot(`add-${width}-${scheme}`);
    await add.getByRole('button', { name: 'Cancel' }).click();
    await dialog.getByLabel('Title', { exact: true }).fill('Look');
    await dialog.getByRole('button', { name: 'Save' }).click();
    // The pane follows the flow once edits settle.
    await expect(d.variables).toContainText(width === 1280 ? 'Response' : 'Response2');
    await d.useEnvironment(prod.name);
    await expect(d.errors).toContainText('does not exist in');
    await shot(`pane-${width}-${scheme}`);
  }
});

test('an input whose values the service lists says where they come from', async ({ page, baseURL }) => {
  const { d, environments, client } = await setUp(page, baseURL!, ['Dynamic']);
  await client.call('POST', `/api/environments/${environments[0].id}/references`, { display_name: 'Desk', connector_id: CONTOSO });
  await d.addConnectorAction('Contoso Tickets', 'List tickets');
  const dialog = d.dialog('List tickets');
  await expect(dialog.getByRole('button', { name: 'Connection reference' })).toContainText('Desk');
  await expect(dialog).toContainText('Values come from “List queues” of Contoso Tickets: pick one, or type one or a %variable%.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(d.steps).toHaveCount(0);
});
