import { expect, type Locator, type Page } from '@playwright/test';

/** The storage and backup parts of the Datasets page. */
export class StoragePanel {
  constructor(readonly page: Page) {}

  get storageSection(): Locator {
    return this.page.getByRole('region', { name: 'Storage in this browser' });
  }

  get backups(): Locator {
    return this.page.getByRole('region', { name: 'Backups' });
  }

  /** Saves a backup of a dataset and returns the downloaded file's path. */
  async saveBackup(datasetName: string, includeImages = true): Promise<string> {
    await this.page.getByLabel('Dataset to back up').selectOption({ label: datasetName });
    const images = this.page.getByLabel('Include the images');
    if ((await images.isChecked()) !== includeImages) await images.click();
    const downloading = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: 'Save backup' }).click();
    const file = await downloading;
    const target = test_output(file.suggestedFilename());
    await file.saveAs(target);
    await expect(this.backups.getByRole('status')).toContainText('Saved');
    return target;
  }

  async restore(file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.page.getByLabel('Restore a backup').setInputFiles(file);
  }
}

let outputDir = '';
/** Where downloaded backups go: the test's own output folder. */
export function useOutputDir(dir: string): void {
  outputDir = dir;
}
function test_output(name: string): string {
  return `${outputDir}/${name}`;
}
