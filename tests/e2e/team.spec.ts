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

const fixture = (name: string): string => `tests/fixtures/team/${name}`;

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
  expect(adaJson).toMatchObject({ format: 'au-review-assignment', version: 2, reviewer: 'Ada' });
  // Only Ada's file holds Ada's signing key; Bo's holds another.
  expect(adaJson.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(JSON.parse(readFileSync(boAssignment, 'utf8')).key).not.toBe(adaJson.key);
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

test("tampered bundles and one under another reviewer's name are refused; the genuine ones are applied and exported", async ({
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  const leadPage = await person(browser, testInfo);
  const leadApp = new AuReviewApp(leadPage);
  await leadApp.goTo('Review');
  await leadApp.review.start('Lee', 6, 11);
  await leadApp.goTo('Team');
  const lead = new TeamLeadPage(leadPage);
  await lead.createSession(['Ada', 'Bo'], 2, 3);
  await lead.includeImages.uncheck();
  const assignments = {
    Ada: await lead.exportAssignment('Ada', testInfo),
    Bo: await lead.exportAssignment('Bo', testInfo),
  };

  // Each reviewer accepts all six in a browser of their own.
  const bundles: Record<string, string> = {};
  for (const who of ['Ada', 'Bo'] as const) {
    const page = await person(browser, testInfo);
    await new AuReviewApp(page).goTo('Team');
    const reviewer = new TeamReviewerPage(page);
    await reviewer.chooseReviewer();
    if (who === 'Ada') {
      // A hostile assignment is refused with its reason; the reviewer screen stays empty.
      await reviewer.openAssignment(fixture('assignment-repeated-sample.json'));
      await expect(reviewer.results.first()).toContainText(
        'assignment-repeated-sample.json: sample 3 (index 3, "0004.jpg"): sample index 3 is listed twice (samples 2 and 3)',
      );
      await reviewer.openAssignment(fixture('assignment-au-line-break.json'));
      await expect(reviewer.results.first()).toContainText('its AU text contains a line break');
      await expect(reviewer.position).toHaveCount(0);
    }
    await reviewer.openAssignment(assignments[who]);
    await expect(reviewer.results.first()).toContainText(`6 samples for ${who} from Lee`);
    for (let i = 1; i <= 6; i++) await reviewer.decide(['a'], i, 6);
    bundles[who] = await reviewer.exportBundle(testInfo, who.toLowerCase());
  }
  const ada = JSON.parse(readFileSync(bundles.Ada ?? '', 'utf8'));
  const bo = JSON.parse(readFileSync(bundles.Bo ?? '', 'utf8'));
  expect(ada).toMatchObject({ version: 2, signature: { algorithm: 'HMAC-SHA-256' } });

  // Hand-edited copies of Ada's bundle, signature kept, and Bo's work in Ada's name.
  const first = ada.decisions[0];
  const tampered = (correction: unknown) => ({
    ...ada,
    decisions: [{ ...first, kind: 'correct', correction }, ...ada.decisions.slice(1)],
  });
  await lead.importBundles([
    jsonFile(
      'ada-au-injected.json',
      tampered({ au: { status: 'coded', raw: '4+15\nINJECTED_LINE.jpg 99' } }),
    ),
    jsonFile('ada-class-40000.json', tampered({ classId: 40000 })),
    jsonFile('bo-as-ada.json', {
      ...bo,
      reviewer: 'Ada',
      decisions: bo.decisions.map((d: { reviewer: string }) => ({ ...d, reviewer: 'Ada' })),
    }),
  ]);
  await expect(lead.results).toHaveCount(3);
  const mismatch =
    "signature does not match reviewer Ada's key: the file was edited or is not theirs";
  await expect(lead.results.nth(0)).toContainText(`ada-au-injected.json: ${mismatch}`);
  await expect(lead.results.nth(0)).toContainText(
    'sets AU text "4+15\\nINJECTED_LINE.jpg 99" contains a line break',
  );
  await expect(lead.results.nth(1)).toContainText(`ada-class-40000.json: ${mismatch}`);
  await expect(lead.results.nth(1)).toContainText(
    "sets class id 40000, which is not in the dataset's scheme",
  );
  await expect(lead.results.nth(2)).toContainText(`bo-as-ada.json: ${mismatch}`);
  for (let i = 0; i < 3; i++) await expect(lead.results.nth(i).getByRole('alert')).toBeVisible();

  // An old unsigned bundle is refused by its version.
  await lead.importBundles([fixture('bundle-v1-unsigned.json')]);
  await expect(lead.results.first()).toContainText(
    'bundle-v1-unsigned.json is a review bundle version 1; this app reads version 2: it is not signed',
  );

  // The genuine bundles go in (all six of Ada's are new: nothing of the refused files was kept),
  // are agreed, applied and exported.
  await lead.importBundles([bundles.Ada ?? '', bundles.Bo ?? '']);
  await expect(lead.results.nth(0)).toContainText('6 new decision(s) from Ada');
  await expect(lead.results.nth(1)).toContainText('6 new decision(s) from Bo');
  await expect(leadPage.getByRole('button', { name: 'Apply 6 agreed result(s)' })).toBeEnabled();
  await lead.applyAgreed();
  await expect(leadPage.getByRole('button', { name: 'Apply 0 agreed result(s)' })).toBeDisabled();
  await leadPage.reload();
  await leadApp.open();
  await expect(lead.reviewerRow('Ada')).toContainText('6 of 6');

  await leadApp.goTo('Export');
  const downloading = leadPage.waitForEvent('download');
  await leadPage.getByRole('button', { name: /^Download export/ }).click();
  const zip = unzipSync(new Uint8Array(readFileSync(await (await downloading).path())));
  const lines = (file: string) => {
    const bytes = zip[`labels/${file}`];
    expect(bytes, file).toBeDefined();
    return strFromU8(bytes ?? new Uint8Array())
      .split('\n')
      .filter((l) => l !== '');
  };
  const emotion = lines('RAFCE_emolabel.txt');
  expect(lines('RAFCE_AUlabel.txt')).toHaveLength(emotion.length);
  expect(lines('RAFCE_partition.txt')).toHaveLength(emotion.length);
  const texts = Object.entries(zip).filter(([name]) => /\.(txt|csv|json|md)$/.test(name));
  expect(texts.length).toBeGreaterThan(3);
  for (const [name, bytes] of texts) expect(strFromU8(bytes), name).not.toContain('INJECTED_LINE');
  const provenance = JSON.parse(strFromU8(zip['provenance.json'] ?? new Uint8Array()));
  const accepted = provenance.samples.filter(
    (s: { decision?: { kind: string } }) => s.decision?.kind === 'accept',
  );
  expect(accepted).toHaveLength(6);
});
