// Page object for the designer: finds things the way a person does, by role and accessible name.
import { expect, type Locator, type Page } from '@playwright/test';

export class Designer {
  readonly actions: Locator;
  readonly search: Locator;
  readonly flow: Locator;
  readonly steps: Locator;
  readonly errors: Locator;
  readonly variables: Locator;
  readonly references: Locator;
  /** The header's Run toolbar, its status text, and the "Run log" region under the canvas. */
  readonly runBar: Locator;
  readonly runStatus: Locator;
  readonly runLog: Locator;

  constructor(readonly page: Page) {
    this.actions = page.getByRole('region', { name: 'Actions' });
    this.search = this.actions.getByRole('searchbox', { name: 'Search actions' });
    this.flow = page.getByRole('region', { name: 'Flow' });
    this.steps = this.flow.getByRole('list', { name: 'Steps' }).getByRole('listitem');
    this.errors = page.getByRole('region', { name: 'Errors' });
    this.variables = page.getByRole('region', { name: 'Variables' });
    this.references = page.getByRole('region', { name: 'Connection references' });
    this.runBar = page.getByRole('toolbar', { name: 'Run' });
    this.runStatus = this.runBar.locator('.run-status');
    this.runLog = page.getByRole('region', { name: 'Run log' });
  }

  /** A button of the Run toolbar: "Run", "Stop" or "Run next action". */
  runButton(name: 'Run' | 'Stop' | 'Run next action'): Locator {
    return this.runBar.getByRole('button', { name, exact: true });
  }

  /** Open a flow from a file through the Flows menu (what "Import" does). */
  async importFlow(flow: object) {
    await this.page.getByRole('button', { name: 'Flows' }).click();
    await this.page.getByLabel('Import flow file').setInputFiles({
      name: 'flow.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(flow)),
    });
  }

  /** The value a variable shows in the Variables pane after (or during) a run. */
  variableValue(name: string): Locator {
    return this.variables.getByRole('list', { name: `Value of ${name}`, exact: true });
  }

  async open() {
    await this.page.goto('/');
    await expect(this.actions.getByRole('group', { name: 'Variables' })).toBeVisible();
  }

  /** An action in the library by its display name. */
  action(name: string): Locator {
    return this.actions.getByRole('treeitem', { name, exact: true });
  }

  /** Make `name` the current environment (the header's switcher). */
  async useEnvironment(name: string) {
    const select = this.page.getByRole('combobox', { name: 'Environment' });
    await expect(select.getByRole('option', { name, exact: true })).toHaveCount(1);
    await select.selectOption({ label: name });
  }

  /** Double-click a cloud connector action, found through the library's search. */
  async addConnectorAction(connector: string, action: string) {
    await this.search.fill(action);
    await this.connectorAction(connector, action).dblclick();
  }

  /** A group of the library (a category, "Favourites", "Cloud connectors" or a connector). */
  group(name: string): Locator {
    return this.actions.getByRole('group', { name, exact: true });
  }

  /** An expandable item of the library (category, connector, "Cloud connectors", "Favourites"). */
  branch(name: string): Locator {
    return this.actions.getByRole('treeitem', { name, exact: true }).and(this.actions.locator('li.branch'));
  }

  /** Expand or collapse a library branch by clicking its row. */
  async toggleBranch(name: string) {
    await this.branch(name).locator('> .tree-row').click();
  }

  /** A connector action in the library, under its connector's group. */
  connectorAction(connector: string, action: string): Locator {
    return this.group('Cloud connectors').getByRole('group', { name: connector, exact: true })
      .getByRole('treeitem', { name: action, exact: true });
  }

  /** The names of the items directly in a library group, in order (rows also show badges). */
  async itemNames(group: Locator): Promise<string[]> {
    return group.locator('> li[role=treeitem]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  }

  /** Star (or unstar) an action row of the library. */
  async toggleFavourite(item: Locator) {
    await item.hover();
    await item.getByRole('button', { name: /^(Add to|Remove from) favourites$/ }).click();
  }

  /** Count requests for the connector catalog index (GET /api/connectors) from now on. */
  countCatalogRequests(): () => number {
    let n = 0;
    this.page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/connectors') n += 1;
    });
    return () => n;
  }

  /** The line with 1-based number `n`. */
  line(n: number): Locator {
    return this.steps.filter({ has: this.page.locator(`.num:text-is("${n}")`) });
  }

  dialog(name: string): Locator {
    return this.page.getByRole('dialog', { name });
  }

  /** Each line as "number name summary", for whole-flow assertions. */
  async lines(): Promise<string[]> {
    const items = await this.steps.all();
    const rows = await Promise.all(items.map(async (i) => ({
      n: Number(await i.locator('.num').textContent()),
      text: (await i.locator('.body').innerText()).replace(/\s+/g, ' ').trim(),
    })));
    return rows.sort((a, b) => a.n - b.n).map((r) => `${r.n} ${r.text}`);
  }

  /** Add an action by double-click and save its dialog with the given inputs (label → value). */
  async add(name: string, inputs: Record<string, string> = {}) {
    await this.action(name).dblclick();
    const dialog = this.dialog(name);
    await expect(dialog).toBeVisible();
    for (const [label, value] of Object.entries(inputs)) {
      await dialog.getByLabel(label, { exact: true }).fill(value);
    }
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
  }

  /** Drag with a real mouse from one element to a point, in small steps. */
  async drag(from: Locator, to: { x: number; y: number }) {
    await from.scrollIntoViewIfNeeded();
    const box = (await from.boundingBox())!;
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width / 2 + 10, box.y + box.height / 2 + 10, { steps: 3 });
    await this.page.mouse.move(to.x, to.y, { steps: 12 });
    await this.page.mouse.up();
  }

  /** The point on the boundary between line n and line n+1 (n = 0: above the first line). */
  async gapAfter(n: number): Promise<{ x: number; y: number }> {
    const first = (await this.line(1).boundingBox())!;
    return { x: first.x + first.width / 2, y: first.y + n * first.height };
  }
}
