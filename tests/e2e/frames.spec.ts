import { expect, test, type Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { AuReviewApp } from './pages/app';
import { ExportScreen, exportText } from './pages/export';
import { FramesView } from './pages/frames';

/**
 * A small Aff-Wild2 / ABAW AU set, written from the reference's specification: one .txt
 * per video, the AU header, then one 0/1/-1 line per frame (frame n = `<video>/n:05d.jpg`).
 * The `_left` and `_right` videos film two people of one recording, which the format
 * counts as one subject; `video10-1` is a subject of its own.
 */
const ABAW_AUS = [1, 2, 4, 6, 7, 10, 12, 15, 23, 24, 25, 26];
const HEADER = ABAW_AUS.map((au) => `AU${au}`).join(',');

/** A frame's line: the AUs present, or null for a frame not annotated (all -1). */
function abawFile(frames: (number[] | null)[]): Buffer {
  const lines = frames.map((present) =>
    ABAW_AUS.map((au) => (present === null ? -1 : present.includes(au) ? 1 : 0)).join(','),
  );
  return Buffer.from(`${HEADER}\n${lines.join('\n')}\n`);
}

const VIDEOS = {
  '118-30-640x480_left': [[6, 12, 25], [6, 12], [12], [12, 25]],
  '118-30-640x480_right': [[4], [4, 7], []],
  'video10-1': [[1, 2], null, [1, 2, 26], null, [25]],
} satisfies Record<string, (number[] | null)[]>;

async function importFrames(page: Page): Promise<AuReviewApp> {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Import');
  await app.importPage.chooseLabelFiles(
    Object.entries(VIDEOS).map(([video, frames]) => ({
      name: `${video}.txt`,
      mimeType: 'text/plain',
      buffer: abawFile(frames),
    })),
  );
  await expect(app.report.figure('samples-accepted')).toHaveText('12');
  await app.importPage.save('Three videos');
  return app;
}

test('subject and video filters narrow the grid, and a saved one survives a reload', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  const frames = new FramesView(page);
  await app.open();
  // The demo dataset is stills: no subject or video filter.
  await app.goTo('Samples');
  await expect(app.samples.shownCount).toBeVisible();
  await expect(frames.subjectFilter).toHaveCount(0);
  await expect(frames.videoFilter).toHaveCount(0);

  await importFrames(page);
  await app.goTo('Samples');
  await expect(app.samples.shownCount).toHaveText('12 of 12 samples');
  await frames.subjectFilter.selectOption({ label: '118-30-640x480' });
  await expect(app.samples.shownCount).toHaveText('7 of 12 samples');
  // Only the chosen subject's videos are offered.
  expect(await frames.videoChoices()).toEqual([
    'All videos',
    '118-30-640x480_left',
    '118-30-640x480_right',
  ]);
  await frames.videoFilter.selectOption({ label: '118-30-640x480_right' });
  await expect(app.samples.shownCount).toHaveText('3 of 12 samples');
  await expect(app.samples.card('118-30-640x480_right/00001.jpg')).toBeVisible();

  await page.getByLabel('Filter name').fill('Right side');
  await page.getByRole('button', { name: 'Save filter' }).click();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(app.samples.shownCount).toHaveText('12 of 12 samples');

  await page.reload();
  await app.open();
  await app.goTo('Samples');
  await page.getByLabel('Saved filters').selectOption({ label: 'Right side' });
  await expect(app.samples.shownCount).toHaveText('3 of 12 samples');
  await expect(frames.videoFilter.locator('option:checked')).toHaveText('118-30-640x480_right');
});

test('the sample view steps through the frames of one video by button and by [ and ]', async ({
  page,
}) => {
  const app = await importFrames(page);
  const frames = new FramesView(page);
  await app.goTo('Samples');
  await app.samples.openSample('video10-1/00002.jpg');
  await expect(frames.framePosition).toContainText('frame 2 of 5');
  await expect(frames.framePosition).toContainText('video10-1');

  await frames.nextFrame.click();
  await expect(frames.sampleName).toHaveText('video10-1/00003.jpg');
  await expect(frames.framePosition).toContainText('frame 3 of 5');
  await page.keyboard.press(']');
  await page.keyboard.press(']');
  await expect(frames.sampleName).toHaveText('video10-1/00005.jpg');
  // The last frame: no next one, and ] stays put.
  await expect(frames.nextFrame).toBeDisabled();
  await page.keyboard.press(']');
  await expect(frames.sampleName).toHaveText('video10-1/00005.jpg');

  for (let k = 0; k < 4; k++) await page.keyboard.press('[');
  await expect(frames.sampleName).toHaveText('video10-1/00001.jpg');
  await expect(frames.previousFrame).toBeDisabled();
  await expect(frames.nextFrame).toBeEnabled();
});

test('the overview counts frames per subject and video, and lists a subject', async ({ page }) => {
  const app = await importFrames(page);
  const frames = new FramesView(page);
  await app.goTo('Overview');
  // Subject, videos, frames, null rate, classes (an AU set names none).
  await expect(frames.subjectRow('118-30-640x480').getByRole('cell')).toHaveText([
    '118-30-640x480',
    '2',
    '7',
    '0.0%',
    '–',
  ]);
  await expect(frames.subjectRow('video10-1').getByRole('cell')).toHaveText([
    'video10-1',
    '1',
    '5',
    '40.0%',
    '–',
  ]);
  const videos = await frames.showVideos();
  // A header row and three videos.
  await expect(videos.getByRole('row')).toHaveCount(4);
  await expect(
    videos.getByRole('row').filter({ hasText: '118-30-640x480_right' }).getByRole('cell'),
  ).toHaveText(['118-30-640x480_right', '118-30-640x480', '3', '0.0%', '–']);

  await frames.subjectRow('video10-1').getByRole('button', { name: 'video10-1' }).click();
  await expect(app.samples.shownCount).toHaveText('5 of 12 samples');
});

test('a review set stratified by subject takes at most one frame of each video', async ({
  page,
}) => {
  const app = await importFrames(page);
  const frames = new FramesView(page);
  await app.goTo('Review');
  await frames.createRandomSet({
    reviewer: 'Ada',
    size: 10,
    seed: 7,
    strata: 'subject',
    maxPerVideo: 1,
    // Three videos, one frame each.
    expected: 3,
  });
  const videosSeen = new Set<string>();
  for (let k = 0; k < 3; k++) {
    const name = (await app.review.sampleName.textContent()) ?? '';
    videosSeen.add(name.slice(0, name.lastIndexOf('/')));
    await app.review.press('j');
  }
  expect([...videosSeen].sort()).toEqual([
    '118-30-640x480_left',
    '118-30-640x480_right',
    'video10-1',
  ]);

  await app.goTo('Review');
  await expect(page.getByRole('table', { name: 'Review sets' })).toContainText(
    'by subject, at most 1 a video',
  );
});

test('an ABAW set exports the same AU matrix and statistics layout as RAF-CE, and its files back as they came', async ({
  page,
}) => {
  const app = await importFrames(page);
  await app.goTo('Export');
  const files = await new ExportScreen(page).download();
  // The drop-in files: one per video, byte for byte as imported.
  for (const [video, frames] of Object.entries(VIDEOS))
    expect(exportText(files, `labels/${video}.txt`)).toBe(abawFile(frames).toString());
  // The matrix: the fixed columns, then the format's 12 AUs, whatever the set holds.
  const matrix = exportText(files, 'au_matrix.csv').trim().split('\n');
  expect(matrix[0]).toBe(
    ['image', 'class_id', 'class_name', 'split', ...ABAW_AUS.map((au) => `AU${au}`)].join(','),
  );
  expect(matrix).toHaveLength(1 + 12);
  const row = (image: string) => matrix.find((r) => r.startsWith(`${image},`))?.split(',') ?? [];
  // Not annotated is -1 everywhere; a frame with no AU active is 0 everywhere.
  expect(row('video10-1/00002.jpg').slice(4)).toEqual(Array(12).fill('-1'));
  expect(row('118-30-640x480_right/00003.jpg').slice(4)).toEqual(Array(12).fill('0'));
  expect(row('118-30-640x480_left/00001.jpg').slice(4)).toEqual(
    ABAW_AUS.map((au) => ([6, 12, 25].includes(au) ? '1' : '0')),
  );
  // The statistics the README's training snippet reads, in the matrix's AU order.
  const stats = JSON.parse(exportText(files, 'training_stats.json'));
  expect(stats.au.aus.map((a: { au: number }) => a.au)).toEqual(ABAW_AUS);
  expect(stats.au.coded).toBe(10);
  const au12 = stats.au.aus.find((a: { au: number }) => a.au === 12);
  expect(au12.positives).toBe(4);
  expect(au12.posWeight).toBeCloseTo(6 / 4, 6);
});

/** A PNG `width` pixels wide, drawn by the browser: its width tells which file is shown. */
async function pngOfWidth(page: Page, width: number): Promise<Uint8Array> {
  const bytes = await page.evaluate(async (width) => {
    const canvas = new OffscreenCanvas(width, 4);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.fillStyle = '#369';
    context.fillRect(0, 0, width, 4);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  }, width);
  return Uint8Array.from(bytes);
}

test('frames of two videos with the same number each show their own image, after a reload too', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  await app.open();
  // Aff-Wild2's layout: cropped_aligned/<video>/<frame>.jpg. Each video's images have
  // their own width, so a frame shown from the wrong video is seen.
  const widthOf: Record<string, number> = {
    '118-30-640x480_left': 3,
    '118-30-640x480_right': 5,
    'video10-1': 7,
  };
  const entries: Record<string, Uint8Array> = {};
  for (const [video, frames] of Object.entries(VIDEOS)) {
    entries[`labels/${video}.txt`] = Uint8Array.from(abawFile(frames));
    const png = await pngOfWidth(page, widthOf[video] as number);
    for (let n = 1; n <= frames.length; n++)
      entries[`cropped_aligned/${video}/${String(n).padStart(5, '0')}.jpg`] = png;
  }
  await app.goTo('Import');
  await app.importPage.chooseLabelFiles([
    { name: 'abaw.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(entries)) },
  ]);
  await expect(app.report.figure('samples-accepted')).toHaveText('12');
  const images = page.getByRole('region', { name: 'Images', exact: true });
  await expect(images).toContainText('0 labels without an image');
  await expect(images).toContainText('0 images without a label');
  await expect(page.getByText(/same image key|has the same key/)).toHaveCount(0);
  await app.importPage.save('Three videos with frames');

  await page.reload();
  await app.open();
  await app.goTo('Samples');
  for (const [video, width] of Object.entries(widthOf)) {
    const thumb = page.getByRole('img', { name: `Face ${video}/00001.jpg` });
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(width);
  }
});
