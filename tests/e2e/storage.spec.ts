import { expect, test } from '@playwright/test';
import { AuReviewApp } from './pages/app';
import { StoragePanel, useOutputDir } from './pages/storage';

const DEMO = 'Demo: synthetic faces (RAF-CE format)';

test('storage use and persistence are shown', async ({ page }) => {
  const app = new AuReviewApp(page);
  await app.open();
  await expect(page.getByLabel('Storage', { exact: true })).toContainText(/used.*free/);
  await app.goTo('Datasets');
  const storage = new StoragePanel(page);
  await expect(storage.storageSection).toContainText('used of');
  await expect(storage.storageSection).toContainText('free)');
  await expect(storage.storageSection).toContainText(/persistent/);
});

test('a decision survives backup, deleting the dataset, restore and a reload', async ({
  page,
}, testInfo) => {
  useOutputDir(testInfo.outputDir);
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Review');
  await app.review.start('Ada', 5);
  await app.review.press('a');
  await expect(app.review.progress).toHaveText('1 reviewed');

  await app.goTo('Datasets');
  const storage = new StoragePanel(page);
  const backup = await storage.saveBackup(DEMO);
  await app.datasets.delete(DEMO);
  await expect(app.datasets.row(DEMO)).toHaveCount(0);

  await storage.restore(backup);
  await expect(storage.backups.getByRole('status')).toContainText(`Restored “${DEMO}”`);
  await page.reload();
  await app.open();
  await app.goTo('Review');
  const set = page
    .getByRole('table', { name: 'Review sets' })
    .getByRole('row', { name: /5 random samples/ });
  await expect(set).toContainText('1 of 5');
  await set.getByRole('button', { name: 'Continue' }).click();
  await expect(app.review.progress).toHaveText('1 reviewed');
});

test('a damaged backup is refused with its name and reason, and nothing changes', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Datasets');
  const storage = new StoragePanel(page);
  await storage.restore({
    name: 'not-a-backup.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from('this is not a zip'),
  });
  await expect(storage.backups.getByRole('alert')).toContainText(
    'not-a-backup.zip was not restored: not a readable zip file',
  );
  await expect(app.datasets.rows).toHaveCount(2);
});

test('an import on a full disk is refused in plain words and stores nothing', async ({
  page,
  context,
}) => {
  // Room for the demo (about 3 MB), not for 200,000 more samples (about 7 MB). Set before
  // the database opens: Chromium holds the quota of an open database.
  const origin = new URL(test.info().project.use.baseURL ?? '').origin;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 5 * 1024 * 1024 });
  const app = new AuReviewApp(page);
  await app.open();
  await expect(app.datasetSelect).toContainText(DEMO);

  await app.goTo('Import');
  // Large enough (about 6 MB of columns) that the browser checks it against the quota.
  const rows = Array.from(
    { length: 200_000 },
    (_, i) => `${String(i).padStart(6, '0')}.jpg,${i % 2 ? 'happy' : 'sad'},1+2+12+25,train`,
  );
  await app.importPage.chooseLabelFiles([
    {
      name: 'big.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['file,expression,AUs,set', ...rows].join('\n')),
    },
  ]);
  await app.importPage.saveButton.click();
  await expect(
    page.getByText(
      /The disk \(or the browser's storage quota\) is full: nothing of “.*” was saved\. Free space or delete a dataset, then retry\./,
    ),
  ).toBeVisible();

  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.reload();
  await app.open();
  await app.goTo('Datasets');
  await expect(app.datasets.rows).toHaveCount(2);
});

test('a wiped database is said plainly, not replaced by a fresh demo', async ({ page }) => {
  const app = new AuReviewApp(page);
  await app.open();
  await expect(app.datasetSelect).toContainText(DEMO);
  // What the browser does to a site's data when the disk fills up.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase('au-review');
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error);
        request.onblocked = () => resolve();
      }),
  );
  await page.reload();
  await app.open();
  await expect(page.getByRole('alert')).toContainText(
    'The datasets stored in this browser are gone',
  );
  await expect(app.datasetSelect.getByRole('option')).toHaveCount(0);
});
