import { expect, type Locator, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
/** The real RAF-CE label files, kept beside the repository (never edited). */
export const rafceFixtures = path.resolve(
  process.env.RAFCE_FIXTURES ?? path.join(repoRoot, '../shared/fixtures/raf-ce'),
);
export const brokenFixtures = path.join(repoRoot, 'tests/fixtures');

export const rafceFiles = ['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt', 'RAFCE_partition.txt'].map(
  (name) => path.join(rafceFixtures, name),
);

/**
 * The real files cannot ship with the repository (RAF-DB's terms): a test that imports them
 * starts with `test.skip(!hasRafceFixtures, needsRafceFixtures)`. CI requires them.
 */
export const hasRafceFixtures = rafceFiles.every((file) => existsSync(file));
export const needsRafceFixtures =
  'needs the real RAF-CE label files in ../shared/fixtures/raf-ce (or RAFCE_FIXTURES)';

/** The application as a user sees it: header, tabs and pages. */
export class AuReviewApp {
  readonly datasetSelect: Locator;

  constructor(readonly page: Page) {
    this.datasetSelect = page.getByLabel('Open dataset');
  }

  /** Opens the app on a fresh page, or waits for it after a reload (keeping the URL's place). */
  async open(): Promise<void> {
    if (this.page.url() === 'about:blank') await this.page.goto('/');
    await expect(this.page.getByText('Opening your datasets…')).toHaveCount(0, { timeout: 30_000 });
  }

  async goTo(
    tab:
      | 'Samples'
      | 'Overview'
      | 'Rules'
      | 'Review'
      | 'Export'
      | 'Team'
      | 'Parse report'
      | 'Datasets'
      | 'Import',
  ): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: tab, exact: true })
      .click();
  }

  get overview(): OverviewPage {
    return new OverviewPage(this.page);
  }

  get rules(): RulesPage {
    return new RulesPage(this.page);
  }

  get review(): ReviewPage {
    return new ReviewPage(this.page);
  }

  get importPage(): ImportPage {
    return new ImportPage(this.page);
  }

  get samples(): SamplesPage {
    return new SamplesPage(this.page);
  }

  get datasets(): DatasetsPage {
    return new DatasetsPage(this.page);
  }

  get report(): ReportView {
    return new ReportView(this.page);
  }
}

export class ImportPage {
  constructor(readonly page: Page) {}

  async chooseLabelFiles(
    files: string[] | { name: string; mimeType: string; buffer: Buffer }[],
  ): Promise<void> {
    await this.page.getByLabel('Choose label files', { exact: true }).setInputFiles(files);
  }

  get saveButton(): Locator {
    return this.page.getByRole('button', { name: /^Save dataset/ });
  }

  /** The files chosen so far, with a line for each file or zip entry refused. */
  get chosenFiles(): Locator {
    return this.page.getByRole('list', { name: 'Chosen files' });
  }

  async startOver(): Promise<void> {
    await this.page.getByRole('button', { name: 'Start over' }).click();
  }

  /** The row of "What each file was read as" for a file. */
  fileRow(name: string): Locator {
    return this.page
      .getByRole('table', { name: 'What each file was read as' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  get format(): Locator {
    return this.page.getByRole('combobox', { name: 'Format', exact: true });
  }

  async save(name?: string): Promise<void> {
    if (name) await this.page.getByLabel('Dataset name').fill(name);
    await this.saveButton.click();
    await expect(this.page.getByRole('heading', { name: /^Parse report:/ })).toBeVisible();
  }
}

/** The parse report, shown after an import and on the Parse report tab. */
export class ReportView {
  constructor(readonly page: Page) {}

  figure(testId: 'rows-read' | 'samples-accepted' | 'null-count'): Locator {
    return this.page.getByTestId(testId);
  }

  classRow(name: string): Locator {
    return this.page
      .getByRole('table', { name: 'Samples per class' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name, exact: true }) });
  }

  splitRow(name: string): Locator {
    return this.page
      .getByRole('table', { name: 'Samples per split' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name, exact: true }) });
  }

  tokenRow(token: string): Locator {
    return this.page
      .getByRole('table', { name: 'AU tokens' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name: token, exact: true }) });
  }

  get problems(): Locator {
    return this.page.getByRole('table', { name: 'Problem list' }).getByRole('row');
  }
}

export class SamplesPage {
  constructor(readonly page: Page) {}

  get shownCount(): Locator {
    return this.page.getByTestId('shown-count');
  }

  card(name: string): Locator {
    return this.page.getByRole('button', {
      name: new RegExp(`^Open sample ${name.replace('.', '\\.')},`),
    });
  }

  async openSample(name: string): Promise<void> {
    await this.card(name).click();
    await expect(this.page.getByRole('region', { name: `Sample ${name}` })).toBeVisible();
  }

  get zoomLevel(): Locator {
    return this.page.getByLabel('Zoom level');
  }

  get canvas(): Locator {
    return this.page.getByRole('application', { name: /^Face / });
  }
}

export class DatasetsPage {
  constructor(readonly page: Page) {}

  get rows(): Locator {
    return this.page.getByRole('table', { name: 'Datasets' }).getByRole('row');
  }

  row(name: string): Locator {
    return this.rows.filter({ hasText: name });
  }

  async rename(from: string, to: string): Promise<void> {
    await this.page.getByRole('button', { name: `Rename ${from}` }).click();
    await this.page.getByLabel('New name').fill(to);
    await this.page.getByRole('button', { name: 'Save', exact: true }).click();
  }

  async delete(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Delete ${name}` }).click();
    const dialog = this.page.getByRole('dialog');
    await expect(dialog).toContainText('This removes');
    await dialog.getByRole('button', { name: 'Delete dataset' }).click();
  }
}

export class OverviewPage {
  constructor(readonly page: Page) {}

  /** The count itself (a button that lists the samples). */
  verdictCount(verdict: 'atypical' | 'breaks-facs'): Locator {
    return this.page.getByTestId(`verdict-${verdict}`).getByRole('button');
  }

  heatmapCell(className: string, au: number): Locator {
    return this.page.getByRole('button', { name: new RegExp(`^${className}, AU${au}: `) });
  }
}

export class RulesPage {
  constructor(readonly page: Page) {}

  rule(className: string): Locator {
    return this.page.getByRole('listitem', { name: `Rule for ${className}` });
  }

  async editRule(
    className: string,
    fields: Partial<
      Record<'Required AUs' | 'Any-of groups' | 'Variants' | 'Discouraged pairs', string>
    >,
  ): Promise<void> {
    await this.page.getByRole('button', { name: `Edit rule for ${className}` }).click();
    const form = this.page.getByRole('form', { name: `Edit rule for ${className}` });
    for (const [label, value] of Object.entries(fields)) {
      await form.getByLabel(new RegExp(`^${label}`)).fill(value);
    }
    await form.getByRole('button', { name: 'Save rule' }).click();
  }
}

export class ReviewPage {
  constructor(readonly page: Page) {}

  async start(reviewer: string, size = 20, seed = 7): Promise<void> {
    const name = this.page.getByLabel('Your name');
    if (await name.isVisible()) {
      await name.fill(reviewer);
      await this.page.getByRole('button', { name: 'Start reviewing' }).click();
    }
    await this.page.getByLabel('Number of samples').fill(String(size));
    await this.page.getByLabel('Seed').fill(String(seed));
    await this.page.getByRole('button', { name: 'Create and start' }).click();
    await expect(this.position).toHaveText(`1 of ${size}`);
  }

  get position(): Locator {
    return this.page.getByTestId('review-position');
  }

  get progress(): Locator {
    return this.page.getByTestId('review-progress');
  }

  get sampleName(): Locator {
    return this.page
      .getByRole('complementary', { name: 'Review' })
      .getByRole('heading', { level: 2 });
  }

  get history(): Locator {
    return this.page.getByRole('region', { name: 'History of this sample' }).getByRole('listitem');
  }

  get boxes(): Locator {
    return this.page.getByRole('list', { name: 'Evidence boxes' }).getByRole('listitem');
  }

  get sampleState(): Locator {
    return this.page.getByTestId('sample-state');
  }

  /** The message of a review stopped by a failed write or a deleted dataset. */
  get stopped(): Locator {
    return this.page
      .getByRole('complementary', { name: 'Review' })
      .getByRole('alert')
      .filter({ hasText: /saved|deleted/ });
  }

  async retry(): Promise<void> {
    await this.stopped.getByRole('button', { name: 'Retry' }).click();
  }

  /** Presses keys one at a time, waiting for each decision to be shown as done. */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) await this.page.keyboard.press(key);
  }
}
