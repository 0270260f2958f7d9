// Share links (issue 12): a flow shared as a link by one user and opened as a copy by another,
// with its connection references mapped in the opener's environment; short links (encrypted in
// the browser, stored by the proxy as ciphertext); bad links refused with the flow unchanged;
// names and inputs from a link shown as text.
import { expect, test, type Browser, type Page } from '../fixtures';
import { deflateRawSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { Designer } from '../pages/designer';
import { Client, FIXTURE_CREDENTIALS, makeEnvironment, makeUser, owner, signInPage, type Account } from '../pages/proxy';
import { generated, seedFlow, Sharing } from '../pages/share';

const CONTOSO = 'contoso-tickets';
const FABRIKAM = 'fabrikam-crm';

// Markup, script URLs, right-to-left override and zero-width characters: shown as typed.
const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">\u202Eflow\u200B';
const HOSTILE_INPUT = '"><svg onload="window.__pwned=2">';
const SCRIPT_URL = 'javascript:window.__pwned=3';

/** A signed-in page of `user` in its own browser context (own cookies and storage). */
async function pageOf(browser: Browser, user: Account): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInPage(page, user);
  return page;
}

/** The shared flow as the sharer builds it: standard actions and one action of each fixture connector. */
async function buildFlow(d: Designer, page: Page) {
  await d.add('Set variable', { Value: HOSTILE_INPUT });
  await d.add('Display message', { 'Message to display': `${SCRIPT_URL} Ada \u200Bفاطمة` });
  await d.addConnectorAction('Contoso Tickets', 'Get a ticket');
  const get = d.dialog('Get a ticket');
  await get.getByLabel('Ticket ID', { exact: true }).fill('t1');
  await get.getByRole('button', { name: 'Save' }).click();
  await expect(get).toBeHidden();
  await d.addConnectorAction('Fabrikam CRM', 'Find contacts');
  const find = d.dialog('Find contacts');
  // What the fixture service answers (right-to-left and zero-width text is in the message).
  await find.getByLabel('Search text', { exact: true }).fill('plugboard');
  await find.getByRole('button', { name: 'Save' }).click();
  await expect(find).toBeHidden();
  await page.getByRole('button', { name: /^Flow name:/ }).click();
  await page.getByRole('textbox', { name: 'Flow name' }).fill(HOSTILE_NAME);
  await page.keyboard.press('Enter');
  await expect(d.steps).toHaveCount(4);
}

test('@postgres user A shares a flow with connector actions; user B previews it, opens a copy, maps its references and runs it', async ({ browser, baseURL }) => {
  const admin = await owner(baseURL!);
  const ann = await makeUser(admin, 'ann', 'Ann Author');
  const bob = await makeUser(admin, 'bob', 'Bob Borrower');
  const envA = await makeEnvironment(admin, 'Authoring', [ann]);
  const envB = await makeEnvironment(admin, 'Borrowing', [bob]);
  const { contosoKey, fabrikam } = FIXTURE_CREDENTIALS;

  // Ann's environment has a reference for each connector, bound to her connections.
  const annApi = await Client.signIn(baseURL!, ann.username, ann.password);
  const annDesk = await annApi.call('POST', '/api/connections', { connector_id: CONTOSO, display_name: "Ann's desk", values: { api_key: contosoKey } });
  const annCrm = await annApi.call('POST', '/api/connections', { connector_id: FABRIKAM, display_name: "Ann's CRM", values: fabrikam });
  const tickets = await annApi.call('POST', `/api/environments/${envA.id}/references`, { display_name: 'Support tickets', connector_id: CONTOSO, connection_id: annDesk.id });
  const crmName = 'Customer CRM <img src=x onerror="window.__pwned=4">';
  const crm = await annApi.call('POST', `/api/environments/${envA.id}/references`, { display_name: crmName, connector_id: FABRIKAM, connection_id: annCrm.id });

  const pageA = await pageOf(browser, ann);
  const a = new Designer(pageA);
  await a.open();
  await a.useEnvironment(envA.name);
  await buildFlow(a, pageA);
  const linesA = await a.lines();
  const link = await new Sharing(pageA).link();
  expect(link.startsWith(`${baseURL}/#/s/pb1.`)).toBeTruthy();
  expect(await new Sharing(pageA).shownLength()).toBe(link.length);
  // Nothing about connections or secrets in the link.
  for (const secret of [annDesk.id, annCrm.id, contosoKey, fabrikam.password, ann.id]) expect(link).not.toContain(secret);

  // Bob: his own contoso reference (another logical name), no Fabrikam one.
  const bobApi = await Client.signIn(baseURL!, bob.username, bob.password);
  const bobDesk = await bobApi.call('POST', '/api/connections', { connector_id: CONTOSO, display_name: "Bob's desk", values: { api_key: contosoKey } });
  await bobApi.call('POST', `/api/environments/${envB.id}/references`, { display_name: 'Bob tickets', connector_id: CONTOSO, connection_id: bobDesk.id });

  const pageB = await pageOf(browser, bob);
  const b = new Designer(pageB);
  await b.open();
  await b.useEnvironment(envB.name);
  await b.add('Wait', { 'Duration (seconds)': '1' });
  const own = await b.lines();
  await pageB.goto(link);
  const sb = new Sharing(pageB);
  await expect(sb.preview).toBeVisible();
  // The fragment is cleared: a reload does not open the link again.
  await expect(pageB).toHaveURL(`${baseURL}/`);
  await expect(sb.preview.locator('.preview-name')).toHaveText(HOSTILE_NAME);
  const preview = sb.preview.getByRole('region', { name: 'Preview' });
  await expect(preview.getByRole('listitem')).toHaveCount(4);
  await expect(preview).toContainText(HOSTILE_INPUT);
  await expect(preview).toContainText(SCRIPT_URL);
  await expect(preview).toContainText('Get a ticket');
  await expect(preview).toContainText('Find contacts');
  const connectors = sb.preview.getByRole('list', { name: 'Connectors' });
  await expect(connectors.getByRole('listitem').filter({ hasText: 'Contoso Tickets' })).toContainText('Available');
  await expect(connectors.getByRole('listitem').filter({ hasText: 'Fabrikam CRM' })).toContainText('Available');
  const refs = sb.preview.getByRole('list', { name: 'Connection references' });
  await expect(refs).toContainText('Support tickets');
  await expect(refs).toContainText(tickets.logical_name);
  await expect(refs).toContainText(crmName);
  await expect(refs).toContainText(crm.logical_name);
  // The preview replaced nothing: Bob's flow is still open under it.
  expect(await b.lines()).toEqual(own);

  await sb.preview.getByRole('button', { name: 'Open a copy' }).click();
  await expect(sb.preview).toBeHidden();
  await expect(sb.mapping).toBeVisible();
  expect(await b.lines()).toEqual(linesA);
  await expect(sb.reference(tickets.logical_name)).toContainText(`Not in ${envB.name}`);
  await expect(sb.reference(crm.logical_name)).toContainText(`Not in ${envB.name}`);
  // Nothing was bound by itself: the Errors panel names both references.
  await expect(b.errors).toContainText(`Connection reference ${tickets.logical_name} does not exist in ${envB.name}`);

  // Contoso: use Bob's existing compatible reference instead (every usage rewritten).
  await sb.reference(tickets.logical_name).getByRole('button', { name: 'Use another reference' }).click();
  const picker = b.dialog('Select a connection reference');
  await picker.getByRole('option', { name: /Bob tickets/ }).click();
  await expect(picker).toBeHidden();
  await expect(sb.reference('Bob tickets')).toContainText('Kept');
  // Fabrikam: create the same logical name here with a new connection.
  await sb.reference(crm.logical_name).getByRole('button', { name: 'Create reference' }).click();
  const bind = b.dialog('Bind connection reference');
  await expect(bind.getByLabel('Logical name')).toHaveValue(crm.logical_name);
  await bind.getByRole('radio', { name: 'Create a new connection' }).check();
  await bind.getByLabel('Connection name').fill("Bob's CRM");
  await bind.getByLabel('Username').fill(fabrikam.username);
  await bind.getByLabel('Password').fill(fabrikam.password);
  await bind.getByRole('button', { name: 'Bind' }).click();
  await expect(bind).toBeHidden();
  await expect(sb.reference(crm.logical_name)).toContainText('Kept');
  await sb.mapping.getByRole('button', { name: 'Done' }).click();
  await expect(sb.mapping).toBeHidden();

  // The copy is a new flow beside Bob's own, ready to run: no problem left.
  await expect(b.errors.getByRole('button')).toHaveCount(0);
  await pageB.getByRole('button', { name: 'Flows', exact: true }).click();
  const menu = pageB.getByRole('menu', { name: 'Flows' });
  await expect(menu.getByRole('menuitemradio')).toHaveCount(2);
  await expect(menu.getByRole('menuitemradio', { checked: true })).toHaveText(HOSTILE_NAME);
  await pageB.keyboard.press('Escape');
  // Bob runs the copy: its message shows as text, and both connector actions answer through
  // his connections.
  await b.runButton('Run').click();
  const shown = pageB.getByRole('dialog').filter({ hasText: SCRIPT_URL });
  await expect(shown).toBeVisible();
  await shown.getByRole('button', { name: 'OK' }).click();
  await expect(b.runStatus).toHaveText('Flow run succeeded');
  await expect(b.runLog).toContainText('Get a ticket');
  await expect(b.runLog).toContainText('Find contacts');
  // Nothing from the link ran as markup or script.
  for (const p of [pageA, pageB]) expect(await p.evaluate(() => (window as any).__pwned)).toBeUndefined();
  await pageA.context().close();
  await pageB.context().close();
});

test('@postgres a long flow gets a short link that round-trips; the proxy stores no readable step', async ({ browser, baseURL }) => {
  const admin = await owner(baseURL!);
  const ann = await makeUser(admin, 'ann', 'Ann Author');
  const flow = generated(1000);
  const marker = 'Zanzibar-lighthouse-7731';
  flow.subflows[0].steps[0] = { id: flow.subflows[0].steps[0].id, action: 'flow.comment', inputs: { comment: marker } };
  flow.name = 'Quarterly report';
  const pageA = await pageOf(browser, ann);
  await seedFlow(pageA, flow);
  const a = new Designer(pageA);
  await a.open();
  await expect(a.flow.getByText('1000 actions')).toBeVisible();
  const s = new Sharing(pageA);
  const long = await s.link();
  expect(long.length).toBeGreaterThan(2000);
  await expect(s.share).toContainText('Longer than 2000 characters');
  const short = await s.shortLink();
  expect(short.startsWith(`${baseURL}/#/k/`)).toBeTruthy();
  expect(short.length).toBeLessThan(100);

  // What the proxy holds: ciphertext without the flow's name or any step's text.
  const [id, key] = short.split('#/k/')[1].split('.');
  const stored = await (await pageA.request.get(`/api/shares/${id}`)).json();
  const bytes = Buffer.from(stored.ciphertext, 'base64url');
  for (const text of [marker, 'Quarterly report', 'Step 3: a note', 'pb1.']) {
    expect(bytes.includes(Buffer.from(text))).toBeFalsy();
    expect(stored.ciphertext).not.toContain(text);
  }
  expect(stored.ciphertext).not.toContain(key);

  // Another browser, signed out: the short link opens the same flow.
  const context = await browser.newContext();
  const pageB = await context.newPage();
  await pageB.goto(short);
  const sb = new Sharing(pageB);
  await expect(sb.preview).toBeVisible();
  await expect(sb.preview.locator('.preview-name')).toHaveText('Quarterly report');
  await expect(sb.preview).toContainText('1000 actions');
  await expect(sb.preview.getByRole('region', { name: 'Preview' })).toContainText(marker);
  await sb.preview.getByRole('button', { name: 'Open a copy' }).click();
  await expect(new Designer(pageB).flow.getByText('1000 actions')).toBeVisible();

  // A changed key, an unknown id: each says so.
  // Another key of the same form (its last character carries no data, so it stays canonical).
  const changed = key[20] === 'A' ? 'B' : 'A';
  await pageB.goto(`${baseURL}/#/k/${id}.${key.slice(0, 20)}${changed}A`);
  await expect(sb.refused).toContainText('key in this link does not open');
  await sb.refused.getByRole('button', { name: 'Close' }).click();
  const other = id.startsWith('A') ? 'B' + id.slice(1) : 'A' + id.slice(1);
  await pageB.goto(`${baseURL}/#/k/${other}.${key}`);
  await expect(sb.refused).toContainText('no shared flow has this id');
  await pageA.context().close();
  await context.close();
});

test('bad links are refused with a reason and change nothing', async ({ page, baseURL }) => {
  const d = new Designer(page);
  await d.open();
  await d.add('Set variable', { Value: 'mine' });
  const s = new Sharing(page);
  const good = (await s.link()).split('#/s/')[1];
  await s.close();
  const lines = await d.lines();
  // A flow that inflates to 64 MiB from a few kilobytes: refused while inflating.
  const bomb = 'pb1.' + deflateRawSync(Buffer.alloc(64 * 1024 * 1024)).toString('base64url');
  const bad: [string, string | RegExp][] = [
    [good.slice(0, good.length - 6), 'incomplete'],
    // A changed character inside the compressed data: the checksum or the data gives it away
    // (deflate may also see an early end: then it reads as incomplete).
    [good.slice(0, 10) + (good[10] === 'x' ? 'y' : 'x') + good.slice(11), /damaged|incomplete/],
    [good.slice(0, 12) + '*' + good.slice(13), 'cannot be part of a link'],
    ['pb9.' + good.slice(4), 'newer version of Plugboard'],
    ['hello', 'not a Plugboard flow link'],
    [bomb, 'larger than the limit'],
  ];
  for (const [payload, says] of bad) {
    await page.goto(`${baseURL}/#/s/${payload}`);
    await expect(s.refused).toBeVisible();
    await expect(s.refused).toContainText(says);
    await expect(s.refused).toContainText('Nothing was changed');
    await s.refused.getByRole('button', { name: 'Close' }).click();
    await expect(s.refused).toBeHidden();
    expect(await d.lines()).toEqual(lines);
  }
  await page.getByRole('button', { name: 'Flows', exact: true }).click();
  await expect(page.getByRole('menu', { name: 'Flows' }).getByRole('menuitemradio')).toHaveCount(1);
});

test('a link or a file naming a connector this proxy lacks opens; the action shows as unknown and blocks Run', async ({ page, baseURL }) => {
  const admin = await owner(baseURL!);
  const cy = await makeUser(admin, 'cy', 'Cy Copier');
  const env = await makeEnvironment(admin, 'Lacking', [cy]);
  const flow = generated(3);
  flow.name = 'From elsewhere';
  flow.subflows[0].steps.push({ id: '00000000-0000-4000-8000-0000000000aa', action: 'connector:nowhere-crm/FindPeople', inputs: { q: 'x' }, reference: 'pb_nowhere_crm_1a2b' });
  await seedFlow(page, flow);
  await signInPage(page, cy);
  const d = new Designer(page);
  await d.open();
  await d.useEnvironment(env.name);
  const s = new Sharing(page);
  const link = await s.link();
  await s.close();

  // Opened from the link: the preview names what this proxy lacks.
  await page.goto(link);
  await expect(s.preview).toBeVisible();
  const connectors = s.preview.getByRole('list', { name: 'Connectors' });
  await expect(connectors.getByRole('listitem').filter({ hasText: 'nowhere-crm' })).toContainText('Not on this proxy');
  await expect(s.preview.getByRole('list', { name: 'Connection references' })).toContainText('pb_nowhere_crm_1a2b');
  await s.preview.getByRole('button', { name: 'Open a copy' }).click();
  // Its reference is missing here: asked, not bound; skipping leaves the Errors panel naming it.
  await expect(s.mapping).toBeVisible();
  await expect(s.reference('pb_nowhere_crm_1a2b')).toContainText(`Not in ${env.name}`);
  await s.mapping.getByRole('button', { name: 'Done' }).click();
  await expect(d.errors).toContainText('Unknown action: this proxy has no action "FindPeople" of connector "nowhere-crm"');
  await expect(d.errors).toContainText(`Connection reference pb_nowhere_crm_1a2b does not exist in ${env.name}`);
  await expect(d.steps).toHaveCount(4);

  // The same flow as a file: imported, then the same mapping dialog.
  await page.getByLabel('Import flow file').setInputFiles({ name: 'elsewhere.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(flow)) });
  await expect(s.mapping).toBeVisible();
  await expect(s.reference('pb_nowhere_crm_1a2b')).toBeVisible();
  await s.mapping.getByRole('button', { name: 'Done' }).click();
  await expect(d.errors).toContainText('Unknown action: this proxy has no action "FindPeople"');
});

test('pasted steps naming a reference this environment lacks go through "Map connection references"', async ({ page, baseURL }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const admin = await owner(baseURL!);
  const user = await makeUser(admin, 'paster', 'Pat Paster');
  const env = await makeEnvironment(admin, 'Pasting', [user]);
  await signInPage(page, user);
  const d = new Designer(page);
  await d.open();
  await d.useEnvironment(env.name);
  const logical = 'pb_elsewhere_tickets_1a2b';
  const clip = {
    schema: 1, id: randomUUID(), name: 'Clip',
    subflows: [{ name: 'Main', steps: [{ id: randomUUID(), action: `connector:${CONTOSO}/GetTicket`, inputs: { id: 't1' }, outputs: { body: 'Ticket' }, reference: logical, children: [] }] }],
  };
  await page.evaluate((t) => navigator.clipboard.writeText(t), JSON.stringify(clip));
  await d.flow.getByLabel('Flow steps').focus();
  await page.keyboard.press('Control+v');
  await expect(d.steps).toHaveCount(1);
  const sb = new Sharing(page);
  await expect(sb.mapping).toBeVisible();
  await expect(sb.reference(logical)).toContainText(`Not in ${env.name}`);
  // Nothing was bound by itself: skipping leaves the Errors panel naming it.
  await sb.mapping.getByRole('button', { name: 'Done' }).click();
  await expect(sb.mapping).toBeHidden();
  await expect(d.errors).toContainText(`Connection reference ${logical} does not exist in ${env.name}`);
});
