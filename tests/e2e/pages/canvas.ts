import { expect, type Locator, type Page } from '@playwright/test';

/** The face viewer: the image region, its zoom toolbar and its evidence boxes. */
export class FaceCanvasPage {
  constructor(readonly page: Page) {}

  get region(): Locator {
    return this.page.getByRole('application', { name: /^Face / });
  }

  get boxes(): Locator {
    return this.page.getByRole('list', { name: 'Evidence boxes' }).getByRole('listitem');
  }

  /** What the viewer last told screen readers. */
  get announcement(): Locator {
    return this.page.getByRole('status', { name: 'Evidence box changes' });
  }

  /** Moves the focus back from `from` to the image region with Shift+Tab, as a keyboard user would. */
  async tabBackFrom(from: Locator): Promise<void> {
    await from.focus();
    for (let step = 0; step < 12; step++) {
      if (await this.region.evaluate((element) => element === document.activeElement)) break;
      await this.page.keyboard.press('Shift+Tab');
    }
    await expect(this.region).toBeFocused();
  }

  async press(...keys: string[]): Promise<void> {
    for (const key of keys) await this.page.keyboard.press(key);
  }
}
