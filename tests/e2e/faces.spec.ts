import { expect, test } from '@playwright/test';
import { AuReviewApp } from './pages/app';
import { FacesPage, faceFiles } from './pages/faces';

test('reading the faces finds the hard cases, stays on this machine and persists', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const outside: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['blob:', 'data:'].includes(url.protocol) && url.origin !== new URL(baseURL!).origin)
      outside.push(request.url());
  });
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Import');
  await app.importPage.chooseLabelFiles(faceFiles);
  await app.importPage.save('Astronaut');

  const faces = new FacesPage(page);
  await faces.open();
  await faces.readAll();
  await expect(page.getByText('10 of 10 images read')).toBeVisible();

  // Ten images: the coffee cup has no face, the pair has two, the shrunk portrait's face is tiny.
  expect(await faces.findingCount('no face found')).toBeGreaterThanOrEqual(1);
  expect(await faces.findingCount('more than one face')).toBe(1);
  expect(await faces.findingCount('face too small to read AUs')).toBe(1);
  expect(await faces.findingCount('face cut off by the image edge')).toBeGreaterThanOrEqual(1);
  await expect(faces.geometry).toBeVisible();
  await expect(faces.expressions).toContainText('happy');
  await page.screenshot({ path: test.info().outputPath('faces-page.png'), fullPage: true });

  // The findings narrow the grid.
  await faces.findings
    .getByRole('button', { name: 'Show the samples: more than one face' })
    .click();
  await expect(page.getByRole('img', { name: 'Face astronaut-pair.jpg' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Face astronaut-aligned.jpg' })).toHaveCount(0);

  // The sample view gives the face model's second opinion beside the labels.
  await app.samples.openSample('astronaut-pair.jpg');
  const opinion = page.getByRole('region', { name: 'Face model (second opinion)' });
  await expect(opinion.getByRole('list', { name: 'Face findings' })).toContainText(
    'more than one face',
  );
  await page.getByRole('button', { name: '← Grid' }).click();
  await page.getByLabel('Filter by face reading').selectOption('any');
  await app.samples.openSample('astronaut-aligned.jpg');
  await expect(opinion).toContainText(/Reads as happy \d+%/);
  await expect(
    page.getByRole('list', { name: 'Action units' }).getByText(/^face: (for|weak|against)$/),
  ).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('sample-view.png'), fullPage: true });

  // The images with a finding can be left out of the export.
  await faces.open();
  await page.getByRole('button', { name: 'Export only faces read without a finding' }).click();
  await expect(page.getByText(/The current filter \(5\b/)).toBeVisible();

  // The overview shows each class against the expression the face model reads.
  await app.goTo('Overview');
  await expect(faces.expressions).toContainText('Happily surprised');

  // Stored: a reload keeps the readings, and a second run reads nothing again.
  await page.reload();
  await app.open();
  await faces.open();
  await expect(faces.findings).toContainText('10 images read');
  await faces.readAll();
  await expect(page.getByText('10 read before, not read again.')).toBeVisible();

  expect(outside).toEqual([]);
});
