import { expect, test } from '@playwright/test';
import { AuReviewApp, hasRafceFixtures, needsRafceFixtures, rafceFiles } from './pages/app';
import { ModelsPage } from './pages/models';
import {
  goodRunCsv,
  targetDumpCsv,
  targetDumpNpy,
  worseRunCsv,
} from '../support/prediction-fixtures';

test('two runs and a loader dump beside RAF-CE: the comparison, the AU scores and the loader finding, kept across a reload', async ({
  page,
}) => {
  test.skip(!hasRafceFixtures, needsRafceFixtures);
  test.setTimeout(180_000);
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Import');
  await app.importPage.chooseLabelFiles(rafceFiles);
  await app.importPage.save('RAF-CE');

  const models = new ModelsPage(page);
  await models.open();
  await models.importRun('baseline', goodRunCsv());
  await models.importRun('multi-task', worseRunCsv());

  // Run against run: accuracy with intervals, recall per class, McNemar, the heatmaps.
  await expect(models.accuracy).toContainText(/baseline \d+\.\d% \(\d+\.\d–\d+\.\d%\)/, {
    timeout: 60_000,
  });
  await expect(models.accuracy).toContainText('multi-task');
  await expect(models.accuracy).toContainText('McNemar');
  await expect(models.recallPerClass.getByRole('row')).toHaveCount(15);
  await expect(models.recallPerClass).toContainText('yes (p');
  await expect(models.chart('Confusion of baseline (share of each label)')).toBeVisible();
  await expect(
    models.chart('Where multi-task predicts more than baseline (samples)'),
  ).toBeVisible();
  await expect(
    page.getByRole('button', { name: /^Review the [\d,]+ samples baseline gets right/ }),
  ).toBeEnabled();
  await expect(models.auScores('baseline')).toBeVisible();
  await expect(page.getByRole('region', { name: 'AU scores of baseline' })).toContainText(
    'macro-F1',
  );

  // The loader bug: all-zero targets for coded samples.
  await models.checkLoaderDump(targetDumpCsv('all-zero-coded'));
  await expect(models.loaderFindings).toContainText(/all-zero/i, { timeout: 30_000 });
  await expect(models.loaderFindings.getByRole('article', { name: /all-zero/i })).toContainText(
    /\d+ of \d+/,
  );

  // The diagnosis leads with what the training code read, before any label finding.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Diagnosis' })
    .click();
  await expect(
    page.getByRole('region', { name: 'Summary' }).getByRole('listitem').first(),
  ).toHaveText(
    'The AU targets your training code used are all zero for the 4,298 coded samples: the loader never read the AU labels.',
  );
  await expect(page.locator('section.finding h3').first()).toHaveText(
    'What the training code read',
  );

  // Each run's prediction beside the label, and the runs weighed in as evidence (held-out samples only).
  await app.goTo('Samples');
  await app.samples.openSample('0002.jpg');
  const runs = page.getByRole('region', { name: 'Trained runs' });
  await expect(runs.getByRole('row', { name: /^baseline/ })).toBeVisible();
  await expect(runs.getByRole('row', { name: /^multi-task/ })).toBeVisible();
  const sources = page.getByRole('region', { name: 'Evidence about the label' });
  await expect(sources).toContainText('Model predictions: baseline', { timeout: 60_000 });
  await expect(sources).toContainText('held-out samples only, not train');
  await models.open();

  // The page scrolls inside the app's main area: a tall window shows all of it at once.
  await page.setViewportSize({ width: 1400, height: 5600 });
  await page.screenshot({ path: test.info().outputPath('models.png') });
  await page.setViewportSize({ width: 1400, height: 900 });

  // The samples only the baseline gets right, as a filter of the grid and as a review set.
  const onlyBaseline = page.getByRole('button', {
    name: /^Review the [\d,]+ samples baseline gets right/,
  });
  const count = /Review the ([\d,]+) samples/.exec((await onlyBaseline.textContent()) ?? '')?.[1];
  await page
    .getByRole('button', { name: 'Show in the grid: baseline right, multi-task wrong' })
    .click();
  await expect(app.samples.shownCount).toHaveText(`${count} of 4,549 samples`);
  await expect(page.getByLabel('Filter by run baseline')).toHaveValue('right');
  await expect(page.getByLabel('Filter by run multi-task')).toHaveValue('wrong');
  await models.open();
  await onlyBaseline.click();
  await expect(page).toHaveURL(/#\/review\/[^/]+\/0$/);
  await models.open();

  await page.reload();
  await app.open();
  await models.open();
  await expect(models.runs.getByRole('row')).toHaveCount(3);
  await expect(models.runs).toContainText('baseline');
  await expect(models.runs).toContainText('multi-task');
  await expect(models.loaderFindings).toContainText(/all-zero/i);
  await expect(models.accuracy).toContainText('multi-task', { timeout: 60_000 });

  await models.removeRun('multi-task');
  await page.reload();
  await app.open();
  await models.open();
  await expect(models.runs.getByRole('row')).toHaveCount(2);

  // With one run left, its own figures; no comparison.
  await expect(page.getByRole('region', { name: 'Emotion accuracy of baseline' })).toContainText(
    /65\.\d% \(/,
    { timeout: 60_000 },
  );
  await expect(models.accuracy).toHaveCount(0);
});

test('logits are made probabilities and said so, bad rows are listed, and an .npy dump that reads null as 0 is found', async ({
  page,
}) => {
  test.skip(!hasRafceFixtures, needsRafceFixtures);
  test.setTimeout(120_000);
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Import');
  await app.importPage.chooseLabelFiles(rafceFiles);
  await app.importPage.save('RAF-CE');
  const models = new ModelsPage(page);
  await models.open();

  // Logits for three images, a row with NaN, and a row for an image the dataset lacks.
  const classes = Array.from({ length: 14 }, (_, i) => i);
  const logits = (hot: number) => classes.map((c) => (c === hot ? '2.5' : '-1.25')).join(',');
  const csv = [
    `image,${classes.map((c) => `logit_${c}`).join(',')}`,
    `0001.jpg,${logits(0)}`,
    `0002.jpg,${logits(3)}`,
    `0003.jpg,${classes.map(() => 'NaN').join(',')}`,
    `0004.jpg,${logits(5)}`,
    `no-such-image.jpg,${logits(1)}`,
  ].join('\n');
  await models.readRun('logit run', { name: 'logits.csv', bytes: new TextEncoder().encode(csv) });
  await expect(models.preview).toContainText('turned into probabilities with a softmax');
  const problems = page.getByRole('table', { name: 'Problems in the predictions' });
  await expect(problems).toContainText('logits.csv');
  await expect(problems.getByRole('row', { name: /NaN/ }).first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Column mapping' })).toBeVisible();
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(models.preview).toHaveCount(0);
  await expect(page.getByText('No run imported yet for this dataset.')).toBeVisible();

  const dump = targetDumpNpy('null-as-zero');
  await models.checkLoaderNpy(dump.npy, dump.imageList, dump.auList);
  await expect(models.loaderFindings).toContainText(/null/i, { timeout: 30_000 });
  await page.reload();
  await app.open();
  await models.open();
  await expect(models.loaderFindings).toContainText(/null/i);
});
