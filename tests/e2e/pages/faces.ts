import { expect, type Locator, type Page } from '@playwright/test';
import path from 'node:path';
import { brokenFixtures } from './app';

/** The face photos made from NASA's public-domain astronaut portrait (tests/fixtures/faces/README.md). */
export const faceFixtures = path.join(brokenFixtures, 'faces');
export const faceFiles = [
  'RAFCE_emolabel.txt',
  'RAFCE_AUlabel.txt',
  'RAFCE_partition.txt',
  'astronaut-aligned.jpg',
  'astronaut-flipped.jpg',
  'astronaut-rotated.jpg',
  'astronaut-dark.jpg',
  'astronaut-portrait.jpg',
  'astronaut-shrunk.jpg',
  'astronaut-cut-off.jpg',
  'astronaut-pair.jpg',
  'coffee.jpg',
  'cat.jpg',
].map((name) => path.join(faceFixtures, name));

/** The Faces page: read the faces, see what the face model found. */
export class FacesPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Faces', exact: true })
      .click();
    await expect(this.page.getByRole('heading', { name: /^Faces:/ })).toBeVisible();
  }

  get readButton(): Locator {
    return this.page.getByRole('button', { name: 'Read the faces' });
  }

  async readAll(): Promise<void> {
    await this.page.getByRole('radio', { name: /The whole dataset/ }).check();
    await this.readButton.click();
    await expect(this.page.getByText('Finished.')).toBeVisible({ timeout: 120_000 });
  }

  get findings(): Locator {
    return this.page.getByRole('region', { name: 'What the face model found' });
  }

  /** The number of images with a finding, as the findings table says. */
  async findingCount(text: string): Promise<number> {
    const row = this.findings
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: text, exact: true }) });
    return Number((await row.getByRole('cell').first().innerText()).replace(/,/g, ''));
  }

  get geometry(): Locator {
    return this.page.getByRole('region', { name: 'Labels against face geometry' });
  }

  get expressions(): Locator {
    return this.page.getByRole('region', { name: 'Class against read expression' });
  }
}
