import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { AuReviewApp } from './pages/app';
import { describeFindings, scanPage } from './pages/accessibility';
import { ModelsPage } from './pages/models';
import { TeamLeadPage, TeamReviewerPage } from './pages/team';

/**
 * axe (WCAG 2 A and AA, and best practices) on every screen of the built app, in the states
 * a user meets, on the demo dataset a fresh browser opens with. Any violation fails.
 */

/** Scans the page as it is; a failure names the screen and lists every violation. */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  const findings = await scanPage(page);
  // Soft: the other screens of the test are still scanned and reported.
  expect.soft(findings.length, describeFindings(screen, findings)).toBe(0);
}

async function openApp(page: Page): Promise<AuReviewApp> {
  const app = new AuReviewApp(page);
  await app.open();
  return app;
}

/** A fresh browser context: one person's own browser, with its own IndexedDB. */
async function person(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    viewport: testInfo.project.use.viewport,
    acceptDownloads: true,
  });
  const page = await context.newPage();
  await openApp(page);
  return page;
}

/** A prediction run over the demo's 200 samples: class probabilities and a few AUs. */
function demoRunCsv(): { name: string; mimeType: string; buffer: Buffer } {
  const classes = Array.from({ length: 14 }, (_, id) => id);
  const aus = [1, 2, 4, 6, 12];
  const lines = [
    ['image', ...classes.map((id) => `p_${id}`), ...aus.map((au) => `AU${au}`)].join(','),
  ];
  for (let i = 0; i < 200; i++) {
    const guess = (i * 5) % classes.length;
    const p = classes.map((id) => (id === guess ? 0.61 : 0.03).toFixed(2));
    const auP = aus.map((au, k) => ((i + au + k) % 3 === 0 ? 0.8 : 0.1).toFixed(2));
    lines.push([`${String(i + 1).padStart(4, '0')}.jpg`, ...p, ...auP].join(','));
  }
  return {
    name: 'demo-predictions.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${lines.join('\n')}\n`),
  };
}

test('samples: the grid, a selection, decided samples and a sample', async ({ page }) => {
  const app = await openApp(page);
  await expect(app.samples.shownCount).toHaveText('200 of 200 samples');
  await expect(page.getByRole('img', { name: 'Face 0001.jpg' })).toBeVisible();
  await expectAccessible(page, 'Samples');

  await page.getByLabel('Select 0001.jpg').click();
  await page.getByLabel('Select 0003.jpg').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('selected-count')).toHaveText('3 selected');
  await expectAccessible(page, 'Samples: a selection without a reviewer');

  // Deciding from the grid needs a reviewer's name, given on the Review tab.
  await app.goTo('Review');
  await page.getByLabel('Your name').fill('Ada');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await app.goTo('Samples');
  await expect(page.getByTestId('selected-count')).toHaveText('3 selected');
  // Each decision clears the selection once it is saved.
  await page.getByRole('button', { name: 'Accept selected' }).click();
  await expect(page.getByTestId('selected-count')).toHaveCount(0);
  await page.getByLabel('Select 0004.jpg').click();
  await page.getByLabel('Flag reason for the selection').selectOption('ambiguous');
  await page.getByRole('button', { name: 'Flag selected' }).click();
  await expect(page.getByTestId('selected-count')).toHaveCount(0);
  await page.getByLabel('Select 0005.jpg').click();
  await page.getByRole('button', { name: 'Discard selected' }).click();
  await expect(
    page.getByRole('listitem').filter({ has: page.getByLabel('Select 0005.jpg') }),
  ).toContainText('discarded');
  await expectAccessible(page, 'Samples: decided samples');

  await app.samples.openSample('0001.jpg');
  await expect(app.samples.canvas).toBeVisible();
  await expectAccessible(page, 'Sample view');
});

test('overview', async ({ page }) => {
  const app = await openApp(page);
  await app.goTo('Overview');
  await expect(page.getByRole('heading', { name: /^Overview:/ })).toBeVisible();
  await expect(app.overview.verdictCount('atypical')).toBeVisible();
  await expectAccessible(page, 'Overview');
});

test('diagnosis', async ({ page }) => {
  await openApp(page);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Diagnosis', exact: true })
    .click();
  await expect(page.getByRole('region', { name: 'Summary' })).toBeVisible();
  await expect(page.getByText(/Weighing the evidence about every label/)).toHaveCount(0, {
    timeout: 60_000,
  });
  await expectAccessible(page, 'Diagnosis');
});

test('rules', async ({ page }) => {
  const app = await openApp(page);
  await app.goTo('Rules');
  await expect(app.rules.rule('Happily surprised')).toBeVisible();
  await expectAccessible(page, 'Rules');

  await page.getByRole('button', { name: 'Edit rule for Happily surprised' }).click();
  await expect(page.getByRole('form', { name: 'Edit rule for Happily surprised' })).toBeVisible();
  await expectAccessible(page, 'Rules: editing a rule');
});

test('review: the name, the workspace, the shortcut sheet and the sets', async ({ page }) => {
  const app = await openApp(page);
  await app.goTo('Review');
  await expect(page.getByLabel('Your name')).toBeVisible();
  await expectAccessible(page, 'Review: who is reviewing');

  await app.review.start('Ada', 5);
  await expect(app.samples.canvas).toBeVisible();
  await expectAccessible(page, 'Review workspace');

  await app.review.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expectAccessible(page, 'Review: keyboard shortcuts');
  await help.getByRole('button', { name: 'Close' }).click();

  // An evidence box drawn on the face, listed beside it.
  const drawFor = page.getByLabel('Draw evidence box for AU');
  await drawFor.selectOption((await drawFor.locator('option').nth(1).getAttribute('value')) ?? '');
  const face = await app.samples.canvas.boundingBox();
  if (!face) throw new Error('the face has no box on screen');
  await page.mouse.move(face.x + face.width / 2 - 50, face.y + face.height / 2 - 40);
  await page.mouse.down();
  await page.mouse.move(face.x + face.width / 2 + 20, face.y + face.height / 2 + 30, { steps: 8 });
  await page.mouse.up();
  await expect(app.review.boxes).toHaveCount(1);
  await expectAccessible(page, 'Review workspace with an evidence box');

  for (let i = 1; i <= 5; i++) {
    await expect(app.review.position).toHaveText(`${i} of 5`);
    await app.review.press('a');
    await expect(app.review.progress).toHaveText(`${i} reviewed`);
  }
  await expect(page.getByRole('status').filter({ hasText: 'Set complete' })).toBeVisible();
  await expectAccessible(page, 'Review workspace, set complete');

  await app.goTo('Review');
  await expect(page.getByRole('table', { name: 'Review sets' })).toBeVisible();
  await expectAccessible(page, 'Review sets');
});

test('models: no run, then a run', async ({ page }) => {
  await openApp(page);
  const models = new ModelsPage(page);
  await models.open();
  await expectAccessible(page, 'Models');

  await page.getByLabel('Run name').fill('baseline');
  await page.getByLabel('Choose prediction files').setInputFiles(demoRunCsv());
  await expect(models.preview).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page, 'Models: a run read, not yet saved');
  await page.getByRole('button', { name: 'Save run' }).click();
  await expect(models.runs.getByRole('row', { name: /baseline/ })).toBeVisible({
    timeout: 30_000,
  });
  await expect(models.auScores('baseline')).toBeVisible({ timeout: 60_000 });
  await expectAccessible(page, 'Models: a run');
});

test('export', async ({ page }) => {
  const app = await openApp(page);
  await app.goTo('Export');
  await expect(page.getByRole('heading', { name: 'Export a cleaned label set' })).toBeVisible();
  await expect(page.getByTestId('export-kept')).toBeVisible();
  await expectAccessible(page, 'Export');
});

test('datasets, storage and backups, and the delete confirmation', async ({ page }) => {
  const app = await openApp(page);
  await app.goTo('Datasets');
  await expect(app.datasets.rows.filter({ hasText: 'Demo' })).toHaveCount(1);
  await expect(page.getByRole('region', { name: 'Backups' })).toBeVisible();
  await expectAccessible(page, 'Datasets');

  await page.getByRole('button', { name: /^Rename Demo/ }).click();
  await expect(page.getByLabel('New name')).toBeVisible();
  await expectAccessible(page, 'Datasets: renaming');
  await page.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: /^Delete Demo/ }).click();
  await expect(page.getByRole('dialog')).toContainText('This removes');
  await expectAccessible(page, 'Datasets: delete confirmation');
});

test('import, the parse report of a small file, and the demo parse report', async ({ page }) => {
  const app = await openApp(page);
  await app.goTo('Parse report');
  await expect(app.report.figure('samples-accepted')).toBeVisible();
  await expectAccessible(page, 'Parse report of the demo');
  await page.getByRole('button', { name: 'Edit class and split names' }).click();
  await expect(page.getByRole('form', { name: 'Class and split names' })).toBeVisible();
  await expectAccessible(page, 'Parse report: editing names');

  await app.goTo('Import');
  await expect(page.getByLabel('Choose label files', { exact: true })).toBeAttached();
  await expectAccessible(page, 'Import');
  // Three files that disagree about their images: a report with warnings.
  await app.importPage.chooseLabelFiles(
    ['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt', 'RAFCE_partition.txt'].map(
      (name) => `tests/fixtures/raf-ce-broken/join/${name}`,
    ),
  );
  await expect(app.report.figure('samples-accepted')).toBeVisible();
  await expect(app.report.problems).not.toHaveCount(0);
  await expectAccessible(page, 'Import: parse report before saving');
  await app.importPage.save('Joined');
  await expectAccessible(page, 'Parse report after saving');
});

test('team: the lead, two reviewers, agreement and a ruling', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const leadPage = await person(browser, testInfo);
  const leadApp = new AuReviewApp(leadPage);
  await leadApp.goTo('Team');
  await expect(leadPage.getByRole('heading', { name: 'Team review' })).toBeVisible();
  await expectAccessible(leadPage, 'Team: lead, no review set');
  await leadApp.goTo('Review');
  await leadApp.review.start('Lee', 3, 7);
  await leadApp.goTo('Team');
  const lead = new TeamLeadPage(leadPage);
  await lead.createSession(['Ada', 'Bo'], 2, 1);
  await expectAccessible(leadPage, 'Team: lead with a session');
  await lead.includeImages.uncheck();
  const assignments = {
    Ada: await lead.exportAssignment('Ada', testInfo),
    Bo: await lead.exportAssignment('Bo', testInfo),
  };

  // Ada accepts all three; Bo discards the first, so the lead has a conflict to rule.
  const bundles: string[] = [];
  for (const who of ['Ada', 'Bo'] as const) {
    const page = await person(browser, testInfo);
    await new AuReviewApp(page).goTo('Team');
    const reviewer = new TeamReviewerPage(page);
    await reviewer.chooseReviewer();
    if (who === 'Ada') await expectAccessible(page, 'Team: reviewer, no assignment');
    await reviewer.openAssignment(assignments[who]);
    await expect(reviewer.position).toHaveText('1 of 3');
    if (who === 'Ada') await expectAccessible(page, 'Team: reviewer');
    for (let i = 1; i <= 3; i++) await reviewer.decide([who === 'Bo' && i === 1 ? 'd' : 'a'], i, 3);
    if (who === 'Ada') await expectAccessible(page, 'Team: reviewer, all decided');
    bundles.push(await reviewer.exportBundle(testInfo, who.toLowerCase()));
  }

  await lead.importBundles(bundles);
  await expect(lead.results).toHaveCount(2);
  await expect(lead.conflictCount).toHaveText('1 to rule of 1');
  await expectAccessible(leadPage, 'Team: lead with agreement and conflicts');
  const conflict = await lead.conflicts.first().textContent();
  const view = await lead.openConflict((conflict ?? '').trim().split(/\s/)[0] ?? '');
  await expect(view.getByRole('article', { name: "Bo's decision" })).toBeVisible();
  await expectAccessible(leadPage, 'Team: adjudication');
  await view.getByRole('button', { name: 'Edit a ruling' }).click();
  await expect(view.getByLabel('Ruling', { exact: true })).toBeVisible();
  await expectAccessible(leadPage, "Team: the lead's own ruling");
});
