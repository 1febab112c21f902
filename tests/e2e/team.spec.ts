import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { AuReviewApp } from './pages/app';
import { TeamLeadPage, TeamReviewerPage } from './pages/team';

/** A fresh browser context: one person's own browser, with its own IndexedDB. */
async function person(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  await new AuReviewApp(page).open();
  return page;
}

function jsonFile(name: string, value: unknown) {
  return { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(value)) };
}

test('a lead and two reviewers split a review, review blind, merge, measure agreement and adjudicate', async ({
  browser,
}, testInfo) => {
  test.setTimeout(180_000);

  // --- The lead draws a review set of six samples and splits it between Ada and Bo.
  const leadPage = await person(browser, testInfo);
  const leadApp = new AuReviewApp(leadPage);
  await leadApp.goTo('Review');
  await leadApp.review.start('Lee', 6, 7);
  await leadApp.goTo('Team');
  const lead = new TeamLeadPage(leadPage);
  await lead.createSession(['Ada', 'Bo'], 2, 1);
  await expect(lead.assignments.filter({ hasText: 'Ada' })).toContainText('6');
  await expect(lead.includeImages).toBeChecked();
  const adaAssignment = await lead.exportAssignment('Ada', testInfo);
  await lead.includeImages.uncheck();
  const boAssignment = await lead.exportAssignment('Bo', testInfo);
  const adaJson = JSON.parse(readFileSync(adaAssignment, 'utf8'));
  expect(adaJson).toMatchObject({ format: 'au-review-assignment', version: 1, reviewer: 'Ada' });
  expect(adaJson.samples).toHaveLength(6);
  expect(adaJson.samples[0].image).toMatch(/^data:image\//);
  expect(JSON.parse(readFileSync(boAssignment, 'utf8')).samples[0].image).toBeUndefined();

  // --- Ada, in her own browser: a broken file is refused by name, the real one opens.
  const adaPage = await person(browser, testInfo);
  await new AuReviewApp(adaPage).goTo('Team');
  const ada = new TeamReviewerPage(adaPage);
  await ada.chooseReviewer();
  await ada.openAssignment({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format": "au-review-assignment",'),
  });
  await expect(ada.results.first()).toContainText('broken.json is not valid JSON at line 1');
  await ada.openAssignment(adaAssignment);
  await expect(ada.results.first()).toContainText('6 samples for Ada from Lee');
  await expect(ada.face).toBeVisible(); // the image came in the file
  await adaPage.screenshot({ path: testInfo.outputPath('reviewer.png') });
  const names: string[] = [];
  const adaKeys = [['a'], ['a'], ['d'], ['1'], ['a'], ['a']];
  for (const [i, keys] of adaKeys.entries()) names.push(await ada.decide(keys, i + 1, 6));
  await expect(
    adaPage.getByRole('status').filter({ hasText: 'All samples decided' }),
  ).toBeVisible();
  const adaBundle = await ada.exportBundle(testInfo, 'ada');

  // --- Bo's browser holds no dataset at all: the assignment file is enough.
  const boPage = await person(browser, testInfo);
  const boApp = new AuReviewApp(boPage);
  await boApp.goTo('Datasets');
  await boApp.datasets.delete('Demo: synthetic faces (RAF-CE format)');
  await expect(boApp.datasets.rows.filter({ hasText: 'Demo' })).toHaveCount(0);
  await boApp.goTo('Team');
  const bo = new TeamReviewerPage(boPage);
  await bo.chooseReviewer();
  await bo.openAssignment(boAssignment);
  await expect(bo.missingImage).toBeVisible();
  await boPage.screenshot({ path: testInfo.outputPath('reviewer-no-image.png') });
  // Blind: nothing of Ada's work shows.
  await expect(boPage.getByText('Ada')).toHaveCount(0);
  const boKeys = [['a'], ['d'], ['d'], ['c', '2', '6', 'Enter', 'Enter', 'a'], ['a'], ['5']];
  for (const [i, keys] of boKeys.entries()) {
    expect(await bo.decide(keys, i + 1, 6)).toBe(names[i]);
  }
  // Work survives a reload before it is sent.
  await boPage.reload();
  await boApp.open();
  await expect(bo.progress).toHaveText('6 decided');
  const boBundle = await bo.exportBundle(testInfo, 'bo');

  // --- The lead imports the bundles in any order; a second import changes nothing.
  await lead.importBundles([boBundle, adaBundle]);
  await expect(lead.results).toHaveCount(2);
  await expect(lead.results.nth(0)).toContainText('6 new decision(s) from Bo');
  await expect(lead.results.nth(1)).toContainText('6 new decision(s) from Ada');
  await lead.importBundles([adaBundle]);
  await expect(lead.results.first()).toContainText('already imported, nothing changed');

  // Bundles of another session or dataset are refused with the reason; nothing changes.
  const bundle = JSON.parse(readFileSync(adaBundle, 'utf8'));
  await lead.importBundles([
    jsonFile('other-session.json', { ...bundle, sessionId: 'team-elsewhere' }),
    jsonFile('other-dataset.json', { ...bundle, datasetId: 'another-dataset' }),
  ]);
  await expect(lead.results.nth(0)).toContainText(
    'other-session.json belongs to review session team-elsewhere',
  );
  await expect(lead.results.nth(1)).toContainText('other-dataset.json is from dataset');

  // --- Agreement: per reviewer, per AU beside its base rate, decisions (Fleiss' kappa).
  await expect(lead.reviewerRow('Ada')).toContainText('6 of 6');
  await expect(lead.reviewerRow('Bo')).toContainText('6 of 6');
  await expect(leadPage.getByTestId('team-reviewed')).toHaveText('6 of 6');
  await expect(leadPage.getByTestId('team-fleiss')).toContainText(/-?\d\.\d\d/);
  await expect(lead.perAu.getByRole('columnheader', { name: "Cohen's κ" })).toBeVisible();
  await expect(lead.perAu.getByRole('columnheader', { name: 'Base rate' })).toBeVisible();
  await lead.agreement.screenshot({ path: testInfo.outputPath('agreement-report.png') });

  // --- Conflicts, worst first: samples 2, 4 and 6 (1, 3 and 5 are unanimous).
  await expect(lead.conflictCount).toHaveText('3 to rule of 3');
  await expect(lead.conflicts).toHaveCount(3);
  for (const i of [1, 3, 5])
    await expect(lead.conflicts.filter({ hasText: names[i] })).toHaveCount(1);

  // Side by side on the face; pick Bo's, undo, pick again.
  const view = await lead.openConflict(names[3] ?? '');
  await expect(
    view.getByRole('application', { name: `Face ${names[3]} as Ada decided` }),
  ).toBeVisible();
  await expect(
    view.getByRole('application', { name: `Face ${names[3]} as Bo decided` }),
  ).toBeVisible();
  await expect(view.getByRole('article', { name: "Bo's decision" })).toContainText('corrected');
  await expect(view.getByRole('article', { name: "Ada's decision" })).toContainText(
    'flagged: AU label wrong',
  );
  await view.screenshot({ path: testInfo.outputPath('adjudication.png') });
  await lead.useDecisionOf(names[3] ?? '', 'Bo');
  await expect(lead.conflictCount).toHaveText('2 to rule of 3');
  await view.getByRole('button', { name: 'Undo' }).click();
  await expect(lead.conflictCount).toHaveText('3 to rule of 3');
  await lead.useDecisionOf(names[3] ?? '', 'Bo');
  await lead.useDecisionOf(names[1] ?? '', 'Bo');

  // The lead's own ruling for the last one: flag it as occluded.
  const last = await lead.openConflict(names[5] ?? '');
  await last.getByRole('button', { name: 'Edit a ruling' }).click();
  await last.getByLabel('Ruling', { exact: true }).selectOption('flag');
  await last.getByLabel('Ruling flag reason').selectOption('occluded');
  await last.getByRole('button', { name: 'Save my ruling' }).click();
  await expect(last.getByTestId('ruling')).toContainText('flagged: Occluded');
  await expect(lead.conflictCount).toHaveText('0 to rule of 3');
  await leadPage.screenshot({
    path: testInfo.outputPath('lead-after-rulings.png'),
    fullPage: true,
  });

  await lead.applyAgreed();
  await expect(leadPage.getByRole('button', { name: 'Apply 0 agreed result(s)' })).toBeDisabled();

  // Kept across a reload.
  await leadPage.reload();
  await leadApp.open();
  await expect(lead.conflictCount).toHaveText('0 to rule of 3');
  await expect(lead.reviewerRow('Bo')).toContainText('6 of 6');

  // --- The result is what review uses: the grid shows each sample's final state.
  await leadApp.goTo('Samples');
  const expected = ['accepted', 'discarded', 'discarded', 'corrected', 'accepted', 'flagged'];
  for (const [i, state] of expected.entries()) {
    await leadPage.getByLabel('Filter by name').fill(names[i] ?? '');
    await expect(
      leadPage.getByRole('listitem').filter({ has: leadPage.getByLabel(`Select ${names[i]}`) }),
    ).toContainText(state);
  }
  // --- And what the export writes.
  await leadApp.goTo('Export');
  const downloading = leadPage.waitForEvent('download');
  await leadPage.getByRole('button', { name: /^Download export/ }).click();
  const zip = unzipSync(new Uint8Array(readFileSync(await (await downloading).path())));
  const emotion = strFromU8(zip['labels/RAFCE_emolabel.txt'] ?? new Uint8Array());
  const exportedNames = emotion
    .trim()
    .split('\n')
    .map((line) => line.split(' ')[0]);
  expect(exportedNames).not.toContain(names[1]);
  expect(exportedNames).not.toContain(names[2]);
  expect(exportedNames).toContain(names[0]);
  const provenance = JSON.parse(strFromU8(zip['provenance.json'] ?? new Uint8Array()));
  const entry = (image: string | undefined) =>
    provenance.samples.find((s: { image: string }) => s.image === image);
  expect(entry(names[3]).decision.kind).toBe('correct');
  expect(entry(names[3]).final.au.raw).toContain('26');
  expect(entry(names[5]).decision).toMatchObject({ kind: 'flag', flagReason: 'occluded' });
  expect(entry(names[2])).toMatchObject({ exported: false, removedBecause: 'discarded' });
});
