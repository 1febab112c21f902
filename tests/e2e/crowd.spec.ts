import { expect, test, type Locator, type Page } from '@playwright/test';
import path from 'node:path';
import { AuReviewApp, brokenFixtures } from './pages/app';

/** RAF-ML distribution.txt files written for the demo dataset (see tests/fixtures/README.md). */
const badFile = path.join(brokenFixtures, 'crowd/bad-distribution.txt');
const demoFile = path.join(brokenFixtures, 'crowd/demo-distribution.txt');

async function openDiagnosis(page: Page): Promise<Locator> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Diagnosis', exact: true })
    .click();
  const panel = page.getByRole('region', { name: 'Crowd votes', exact: true });
  await expect(panel).toBeVisible();
  return panel;
}

test('importing crowd votes reports each bad row, saves the good ones, and a reload keeps them', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  await app.open();
  let panel = await openDiagnosis(page);
  await expect(panel).toContainText('This dataset has no crowd votes yet.');

  await panel.getByLabel('Crowd votes file (distribution.txt)').setInputFiles(badFile);

  // The report: 10 rows, 4 of them give a demo sample its shares.
  await expect(
    panel.getByRole('heading', { name: 'Read from bad-distribution.txt' }),
  ).toBeVisible();
  await expect(panel).toContainText(/Rows read\s*10(?!\d)/);
  await expect(panel).toContainText(/Rows accepted\s*4(?!\d)/);
  await expect(panel).toContainText(/Rows rejected\s*5(?!\d)/);
  await expect(panel).toContainText(/Samples matched\s*4\s*of 200/);

  const problems = panel.getByRole('table', { name: 'Crowd file problems' });
  const expected: [line: number, severity: 'error' | 'warning', reason: RegExp][] = [
    [3, 'error', /expected 7 fields .*found 5; row rejected/],
    [4, 'error', /share -0\.10 is negative; row rejected/],
    [5, 'error', /'abc' is not a number; row rejected/],
    [6, 'error', /shares sum to 0\.6, not 1/],
    [7, 'warning', /image '9999\.jpg' is not in the dataset; row skipped/],
    [8, 'error', /image '0001\.jpg' already given on line 1; this row is rejected/],
  ];
  // Header row plus one row per problem; the good lines (1, 2, 9, 10) have none.
  await expect(problems.getByRole('row')).toHaveCount(expected.length + 1);
  for (const [line, severity, reason] of expected) {
    const row = problems
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: String(line), exact: true }) });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('bad-distribution.txt');
    await expect(row).toContainText(severity);
    await expect(row).toContainText(reason);
  }

  await panel.getByRole('button', { name: 'Save crowd votes' }).click();
  await expect(
    panel.getByText(/Crowd votes from bad-distribution\.txt cover\s*4\s*of 200 samples/),
  ).toBeVisible();
  // The report is gone once saved.
  await expect(problems).toHaveCount(0);

  await page.reload();
  await app.open();
  panel = await openDiagnosis(page);
  await expect(
    panel.getByText(/Crowd votes from bad-distribution\.txt cover\s*4\s*of 200 samples/),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Agreement with the crowd' })).toBeVisible();
});

test('a file that names no sample of the dataset cannot be saved', async ({ page }) => {
  const app = new AuReviewApp(page);
  await app.open();
  const panel = await openDiagnosis(page);
  await panel.getByLabel('Crowd votes file (distribution.txt)').setInputFiles({
    name: 'distribution.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('9998.jpg 0.40 0.35 0.10 0.05 0.05 0.05\n'),
  });
  await expect(panel.getByRole('alert')).toContainText(
    "none of the file's 1 rows names an image of the dataset",
  );
  await expect(panel.getByRole('button', { name: 'Save crowd votes' })).toBeDisabled();
  await panel.getByRole('button', { name: 'Discard' }).click();
  await expect(panel.getByRole('table', { name: 'Crowd file problems' })).toHaveCount(0);
  await expect(panel).toContainText('This dataset has no crowd votes yet.');
});

test('crowd votes for every demo sample can be saved and removed', async ({ page }) => {
  const app = new AuReviewApp(page);
  await app.open();
  const panel = await openDiagnosis(page);
  await panel.getByLabel('Crowd votes file (distribution.txt)').setInputFiles(demoFile);
  await expect(panel).toContainText(/Samples matched\s*200\s*of 200/);
  await panel.getByRole('button', { name: 'Save crowd votes' }).click();
  await expect(
    panel.getByText(/Crowd votes from demo-distribution\.txt cover\s*200\s*of 200 samples/),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Agreement with the crowd' })).toBeVisible();

  await panel.getByRole('button', { name: 'Remove crowd votes' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('demo-distribution.txt');
  await dialog.getByRole('button', { name: 'Remove crowd votes' }).click();
  await expect(panel).toContainText('This dataset has no crowd votes yet.');
  await expect(page.getByRole('heading', { name: 'Agreement with the crowd' })).toHaveCount(0);
});
