import { expect, type Download, type Locator, type Page, type TestInfo } from '@playwright/test';

/** Saves a download the click starts into the test's output folder; returns its path. */
export async function saveDownload(
  page: Page,
  click: () => Promise<void>,
  testInfo: TestInfo,
  prefix: string,
): Promise<string> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = testInfo.outputPath(`${prefix}-${download.suggestedFilename()}`);
  await download.saveAs(path);
  return path;
}

/** The Team tab as the lead uses it: sessions, assignment files, bundles, agreement, rulings. */
export class TeamLeadPage {
  constructor(readonly page: Page) {}

  async chooseLead(): Promise<void> {
    await this.page.getByRole('button', { name: 'Lead a session' }).click();
  }

  async createSession(reviewers: string[], overlap: number, seed: number): Promise<void> {
    const form = this.page.getByRole('form', { name: 'New team session' });
    await form.getByLabel(/^Reviewers \(one per line/).fill(reviewers.join(', '));
    await form.getByLabel('Reviewers per sample').fill(String(overlap));
    await form.getByLabel('Seed', { exact: true }).fill(String(seed));
    await form.getByRole('button', { name: 'Create session' }).click();
    await expect(this.assignments).toHaveCount(reviewers.length);
  }

  get assignments(): Locator {
    return this.page.getByRole('table', { name: 'Assignments' }).locator('tbody tr');
  }

  get includeImages(): Locator {
    return this.page.getByLabel(/Include the face images/);
  }

  async exportAssignment(reviewer: string, testInfo: TestInfo): Promise<string> {
    return saveDownload(
      this.page,
      () =>
        this.page.getByRole('button', { name: `Export assignment file for ${reviewer}` }).click(),
      testInfo,
      'lead',
    );
  }

  async importBundles(
    files: string[] | { name: string; mimeType: string; buffer: Buffer }[],
  ): Promise<void> {
    await this.page.getByLabel('Import review bundles').setInputFiles(files);
  }

  get results(): Locator {
    return this.page.getByRole('list', { name: 'File results' }).getByRole('listitem');
  }

  reviewerRow(reviewer: string): Locator {
    return this.page
      .getByRole('table', { name: 'Agreement per reviewer' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: reviewer, exact: true }) });
  }

  get perAu(): Locator {
    return this.page.getByRole('table', { name: 'Agreement per AU' });
  }

  get agreement(): Locator {
    return this.page.getByRole('region', { name: 'Agreement' });
  }

  get conflictCount(): Locator {
    return this.page.getByTestId('conflict-count');
  }

  get conflicts(): Locator {
    return this.page.getByRole('list', { name: 'Conflicts, worst first' }).getByRole('button');
  }

  async openConflict(name: string): Promise<Locator> {
    await this.conflicts.filter({ hasText: name }).click();
    const view = this.page.getByRole('region', { name: `Adjudicate ${name}` });
    await expect(view).toBeVisible();
    return view;
  }

  async useDecisionOf(name: string, reviewer: string): Promise<void> {
    const view = await this.openConflict(name);
    await view.getByRole('button', { name: `Use ${reviewer}'s decision` }).click();
    await expect(view.getByTestId('ruling')).toContainText('Ruled by');
  }

  async applyAgreed(): Promise<void> {
    await this.page.getByRole('button', { name: /^Apply \d+ agreed result/ }).click();
  }

  async goLive(server: string, secret: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Start live review' });
    await form.getByLabel('Sync server').fill(server);
    await form.getByLabel('Shared secret').fill(secret);
    await form.getByRole('button', { name: 'Go live' }).click();
    await expect(this.liveStatus).toHaveText('connected');
  }

  get liveStatus(): Locator {
    return this.page.getByTestId('live-status');
  }

  async joinCode(reviewer: string): Promise<string> {
    return this.page.getByLabel(`Join code for ${reviewer}`, { exact: true }).inputValue();
  }

  /** "3 of 6": the samples with a decision received live from the reviewer. */
  liveDecided(reviewer: string): Locator {
    return this.page
      .getByRole('table', { name: 'Live reviewers' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: reviewer, exact: true }) })
      .getByTestId('live-decided');
  }

  /** The Assignments table's bundle cell for a reviewer. */
  bundleCell(reviewer: string): Locator {
    return this.assignments.filter({ hasText: reviewer }).getByRole('cell').nth(1);
  }
}

/** The Team tab as a reviewer uses it: open an assignment, decide blind, export a bundle. */
export class TeamReviewerPage {
  constructor(readonly page: Page) {}

  async chooseReviewer(): Promise<void> {
    await this.page.getByRole('button', { name: 'Review an assignment' }).click();
  }

  async openAssignment(
    file: string | { name: string; mimeType: string; buffer: Buffer },
  ): Promise<void> {
    await this.page.getByLabel('Open an assignment file').setInputFiles(file);
  }

  get results(): Locator {
    return this.page.getByRole('list', { name: 'File results' }).getByRole('listitem');
  }

  async joinLive(code: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Join a live session' });
    await form.getByLabel('Join code from the lead').fill(code);
    await form.getByRole('button', { name: 'Join live session' }).click();
  }

  get liveStatus(): Locator {
    return this.page.getByTestId('live-join-status');
  }

  get position(): Locator {
    return this.page.getByTestId('assignment-position');
  }

  get progress(): Locator {
    return this.page.getByTestId('assignment-progress');
  }

  get sampleName(): Locator {
    return this.page.getByTestId('assignment-sample');
  }

  get face(): Locator {
    return this.page.getByRole('application', { name: /^Face / });
  }

  get missingImage(): Locator {
    return this.page.getByRole('img', { name: 'Image missing' });
  }

  /**
   * Decides the current sample with `keys` (e.g. ['a'], or ['c', '2', '6', 'Enter', 'Enter', 'a']
   * for a correction), waits for the next sample, and returns the decided sample's name.
   */
  async decide(keys: string[], position: number, total: number): Promise<string> {
    await expect(this.position).toHaveText(`${position} of ${total}`);
    const name = (await this.sampleName.textContent()) ?? '';
    for (const key of keys) await this.page.keyboard.press(key);
    await expect(this.progress).toHaveText(`${position} decided`);
    return name;
  }

  async exportBundle(testInfo: TestInfo, prefix: string): Promise<string> {
    return saveDownload(
      this.page,
      () =>
        this.page.getByRole('status').getByRole('button', { name: 'Export review bundle' }).click(),
      testInfo,
      prefix,
    );
  }
}
