import { expect, type Locator, type Page } from '@playwright/test';

/** A file made in the test: its name and bytes. */
export interface FileToPick {
  name: string;
  bytes: Uint8Array;
}

const toUpload = (file: FileToPick, mimeType = 'text/csv') => ({
  name: file.name,
  mimeType,
  buffer: Buffer.from(file.bytes),
});

/** The Models page: prediction runs, run against run, AU scores and the loader check. */
export class ModelsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Models', exact: true })
      .click();
    await expect(this.page.getByRole('heading', { name: /^Models:/ })).toBeVisible();
  }

  get runs(): Locator {
    return this.page.getByRole('table', { name: 'Prediction runs' });
  }

  get preview(): Locator {
    return this.page.getByRole('region', { name: 'Predictions read' });
  }

  /** Reads a predictions CSV under a name, then stores it. */
  async importRun(name: string, file: FileToPick): Promise<void> {
    await this.page.getByLabel('Run name').fill(name);
    await this.page.getByLabel('Choose prediction files').setInputFiles(toUpload(file));
    await expect(this.preview).toBeVisible({ timeout: 30_000 });
    await this.page.getByRole('button', { name: 'Save run' }).click();
    await expect(this.runs.getByRole('row', { name: new RegExp(name) })).toBeVisible({
      timeout: 30_000,
    });
  }

  get accuracy(): Locator {
    return this.page.getByRole('region', { name: 'Emotion accuracy', exact: true });
  }

  get recallPerClass(): Locator {
    return this.page.getByRole('table', { name: 'Recall per class' });
  }

  auScores(runName: string): Locator {
    return this.page.getByRole('table', { name: `AU scores of ${runName}` });
  }

  chart(name: string | RegExp): Locator {
    return this.page.getByRole('img', { name });
  }

  async checkLoaderDump(file: FileToPick): Promise<void> {
    await this.page.getByLabel('Choose a target dump').setInputFiles(toUpload(file));
  }

  /** An N x K .npy with its image list: the AU of each column is typed in. */
  async checkLoaderNpy(npy: FileToPick, imageList: FileToPick, auList: string): Promise<void> {
    await this.page.getByLabel('Choose a target dump').setInputFiles(
      uploads([
        { file: npy, mimeType: 'application/octet-stream' },
        { file: imageList, mimeType: 'text/plain' },
      ]),
    );
    await this.page.getByLabel('AU numbers of the columns').fill(auList);
    await this.page.getByRole('button', { name: 'Check the targets' }).click();
  }

  /** Reads a predictions CSV without storing it. */
  async readRun(name: string, file: FileToPick): Promise<void> {
    await this.page.getByLabel('Run name').fill(name);
    await this.page.getByLabel('Choose prediction files').setInputFiles(toUpload(file));
  }

  get loaderFindings(): Locator {
    return this.page.getByRole('region', { name: 'Loader findings' });
  }

  async removeRun(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Remove run ${name}` }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'Remove run' }).click();
    await expect(this.runs.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
  }
}

/** Picks several files at once (an .npy and its image list). */
export function uploads(files: { file: FileToPick; mimeType: string }[]) {
  return files.map(({ file, mimeType }) => toUpload(file, mimeType));
}
