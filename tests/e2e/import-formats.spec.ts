import { expect, test } from '@playwright/test';
import { zipSync, strToU8 } from 'fflate';
import { readFileSync } from 'node:fs';
import { AuReviewApp, hasRafceFixtures, needsRafceFixtures, rafceFiles } from './pages/app';

/** A real 2x2 PNG, so that the browser decodes the thumbnails for real. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

function firstLines(file: string, n: number): string {
  return readFileSync(file, 'utf8').split('\n').slice(0, n).join('\n') + '\n';
}

test('a zip of RAF-CE labels and an aligned image folder matches images by name', async ({
  page,
}) => {
  test.skip(!hasRafceFixtures, needsRafceFixtures);
  const app = new AuReviewApp(page);
  await app.open();
  const [emotion, au, partition] = rafceFiles as [string, string, string];
  const zip = zipSync({
    'RAF-CE/RAFCE_emolabel.txt': strToU8(firstLines(emotion, 10)),
    'RAF-CE/RAFCE_AUlabel.txt': strToU8(firstLines(au, 10)),
    'RAF-CE/RAFCE_partition.txt': strToU8(firstLines(partition, 10)),
    // Aligned crops carry the _aligned suffix; 0001-0004 have images, the rest do not.
    'RAF-CE/aligned/0001_aligned.jpg': png,
    'RAF-CE/aligned/0002_aligned.jpg': png,
    'RAF-CE/aligned/0003_aligned.jpg': png,
    'RAF-CE/aligned/0004_aligned.jpg': png,
    'RAF-CE/aligned/9999_aligned.jpg': png,
    '__MACOSX/RAF-CE/._RAFCE_emolabel.txt': strToU8('resource fork'),
  });

  await app.goTo('Import');
  await app.importPage.chooseLabelFiles([
    { name: 'raf-ce.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) },
  ]);
  await expect(app.report.figure('samples-accepted')).toHaveText('10');
  const images = page.getByRole('region', { name: 'Images', exact: true });
  await expect(images).toContainText('6 labels without an image');
  await expect(images).toContainText('1 images without a label');
  await expect(images).toContainText('9999_aligned.jpg');
  await app.importPage.save('RAF-CE sample with images');

  await page.reload();
  await app.open();
  await app.goTo('Samples');
  await expect(app.samples.shownCount).toHaveText('10 of 10 samples');
  const thumb = page.getByRole('img', { name: 'Face 0002.jpg' });
  await expect
    .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBe(2);
  await expect(
    app.samples.card('0007.jpg').getByRole('img', { name: 'Image missing' }),
  ).toBeVisible();
  await page.getByLabel('Filter by image').selectOption('with');
  await expect(app.samples.shownCount).toHaveText('4 of 10 samples');
});

test('a damaged zip is named and nothing is stored', async ({ page }) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Import');
  await app.importPage.chooseLabelFiles([
    {
      name: 'broken.zip',
      mimeType: 'application/zip',
      buffer: Buffer.from('PK\u0003\u0004 not really'),
    },
  ]);
  await expect(page.getByRole('alert').filter({ hasText: 'broken.zip' })).toContainText(
    'not a readable zip archive',
  );
  await app.goTo('Datasets');
  await expect(app.datasets.rows).toHaveCount(2);
});

test('RAF-DB compound labels read with the compound scheme, splits from the name', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Import');
  const lines = ['train_00001.jpg 1', 'train_00002.jpg 11', 'train_00003.jpg 9', 'test_0001.jpg 4'];
  await app.importPage.chooseLabelFiles([
    {
      name: 'list_patition_label.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(lines.join('\n') + '\n'),
    },
  ]);
  await expect(app.report.figure('samples-accepted')).toHaveText('4');
  await expect(page.getByLabel('Label scheme')).toHaveValue('raf-db-compound');
  await expect(app.report.classRow('Disgustedly surprised')).toContainText('1');
  await expect(app.report.splitRow('train')).toContainText('3');
  await expect(app.report.splitRow('test')).toContainText('1');
});

test('a generic CSV is read through a column mapping the user can change', async ({ page }) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Import');
  const csv = [
    'file,expression,facs,partition,annotator_aus',
    '0001.jpg,Happily surprised,1+2+12+25,train,12',
    '0002.jpg,Sadly angry,4+15,test,4',
    '0003.jpg,Happily surprised,null,train,25',
  ].join('\n');
  await app.importPage.chooseLabelFiles([
    { name: 'labels.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) },
  ]);
  await expect(app.report.figure('samples-accepted')).toHaveText('3');
  await expect(app.report.figure('null-count')).toContainText('1');
  await expect(page.getByLabel('AU string')).toHaveValue('facs');

  // Point the AU column elsewhere: the report follows.
  await page.getByLabel('AU string').selectOption('annotator_aus');
  await expect(app.report.figure('null-count')).toContainText('0');
  await expect(app.report.tokenRow('12')).toContainText('AU12');
  await app.importPage.save('CSV labels');
  await app.goTo('Samples');
  await expect(app.samples.card('0002.jpg')).toContainText('Sadly angry');
});

test.describe('a large import runs in a worker', () => {
  test.setTimeout(180_000);

  /** A RAF-CE emotion file of n lines, and as many tiny aligned images as given. */
  function largeImport(n: number, images: number) {
    const lines: string[] = [];
    for (let i = 1; i <= n; i++) lines.push(`${String(i).padStart(7, '0')}.jpg ${i % 14}`);
    return [
      { name: 'RAFCE_emolabel.txt', mimeType: 'text/plain', buffer: Buffer.from(lines.join('\n')) },
      ...Array.from({ length: images }, (_, i) => ({
        name: `${String(i + 1).padStart(7, '0')}_aligned.png`,
        mimeType: 'image/png',
        buffer: png,
      })),
    ];
  }

  test('shows its reading and saving progress and, when cancelled, stores nothing', async ({
    page,
  }) => {
    const app = new AuReviewApp(page);
    await app.open();
    await app.goTo('Import');
    // The reading progress may show for well under a second: note each text it shows.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { readingProgress: string[] }).readingProgress = seen;
      new MutationObserver(() => {
        const status = document.querySelector('[role="status"][aria-label="Reading progress"]');
        const text = status?.textContent?.trim() ?? '';
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await app.importPage.chooseLabelFiles(largeImport(1_000_000, 0));
    await expect(app.report.figure('samples-accepted')).toHaveText('1,000,000', {
      timeout: 60_000,
    });
    const reading = await page.evaluate(
      () => (window as unknown as { readingProgress: string[] }).readingProgress,
    );
    expect(reading.length).toBeGreaterThan(0);
    // One file: no count of files.
    expect(reading.at(-1)).toMatch(/^[\d,]+ rows read \(\d+% of the bytes\) · .*Cancel reading$/);
    const rows = reading.map((text) =>
      Number(/([\d,]+) rows read/.exec(text)?.[1]?.replace(/,/g, '')),
    );
    expect(rows).toEqual([...rows].sort((a, b) => a - b));

    await app.importPage.saveButton.click();
    const progress = page.getByRole('status', { name: 'Import progress' });
    await expect(progress).toContainText(/of 1,000,000 rows/);
    await progress.getByRole('button', { name: 'Cancel import' }).click();
    await expect(page.getByText('The import was cancelled; nothing was stored.')).toBeVisible();

    await page.reload();
    await app.open();
    await app.goTo('Datasets');
    await expect(app.datasets.rows).toHaveCount(2);
  });

  test('reading a large file can be cancelled, and nothing is kept', async ({ page }) => {
    const app = new AuReviewApp(page);
    await app.open();
    await app.goTo('Import');
    // Three million lines take the worker a second or more to read: time to cancel.
    await app.importPage.chooseLabelFiles(largeImport(3_000_000, 0));
    const reading = page.getByRole('status', { name: 'Reading progress' });
    await reading.getByRole('button', { name: 'Cancel reading' }).click();
    await expect(page.getByText('Reading was cancelled; nothing was stored.')).toBeVisible();
    await expect(app.report.figure('samples-accepted')).toHaveCount(0);
    await expect(app.importPage.saveButton).toHaveCount(0);

    await page.reload();
    await app.open();
    await app.goTo('Datasets');
    await expect(app.datasets.rows).toHaveCount(2);
  });

  test('a large CSV shows its rows checked, and checking can be cancelled', async ({ page }) => {
    const app = new AuReviewApp(page);
    await app.open();
    await app.goTo('Import');
    const lines = ['image,emotion,au'];
    for (let i = 1; i <= 1_000_000; i++)
      lines.push(`${String(i).padStart(7, '0')}.jpg,${i % 7},${(i % 27) + 1}+12`);
    await app.importPage.chooseLabelFiles([
      { name: 'frames.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) },
    ]);
    const reading = page.getByRole('status', { name: 'Reading progress' });
    // A CSV is split into rows whole, then its rows are checked with their own count.
    await expect(reading).toContainText(/[\d,]+ of 1,000,000 rows checked · /, {
      timeout: 60_000,
    });
    await reading.getByRole('button', { name: 'Cancel reading' }).click();
    await expect(page.getByText('Reading was cancelled; nothing was stored.')).toBeVisible();
    await expect(reading).toHaveCount(0);
    await expect(app.report.figure('samples-accepted')).toHaveCount(0);

    // The import screen still works after the stop, with a new worker.
    await page.getByRole('button', { name: 'Start over' }).click();
    await app.importPage.chooseLabelFiles([
      { name: 'few.csv', mimeType: 'text/csv', buffer: Buffer.from('image,emotion\na.jpg,1\n') },
    ]);
    await expect(app.report.figure('samples-accepted')).toHaveText('1');

    await page.reload();
    await app.open();
    await app.goTo('Datasets');
    await expect(app.datasets.rows).toHaveCount(2);
  });

  test('completes with a progress bar and opens the dataset', async ({ page }) => {
    const app = new AuReviewApp(page);
    await app.open();
    await app.goTo('Import');
    await app.importPage.chooseLabelFiles(largeImport(300_000, 0));
    await expect(app.report.figure('samples-accepted')).toHaveText('300,000', { timeout: 60_000 });
    await app.importPage.save('Three hundred thousand');
    await app.goTo('Samples');
    await expect(app.samples.shownCount).toHaveText('300,000 of 300,000 samples');
    await page.getByLabel('Filter by class').selectOption({ label: 'Happily sad' });
    await expect(app.samples.shownCount).toHaveText('21,428 of 300,000 samples');
  });
});

test('a linked image folder is read on demand, never copied, and still there after a reload', async ({
  page,
}) => {
  test.skip(!hasRafceFixtures, needsRafceFixtures);
  // The browser's folder picker cannot be driven headless: hand the app a real directory
  // handle from the origin-private file system instead, through the same API.
  await page.addInitScript(() => {
    (
      window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }
    ).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle('aligned');
  });
  const app = new AuReviewApp(page);
  await app.open();
  await page.evaluate(async (bytes) => {
    const root = await navigator.storage.getDirectory();
    const folder = await root.getDirectoryHandle('aligned', { create: true });
    for (const name of ['0001_aligned.png', '0002_aligned.png', '0003_aligned.png']) {
      const writable = await (await folder.getFileHandle(name, { create: true })).createWritable();
      await writable.write(new Uint8Array(bytes));
      await writable.close();
    }
  }, Array.from(png));

  await app.goTo('Import');
  const [emotion] = rafceFiles as [string];
  await app.importPage.chooseLabelFiles([
    {
      name: 'RAFCE_emolabel.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(firstLines(emotion, 6)),
    },
  ]);
  await page.getByRole('button', { name: 'Link an image folder (read on demand)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Linked folder' })).toContainText(
    '3 images',
  );
  const images = page.getByRole('region', { name: 'Images', exact: true });
  await expect(images).toContainText('3 labels without an image');
  await app.importPage.save('Linked folder');

  const storedImages = () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('au-review');
          open.onsuccess = () => {
            const count = open.result.transaction('images').objectStore('images').count();
            count.onsuccess = () => resolve(count.result);
            count.onerror = () => reject(count.error);
          };
          open.onerror = () => reject(open.error);
        }),
    );
  expect(await storedImages()).toBe(200); // the demo's, and none of the linked folder's

  await page.reload();
  await app.open();
  await app.goTo('Samples');
  await expect(app.samples.shownCount).toHaveText('6 of 6 samples');
  const thumb = page.getByRole('img', { name: 'Face 0003.jpg' });
  await expect
    .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBe(2);
  await expect(
    app.samples.card('0004.jpg').getByRole('img', { name: 'Image missing' }),
  ).toBeVisible();
});

test('hostile files: every refusal names its file or entry, its line and its reason', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Import');

  // A zip whose entry climbs out of it, and a zip inside a zip: listed, not dropped.
  await app.importPage.chooseLabelFiles([
    'tests/fixtures/hostile/path-traversal.zip',
    'tests/fixtures/hostile/nested.zip',
  ]);
  const chosen = app.importPage.chosenFiles;
  await expect(
    chosen.getByRole('alert').filter({ hasText: '../../RAFCE_emolabel.txt' }),
  ).toHaveText(
    "path-traversal.zip › ../../RAFCE_emolabel.txt: a path that leads out of the archive ('..'); not read",
  );
  await expect(chosen.getByRole('alert').filter({ hasText: 'inner.zip' })).toHaveText(
    'nested.zip › inner.zip: nested archive not opened: unzip it first',
  );
  await expect(app.report.figure('samples-accepted')).toHaveText('2');
  await app.importPage.startOver();

  // Repeated column names: made unique in the mapping form, reported, and selectable.
  await app.importPage.chooseLabelFiles(['tests/fixtures/hostile/repeated-columns.csv']);
  await expect(app.report.figure('samples-accepted')).toHaveText('2');
  await expect(app.report.problems.filter({ hasText: 'column names repeated' })).toContainText(
    "shown as 'image' as 'image (2)', 'emotion' as 'emotion (2)'",
  );
  // The menu's name starts with its label (the options, holding 'emotion', follow it).
  const emotionMenu = page.getByRole('combobox', { name: /^Emotion/ });
  await emotionMenu.selectOption('emotion (2)');
  await expect(emotionMenu).toHaveValue('emotion (2)');
  await expect(app.report.classRow('sad')).toContainText('1');
  await app.importPage.startOver();

  // 20,000 columns: refused with a message, the page stays responsive.
  const header = ['image', ...Array.from({ length: 19_999 }, (_, i) => `c${i}`)].join(',');
  await app.importPage.chooseLabelFiles([
    { name: 'wide.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${header}\n`) },
  ]);
  await expect(app.report.problems.filter({ hasText: '20,000 columns' })).toContainText(
    'more than the 1,000 this importer reads; the file is not read',
  );
  await expect(emotionMenu).toHaveCount(0);

  // Lone CR line ends: said as such.
  await app.importPage.startOver();
  await app.importPage.chooseLabelFiles(['tests/fixtures/hostile/lone-cr/RAFCE_emolabel.txt']);
  await expect(app.report.problems.filter({ hasText: 'carriage return' })).toContainText(
    'lines ending in CR alone (classic Mac OS) are not read',
  );
  expect(pageErrors).toEqual([]);
});

test('files are told by their content: renamed RAF-CE files are read, the screen says how and asks when unsure', async ({
  page,
}) => {
  test.skip(!hasRafceFixtures, needsRafceFixtures);
  const app = new AuReviewApp(page);
  await app.open();
  const [emotion, au, partition] = rafceFiles as [string, string, string];
  await app.goTo('Import');
  await app.importPage.chooseLabelFiles([
    { name: 'classes.txt', mimeType: 'text/plain', buffer: Buffer.from(firstLines(emotion, 20)) },
    { name: 'codes.txt', mimeType: 'text/plain', buffer: Buffer.from(firstLines(au, 20)) },
    { name: 'parts.txt', mimeType: 'text/plain', buffer: Buffer.from(firstLines(partition, 20)) },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('my notes on the set\n') },
  ]);
  await expect(app.report.figure('samples-accepted')).toHaveText('20');
  await expect(
    page.getByRole('status').filter({ hasText: 'Not sure what these files are' }),
  ).toContainText('by content alone');
  const importPage = app.importPage;
  await expect(importPage.fileRow('codes.txt').getByRole('combobox')).toHaveValue('au');
  await expect(importPage.fileRow('classes.txt')).toContainText('class ids after image names');
  await expect(importPage.fileRow('notes.txt')).toContainText(
    'Not read: not a label file this importer knows',
  );
  // The user says the partition file holds emotion labels instead: the classes now clash.
  await importPage.fileRow('parts.txt').getByRole('combobox').selectOption('emotion');
  await expect(importPage.fileRow('parts.txt')).toContainText('as you said');
  await expect(importPage.fileRow('classes.txt')).toContainText(
    'Not read: a second RAF-CE emotion file',
  );
  // Said plainly: RAF-CE, and the notice goes.
  await importPage.format.selectOption('raf-ce');
  await expect(page.getByText('Not sure what these files are')).toHaveCount(0);
  await expect(importPage.fileRow('parts.txt').getByRole('combobox')).toHaveValue('split');
  await importPage.save('Renamed RAF-CE');
  await page.reload();
  await app.open();
  await app.goTo('Samples');
  await expect(app.samples.shownCount).toHaveText('20 of 20 samples');
});
