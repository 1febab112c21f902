import { expect, test, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AuReviewApp, hasRafceFixtures, needsRafceFixtures, rafceFiles } from './pages/app';
import { ExportScreen, exportText } from './pages/export';

async function downloadExport(page: Page): Promise<Record<string, Uint8Array>> {
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: /^Download export/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/-export\.zip$/);
  return unzipSync(new Uint8Array(readFileSync(await download.path())));
}

const text = (files: Record<string, Uint8Array>, name: string) => {
  const file = files[name];
  if (!file) throw new Error(`${name} is not in the export: ${Object.keys(files).join(', ')}`);
  return strFromU8(file);
};

test('the untouched RAF-CE labels export byte for byte and re-import the same', async ({
  page,
}) => {
  test.skip(!hasRafceFixtures, needsRafceFixtures);
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Import');
  await app.importPage.chooseLabelFiles(rafceFiles);
  await app.importPage.save('RAF-CE');

  await app.goTo('Export');
  await expect(page.getByTestId('export-kept')).toHaveText('4,549');
  await expect(page.getByTestId('export-removed')).toHaveText('0');
  const files = await downloadExport(page);
  for (const file of rafceFiles) {
    const exported = files[`labels/${path.basename(file)}`];
    expect(exported, path.basename(file)).toBeDefined();
    expect(Buffer.compare(Buffer.from(exported ?? []), readFileSync(file))).toBe(0);
  }

  // The exported files import again with the same samples and labels.
  await app.goTo('Import');
  await app.importPage.chooseLabelFiles(
    rafceFiles.map((file) => ({
      name: path.basename(file),
      mimeType: 'text/plain',
      buffer: Buffer.from(files[`labels/${path.basename(file)}`] ?? []),
    })),
  );
  await expect(app.report.figure('samples-accepted')).toHaveText('4,549');
  await expect(app.report.figure('null-count')).toContainText('251');
  await expect(app.report.classRow('Angrily disgusted')).toContainText('977');
});

test('reviewed samples export with their decisions: every file checked', async ({ page }) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Review');
  const review = app.review;
  await review.start('Ada', 6, 3);

  const names: string[] = [];
  const name = async () => (await review.sampleName.textContent()) ?? '';
  names.push(await name());
  await review.press('a'); // accept
  await expect(review.position).toHaveText('2 of 6');
  names.push(await name());
  await review.press('d'); // discard
  await expect(review.position).toHaveText('3 of 6');
  names.push(await name());
  await page.getByLabel('Class').selectOption({ label: 'Angrily disgusted' });
  await page.getByLabel('Note').fill('frown, nose wrinkle');
  await page.getByRole('button', { name: /^Save correction/ }).click(); // correct the class
  await expect(review.position).toHaveText('4 of 6');
  names.push(await name());
  await review.press('1'); // flag: AU label wrong
  await expect(review.position).toHaveText('5 of 6');
  const [accepted, discarded, corrected, flagged] = names as [string, string, string, string];

  await app.goTo('Export');
  await expect(page.getByTestId('export-removed')).toHaveText('1');
  const files = await downloadExport(page);
  expect(Object.keys(files).sort()).toEqual(
    [
      'README.txt',
      'au_matrix.csv',
      'changelog.csv',
      'labels/RAFCE_AUlabel.txt',
      'labels/RAFCE_emolabel.txt',
      'labels/RAFCE_partition.txt',
      'provenance.json',
      'training_stats.json',
    ].sort(),
  );

  const emotion = text(files, 'labels/RAFCE_emolabel.txt').split('\n');
  expect(emotion).toHaveLength(199 + 1); // 199 samples, newline after the last
  expect(emotion).not.toContain(expect.stringMatching(new RegExp(`^${discarded} `)));
  expect(emotion).toContain(`${corrected} 10`);
  expect(emotion.some((line) => line.startsWith(`${accepted} `))).toBe(true);
  expect(emotion.some((line) => line.startsWith(`${flagged} `))).toBe(true);

  // Not coded is -1 in every AU column, never 0.
  const matrix = text(files, 'au_matrix.csv').trim().split('\n');
  const header = matrix[0]?.split(',') ?? [];
  expect(header.slice(0, 4)).toEqual(['image', 'class_id', 'class_name', 'split']);
  const auColumns = header.length - 4;
  expect(auColumns).toBeGreaterThan(10);
  const auFile = text(files, 'labels/RAFCE_AUlabel.txt').split('\n');
  const uncoded = auFile.find((line) => line.endsWith(' null'))?.split(' ')[0];
  const uncodedRow = matrix.find((row) => row.startsWith(`${uncoded},`))?.split(',') ?? [];
  expect(uncodedRow.slice(4)).toEqual(Array(auColumns).fill('-1'));
  const codedRow = matrix.find((row) => row.startsWith(`${accepted},`))?.split(',') ?? [];
  expect(codedRow.slice(4)).toContain('1');
  expect(codedRow.slice(4)).not.toContain('-1');

  const provenance = JSON.parse(text(files, 'provenance.json'));
  expect(provenance.version).toBe(2);
  const entry = (image: string) =>
    provenance.samples.find((s: { image: string }) => s.image === image);
  expect(entry(corrected).decision).toMatchObject({
    kind: 'correct',
    reviewer: 'Ada',
    note: 'frown, nose wrinkle',
  });
  expect(entry(corrected).final.className).toBe('Angrily disgusted');
  expect(entry(discarded)).toMatchObject({ exported: false, removedBecause: 'discarded' });
  expect(entry(flagged).decision).toMatchObject({ kind: 'flag', flagReason: 'au-wrong' });

  const stats = JSON.parse(text(files, 'training_stats.json'));
  expect(stats.samples).toBe(199);
  expect(stats.beta).toBe(0.999);
  const weights = stats.classes.map((c: { weight: number }) => c.weight);
  expect(weights.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(14, 6);
  const first = stats.classes[0];
  const raw = (n: number) => (1 - 0.999) / (1 - 0.999 ** n);
  const sum = stats.classes.reduce((a: number, c: { count: number }) => a + raw(c.count), 0);
  expect(first.weight).toBeCloseTo((raw(first.count) / sum) * 14, 6);
  for (const au of stats.au.aus) {
    if (au.positives > 0)
      expect(au.posWeight).toBeCloseTo((stats.au.coded - au.positives) / au.positives, 6);
  }

  const changelog = text(files, 'changelog.csv');
  expect(changelog.split('\n')[0]).toBe('sample,image,change,from,to,reason,reviewer,time');
  expect(changelog).toContain(discarded);
  expect(changelog).toContain(corrected);

  const readme = text(files, 'README.txt');
  for (const file of Object.keys(files).filter((f) => f !== 'README.txt')) {
    expect(readme).toContain(path.basename(file));
  }
});

test('the current filter exports alone, and the same options give the same bytes', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  await app.open();
  await page.getByLabel('Filter by class').selectOption({ label: 'Sadly angry' });
  await expect(app.samples.shownCount).not.toHaveText('200 of 200 samples');
  const shown = Number((await app.samples.shownCount.textContent())?.split(' ')[0]);
  await app.goTo('Export');
  await page.getByRole('radio', { name: /^The current filter/ }).check();
  await expect(page.getByTestId('export-kept')).toHaveText(String(shown));
  const first = await downloadExport(page);
  const again = await downloadExport(page);
  expect(Object.keys(again)).toEqual(Object.keys(first));
  for (const [name, bytes] of Object.entries(first)) {
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(again[name] ?? [])), name).toBe(0);
  }
  const emotion = text(first, 'labels/RAFCE_emolabel.txt').trim().split('\n');
  expect(emotion).toHaveLength(shown);
  expect(emotion.every((line) => line.endsWith(' 3'))).toBe(true);
});

test('the evidence option drops likely mislabelled samples, previewed with counts', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Export');
  const option = page.getByRole('checkbox', {
    name: 'Drop samples the evidence calls likely mislabelled',
  });
  const hint = page.getByTestId('export-likely-mislabelled');
  const sentences = page.getByRole('region', { name: 'Preview' }).getByRole('listitem');
  await expect(option).not.toBeChecked();
  // The analysis computes the evidence after the demo opens.
  await expect(hint).toHaveText(/^Would drop \d+ samples?\./, { timeout: 30_000 });
  const would = Number(/^Would drop (\d+)/.exec((await hint.textContent()) ?? '')?.[1]);
  await expect(page.getByTestId('export-removed')).toHaveText('0');
  await expect(sentences.filter({ hasText: 'likely mislabelled are kept' })).toHaveCount(1);

  await option.check();
  await expect(hint).toHaveText(new RegExp(`^Drops ${would} samples?\\.`));
  await expect(page.getByTestId('export-removed')).toHaveText(String(would));
  await expect(page.getByTestId('export-kept')).toHaveText(String(200 - would));
  await expect(
    sentences.filter({ hasText: 'likely mislabelled are dropped, unless a reviewer accepted' }),
  ).toHaveCount(1);
  expect(would).toBeGreaterThan(0);
  await expect(
    page
      .getByRole('table', { name: 'Removed by reason' })
      .getByRole('row', { name: /likely mislabelled \(evidence\)/ }),
  ).toContainText(String(would));

  const files = await downloadExport(page);
  const provenance = JSON.parse(text(files, 'provenance.json'));
  expect(provenance.policy).toMatchObject({ version: 2, dropLikelyMislabelled: true });
  expect(provenance.summary.byReason['likely-mislabelled']).toBe(would);
  const emotion = text(files, 'labels/RAFCE_emolabel.txt').trim().split('\n');
  expect(emotion).toHaveLength(200 - would);
});

/**
 * Rewrites stored decisions as a tampered team bundle or a hand-edited database could
 * leave them: the export must check what it writes whatever the store holds.
 */
async function tamperStoredDecisions(
  page: Page,
  corrections: Record<string, { classId?: number; au?: { status: 'coded'; raw: string } }>,
): Promise<number> {
  return page.evaluate(async (bySample) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('au-review');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const store = db.transaction('decisions', 'readwrite').objectStore('decisions');
    const all = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
      const request = store.getAll();
      request.onsuccess = () => resolve(request.result as Record<string, unknown>[]);
      request.onerror = () => reject(request.error);
    });
    let changed = 0;
    for (const record of all) {
      const correction = bySample[String(record.sample)];
      if (!correction) continue;
      store.put({ ...record, kind: 'correct', correction });
      changed++;
    }
    await new Promise<void>((resolve, reject) => {
      store.transaction.oncomplete = () => resolve();
      store.transaction.onerror = () => reject(store.transaction.error);
    });
    db.close();
    return changed;
  }, corrections);
}

test('tampered stored labels are left out of every label file, which still line up', async ({
  page,
}) => {
  const app = new AuReviewApp(page);
  await app.open();
  await app.goTo('Review');
  await app.review.start('Ada', 6, 3);
  const names: string[] = [];
  for (let k = 0; k < 4; k++) {
    names.push((await app.review.sampleName.textContent()) ?? '');
    await app.review.press('a');
    await expect(app.review.position).toHaveText(`${k + 2} of 6`);
  }
  const sampleOf = await page.evaluate(async (wanted) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('au-review');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const request = db.transaction('decisions').objectStore('decisions').getAll();
    const all = await new Promise<{ sample: number; sampleName: string }[]>((resolve) => {
      request.onsuccess = () => resolve(request.result);
    });
    db.close();
    return wanted.map((name) => all.find((d) => d.sampleName === name)?.sample ?? -1);
  }, names);
  const [injected, wrapped, negative, formula] = sampleOf as [number, number, number, number];
  const changed = await tamperStoredDecisions(page, {
    [injected]: { au: { status: 'coded', raw: '1+2\nINJECTED_LINE.jpg 99' } },
    [wrapped]: { classId: 40000 },
    [negative]: { classId: -7 },
    [formula]: { au: { status: 'coded', raw: '=cmd|calc' } },
  });
  expect(changed).toBe(4);
  await page.reload();

  await app.goTo('Export');
  const screen = new ExportScreen(page);
  await expect(screen.invalid).toContainText('4 samples have stored labels');
  await expect(screen.removed).toHaveText('4');
  const files = await screen.download();
  const imagesOf = (name: string) =>
    exportText(files, `labels/${name}`)
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split(' ')[0]);
  const emotion = imagesOf('RAFCE_emolabel.txt');
  expect(emotion).toHaveLength(196);
  expect(imagesOf('RAFCE_AUlabel.txt')).toEqual(emotion);
  expect(imagesOf('RAFCE_partition.txt')).toEqual(emotion);
  for (const name of ['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt', 'RAFCE_partition.txt']) {
    const body = exportText(files, `labels/${name}`);
    expect(body).not.toContain('INJECTED');
    expect(body).not.toContain('=cmd');
  }
  for (const name of names) expect(emotion).not.toContain(name);

  const log = exportText(files, 'changelog.csv');
  expect(log).toContain('cannot be written safely');
  expect(log).toContain('class id -25536 is not in');
  expect(log).toContain('class id -7 is not in');
  // No cell of the change log starts a line as a formula.
  expect(log).not.toMatch(/(^|,)[=+@]/m);
});
