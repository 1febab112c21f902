import { expect, test } from '@playwright/test';
import { AuReviewApp } from './pages/app';
import { FaceCanvasPage } from './pages/canvas';

test('an evidence box is drawn, moved, resized and deleted from the keyboard alone', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Review');
  await app.review.start('Ada', 5);
  const canvas = new FaceCanvasPage(page);
  const drawFor = page.getByLabel('Draw evidence box for AU');
  const au = (await drawFor.locator('option').nth(1).getAttribute('value')) ?? '';
  await drawFor.focus();
  await drawFor.selectOption(au);

  // Enter adds a box in the middle of the fitted view: a quarter of the image each way.
  await canvas.tabBackFrom(drawFor);
  await canvas.press('Enter');
  await expect(canvas.boxes).toHaveCount(1);
  await expect(canvas.boxes.first()).toContainText(`AU${au} box at x 0.38, y 0.38, 0.25 x 0.25`);
  await expect(canvas.announcement).toHaveText(
    `Added AU${au} box at x 0.38, y 0.38, 0.25 x 0.25. Arrow keys move it.`,
  );

  // Shift moves ten steps and the box stops at the edge; then two single steps right.
  await canvas.press(...Array<string>(4).fill('Shift+ArrowLeft'), 'Shift+ArrowUp', 'Shift+ArrowUp');
  await canvas.press('Shift+ArrowUp', 'Shift+ArrowUp', 'ArrowRight', 'ArrowRight');
  await expect(canvas.announcement).toHaveText(
    `Moved: AU${au} box at x 0.02, y 0.00, 0.25 x 0.25.`,
  );
  // The arrows moved the box, not the review on to another sample.
  await expect(app.review.position).toHaveText('1 of 5');

  // R turns the arrows to resizing.
  await canvas.press('r', 'Shift+ArrowRight');
  await expect(canvas.announcement).toHaveText(
    `Resized: AU${au} box at x 0.02, y 0.00, 0.35 x 0.25.`,
  );
  await expect(canvas.boxes.first()).toContainText(`AU${au} box at x 0.02, y 0.00, 0.35 x 0.25`);

  await page.reload();
  await app.open();
  await expect(canvas.boxes).toHaveCount(1);
  await expect(canvas.boxes.first()).toContainText(`AU${au} box at x 0.02, y 0.00, 0.35 x 0.25`);

  // ] selects the first box, Delete removes it.
  await canvas.tabBackFrom(drawFor);
  await canvas.press(']');
  await expect(canvas.announcement).toHaveText(
    `Selected AU${au} box at x 0.02, y 0.00, 0.35 x 0.25, 1 of 1.`,
  );
  await canvas.press('Delete');
  await expect(canvas.boxes).toHaveCount(0);
  await expect(canvas.announcement).toHaveText(`Deleted the AU${au} box; 0 boxes left.`);

  // Once the focus leaves the image, the arrows step through the review again.
  await page.keyboard.press('Tab');
  await expect(canvas.region).not.toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(app.review.position).toHaveText('2 of 5');

  await page.reload();
  await app.open();
  // The reload resumes where the review was; a key pressed before the page shows it is lost.
  await expect(app.review.position).toHaveText('2 of 5');
  await page.keyboard.press('ArrowLeft');
  await expect(app.review.position).toHaveText('1 of 5');
  await expect(canvas.boxes).toHaveCount(0);
});
