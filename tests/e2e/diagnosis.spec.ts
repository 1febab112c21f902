import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import {
  AuReviewApp,
  hasRafceFixtures,
  needsRafceFixtures,
  rafceFiles,
  repoRoot,
} from './pages/app';

/** RAF-CE class ids to their two components, in RAF-ML's column order (surprise fear disgust happy sad anger). */
const COMPONENTS: Record<string, [number, number]> = {
  '0': [3, 0],
  '1': [3, 2],
  '2': [4, 1],
  '3': [4, 5],
  '4': [4, 0],
  '5': [4, 2],
  '6': [1, 5],
  '7': [1, 0],
  '8': [1, 2],
  '9': [5, 0],
  '10': [5, 2],
  '11': [2, 0],
  '12': [3, 1],
  '13': [3, 4],
};

/**
 * A crowd-vote file in RAF-ML's format for the RAF-CE images (the real distribution.txt is
 * not among the fixtures): each image's class components lead, except that the votes of
 * classes 0 and 7 read as each other's, as a wrong class-name map would.
 */
function crowdFile(): Buffer {
  const lines = fs
    .readFileSync(rafceFiles[0] as string, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [image = '', id = ''] = line.trim().split(/\s+/);
      const swapped = id === '0' ? '7' : id === '7' ? '0' : id;
      const [a, b] = COMPONENTS[swapped] ?? [0, 1];
      const shares = [0.05, 0.05, 0.05, 0.05, 0.05, 0.05];
      shares[a] = 0.45;
      shares[b] = 0.35;
      return `${image} ${shares.map((s) => s.toFixed(2)).join(' ')}`;
    });
  return Buffer.from(`${lines.join('\n')}\n`);
}

test('after importing RAF-CE, the diagnosis answers the post-mortem, weighs crowd votes and exports Markdown', async ({
  page,
}) => {
  test.skip(!hasRafceFixtures, needsRafceFixtures);
  test.setTimeout(120_000);
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Import');
  await app.importPage.chooseLabelFiles(rafceFiles);
  await app.importPage.save('RAF-CE');

  // Straight from the parse report to the diagnosis.
  await page.getByRole('button', { name: 'Next: the diagnosis' }).click();
  await expect(page.getByRole('heading', { name: 'Diagnosis: RAF-CE' })).toBeVisible();
  const summary = page.getByRole('region', { name: 'Summary' });
  await expect(summary).toContainText('4,549 samples; 5.5% have null AU labels.');
  await expect(summary).toContainText(/AU labels predict the class \d\d% of the time out of fold/, {
    timeout: 60_000,
  });
  await expect(summary).toContainText(/labels are likely wrong/);
  const predict = page.getByRole('region', { name: 'How well the AU labels predict the emotion' });
  await expect(predict).toContainText('out of fold');
  await expect(predict.getByRole('img')).toBeVisible();
  const hallmarks = page.getByRole('region', { name: /Hallmark consistency/ });
  await expect(hallmarks).toContainText(/show a hallmark AU of both of their components/);
  const issues = page.getByRole('region', { name: 'Estimated label issues per class' });
  await expect(issues).toContainText("Confident learning's raw estimate");
  await expect(issues).toContainText('with a model that is right');

  // Crowd votes: a file whose class 0 and 7 votes are each other's.
  await page.getByLabel('Crowd votes file (distribution.txt)').setInputFiles({
    name: 'distribution.txt',
    mimeType: 'text/plain',
    buffer: crowdFile(),
  });
  await page.getByRole('button', { name: 'Save crowd votes' }).click();
  const crowd = page.getByRole('region', { name: 'Agreement with the crowd' });
  await expect(crowd).toContainText('distribution.txt', { timeout: 60_000 });
  await expect(crowd).toContainText(/Class id 0 is named Happily surprised/);
  await expect(crowd).toContainText(/Check the class-name map/);

  // The crowd votes persist.
  await page.reload();
  await app.open();
  await expect(page.getByRole('region', { name: 'Agreement with the crowd' })).toContainText(
    /Class id 7 is named Fearfully surprised/,
    { timeout: 60_000 },
  );

  await expect(
    page.getByRole('region', { name: 'How well the AU labels predict the emotion' }),
  ).toBeVisible({ timeout: 60_000 });
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download Markdown' }).click();
  const markdown = fs.readFileSync((await (await downloading).path()) as string, 'utf8');
  expect(markdown).toMatch(/^# Diagnosis: RAF-CE/);
  expect(markdown).toContain('## How well the AU labels predict the emotion');
  expect(markdown).toContain('![How well the AU labels predict the emotion](au-confusion.png)');

  await page.screenshot({ path: path.join(repoRoot, 'test-results', 'diagnosis-rafce.png') });
});
