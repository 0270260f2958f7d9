// The action library's cloud connectors (the shipped ones: HTTP, Office 365 Outlook, OneDrive for
// Business, SharePoint), its search over connector actions, and Favourites.
import { expect, test } from '../fixtures';
import { Designer } from '../pages/designer';
import { Client, makeUser, owner, signInPage } from '../pages/proxy';

const SEND = 'connector:office365outlook/SendEmailV2';

test('the catalog is fetched when Cloud connectors is first expanded, not at page load', async ({ page }) => {
  const d = new Designer(page);
  const catalogRequests = d.countCatalogRequests();
  await d.open();
  await page.waitForLoadState('networkidle');
  const cloud = d.branch('Cloud connectors');
  await expect(cloud).toHaveAttribute('aria-expanded', 'false');
  expect(catalogRequests()).toBe(0);

  await d.toggleBranch('Cloud connectors');
  await expect(cloud).toHaveAttribute('aria-expanded', 'true');
  const connectors = d.group('Cloud connectors');
  await expect(connectors.getByRole('treeitem', { name: 'Office 365 Outlook', exact: true })).toBeVisible();
  // One connector per folder (the shipped ones and the test connectors), by name; each
  // collapsed until opened.
  await expect(connectors.locator('> li.connector')).toHaveText([
    /^C\s*Contoso Tickets\s*3$/, /^F\s*Fabrikam CRM\s*2$/,
    /^H\s*HTTP\s*1$/, /^O\s*Office 365 Outlook\s*12$/, /^O\s*OneDrive for Business\s*11$/, /^S\s*SharePoint\s*11$/,
  ]);
  await d.toggleBranch('Office 365 Outlook');
  const outlook = d.group('Office 365 Outlook');
  await expect(outlook.getByRole('treeitem')).toHaveText([
    'Create event (V4)', 'Delete email (V2)', 'Flag email (V2)', 'Forward an email (V2)', 'Get contact (V2)',
    'Get contacts (V2)', 'Get email (V2)', 'Get emails (V3)', 'Get events (V4)', 'Move email (V2)',
    'Reply to email (V3)', 'Send an email (V2)',
  ]);
  // "List mail folders" is `x-ms-visibility: internal`: never offered.
  await expect(d.actions.getByRole('treeitem', { name: 'List mail folders' })).toHaveCount(0);
  await d.toggleBranch('SharePoint');
  await expect(d.connectorAction('SharePoint', 'Get items')).toBeVisible();
  await expect(d.actions.getByRole('treeitem', { name: 'List sites' })).toHaveCount(0);

  // Collapsing and expanding again does not fetch again.
  await d.toggleBranch('Cloud connectors');
  await expect(connectors).toBeHidden();
  await d.toggleBranch('Cloud connectors');
  await expect(d.connectorAction('Office 365 Outlook', 'Send an email (V2)')).toBeVisible();
  expect(catalogRequests()).toBe(1);
});

test('search shows matching connector actions under their connector, and whole connectors by name', async ({ page }) => {
  const d = new Designer(page);
  const catalogRequests = d.countCatalogRequests();
  await d.open();
  await d.search.fill('s');
  await expect(d.group('Variables')).toBeVisible();
  expect(catalogRequests(), 'one character does not search').toBe(0);

  await d.search.fill('send an email');
  await expect(d.connectorAction('Office 365 Outlook', 'Send an email (V2)')).toBeVisible();
  expect(catalogRequests()).toBe(1);
  await expect(d.group('Office 365 Outlook').getByRole('treeitem')).toHaveCount(1);
  await expect(d.group('Cloud connectors').locator('> li.connector')).toHaveCount(1);

  // Words match in any order, in the action's name or its connector's.
  await d.search.fill('outlook send');
  await expect(d.group('Office 365 Outlook').getByRole('treeitem')).toHaveText(['Send an email (V2)']);

  // A connector whose name matches shows whole; standard categories keep their own search.
  await d.search.fill('sharepoint');
  await expect(d.group('SharePoint').getByRole('treeitem')).toHaveText([
    'Create file', 'Create item', 'Delete item', 'Get file content', 'Get file metadata', 'Get item', 'Get items',
    'Get libraries', 'Get lists', 'List files in folder', 'Update item',
  ]);
  await d.search.fill('http');
  await expect(d.connectorAction('HTTP', 'Invoke an HTTP request')).toBeVisible();
  await expect(d.action('Invoke web service')).toBeVisible();

  await d.search.fill('mail folders');
  await expect(d.actions.getByText('No actions match “mail folders”.')).toBeVisible();
  await expect(d.branch('Cloud connectors')).toHaveCount(0);

  await d.search.fill('');
  await expect(d.branch('Cloud connectors')).toHaveAttribute('aria-expanded', 'false');
  expect(catalogRequests()).toBe(1);
});

test('loading and failure show inside the group; "Try again" fetches again', async ({ page }) => {
  const d = new Designer(page);
  let release = () => {};
  let calls = 0;
  await page.route('**/api/connectors', async (route) => {
    calls += 1;
    if (calls === 1) {
      await new Promise<void>((r) => { release = r; });
      await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'The catalog is warming up.' } }) });
    } else {
      await route.continue();
    }
  });
  await d.open();
  await d.toggleBranch('Cloud connectors');
  const group = d.group('Cloud connectors');
  await expect(group.getByText('Loading connectors…')).toBeVisible();
  release();
  await expect(group.getByText('Connectors could not be loaded: The catalog is warming up.')).toBeVisible();
  await group.getByRole('button', { name: 'Try again' }).click();
  await expect(group.getByRole('treeitem', { name: 'Office 365 Outlook', exact: true })).toBeVisible();
  expect(calls).toBe(2);
});

test('a starred action is listed in Favourites and stays there after a reload (signed out: this browser)', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await expect(d.branch('Favourites')).toHaveCount(0);
  await d.search.fill('send an email');
  const send = d.connectorAction('Office 365 Outlook', 'Send an email (V2)');
  await d.toggleFavourite(send);
  await expect(send.getByRole('button', { name: 'Remove from favourites' })).toHaveAttribute('aria-pressed', 'true');
  // Favourites are filtered by the search like everything else, and come first.
  await expect(d.group('Favourites').getByRole('treeitem', { name: 'Send an email (V2)' })).toBeVisible();
  await d.search.fill('');
  await d.toggleFavourite(d.action('Set variable'));
  const favourites = d.group('Favourites');
  await expect.poll(() => d.itemNames(favourites)).toEqual(['Send an email (V2)', 'Set variable']);
  expect(await page.evaluate(() => localStorage.getItem('plugboard.favourites')))
    .toBe(JSON.stringify({ actions: [SEND, 'variables.set'] }));

  await page.reload();
  await expect.poll(() => d.itemNames(favourites)).toEqual(['Send an email (V2)', 'Set variable']);
  await expect(d.actions.locator('[role=tree] > li').first()).toHaveAttribute('aria-label', 'Favourites');
  // A favourite adds like any other action.
  await favourites.getByRole('treeitem', { name: 'Set variable' }).dblclick();
  await expect(d.dialog('Set variable')).toBeVisible();
  await d.dialog('Set variable').getByRole('button', { name: 'Cancel' }).click();

  await d.toggleFavourite(favourites.getByRole('treeitem', { name: 'Send an email (V2)' }));
  await d.toggleFavourite(favourites.getByRole('treeitem', { name: 'Set variable' }));
  await expect(d.branch('Favourites')).toHaveCount(0);
  expect(await page.evaluate(() => localStorage.getItem('plugboard.favourites'))).toBe(JSON.stringify({ actions: [] }));
});

test('signed in, favourites are the user’s: kept by the proxy, not by this browser', async ({ page, browser, baseURL }) => {
  const admin = await owner(baseURL!);
  const ann = await makeUser(admin, 'ann', 'Ann');
  const bob = await makeUser(admin, 'bob', 'Bob');
  await signInPage(page, ann);
  const d = new Designer(page);
  await d.open();
  await expect(page.getByRole('button', { name: 'Ann' })).toBeVisible();
  const favourites = d.group('Favourites');
  await d.toggleFavourite(d.action('Set variable'));
  await d.search.fill('send an email');
  await d.toggleFavourite(d.connectorAction('Office 365 Outlook', 'Send an email (V2)'));
  await d.search.fill('');
  await expect.poll(() => d.itemNames(favourites)).toEqual(['Set variable', 'Send an email (V2)']);
  const client = await Client.signIn(baseURL!, ann.username, ann.password);
  await expect.poll(async () => (await client.call('GET', '/api/me/favourites')).actions).toEqual(['variables.set', SEND]);
  expect(await page.evaluate(() => localStorage.getItem('plugboard.favourites'))).toBeNull();
  // Reloaded, Ann's favourites come back from the proxy; Bob, in another browser, has none.
  await page.reload();
  await expect.poll(() => d.itemNames(d.group('Favourites'))).toEqual(['Set variable', 'Send an email (V2)']);
  const other = await browser.newPage();
  await signInPage(other, bob);
  const b = new Designer(other);
  await b.open();
  await expect(other.getByRole('button', { name: 'Bob' })).toBeVisible();
  await expect(b.branch('Favourites')).toHaveCount(0);
  await other.close();
});

test('a failed save or load of the favourites says so and keeps what the proxy has', async ({ page, baseURL }) => {
  const admin = await owner(baseURL!);
  const cy = await makeUser(admin, 'cy', 'Cy');
  await signInPage(page, cy);
  const d = new Designer(page);
  await d.open();
  await expect(page.getByRole('button', { name: 'Cy' })).toBeVisible();
  // The proxy is unavailable for the save: the star goes back.
  const unavailable = { status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'Try again later.' } }) };
  await page.route('**/api/me/favourites', (route) => route.request().method() === 'PUT' ? route.fulfill(unavailable) : route.continue());
  const set = d.action('Set variable');
  await d.toggleFavourite(set);
  await expect(page.getByRole('status')).toContainText('Favourites could not be saved: Try again later.');
  await expect(set.getByRole('button', { name: 'Add to favourites' })).toHaveAttribute('aria-pressed', 'false');
  await expect(d.branch('Favourites')).toHaveCount(0);
  await page.unroute('**/api/me/favourites');
  await page.route('**/api/me/favourites', (route) => route.fulfill(unavailable));
  await page.reload();
  await expect(page.getByRole('status')).toContainText('Favourites could not be loaded: Try again later.');
});

/** A catalog index larger than the shipped one: 120 connectors of 10 actions ("Widget action k"),
 * the first with a deprecated, an advanced and an internal action; odd ones have a white brand. */
function largeIndex() {
  const connectors = Array.from({ length: 120 }, (_, i) => ({
    id: `c${i}`,
    name: `Connector ${String(i).padStart(3, '0')}`,
    color: i % 2 ? '#ffffff' : '#0b5cad',
    actions: Array.from({ length: 10 }, (_, k) => ({ id: `Op${k}`, name: `Widget action ${k}` })),
  }));
  connectors[0].actions.push(
    { id: 'Old', name: 'Legacy export', deprecated: true } as any,
    { id: 'Tune', name: 'Tune settings', visibility: 'advanced' } as any,
    { id: 'Sync', name: 'Secret sync', visibility: 'internal' } as any,
  );
  return { connectors };
}

test('a large catalog: connectors a page at a time, a search draws a screenful and more on demand', async ({ page }) => {
  await page.route('**/api/connectors', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(largeIndex()) }));
  const d = new Designer(page);
  await d.open();
  await d.toggleBranch('Cloud connectors');
  const cloud = d.group('Cloud connectors');
  await expect(cloud.locator('> li.connector')).toHaveCount(100);
  await cloud.getByRole('button', { name: 'Show more connectors (100 of 120)' }).click();
  await expect(cloud.locator('> li.connector')).toHaveCount(120);
  await expect(cloud.getByRole('button', { name: /Show more/ })).toHaveCount(0);
  await expect(cloud.locator('li.connector[aria-label="Connector 001"] .conn-badge')).toHaveClass(/light/);

  // Browsing hides internal and deprecated actions; advanced ones say so.
  await d.toggleBranch('Connector 000');
  const first = d.group('Connector 000');
  await expect(first.getByRole('treeitem')).toHaveCount(11);
  await expect(first.getByRole('treeitem', { name: 'Tune settings' }).locator('.tag')).toHaveText('advanced');
  await expect(d.actions.getByRole('treeitem', { name: /Legacy export|Secret sync/ })).toHaveCount(0);

  // A search finds deprecated actions, marked so, and never internal ones.
  await d.search.fill('legacy');
  await expect(d.connectorAction('Connector 000', 'Legacy export (deprecated)').locator('.tag')).toHaveText('deprecated');
  await d.search.fill('secret');
  await expect(d.actions.getByText('No actions match “secret”.')).toBeVisible();

  // 1,200 actions match: a screenful is drawn, more as the list scrolls or on request, up to
  // the cap, which says how much was left out.
  await d.search.fill('widget');
  const rows = cloud.locator('li.action');
  await expect(rows.first()).toBeVisible();
  const drawn = await rows.count();
  expect(drawn).toBeGreaterThan(10);
  expect(drawn).toBeLessThan(60);
  // The button at the end draws more (dispatched: scrolling to it would draw more already).
  await cloud.getByRole('button', { name: 'Show more results' }).dispatchEvent('click');
  await expect.poll(() => rows.count()).toBeGreaterThan(drawn);
  const tree = d.actions.locator('.tree');
  await expect(async () => {
    await tree.evaluate((t) => t.scrollTo(0, t.scrollHeight));
    await expect(cloud.getByRole('button', { name: 'Show more results' })).toHaveCount(0, { timeout: 300 });
  }).toPass();
  await expect(rows).toHaveCount(200);
  await expect(cloud.getByText('Showing 200 of 1,200 actions — refine your search')).toBeVisible();
  // A new query starts again with a screenful, from the top.
  await d.search.fill('widget action 3');
  await expect(rows.first()).toHaveAttribute('aria-label', 'Widget action 3');
  expect(await rows.count()).toBeLessThan(drawn);
  expect(await tree.evaluate((t) => t.scrollTop)).toBe(0);
});

test('connector rows work from the keyboard, and keep the focus as they open and close', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.search.focus();
  await page.keyboard.press('Tab');
  await expect(d.branch('Favourites').or(d.branch('Variables')).locator('> .tree-row')).toBeFocused();
  await page.keyboard.press('End');
  const cloudRow = d.branch('Cloud connectors').locator('> .tree-row');
  await expect(cloudRow).toBeFocused();
  await page.keyboard.press('Enter');
  // The first connector (the test connectors sort before the shipped ones).
  const http = d.group('Cloud connectors').locator('li.connector[aria-label="Contoso Tickets"]');
  await expect(http).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(http.locator('> .tree-row')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(http).toHaveAttribute('aria-expanded', 'true');
  await expect(http.locator('> .tree-row')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(d.connectorAction('Contoso Tickets', 'Create a ticket')).toBeFocused();
  // F stars the focused action (the star buttons are not tab stops).
  await page.keyboard.press('f');
  await expect.poll(() => d.itemNames(d.group('Favourites'))).toEqual(['Create a ticket']);
  await d.connectorAction('Contoso Tickets', 'Create a ticket').focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowLeft');
  await expect(http).toHaveAttribute('aria-expanded', 'false');
  await expect(http.locator('> .tree-row')).toBeFocused();
});

test('look: connectors expanded and a search, at 1280 and 1024 pixels', async ({ page }) => {
  const d = new Designer(page);
  await page.addInitScript(() => localStorage.setItem('plugboard.favourites', JSON.stringify({
    actions: ['connector:office365outlook/SendEmailV2', 'variables.set'],
  })));
  await d.open();
  // Standard categories collapsed, so the connectors are in view.
  for (const row of await d.actions.locator('li.category > .tree-row').all()) await row.click();
  await d.toggleBranch('Cloud connectors');
  await d.toggleBranch('Office 365 Outlook');
  await expect(d.connectorAction('Office 365 Outlook', 'Send an email (V2)')).toBeVisible();
  await d.connectorAction('Office 365 Outlook', 'Get emails (V3)').hover();
  for (const width of [1280, 1024]) {
    await page.setViewportSize({ width, height: 760 });
    await page.screenshot({ path: `screenshots/library-connectors-${width}.png` });
  }
  await d.search.fill('email');
  await expect(d.connectorAction('Office 365 Outlook', 'Get emails (V3)')).toBeVisible();
  for (const width of [1280, 1024]) {
    await page.setViewportSize({ width, height: 760 });
    await page.screenshot({ path: `screenshots/library-search-${width}.png` });
  }
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'screenshots/library-search-dark-1024.png' });
});
