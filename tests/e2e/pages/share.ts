// Page object for share links: the "Share" dialog, a link's preview and "Map connection references".
import { expect, type Locator, type Page } from '@playwright/test';
import { generateFlow } from '../bench/flows';

export class Sharing {
  readonly share: Locator;
  readonly preview: Locator;
  readonly refused: Locator;
  readonly mapping: Locator;

  constructor(readonly page: Page) {
    this.share = page.getByRole('dialog', { name: 'Share' });
    this.preview = page.getByRole('dialog', { name: 'Shared flow' });
    this.refused = page.getByRole('dialog', { name: 'This link cannot be opened' });
    this.mapping = page.getByRole('dialog', { name: 'Map connection references' });
  }

  /** Open "Share" and wait for the link; returns it. */
  async link(): Promise<string> {
    await this.page.getByRole('button', { name: 'Share', exact: true }).click();
    await expect(this.share).toBeVisible();
    const box = this.share.getByRole('textbox', { name: 'Link', exact: true });
    await expect(box).toHaveValue(/#\/s\/pb1\./);
    return box.inputValue();
  }

  /** The length the dialog shows, in characters. */
  async shownLength(): Promise<number> {
    const text = await this.share.locator('.share-length').innerText();
    return Number(text.replace(/[^0-9]/g, ''));
  }

  /** "Create short link"; returns the short link. */
  async shortLink(): Promise<string> {
    await this.share.getByRole('button', { name: 'Create short link' }).click();
    const box = this.share.getByRole('textbox', { name: 'Short link' });
    await expect(box).toHaveValue(/#\/k\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    return box.inputValue();
  }

  async close() {
    await this.share.getByRole('button', { name: 'Close' }).click();
    await expect(this.share).toBeHidden();
  }

  /** One reference's item in "Map connection references", by a text it shows. */
  reference(text: string | RegExp): Locator {
    return this.mapping.locator('.ref-item').filter({ hasText: text });
  }
}

/** Make `flow` (a flow file's JSON) this browser's only saved flow, before the page loads. */
export async function seedFlow(page: Page, flow: any) {
  const index = { current: flow.id, flows: [{ id: flow.id, name: flow.name }] };
  await page.addInitScript(([f, ix]) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.clear();
      localStorage.setItem('plugboard.index.v1', ix as string);
      localStorage.setItem(`plugboard.flow.${JSON.parse(f as string).id}`, f as string);
      sessionStorage.setItem('seeded', '1');
    }
  }, [JSON.stringify(flow), JSON.stringify(index)]);
}

/** The benchmark's generated flow of `n` steps. */
export const generated = (n: number) => generateFlow(n) as any;
