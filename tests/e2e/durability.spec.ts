import { expect, test, type Page } from '@playwright/test';
import { AuReviewApp } from './pages/app';

/**
 * What a review does when the disk fills up, when another tab deletes the dataset,
 * and when two tabs review the same dataset.
 */

async function reviewing(page: Page, size = 20): Promise<AuReviewApp> {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Review');
  await app.review.start('Ada', size);
  return app;
}

/**
 * Makes IndexedDB refuse every add and put with the QuotaExceededError a full disk
 * gives, until `setDiskFull(page, false)`. Chromium's own switch for this,
 * CDP Storage.overrideQuotaForOrigin, is accepted but has no effect on IndexedDB in
 * the Chromium these tests run (its writes still succeed with a quota of one byte),
 * and filling a real disk needs a small file system mounted for the browser profile.
 */
async function allowDiskFull(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const full = { on: false };
    Object.assign(window, { setDiskFull: (on: boolean) => (full.on = on) });
    for (const method of ['add', 'put'] as const) {
      const original = IDBObjectStore.prototype[method];
      IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args) {
        if (full.on) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return original.apply(this, args);
      };
    }
  });
}

async function setDiskFull(page: Page, on: boolean): Promise<void> {
  await page.evaluate(
    (on) => (window as unknown as { setDiskFull(on: boolean): void }).setDiskFull(on),
    on,
  );
}

test('a full disk stops the review at the first refused decision; Retry stores it once space is back', async ({
  page,
}) => {
  await allowDiskFull(page);
  const app = await reviewing(page);
  const review = app.review;
  await review.press('a', 'a');
  await expect(review.position).toHaveText('3 of 20');
  await review.press('k');
  const lastSaved = await review.sampleName.textContent();
  await review.press('j');
  const refused = await review.sampleName.textContent();

  await setDiskFull(page, true);
  // Ten decisions pressed: the first is refused, the review stops, none moves on.
  for (let i = 0; i < 10; i++) await review.press('a');
  await expect(review.stopped).toContainText(
    `The disk is full: nothing after ${lastSaved} was saved. Free space, then Retry.`,
  );
  await expect(review.position).toHaveText('3 of 20');
  await expect(review.sampleName).toHaveText(refused ?? '');
  await expect(review.progress).toHaveText('2 reviewed');
  await expect(page.getByRole('button', { name: /^Accept/ })).toBeDisabled();

  // Retry while still full: refused again, same message.
  await review.retry();
  await expect(review.stopped).toContainText(`nothing after ${lastSaved} was saved`);
  await expect(review.position).toHaveText('3 of 20');

  // Space back: Retry stores the held decision, the review moves on.
  await setDiskFull(page, false);
  await review.retry();
  await expect(review.stopped).toHaveCount(0);
  await expect(review.position).toHaveText('4 of 20');
  await expect(review.progress).toHaveText('3 reviewed');
  await review.press('a');
  await expect(review.progress).toHaveText('4 reviewed');

  await page.reload();
  await app.open();
  await expect(review.progress).toHaveText('4 reviewed');
});

test('two tabs on one dataset see each other’s decisions without a reload', async ({
  page,
  context,
}) => {
  const app = await reviewing(page, 10);
  const other = await context.newPage();
  await other.goto(page.url());
  const otherApp = new AuReviewApp(other);
  await otherApp.open();
  await expect(otherApp.review.position).toHaveText('1 of 10');
  await expect(otherApp.review.progress).toHaveText('0 reviewed');

  await app.review.press('d');
  await expect(app.review.position).toHaveText('2 of 10');
  await expect(otherApp.review.progress).toHaveText('1 reviewed');
  await expect(otherApp.review.sampleState).toHaveText('discarded by Ada');

  // And back: the second tab undoes it, the first sees the sample untouched again.
  await otherApp.review.press('u');
  await expect(otherApp.review.sampleState).toHaveText('not reviewed');
  await expect(app.review.progress).toHaveText('0 reviewed');
});

test('a dataset deleted in another tab stops the review instead of taking decisions', async ({
  page,
  context,
}) => {
  const app = await reviewing(page, 10);
  await app.review.press('a');
  await expect(app.review.progress).toHaveText('1 reviewed');
  const name = 'Demo: synthetic faces (RAF-CE format)';

  const other = await context.newPage();
  const otherApp = new AuReviewApp(other);
  await otherApp.open();
  await otherApp.goTo('Datasets');
  await otherApp.datasets.delete(name);

  await expect(app.review.stopped).toContainText(
    'This dataset was deleted, perhaps in another tab. The review has stopped.',
  );
  await app.review.press('a');
  await expect(app.review.position).toHaveText('2 of 10');
  await expect(page.getByRole('button', { name: /^Accept/ })).toBeDisabled();
});
