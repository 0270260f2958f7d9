// Running flows in the designer against the real proxy: standard actions in the browser,
// connector actions through POST …/execute to the fixture services (nginx on loopback: Contoso's
// GetTicket answers ticket t1 and a 503 "Service down" for ticket "down"). Step statuses, the
// Variables pane's values, the Run log, breakpoints, Run next action, Stop, dialogs, refusal
// while the Errors panel lists problems, and on-error policies.
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '../fixtures';
import { Designer } from '../pages/designer';
import { Client, FIXTURE_CREDENTIALS, makeEnvironment, makeUser, owner, signInPage } from '../pages/proxy';

type Step = { action: string; inputs?: Record<string, string>; outputs?: Record<string, string>; reference?: string; on_error?: object; children?: Step[] };

/** A flow file of these Main steps (ids made up). */
function flowOf(name: string, steps: Step[]): object {
  const withIds = (s: Step): object => ({ id: randomUUID(), ...s, children: s.children?.map(withIds) });
  return { schema: 1, id: randomUUID(), name, subflows: [{ name: 'Main', steps: steps.map(withIds) }] };
}

const set = (variable: string, value: string): Step => ({ action: 'variables.set', inputs: { value }, outputs: { variable } });

/** A signed-in user in a fresh environment with a Contoso Tickets reference bound to a working connection. */
async function signedIn(page: Page, baseURL: string) {
  const admin = await owner(baseURL);
  const user = await makeUser(admin, 'runner', 'Rita Runner');
  const env = await makeEnvironment(admin, 'Runs', [user]);
  const client = await Client.signIn(baseURL, user.username, user.password);
  const conn = await client.call('POST', '/api/connections', { connector_id: 'contoso-tickets', display_name: 'Desk', values: { api_key: FIXTURE_CREDENTIALS.contosoKey } });
  const ref = await client.call('POST', `/api/environments/${env.id}/references`, { display_name: 'Contoso Tickets', connector_id: 'contoso-tickets', connection_id: conn.id });
  await signInPage(page, user);
  const d = new Designer(page);
  await d.open();
  await d.useEnvironment(env.name);
  return { d, logical: ref.logical_name as string };
}

const getTicket = (logical: string, id: string, on_error?: object): Step => ({
  action: 'connector:contoso-tickets/GetTicket', inputs: { id }, outputs: { body: 'Ticket' }, reference: logical, on_error,
});

test('a flow of standard actions runs: each step shows its status and duration, the Variables pane the values', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.importFlow(flowOf('Standard', [
    set('Name', 'Ada'),
    set('N', '2'),
    { action: 'variables.increase', inputs: { variable: 'N', amount: '3' } },
    { action: 'conditionals.if', inputs: { first: '%N%', operator: 'Equal to (=)', second: '5' }, children: [set('Verdict', 'five'), { action: 'conditionals.else' }, set('Verdict', 'not five')] },
    { action: 'data.json_to_object', inputs: { json: '{"user": {"name": "%Name%", "langs": ["en", "fr"]}}' }, outputs: { result: 'Profile' } },
  ]));
  await expect(d.line(9)).toContainText('Convert JSON to custom object');
  await expect(d.errors).toContainText('No errors found');
  await d.runButton('Run').click();
  await expect(d.runLog).toContainText('Flow run succeeded');
  await expect(d.runStatus).toHaveText('Flow run succeeded');
  // Six steps ran: the Else branch did not.
  await expect(d.runLog.locator('.run-steps')).toHaveText('6 steps run');
  for (const n of [1, 2, 3, 4, 5, 9]) {
    await expect(d.line(n).locator('.run-mark')).toHaveText('Succeeded');
    await expect(d.line(n).locator('.run-time')).toHaveText(/^\d+ ms$/);
  }
  // The Else branch did not run; End lines show nothing.
  await expect(d.line(7).locator('.run-mark')).toHaveText('Skipped');
  await expect(d.line(8).locator('.run-mark')).toHaveCount(0);
  await expect(d.variableValue('N')).toHaveText(/5$/);
  await expect(d.variableValue('Verdict')).toHaveText(/five$/);
  await expect(d.variableValue('Name')).toHaveText(/Ada$/);
  // A custom object opens level by level.
  const profile = d.variableValue('Profile');
  await expect(profile).toContainText('Custom object (1 property)');
  await expect(profile).not.toContainText('langs');
  await profile.getByRole('button', { name: 'Value: Custom object (1 property)' }).click();
  await profile.getByRole('button', { name: 'user: Custom object (2 properties)' }).click();
  await expect(profile).toContainText('name Ada');
  await profile.getByRole('button', { name: 'langs: List (2 items)' }).click();
  await expect(profile).toContainText('[1] fr');
  await profile.getByRole('button', { name: 'user: Custom object (2 properties)' }).click();
  await expect(profile).not.toContainText('langs');
});

test('a connector action runs through the proxy: its outputs show and pass into a later step', async ({ page, baseURL }) => {
  const { d, logical } = await signedIn(page, baseURL!);
  await d.importFlow(flowOf('Tickets', [
    set('Id', 't1'),
    getTicket(logical, '%Id%'),
    set('Title', '%Ticket.title% (%Ticket.tags.Count% tags, first %Ticket.tags[0]%)'),
  ]));
  await expect(d.line(2)).toContainText('Get a ticket');
  await expect(d.errors).toContainText('No errors found');
  await page.keyboard.press('F5');
  await expect(d.runLog).toContainText('Flow run succeeded');
  await expect(d.line(2).locator('.run-mark')).toHaveText('Succeeded');
  await expect(d.variableValue('Title')).toHaveText(/Printer on fire \(2 tags, first hardware\)$/);
  const ticket = d.variableValue('Ticket');
  await ticket.getByRole('button', { name: 'Value: Custom object (4 properties)' }).click();
  await expect(ticket).toContainText('queue q1');
  // The Run log lists the call: operation, request summary, status, time and response.
  const call = d.runLog.getByRole('listitem');
  await expect(call).toHaveCount(1);
  await expect(call.locator('.call-op')).toHaveText('Contoso Tickets: Get a ticket');
  await expect(call.locator('.call-request')).toHaveText('id=t1');
  await expect(call.locator('.call-status')).toHaveText('200');
  await expect(call.locator('.call-time')).toHaveText(/^\d+ ms$/);
  await call.getByText('Response').click();
  await expect(call.locator('pre')).toContainText('"title":"Printer on fire"');
  // The connection's key never reaches the page.
  await expect(page.locator('body')).not.toContainText(FIXTURE_CREDENTIALS.contosoKey);
});

test('Invoke web service goes through the proxy like a connector action', async ({ page, baseURL }) => {
  const { d } = await signedIn(page, baseURL!);
  // The proxy itself is the web service here (the tests let it call 127.0.0.1).
  await d.importFlow(flowOf('Web', [
    { action: 'http.invoke', inputs: { url: `${baseURL}/api/health`, method: 'GET' }, outputs: { body: 'Health', status: 'Code' } },
    { action: 'http.invoke', inputs: { url: `${baseURL}/api/no-such-thing`, method: 'GET', fail_on_error: 'False' }, outputs: { status: 'Missing' } },
  ]));
  await expect(d.line(2)).toContainText('Invoke web service');
  await expect(d.errors).toContainText('No errors found');
  await d.runButton('Run').click();
  await expect(d.runStatus).toHaveText('Flow run succeeded');
  await expect(d.variableValue('Code')).toHaveText(/200$/);
  await expect(d.variableValue('Missing')).toHaveText(/404$/);
  const calls = d.runLog.getByRole('listitem');
  await expect(calls).toHaveCount(2);
  await expect(calls.first().locator('.call-op')).toHaveText('Invoke web service');
  await expect(calls.first().locator('.call-request')).toContainText(`uri=${baseURL}/api/health`);
});

test('a breakpoint stops a run, Run next action goes one step, Run goes on; Run from here', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.importFlow(flowOf('Debug', [set('A', '1'), set('B', '2'), set('C', '3'), set('D', '4')]));
  await expect(d.line(4)).toContainText('Set variable');
  // A click on line 3's number sets a breakpoint (a red dot), F9 on the cursor step another.
  await d.line(3).locator('.num').click();
  await expect(d.line(3).locator('.num')).toHaveClass(/has-breakpoint/);
  await d.line(4).click();
  await page.keyboard.press('F9');
  await expect(d.line(4).locator('.num')).toHaveClass(/has-breakpoint/);
  await page.keyboard.press('F9');
  await expect(d.line(4).locator('.num')).not.toHaveClass(/has-breakpoint/);

  await d.runButton('Run').click();
  await expect(d.runStatus).toHaveText('Paused before line 3');
  await expect(d.line(3)).toHaveClass(/is-running/);
  await expect(d.line(3)).toContainText('Paused here');
  await expect(d.line(2).locator('.run-mark')).toHaveText('Succeeded');
  await expect(d.line(3).locator('.run-mark')).toHaveCount(0);
  await expect(d.variableValue('B')).toHaveText(/2$/);
  await expect(d.variableValue('C')).toHaveCount(0);
  await page.screenshot({ path: 'screenshots/run-paused-1280.png' });

  await page.keyboard.press('F10');
  await expect(d.runStatus).toHaveText('Paused before line 4');
  await expect(d.line(3).locator('.run-mark')).toHaveText('Succeeded');
  await expect(d.variableValue('C')).toHaveText(/3$/);
  await d.runButton('Run next action').click();
  await expect(d.runStatus).toHaveText('Flow run succeeded');
  await expect(d.line(4).locator('.run-mark')).toHaveText('Succeeded');

  // Run from here (the step menu) starts at line 2; the breakpoint on 3 still stops it.
  await d.line(2).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Run from here' }).click();
  await expect(d.runStatus).toHaveText('Paused before line 3');
  await expect(d.line(1).locator('.run-mark')).toHaveCount(0);
  await page.keyboard.press('F5');
  await expect(d.runStatus).toHaveText('Flow run succeeded');
  await expect(d.line(1).locator('.run-mark')).toHaveText('Skipped');
  await expect(d.line(2).locator('.run-mark')).toHaveText('Succeeded');
  await expect(d.variableValue('A')).toHaveCount(0);
});

test('Stop ends a run that waits', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.importFlow(flowOf('Waits', [set('Before', 'yes'), { action: 'flow.wait', inputs: { seconds: '600' } }, set('After', 'yes')]));
  await expect(d.line(3)).toContainText('Set variable');
  await d.runButton('Run').click();
  await expect(d.line(2)).toContainText('Running');
  await expect(d.runButton('Run')).toHaveAttribute('aria-disabled', 'true');
  await d.runButton('Stop').click();
  await expect(d.runStatus).toHaveText('Flow run stopped: stopped by the user');
  await expect(d.line(1).locator('.run-mark')).toHaveText('Succeeded');
  await expect(d.line(3).locator('.run-mark')).toHaveText('Skipped');
  await expect(d.variableValue('After')).toHaveCount(0);
  await expect(d.runButton('Stop')).toHaveAttribute('aria-disabled', 'true');
  // Shift+F5 stops too.
  await page.keyboard.press('F5');
  await expect(d.line(2)).toContainText('Running');
  await page.keyboard.press('Shift+F5');
  await expect(d.runStatus).toHaveText('Flow run stopped: stopped by the user');
});

test('an input dialog asks during a run and its answer is used', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.importFlow(flowOf('Ask', [
    { action: 'messages.input', inputs: { title: 'Who are you', message: 'Your name?', default: 'Bo' }, outputs: { input: 'Name', button: 'Pressed' } },
    { action: 'messages.display', inputs: { title: 'Greeting', message: 'Hello %Name%', buttons: 'Yes - No' }, outputs: { button: 'Answer' } },
    set('Done', '%Name% said %Answer%'),
  ]));
  await expect(d.line(3)).toContainText('Set variable');
  await d.runButton('Run').click();
  const ask = d.dialog('Who are you');
  await expect(ask.getByLabel('Your name?')).toHaveValue('Bo');
  await expect(ask.getByLabel('Your name?')).toBeFocused();
  await expect(d.runStatus).toHaveText('Running: waiting for your answer');
  await ask.getByLabel('Your name?').fill('Ada');
  await page.keyboard.press('Enter');
  const message = d.dialog('Greeting');
  await expect(message).toContainText('Hello Ada');
  await expect(message.getByRole('button', { name: 'Yes' })).toBeFocused();
  await message.getByRole('button', { name: 'No' }).click();
  await expect(d.runStatus).toHaveText('Flow run succeeded');
  await expect(d.variableValue('Done')).toHaveText(/Ada said No$/);
  await expect(d.variableValue('Pressed')).toHaveText(/OK$/);
});

test('a flow with errors is refused, and the panel says why', async ({ page }) => {
  const d = new Designer(page);
  await d.open();
  await d.importFlow(flowOf('Broken', [set('A', '1'), { action: 'text.to_number', inputs: { text: '' }, outputs: { result: 'N' } }]));
  await expect(d.errors.getByRole('listitem')).toHaveCount(1);
  await d.runButton('Run').click();
  await expect(d.runLog.getByRole('alert')).toHaveText('Run refused: the Errors panel lists 1 problem in this flow. Fix it first, then run it.');
  await expect(d.line(1).locator('.run-mark')).toHaveCount(0);
  await expect(d.variableValue('A')).toHaveCount(0);
  await page.keyboard.press('F10');
  await expect(d.runLog.getByRole('alert')).toBeVisible();
  await expect(d.line(1).locator('.run-mark')).toHaveCount(0);
});

test('a failing connector call retries per its on-error policy, then continues or stops as set', async ({ page, baseURL }) => {
  const { d, logical } = await signedIn(page, baseURL!);
  const flow = (continueFlow: boolean) => flowOf('Flaky', [
    getTicket(logical, 'down', { retries: 2, interval_secs: 0, continue_flow: continueFlow }),
    set('After', 'ran'),
  ]);
  await d.importFlow(flow(true));
  await expect(d.line(2)).toContainText('Set variable');
  await expect(d.errors).toContainText('No errors found');
  await d.runButton('Run').click();
  await expect(d.runStatus).toHaveText('Flow run succeeded');
  // Three attempts (the first and two retries), each a call in the Run log.
  const calls = d.runLog.getByRole('listitem');
  await expect(calls).toHaveCount(3);
  for (const c of await calls.all()) {
    await expect(c.locator('.call-status')).toHaveText('HTTP 503');
  }
  await calls.first().getByText('Error').click();
  await expect(calls.first().locator('pre')).toHaveText('Contoso Tickets answered HTTP 503 to GetTicket: Service down');
  await expect(d.line(1).locator('.run-mark')).toHaveText('Failed');
  await expect(d.line(2).locator('.run-mark')).toHaveText('Succeeded');
  await expect(d.variableValue('After')).toHaveText(/ran$/);

  await d.importFlow(flow(false));
  await expect(d.errors).toContainText('No errors found');
  await d.runButton('Run').click();
  await expect(d.runStatus).toHaveText('Flow run failed: Main, line 1: Get a ticket: Contoso Tickets answered HTTP 503 to GetTicket: Service down');
  await expect(calls).toHaveCount(3);
  await expect(d.line(1).locator('.run-mark')).toHaveText('Failed');
  await expect(d.line(2).locator('.run-mark')).toHaveText('Skipped');
  // The failure links to its step.
  await d.line(2).click();
  await d.runLog.locator('.run-outcome').getByRole('button', { name: 'Go to the failed action' }).click();
  await expect(d.line(1)).toHaveClass(/selected/);
  await expect(d.flow.locator('#flow-scroller')).toBeFocused();
});

test('look: the run panel at 1280 and 1024 pixels, light and dark', async ({ page, baseURL }) => {
  const { d, logical } = await signedIn(page, baseURL!);
  await d.importFlow(flowOf('Look', [
    set('Id', 't1'),
    getTicket(logical, '%Id%'),
    getTicket(logical, 'down', { retries: 0, interval_secs: 0, continue_flow: true }),
    { action: 'text.split', inputs: { text: 'a,b,c', delimiter_type: 'Custom', delimiter: ',' }, outputs: { result: 'Parts' } },
    set('Long', 'x'.repeat(5000)),
    set('Last', 'done'),
  ]));
  await expect(d.errors).toContainText('No errors found');
  await d.line(6).locator('.num').click();
  for (const [width, scheme] of [[1280, 'light'], [1024, 'dark']] as const) {
    await page.setViewportSize({ width, height: 800 });
    await page.emulateMedia({ colorScheme: scheme });
    await d.runButton('Run').click();
    await expect(d.runStatus).toHaveText('Paused before line 6');
    await d.variableValue('Ticket').getByRole('button').first().click();
    await d.variableValue('Parts').getByRole('button').first().click();
    // A long text shows its first characters only.
    expect((await d.variableValue('Long').textContent())!.length).toBeLessThan(300);
    await d.runLog.getByRole('listitem').nth(1).getByText('Error').click();
    await page.screenshot({ path: `screenshots/run-${width}-${scheme}.png` });
    await d.runButton('Stop').click();
    await expect(d.runStatus).toHaveText('Flow run stopped: stopped by the user');
  }
});
