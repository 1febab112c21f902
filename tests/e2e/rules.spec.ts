import { expect, test } from '@playwright/test';
import { AuReviewApp } from './pages/app';

const count = async (text: Promise<string | null>) => Number((await text)?.replace(/[^0-9]/g, ''));

test('editing a rule changes every count at once, persists, and resets to the built-in', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Overview');
  const atypicalBefore = await count(app.overview.verdictCount('atypical').textContent());
  expect(atypicalBefore).toBeLessThan(100);

  await app.goTo('Rules');
  await expect(app.rules.rule('Angrily disgusted')).toContainText(
    'Angrily disgusted: AU4 Brow Lowerer + AU10 Upper Lip Raiser + AU17 Chin Raiser',
  );
  await app.rules.editRule('Angrily disgusted', { 'Required AUs': '4+10+17+28+43' });
  await expect(app.rules.rule('Angrily disgusted')).toContainText(
    'AU28 Lip Suck + AU43 Eyes Closed',
  );
  await expect(page.getByText('edited', { exact: true })).toBeVisible();

  await app.goTo('Overview');
  // The recount runs in the analysis worker: the page may show the old count a moment.
  await expect
    .poll(() => count(app.overview.verdictCount('atypical').textContent()))
    .toBeGreaterThan(atypicalBefore);
  const atypicalAfter = await count(app.overview.verdictCount('atypical').textContent());

  await page.reload();
  await app.open();
  await app.goTo('Overview');
  await expect(app.overview.verdictCount('atypical')).toHaveText(String(atypicalAfter));

  await app.goTo('Rules');
  await page.getByRole('button', { name: 'Reset to built-in' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reset rules' }).click();
  await expect(page.getByText('built-in', { exact: true })).toBeVisible();
  await app.goTo('Overview');
  await expect(app.overview.verdictCount('atypical')).toHaveText(String(atypicalBefore));
});

test('a bad rule file is refused with its problems; export downloads the rules', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Rules');
  await page.getByLabel('Import rules').setInputFiles({
    name: 'my-rules.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"version": 1, "classes": [}'),
  });
  const alert = page.getByRole('alert').filter({ hasText: 'not imported' });
  await expect(alert).toContainText('my-rules.json');
  await expect(page.getByText('built-in', { exact: true })).toBeVisible();

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export rules (JSON)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.rules\.json$/);
  const exported = await download.path();
  // The exported file imports back unchanged.
  await page.getByLabel('Import rules').setInputFiles(exported);
  await expect(page.getByText('edited', { exact: true })).toBeVisible();
});

test('a heatmap cell lists exactly its samples', async ({ page }) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Overview');
  const cell = app.overview.heatmapCell('Happily surprised', 12);
  const title = (await cell.getAttribute('title')) ?? '';
  const present = Number(/: (\d+) of \d+ coded samples/.exec(title)?.[1]);
  expect(present).toBeGreaterThan(0);
  await cell.click();

  await expect(app.samples.shownCount).toHaveText(`${present} of 200 samples`);
  await expect(page.getByLabel('Filter by class')).toHaveValue('0');
  await expect(page.getByLabel('AUs present')).toHaveValue('12');
  const cards = page.getByRole('button', { name: /^Open sample / });
  await expect(cards.first()).toContainText('Happily surprised');
  await expect(cards.first()).toContainText('12');
});

test('filters by verdict and score, sorts worst first, and saves a filter by name', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  await app.open();
  await page.getByLabel('Filter by verdict').selectOption('atypical');
  await expect(app.samples.shownCount).not.toHaveText('200 of 200 samples');
  const failing = await count(
    app.samples.shownCount.textContent().then((t) => t?.split(' of')[0] ?? ''),
  );
  expect(failing).toBeGreaterThan(0);
  expect(failing).toBeLessThan(200);
  await page.getByLabel('Sort samples').selectOption('score-asc');

  await page.getByLabel('Filter name').fill('Atypical, least typical first');
  await page.getByRole('button', { name: 'Save filter' }).click();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(app.samples.shownCount).toHaveText('200 of 200 samples');

  await page.reload();
  await app.open();
  await page.getByLabel('Saved filters').selectOption({ label: 'Atypical, least typical first' });
  await expect(app.samples.shownCount).toHaveText(`${failing} of 200 samples`);
  await expect(page.getByLabel('Sort samples')).toHaveValue('score-asc');

  // The worst sample explains itself.
  await page
    .getByRole('button', { name: /^Open sample / })
    .first()
    .click();
  const check = page.getByRole('region', { name: 'Consistency check' });
  await expect(check.getByTestId('verdict')).toHaveText('atypical');
  await expect(check.getByRole('listitem').first()).toBeVisible();
});

test('null AU labels are counted per class and listed on a click', async ({ page }) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Overview');
  const nulls = await count(
    page
      .getByTestId('overview-null')
      .textContent()
      .then((t) => t?.split('(')[0] ?? ''),
  );
  await app.goTo('Samples');
  await page.getByLabel('Filter by AU label').selectOption('null');
  await expect(app.samples.shownCount).toHaveText(`${nulls} of 200 samples`);
  await page
    .getByRole('button', { name: /^Open sample / })
    .first()
    .click();
  await expect(
    page.getByRole('region', { name: 'Consistency check' }).getByTestId('verdict'),
  ).toHaveText('not-coded');
});
