import { expect, test } from '@playwright/test';
import { AuReviewApp } from './pages/app';

test('twenty samples reviewed by keyboard alone survive a reload; undo three; history tells', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Review');
  const review = app.review;
  await review.start('Ada');

  // Accept, discard, flag, correct: every decision moves on to the next sample.
  for (let i = 0; i < 8; i++) {
    await review.press('a');
    await expect(review.position).toHaveText(`${i + 2} of 20`);
  }
  await review.press('d', '1', '5');
  await expect(review.position).toHaveText('12 of 20');
  // Correct: toggle AU 26 and AU 9, change nothing else, save with the accept key.
  const corrected = await review.sampleName.textContent();
  const before = await page.getByTestId('au-string').textContent();
  await review.press('c', '2', '6', 'Enter', '9', 'Enter', 'Enter');
  await expect(page.getByTestId('au-string')).not.toHaveText(before ?? '');
  await review.press('a');
  await expect(review.position).toHaveText('13 of 20');
  for (let i = 13; i <= 20; i++) await review.press(i % 2 ? 'a' : '2');
  await expect(page.getByRole('status').filter({ hasText: 'Set complete' })).toContainText(
    '20 of 20 samples reviewed',
  );

  await page.reload();
  await app.open();
  await expect(page.getByTestId('review-progress')).toHaveText('20 reviewed');

  // Undo the last three decisions, by keyboard: each undo shows the sample it undid.
  await review.press('u');
  await expect(review.position).toHaveText('20 of 20');
  await expect(page.getByRole('status').filter({ hasText: 'Undid the decision on' })).toContainText(
    (await review.sampleName.textContent()) ?? '',
  );
  await review.press('u', 'u');
  await expect(review.progress).toHaveText('17 reviewed');
  await expect(review.position).toHaveText('18 of 20');
  await expect(review.sampleState).toHaveText('not reviewed');
  await page.reload();
  await app.open();
  await expect(review.progress).toHaveText('17 reviewed');
  await review.press('Shift+U');
  await expect(review.progress).toHaveText('18 reviewed');
  await expect(review.position).toHaveText('18 of 20');

  // The corrected sample's history: who, what, from what to what.
  // From the eighteenth sample back to the twelfth.
  for (let i = 0; i < 6; i++) await review.press('k');
  await expect(review.position).toHaveText('12 of 20');
  await expect(review.sampleName).toHaveText(corrected ?? '');
  await expect(review.history.first()).toContainText('Ada');
  await expect(review.history.first()).toContainText('correct');
  await expect(review.history.first()).toContainText('+9');
  await expect(page.getByTestId('sample-state')).toContainText('corrected by Ada');
});

test('an evidence box is drawn, moved and deleted, and kept across a reload', async ({ page }) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Review');
  const review = app.review;
  await review.start('Ada', 5);
  const drawFor = page.getByLabel('Draw evidence box for AU');
  const firstAu = await drawFor.locator('option').nth(1).getAttribute('value');
  await drawFor.selectOption(firstAu ?? '');

  const canvas = page.getByRole('application', { name: /^Face / });
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no canvas');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx - 60, cy - 40);
  await page.mouse.down();
  await page.mouse.move(cx + 20, cy + 30, { steps: 8 });
  await page.mouse.up();
  await expect(review.boxes).toHaveCount(1);
  const drawn = await review.boxes.first().textContent();
  expect(drawn).toMatch(new RegExp(`AU${firstAu} box at x 0\\.\\d+`));

  // Back to panning, then drag the box itself.
  await drawFor.selectOption('');
  await page.mouse.move(cx - 20, cy - 5);
  await page.mouse.down();
  await page.mouse.move(cx + 40, cy + 35, { steps: 8 });
  await page.mouse.up();
  await expect(review.boxes.first()).not.toHaveText(drawn ?? '');
  const moved = await review.boxes.first().textContent();

  await page.reload();
  await app.open();
  await expect(review.boxes).toHaveCount(1);
  await expect(review.boxes.first()).toHaveText(moved ?? '');

  // The list is the keyboard's way to the boxes: focus a delete button and press Enter.
  await review.boxes
    .first()
    .getByRole('button', { name: /^Delete AU\d+ box$/ })
    .focus();
  await page.keyboard.press('Enter');
  await expect(review.boxes).toHaveCount(0);
  await page.reload();
  await app.open();
  await expect(review.position).toHaveText('1 of 5');
  await expect(review.boxes).toHaveCount(0);
});

test('a remapped key works and stays remapped', async ({ page }) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Review');
  const review = app.review;
  await review.start('Ada', 5);

  await review.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await dialog.getByRole('button', { name: 'Add a key for Accept the labels' }).click();
  await page.keyboard.press('x');
  await expect(dialog.getByRole('status')).toContainText('“x” now does “Accept the labels”');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await review.press('x');
  await expect(review.position).toHaveText('2 of 5');
  await expect(review.progress).toHaveText('1 reviewed');

  await page.reload();
  await app.open();
  // As a user would: press once the sample is shown again.
  await expect(review.position).toHaveText('2 of 5');
  await review.press('x');
  await expect(review.progress).toHaveText('2 reviewed');
});

test('many samples are accepted, flagged or discarded at once from the grid, undoably', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Review');
  await page.getByLabel('Your name').fill('Ada');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await app.goTo('Samples');

  await page.getByLabel('Select 0001.jpg').click();
  await page.getByLabel('Select 0004.jpg').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('selected-count')).toHaveText('4 selected');
  await page.getByLabel('Flag reason for the selection').selectOption('ambiguous');
  await page.getByRole('button', { name: 'Flag selected' }).click();
  for (const name of ['0001.jpg', '0002.jpg', '0003.jpg', '0004.jpg']) {
    await expect(
      page.getByRole('listitem').filter({ has: page.getByLabel(`Select ${name}`) }),
    ).toContainText('flagged');
  }

  await page.getByRole('button', { name: 'Undo last decision' }).click();
  await expect(page.getByText('flagged', { exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(page.getByText('flagged', { exact: true })).toHaveCount(4);

  await page.reload();
  await app.open();
  await expect(page.getByText('flagged', { exact: true })).toHaveCount(4);
  await app.samples.openSample('0002.jpg');
});

test('n and e decide and move on; u takes back a staged correction first; a set resumes where work is left', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Review');
  const review = app.review;
  await review.start('Ada', 6, 11);

  // n: the AUs were never coded, saved at once.
  const first = (await review.sampleName.textContent()) ?? '';
  await review.press('n');
  await expect(review.position).toHaveText('2 of 6');
  await review.press('k');
  await expect(review.sampleName).toHaveText(first);
  await expect(review.sampleState).toHaveText('corrected by Ada');
  await expect(
    page.getByRole('complementary', { name: 'Review' }).getByRole('definition').nth(1),
  ).toContainText('not coded');
  await review.press('j');

  // e: the class chooser; the class picked by keyboard is the decision.
  await review.press('e');
  const chooser = page.getByRole('dialog', { name: 'Change the class' });
  await expect(chooser).toBeVisible();
  // Keys of the review wait while the chooser is open.
  await review.press('a');
  await expect(review.position).toHaveText('2 of 6');
  const current = chooser.locator('button[aria-current="true"]');
  await expect(current).toBeFocused();
  await page.keyboard.press('ArrowDown');
  const picked = (await page.evaluate(() => document.activeElement?.textContent)) ?? '';
  await page.keyboard.press('Enter');
  await expect(chooser).toHaveCount(0);
  await expect(review.position).toHaveText('3 of 6');
  await review.press('k');
  await expect(review.sampleState).toHaveText('corrected by Ada');
  await expect(page.getByLabel('Class')).toHaveValue(
    await page
      .getByLabel('Class')
      .locator('option', { hasText: picked.trim() })
      .first()
      .getAttribute('value')
      .then((v) => v ?? ''),
  );
  await review.press('j');

  // A correction staged and then u: the staging goes, no earlier decision is undone.
  await review.press('c', '9', 'Enter', 'Enter');
  await expect(page.getByRole('button', { name: /^Save correction/ })).toBeVisible();
  await review.press('u');
  await expect(page.getByRole('button', { name: /^Accept/ })).toBeVisible();
  await expect(
    page.getByRole('status').filter({ hasText: 'Dropped the correction' }),
  ).toBeVisible();
  await expect(review.position).toHaveText('3 of 6');
  await expect(review.progress).toHaveText('2 reviewed');

  // u again undoes the last decision and shows its sample.
  await review.press('u');
  await expect(review.position).toHaveText('2 of 6');
  await expect(review.sampleState).toHaveText('not reviewed');
  await expect(review.progress).toHaveText('1 reviewed');

  // Continue opens the set at its first undecided sample, not at 1.
  await page.getByRole('button', { name: '← Sets' }).click();
  const set = page.getByRole('table', { name: 'Review sets' }).getByRole('row').nth(1);
  await set.getByRole('button', { name: 'Continue' }).click();
  await expect(review.position).toHaveText('2 of 6');
});

test('the shortcut sheet opens on Close: Enter closes it and deletes no key', async ({ page }) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Review');
  const review = app.review;
  await review.start('Ada', 3);
  await review.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await review.press('?');
  await expect(page.getByRole('button', { name: 'Remove a from Accept the labels' })).toBeVisible();
});
