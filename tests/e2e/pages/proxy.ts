// Test set-up through the proxy's own API, the way an administrator would do it: the owner
// account, users, environments and memberships. Each test makes its own users and environments
// (unique names), so tests running in parallel against one proxy never see each other's data.
import { expect, request as playwrightRequest, type APIRequestContext, type Page } from '@playwright/test';

export const OWNER = { username: 'owner', password: 'owner-password-1' };

/** What the fixture services accept (the defaults of tests/fixtures/upstream/serve.sh). */
export const FIXTURE_CREDENTIALS = {
  contosoKey: 'ck_test_5d2f81',
  fabrikam: { username: 'fabrikam', password: 'fk_pass_93a0' },
};

let counter = 0;
/** A name no other test uses. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export interface Account {
  username: string;
  password: string;
  id: string;
  displayName: string;
}

/** A signed-in API client (session cookie + CSRF token). */
export class Client {
  constructor(readonly ctx: APIRequestContext, readonly csrf: string) {}

  static async signIn(baseURL: string, username: string, password: string): Promise<Client> {
    const ctx = await playwrightRequest.newContext({ baseURL });
    const r = await ctx.post('/api/session', { data: { username, password } });
    expect(r.status(), await r.text()).toBe(200);
    return new Client(ctx, (await r.json()).csrf_token);
  }

  async call(method: string, path: string, data?: unknown): Promise<any> {
    const r = await this.ctx.fetch(path, { method, data, headers: { 'X-CSRF-Token': this.csrf } });
    const text = await r.text();
    expect(r.ok(), `${method} ${path}: ${r.status()} ${text}`).toBeTruthy();
    return text ? JSON.parse(text) : null;
  }
}

/** The owner's client; the owner account is created by whichever test gets there first. */
export async function owner(baseURL: string): Promise<Client> {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const r = await ctx.post('/api/setup/owner', { data: { ...OWNER, display_name: 'Olivia Owner' } });
  expect([201, 409]).toContain(r.status());
  await ctx.dispose();
  return Client.signIn(baseURL, OWNER.username, OWNER.password);
}

export async function makeUser(admin: Client, prefix: string, displayName: string): Promise<Account> {
  const username = unique(prefix);
  const password = 'password-' + username;
  const u = await admin.call('POST', '/api/users', { username, password, display_name: displayName });
  return { username, password, id: u.id, displayName };
}

/** A new environment with these users as members; returns its id and name. */
export async function makeEnvironment(admin: Client, name: string, members: Account[]) {
  const env = await admin.call('POST', '/api/environments', { name: unique(name) });
  for (const m of members) {
    await admin.call('PUT', `/api/environments/${env.id}/members/${m.id}`);
  }
  return env as { id: string; name: string };
}

/** Sign `page` in as `user` (the session cookie lands in the page's browser context). */
export async function signInPage(page: Page, user: Account) {
  const r = await page.request.post('/api/session', { data: { username: user.username, password: user.password } });
  expect(r.status()).toBe(200);
}
