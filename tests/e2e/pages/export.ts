import { expect, type Locator, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';

/** The Export screen: the preview's counts and the downloaded zip. */
export class ExportScreen {
  readonly kept: Locator;
  readonly removed: Locator;
  /** The notice of samples whose stored labels cannot be written safely. */
  readonly invalid: Locator;

  constructor(private readonly page: Page) {
    this.kept = page.getByTestId('export-kept');
    this.removed = page.getByTestId('export-removed');
    this.invalid = page.getByTestId('export-invalid');
  }

  /** Downloads the export and returns its entries by path. */
  async download(): Promise<Record<string, Uint8Array>> {
    const downloading = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: /^Download export/ }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/-export\.zip$/);
    return unzipSync(new Uint8Array(readFileSync(await download.path())));
  }
}

/** One file of an export as text; throws when the export does not hold it. */
export function exportText(files: Record<string, Uint8Array>, name: string): string {
  const file = files[name];
  if (!file) throw new Error(`${name} is not in the export: ${Object.keys(files).join(', ')}`);
  return strFromU8(file);
}
