import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { AuReviewApp, hasRafceFixtures, needsRafceFixtures, rafceFiles } from './pages/app';

/** A 400x300 PNG drawn by the browser: big enough that its thumbnail (192 px) differs. */
async function drawPng(page: Page): Promise<Buffer> {
  const bytes = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(400, 300);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    const gradient = context.createLinearGradient(0, 0, 400, 300);
    gradient.addColorStop(0, '#c96');
    gradient.addColorStop(1, '#369');
    context.fillStyle = gradient;
    context.fillRect(0, 0, 400, 300);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  return Buffer.from(bytes);
}

interface StoredThumbnail {
  datasetId: string;
  key: string;
  type: string;
  size: number;
}

/** Every thumbnail in the app's IndexedDB database, read directly (not through the app). */
function storedThumbnails(page: Page): Promise<StoredThumbnail[]> {
  return page.evaluate(
    () =>
      new Promise<StoredThumbnail[]>((resolve, reject) => {
        const open = indexedDB.open('au-review');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('thumbnails').objectStore('thumbnails').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            db.close();
            resolve(
              (all.result as { datasetId: string; key: string; blob: Blob }[]).map((r) => ({
                datasetId: r.datasetId,
                key: r.key,
                type: r.blob.type,
                size: r.blob.size,
              })),
            );
          };
        };
      }),
  );
}

/** The id of the stored dataset called `name`. */
function datasetId(page: Page, name: string): Promise<string> {
  return page.evaluate(
    (name) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('au-review');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('datasets').objectStore('datasets').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            db.close();
            const found = (all.result as { id: string; name: string }[]).find(
              (d) => d.name === name,
            );
            if (found) resolve(found.id);
            else reject(new Error(`no dataset called ${name}`));
          };
        };
      }),
    name,
  );
}

/** Removes a dataset's original images behind the app's back. */
function deleteImages(page: Page, id: string): Promise<void> {
  return page.evaluate(
    (id) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('au-review');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('images', 'readwrite');
          const images = tx.objectStore('images');
          const keys = images.index('datasetId').getAllKeys(id);
          keys.onsuccess = () => {
            for (const key of keys.result) images.delete(key);
          };
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    id,
  );
}

function naturalWidth(page: Page, sample: string): Promise<number> {
  return page
    .getByRole('img', { name: `Face ${sample}` })
    .evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0));
}

test('grid thumbnails are made once, stored, and shown from the store after a reload', async ({
  page,
}) => {
  test.skip(!hasRafceFixtures, needsRafceFixtures);
  const app = new AuReviewApp(page);
  await app.open();
  const png = await drawPng(page);
  const [emotion] = rafceFiles as [string];
  const labels = readFileSync(emotion, 'utf8').split('\n').slice(0, 4).join('\n') + '\n';

  await app.goTo('Import');
  await app.importPage.chooseLabelFiles([
    { name: 'RAFCE_emolabel.txt', mimeType: 'text/plain', buffer: Buffer.from(labels) },
    ...['0001', '0002', '0003'].map((n) => ({
      name: `${n}_aligned.png`,
      mimeType: 'image/png',
      buffer: png,
    })),
  ]);
  await expect(app.report.figure('samples-accepted')).toHaveText('4');
  await app.importPage.save('Thumbnailed');
  const id = await datasetId(page, 'Thumbnailed');

  await app.goTo('Samples');
  await expect(app.samples.shownCount).toHaveText('4 of 4 samples');
  // The grid shows the worker's 192 px thumbnail, not the 400 px original.
  for (const sample of ['0001.jpg', '0002.jpg', '0003.jpg'])
    await expect.poll(() => naturalWidth(page, sample)).toBe(192);

  // One JPEG per image of this dataset; none for the demo's SVG faces seen on opening.
  await expect
    .poll(async () =>
      (await storedThumbnails(page)).map((t) => `${t.datasetId === id} ${t.key} ${t.type}`).sort(),
    )
    .toEqual(['true 0001 image/jpeg', 'true 0002 image/jpeg', 'true 0003 image/jpeg']);
  for (const t of await storedThumbnails(page)) expect(t.size).toBeGreaterThan(0);

  // With the originals gone, only the stored thumbnails can fill the grid after a reload.
  await deleteImages(page, id);
  await page.reload();
  await app.open();
  await app.goTo('Samples');
  await expect(app.samples.shownCount).toHaveText('4 of 4 samples');
  for (const sample of ['0001.jpg', '0002.jpg', '0003.jpg'])
    await expect.poll(() => naturalWidth(page, sample)).toBe(192);
  await expect(
    app.samples.card('0004.jpg').getByRole('img', { name: 'Image missing' }),
  ).toBeVisible();

  // Deleting the dataset deletes its thumbnails.
  await app.goTo('Datasets');
  await app.datasets.delete('Thumbnailed');
  await expect(app.datasets.row('Thumbnailed')).toHaveCount(0);
  expect(await storedThumbnails(page)).toEqual([]);
});
