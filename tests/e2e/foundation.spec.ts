import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { AuReviewApp, hasRafceFixtures, needsRafceFixtures, rafceFiles } from './pages/app';

const demoName = 'Demo: synthetic faces (RAF-CE format)';

test.describe('first visit', () => {
  test('opens on the built-in demo dataset with drawn faces', async ({ page }) => {
    const app = new AuReviewApp(page);
    await app.open();
    await expect(app.datasetSelect).toContainText(demoName);
    await expect(app.samples.shownCount).toHaveText(/^200 of 200 samples$/);
    // Thumbnails are the generated faces, decoded by the browser.
    const firstThumb = page.getByRole('img', { name: 'Face 0001.jpg' });
    await expect(firstThumb).toBeVisible();
    await expect
      .poll(() => firstThumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
  });

  test('a reload keeps the demo and does not add a second copy', async ({ page }) => {
    const app = new AuReviewApp(page);
    await app.open();
    await page.reload();
    await app.open();
    await app.goTo('Datasets');
    await expect(app.datasets.rows.filter({ hasText: demoName })).toHaveCount(1);
  });
});

test('importing the real RAF-CE label files shows the parse report, and a reload keeps them', async ({
  page,
}) => {
  test.skip(!hasRafceFixtures, needsRafceFixtures);
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Import');
  await app.importPage.chooseLabelFiles(rafceFiles);

  const report = app.report;
  await expect(report.figure('samples-accepted')).toHaveText('4,549');
  await expect(report.figure('rows-read')).toHaveText('13,647');
  await expect(report.figure('null-count')).toContainText('251');
  await expect(report.splitRow('train')).toContainText('2,709');
  await expect(report.splitRow('test')).toContainText('909');
  await expect(report.splitRow('validation')).toContainText('931');
  await expect(report.classRow('Angrily disgusted')).toContainText('977');
  await expect(report.classRow('Happily fearful')).toContainText('11');
  await expect(report.tokenRow('25')).toContainText('2,785');
  await expect(report.tokenRow('RB18')).toContainText('unknown');

  await app.importPage.save('RAF-CE labels');
  await expect(app.datasetSelect).toHaveValue(/.+/);
  await expect(app.datasetSelect.locator('option:checked')).toHaveText(/RAF-CE labels \(4,549\)/);

  await page.reload();
  await app.open();
  await app.goTo('Parse report');
  await expect(report.figure('samples-accepted')).toHaveText('4,549');
  await app.goTo('Samples');
  await expect(app.samples.shownCount).toHaveText('4,549 of 4,549 samples');
  // Labels without images stay usable: placeholders and the AU string.
  await expect(app.samples.card('0001.jpg')).toContainText('Sadly disgusted');
  await expect(app.samples.card('0001.jpg')).toContainText('1+4+25');
  await expect(
    app.samples.card('0001.jpg').getByRole('img', { name: 'Image missing' }),
  ).toBeVisible();
  // Both datasets live side by side.
  await app.goTo('Datasets');
  await expect(app.datasets.rows).toHaveCount(3);
});

test('filtering the grid to null AU labels', async ({ page }) => {
  const app = new AuReviewApp(page);
  await app.open();
  await page.getByLabel('Filter by AU label').selectOption('null');
  await expect(app.samples.shownCount).not.toHaveText('200 of 200 samples');
  const shown = await app.samples.shownCount.textContent();
  const nullCount = Number(shown?.split(' ')[0]);
  expect(nullCount).toBeGreaterThan(0);
  expect(nullCount).toBeLessThan(200);
  await expect(page.getByRole('listitem').first()).toContainText('null');
});

test('a sample opens on the canvas, zooms with the wheel and pans by dragging', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.samples.openSample('0001.jpg');
  const sample = page.getByRole('region', { name: 'Sample 0001.jpg' });
  await expect(sample.getByRole('list', { name: 'Action units' })).toBeVisible();
  await expect(sample.getByRole('listitem').first()).toContainText(/AU\d+/);

  const canvas = app.samples.canvas;
  await expect(canvas).toBeVisible();
  await expect(app.samples.zoomLevel).not.toHaveText('100%');
  const fitted = Number((await app.samples.zoomLevel.textContent())?.replace('%', ''));

  const box = await canvas.boundingBox();
  if (!box) throw new Error('canvas has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -400);
  await expect
    .poll(async () => Number((await app.samples.zoomLevel.textContent())?.replace('%', '')))
    .toBeGreaterThan(fitted * 1.3);

  // Dragging moves the face: the centre pixel changes.
  const before = await canvas.screenshot();
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 60, { steps: 6 });
  await page.mouse.up();
  const after = await canvas.screenshot();
  expect(Buffer.compare(before, after)).not.toBe(0);

  await page.getByRole('button', { name: 'Fit' }).click();
  await expect(app.samples.zoomLevel).toHaveText(`${fitted}%`);

  // The keyboard moves between samples.
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('region', { name: 'Sample 0002.jpg' })).toBeVisible();
});

test('a broken label file shows what is wrong and stores nothing', async ({ page }) => {
  test.skip(!hasRafceFixtures, needsRafceFixtures);
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Datasets');
  await expect(app.datasets.rows).toHaveCount(2);

  await app.goTo('Import');
  const junk = Buffer.from([0x00, 0xff, 0xfe, 0x13, 0x00, 0x9c, 0x00, 0x00, 0x01, 0x02]);
  await app.importPage.chooseLabelFiles([
    { name: 'RAFCE_emolabel.txt', mimeType: 'text/plain', buffer: junk },
  ]);
  await expect(
    page.getByRole('alert').filter({ hasText: 'No sample could be read' }),
  ).toBeVisible();
  await expect(app.report.problems.filter({ hasText: 'RAFCE_emolabel.txt' })).not.toHaveCount(0);
  await expect(app.importPage.saveButton).toBeDisabled();

  // A file with one bad line names the file, the line and the raw text.
  await page.getByRole('button', { name: 'Start over' }).click();
  const text = readFileSync(rafceFiles[0] ?? '', 'utf8')
    .split('\n')
    .slice(0, 5);
  text[2] = '0003.jpg fourteen';
  await app.importPage.chooseLabelFiles([
    { name: 'RAFCE_emolabel.txt', mimeType: 'text/plain', buffer: Buffer.from(text.join('\n')) },
  ]);
  const problem = app.report.problems.filter({ hasText: 'fourteen' });
  await expect(problem).toContainText('RAFCE_emolabel.txt');
  await expect(problem.getByRole('cell').nth(2)).toHaveText('3');
  await expect(app.report.figure('samples-accepted')).toHaveText('4');

  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.reload();
  await app.open();
  await app.goTo('Datasets');
  await expect(app.datasets.rows).toHaveCount(2);
});

test('datasets can be renamed, switched and deleted after confirmation', async ({ page }) => {
  test.skip(!hasRafceFixtures, needsRafceFixtures);
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Import');
  await app.importPage.chooseLabelFiles(rafceFiles.slice(0, 1));
  await app.importPage.save('Emotions only');

  await app.goTo('Datasets');
  await app.datasets.rename('Emotions only', 'RAF-CE emotions');
  await expect(app.datasets.row('RAF-CE emotions')).toBeVisible();

  await app.datasetSelect.selectOption({ label: 'Demo: synthetic faces (RAF-CE format) (200)' });
  await app.goTo('Samples');
  await expect(app.samples.shownCount).toHaveText('200 of 200 samples');

  await app.goTo('Datasets');
  await app.datasets.delete('RAF-CE emotions');
  await expect(app.datasets.row('RAF-CE emotions')).toHaveCount(0);
  await page.reload();
  await app.open();
  await app.goTo('Datasets');
  await expect(app.datasets.row('RAF-CE emotions')).toHaveCount(0);
  await expect(app.datasets.row(demoName)).toHaveCount(1);
});

test('class and split names can be edited and survive a reload', async ({ page }) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Parse report');
  await page.getByRole('button', { name: 'Edit class and split names' }).click();
  const form = page.getByRole('form', { name: 'Class and split names' });
  await form.getByLabel('Split 1').fill('validation');
  await form.getByLabel('Split 2').fill('test');
  await form.getByLabel('Class 0', { exact: true }).fill('Happily surprised (HS)');
  await form.getByRole('button', { name: 'Save names' }).click();

  await page.reload();
  await app.open();
  await app.goTo('Parse report');
  const splitIds = page.getByRole('table', { name: 'Samples per split' }).getByRole('row');
  await expect(splitIds.filter({ hasText: /^1/ })).toContainText('validation');
  await expect(app.report.classRow('Happily surprised (HS)')).toBeVisible();
  await app.goTo('Samples');
  await app.samples.openSample('0004.jpg');
  await expect(page.getByTestId('sample-class')).toContainText('Happily surprised (HS)');
});
