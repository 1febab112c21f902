import { expect, test } from '@playwright/test';
import { AuReviewApp } from './pages/app';
import { FacesPage, faceFiles } from './pages/faces';

test("the AU regions follow the face's landmarks once the faces are read; landmarks on demand", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Import');
  await app.importPage.chooseLabelFiles(faceFiles);
  await app.importPage.save('Astronaut');

  // Before the faces are read, the regions are the fixed template.
  await app.goTo('Review');
  const review = app.review;
  await review.start('Ada', 10);
  const caption = page.getByTestId('regions-source');
  await expect(caption).toHaveText('Regions: a fixed template (faces not read)');
  await expect(page.getByLabel('Show landmarks')).toBeDisabled();

  const faces = new FacesPage(page);
  await faces.open();
  await faces.readAll();

  await app.goTo('Review');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(review.position).toHaveText(/ of 10$/);
  /** Steps through the set to a sample, from the first. */
  async function showSample(name: string): Promise<void> {
    const previous = page.getByRole('button', { name: 'Previous sample' });
    while (await previous.isEnabled()) await previous.click();
    await expect(review.position).toHaveText('1 of 10');
    for (let i = 0; i < 10 && (await review.sampleName.textContent()) !== name; i++) {
      await page.getByRole('button', { name: 'Next sample' }).click();
    }
    await expect(review.sampleName).toHaveText(name);
  }

  // A photo with no face keeps the fixed template, and has no landmarks to show.
  await showSample('coffee.jpg');
  await expect(caption).toHaveText('Regions: a fixed template (no face found)');
  await expect(page.getByLabel('Show landmarks')).toBeDisabled();

  await showSample('astronaut-aligned.jpg');
  await expect(caption).toHaveText("Regions follow this face's landmarks");
  const canvas = page.getByTestId('face-canvas');
  await expect(canvas).toHaveAttribute('data-landmarks', '0');
  await page.getByLabel('Show AU regions').check();
  await page.getByLabel('Show landmarks').check();
  await expect(canvas).toHaveAttribute('data-landmarks', '468');
  await canvas.screenshot({ path: test.info().outputPath('aligned-regions-landmarks.png') });

  // Landmarks off again: no dots are drawn.
  await page.getByLabel('Show landmarks').uncheck();
  await expect(canvas).toHaveAttribute('data-landmarks', '0');

  // The rotated face: the regions follow the tilt.
  await page.getByLabel('Show landmarks').check();
  await showSample('astronaut-rotated.jpg');
  await expect(canvas).toHaveAttribute('data-landmarks', '468');
  await canvas.screenshot({ path: test.info().outputPath('rotated-regions-landmarks.png') });
});
