import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadReviewRecords, recordDecisions } from './review';
import { backupFileName, createBackup, restoreBackup } from './backup';
import { createDatasetStore, type DatasetStore } from './datasets';
import { openDb, type AuReviewDb } from './db';
import { makeImages, makeMeta, makeTable, tableDifference } from './testing';
import type { Decision } from '../review/decision';
import type { HistoryEntry } from '../review/history';
import type { EvidenceBox } from '../review/evidence';
import type { PredictionRun } from '../predictions/run';
import type { LoaderCheck } from '../loader-check/check';
import {
  getLoaderCheck,
  listPredictionRuns,
  saveLoaderCheck,
  savePredictionRun,
} from './predictions';

let db: AuReviewDb;
let store: DatasetStore;

beforeEach(() => {
  db = openDb(`au-review-backup-${crypto.randomUUID()}`);
  store = createDatasetStore(db);
});
afterEach(async () => {
  await db.delete();
});

function decision(datasetId: string, sample: number, id = crypto.randomUUID()): Decision {
  return {
    version: 1,
    id,
    datasetId,
    sample,
    sampleName: `${sample}.jpg`,
    kind: 'correct',
    reviewer: 'ana',
    at: 1_700_000_000_000 + sample,
    correction: { classId: 3, au: { status: 'coded', raw: '6+12' } },
    note: 'smile, "not" sad',
  };
}

function decide(datasetId: string, decisions: Decision[]): HistoryEntry {
  return {
    version: 1,
    id: crypto.randomUUID(),
    datasetId,
    at: 1_700_000_000_000,
    reviewer: 'ana',
    kind: 'decide',
    decisionIds: decisions.map((d) => d.id),
  };
}

function box(datasetId: string, sample: number): EvidenceBox {
  return {
    version: 1,
    id: crypto.randomUUID(),
    datasetId,
    sample,
    au: 12,
    x: 0.1,
    y: 0.2,
    w: 0.3,
    h: 0.4,
    createdAt: 1,
    reviewer: 'ana',
  };
}

/** A run over n samples: every third without a prediction, 3 classes and 2 AUs per row. */
function runOf(
  datasetId: string,
  n: number,
  id: string,
  withAus: boolean,
  createdAt: number,
): PredictionRun {
  const rowOf = new Int32Array(n).fill(-1);
  let rows = 0;
  for (let i = 0; i < n; i++) if (i % 3 !== 2) rowOf[i] = rows++;
  const classProbs = new Float32Array(rows * 3);
  const auProbs = withAus ? new Float32Array(rows * 2) : null;
  for (let r = 0; r < rows; r++) {
    classProbs.set([0.5, 0.25 + r / rows / 8, 0.25 - r / rows / 8], r * 3);
    auProbs?.set([r / rows, 1 - r / rows], r * 2);
  }
  return {
    meta: {
      version: 1,
      id,
      datasetId,
      name: `run ${id}`,
      createdAt,
      fileNames: ['predictions.csv'],
      emotion: { output: 'logits', classIds: [0, 1, 2], convertedFromLogits: true },
      au: withAus ? { output: 'probabilities', aus: [4, 12], convertedFromLogits: false } : null,
      predicted: rows,
      unmatched: 2,
    },
    rowOf,
    classProbs,
    auProbs,
  };
}

const loaderReport: LoaderCheck = {
  version: 1,
  verdict: 'The loader trained on all-zero targets.',
  clean: false,
  findings: [
    {
      kind: 'all-zero-coded',
      severity: 'error',
      title: 'All-zero targets for coded samples',
      count: 4,
      of: 9,
      sentence: 'Every coded sample has all-zero targets.',
      examples: [],
      detail: { all: true },
    },
  ],
  join: {
    by: 'row-order',
    rows: 9,
    matched: 9,
    unmatched: 0,
    unmatchedExamples: [],
    samplesWithoutRow: 0,
  },
  codedRows: 9,
  notCodedRows: 0,
  columns: 2,
};

/**
 * A dataset of 12,345 samples with 2 images, three decisions (one undone), a box, a
 * rule set, two prediction runs (one without AUs) and a loader check.
 */
async function reviewedDataset(name = 'Faces') {
  const table = makeTable(12_345, 3);
  const meta = await store.saveImportedDataset({
    meta: makeMeta(name, 12_345),
    table,
    images: makeImages(['a.jpg', 'b/c.jpg']),
  });
  const first = [decision(meta.id, 1), decision(meta.id, 2)];
  const entry = decide(meta.id, first);
  await recordDecisions(first, entry, db);
  await db.history.add({
    version: 1,
    id: crypto.randomUUID(),
    datasetId: meta.id,
    at: 2,
    reviewer: 'ana',
    kind: 'undo',
    decisionIds: [],
    targets: entry.id,
  });
  await db.evidence.add(box(meta.id, 1));
  await savePredictionRun(runOf(meta.id, 12_345, 'baseline', true, 1_700_000_000_000), db);
  await savePredictionRun(runOf(meta.id, 12_345, 'multi-task', false, 1_700_000_001_000), db);
  await saveLoaderCheck(
    {
      datasetId: meta.id,
      checkedAt: 1_700_000_000_000,
      fileNames: ['targets.npy'],
      report: loaderReport,
      problems: [],
    },
    db,
  );
  return { meta, table };
}

/** Everything the database holds, ids and all (blobs as their text). */
async function everything() {
  const images = await db.images.toArray();
  return {
    datasets: await db.datasets.toArray(),
    pages: await db.pages.toArray(),
    images: await Promise.all(images.map(async (i) => ({ ...i, blob: await i.blob.text() }))),
    decisions: await db.decisions.toArray(),
    history: await db.history.toArray(),
    evidence: await db.evidence.toArray(),
    settings: await db.settings.toArray(),
    // A Blob's bytes, not the Blob: two Blobs compare equal whatever they hold.
    predictionRuns: await Promise.all(
      (await db.predictionRuns.toArray()).map(async (r) => ({
        ...r,
        rowOf: await r.rowOf.arrayBuffer(),
        classProbs: await r.classProbs?.arrayBuffer(),
        auProbs: await r.auProbs?.arrayBuffer(),
      })),
    ),
    loaderChecks: await db.loaderChecks.toArray(),
  };
}

describe('backup and restore', () => {
  it('round-trips labels, decisions, history and evidence of a deleted dataset, images included', async () => {
    const { meta, table } = await reviewedDataset();
    const before = await loadReviewRecords(meta.id, db);
    const file = await createBackup(meta.id, { includeImages: true }, db);
    expect(file.manifest.counts).toMatchObject({ datasets: 1, pages: 2, images: 2, evidence: 1 });
    expect(file.fileName).toMatch(/^Faces \d{4}-\d\d-\d\d\.aureview-backup\.zip$/);

    await store.deleteDataset(meta.id);
    expect(await store.countDatasets()).toBe(0);

    const restored = await restoreBackup(file.bytes, file.fileName, 'replace', db);
    if (!restored.ok) throw new Error(restored.reason);
    expect(restored.meta.id).toBe(meta.id);
    expect(restored.imagesRestored).toBe(2);
    expect(tableDifference(await store.loadSampleTable(meta.id), table)).toBeNull();
    const after = await loadReviewRecords(meta.id, db);
    expect(after.decisions).toEqual(before.decisions);
    expect(after.history).toEqual(before.history);
    expect(after.history.map((h) => h.kind)).toEqual(['decide', 'undo']);
    expect(await db.evidence.where('datasetId').equals(meta.id).count()).toBe(1);
    expect(await (await store.getImage(meta.id, 'b/c.jpg'))?.text()).toBe('image b/c.jpg');
  });

  it('without images restores the labels and the review, and counts no image', async () => {
    const { meta } = await reviewedDataset();
    const file = await createBackup(meta.id, { includeImages: false }, db);
    await store.deleteDataset(meta.id);
    const restored = await restoreBackup(file.bytes, 'x.zip', 'replace', db);
    expect(restored.ok && restored.meta.imageCount).toBe(0);
    expect((await loadReviewRecords(meta.id, db)).decisions).toHaveLength(2);
    expect(await store.listImageKeys(meta.id)).toEqual([]);
  });

  it('replaces the stored dataset of the same id, dropping decisions made after the backup', async () => {
    const { meta } = await reviewedDataset();
    const file = await createBackup(meta.id, { includeImages: true }, db);
    const later = decision(meta.id, 5);
    await recordDecisions([later], decide(meta.id, [later]), db);
    const restored = await restoreBackup(file.bytes, 'x.zip', 'replace', db);
    expect(restored.ok).toBe(true);
    const records = await loadReviewRecords(meta.id, db);
    expect(records.decisions.map((d) => d.sample).sort()).toEqual([1, 2]);
    expect(await store.countDatasets()).toBe(1);
  });

  it('restores a copy beside the original with every id new and the links between them kept', async () => {
    const { meta, table } = await reviewedDataset();
    const file = await createBackup(meta.id, { includeImages: true }, db);
    const restored = await restoreBackup(file.bytes, 'x.zip', 'copy', db);
    if (!restored.ok) throw new Error(restored.reason);
    expect(restored.meta.id).not.toBe(meta.id);
    expect(restored.meta.name).toBe('Faces (restored copy)');
    expect(await store.countDatasets()).toBe(2);
    expect(tableDifference(await store.loadSampleTable(restored.meta.id), table)).toBeNull();
    const original = await loadReviewRecords(meta.id, db);
    const copy = await loadReviewRecords(restored.meta.id, db);
    expect(copy.decisions).toHaveLength(2);
    const originalIds = new Set(original.decisions.map((d) => d.id));
    expect(copy.decisions.some((d) => originalIds.has(d.id))).toBe(false);
    // The history still names the copy's own decisions and entries.
    const copyIds = new Set(copy.decisions.map((d) => d.id));
    expect(copy.history[0]?.decisionIds.every((id) => copyIds.has(id))).toBe(true);
    expect(copy.history[1]?.targets).toBe(copy.history[0]?.id);
  });

  it('round-trips prediction runs and the loader check, their arrays stored as binary entries', async () => {
    const { meta } = await reviewedDataset();
    const before = await listPredictionRuns(meta.id, db);
    const check = await getLoaderCheck(meta.id, db);
    const file = await createBackup(meta.id, { includeImages: false }, db);
    expect(file.manifest.version).toBe(2);
    expect(file.manifest.counts).toMatchObject({ predictionRuns: 2, loaderChecks: 1 });
    const entries = unzipSync(file.bytes);
    const runsJson = new TextDecoder().decode(entries['tables/predictionRuns.json']);
    // Two runs of 12,345 samples as JSON numbers would run to hundreds of kilobytes.
    expect(runsJson.length).toBeLessThan(2_000);
    expect(runsJson).toContain('"rowOf":{"$binary"');

    await store.deleteDataset(meta.id);
    expect(await db.predictionRuns.count()).toBe(0);
    const restored = await restoreBackup(file.bytes, file.fileName, 'replace', db);
    if (!restored.ok) throw new Error(restored.reason);
    const after = await listPredictionRuns(meta.id, db);
    expect(after.unreadable).toEqual([]);
    expect(after.runs).toEqual(before.runs);
    expect(after.runs[0]?.classProbs).toBeInstanceOf(Float32Array);
    expect(after.runs[0]?.rowOf).toBeInstanceOf(Int32Array);
    expect(after.runs.map((r) => r.auProbs === null)).toEqual([false, true]);
    expect(await getLoaderCheck(meta.id, db)).toEqual(check);
  });

  it('restores the runs of a copy under new ids and the copy, leaving the original runs', async () => {
    const { meta } = await reviewedDataset();
    const original = await listPredictionRuns(meta.id, db);
    const file = await createBackup(meta.id, { includeImages: false }, db);
    const restored = await restoreBackup(file.bytes, 'x.zip', 'copy', db);
    if (!restored.ok) throw new Error(restored.reason);
    expect(await listPredictionRuns(meta.id, db)).toEqual(original);
    const copy = await listPredictionRuns(restored.meta.id, db);
    expect(copy.runs.map((r) => r.meta.name)).toEqual(['run baseline', 'run multi-task']);
    expect(copy.runs.every((r) => r.meta.datasetId === restored.meta.id)).toBe(true);
    const originalIds = original.runs.map((r) => r.meta.id);
    expect(copy.runs.some((r) => originalIds.includes(r.meta.id))).toBe(false);
    expect(copy.runs.map((r) => Array.from(r.classProbs ?? []))).toEqual(
      original.runs.map((r) => Array.from(r.classProbs ?? [])),
    );
    expect((await getLoaderCheck(restored.meta.id, db))?.report).toEqual(loaderReport);
    expect(await db.predictionRuns.count()).toBe(4);
  });

  it('restores a version 1 backup, written before runs and loader checks were kept', async () => {
    const { meta } = await reviewedDataset();
    await db.predictionRuns.where('datasetId').equals(meta.id).delete();
    await db.loaderChecks.delete(meta.id);
    const file = await createBackup(meta.id, { includeImages: true }, db);
    // The layout version 1 wrote: no entries for the two tables, no counts of them.
    const entries = unzipSync(file.bytes);
    delete entries['tables/predictionRuns.json'];
    delete entries['tables/loaderChecks.json'];
    const manifest = JSON.parse(new TextDecoder().decode(entries['manifest.json'])) as {
      version: number;
      counts: Record<string, number>;
    };
    manifest.version = 1;
    delete manifest.counts.predictionRuns;
    delete manifest.counts.loaderChecks;
    entries['manifest.json'] = strToU8(JSON.stringify(manifest));
    const old = zipSync(entries);

    // Runs imported since the backup go with the dataset the backup replaces.
    await savePredictionRun(runOf(meta.id, 12_345, 'since', true, 1_700_000_002_000), db);
    const restored = await restoreBackup(old, 'old.zip', 'replace', db);
    if (!restored.ok) throw new Error(restored.reason);
    expect(restored.imagesRestored).toBe(2);
    expect((await loadReviewRecords(meta.id, db)).decisions).toHaveLength(2);
    expect(await listPredictionRuns(meta.id, db)).toEqual({ runs: [], unreadable: [] });
    expect(await getLoaderCheck(meta.id, db)).toBeUndefined();
  });

  describe('a bad backup file is refused with its name and reason, and nothing changes', () => {
    const edit = (bytes: Uint8Array, name: string, change: (json: unknown) => unknown) => {
      const entries = unzipSync(bytes);
      const json = JSON.parse(new TextDecoder().decode(entries[name])) as unknown;
      entries[name] = strToU8(JSON.stringify(change(json)));
      return zipSync(entries);
    };
    type Records = Record<string, unknown>[];
    /** Rewrites the binary entry holding `field` of the first run. */
    const editRunArray = (
      bytes: Uint8Array,
      field: string,
      change: (part: Uint8Array) => Uint8Array<ArrayBuffer>,
    ) => {
      const entries = unzipSync(bytes);
      const runs = JSON.parse(
        new TextDecoder().decode(entries['tables/predictionRuns.json']),
      ) as Record<string, { $binary: number }>[];
      const name = `binary/${runs[0]![field]!.$binary}`;
      entries[name] = change(entries[name]!);
      return zipSync(entries);
    };
    const cases: [string, (bytes: Uint8Array) => Uint8Array, RegExp][] = [
      ['random bytes', () => crypto.getRandomValues(new Uint8Array(300)), /not a readable zip/],
      ['cut in half', (b) => b.slice(0, b.length >> 1), /not a readable zip|missing/],
      [
        'a decision with an unknown kind',
        (b) =>
          edit(b, 'tables/decisions.json', (d) =>
            (d as Records).map((x) => ({ ...x, kind: 'approve' })),
          ),
        /decisions record 0: kind/,
      ],
      [
        'a decision of another dataset',
        (b) =>
          edit(b, 'tables/decisions.json', (d) =>
            (d as Records).map((x) => ({ ...x, datasetId: 'other' })),
          ),
        /decisions record 0 belongs to dataset "other"/,
      ],
      [
        'a run whose count of predictions disagrees with its rows',
        (b) =>
          edit(b, 'tables/predictionRuns.json', (r) =>
            (r as Records).map((x) => ({ ...x, predicted: 1 })),
          ),
        /predictionRuns record 0: predicted: the run says 1 samples have a prediction/,
      ],
      [
        'a run of another dataset',
        (b) =>
          edit(b, 'tables/predictionRuns.json', (r) =>
            (r as Records).map((x) => ({ ...x, datasetId: 'other' })),
          ),
        /predictionRuns record 0 belongs to dataset "other"/,
      ],
      [
        "a run's probabilities cut short",
        (b) => editRunArray(b, 'classProbs', (part) => part.slice(0, part.length - 12)),
        /predictionRuns record 0: classProbs: classProbs holds \d+ values, not \d+ rows x 3 columns/,
      ],
      [
        "a run's probabilities as a list of numbers",
        (b) =>
          edit(b, 'tables/predictionRuns.json', (r) =>
            (r as Records).map((x) => ({ ...x, classProbs: [0.5, 0.25, 0.25] })),
          ),
        /predictionRuns record 0: classProbs: expected a Float32Array/,
      ],
      [
        'a run aligned to another number of samples',
        (b) =>
          editRunArray(
            b,
            'rowOf',
            (part) =>
              // One more sample, without a prediction: the run stays whole in itself.
              new Uint8Array([...part, ...new Uint8Array(new Int32Array([-1]).buffer)]),
          ),
        /predictionRuns record 0 holds predictions for 12346 samples, the dataset has 12345/,
      ],
      [
        'a loader check without its report',
        (b) =>
          edit(b, 'tables/loaderChecks.json', (c) =>
            (c as Records).map(({ report: _report, ...x }) => x),
          ),
        /loaderChecks record 0: report/,
      ],
      [
        'a page missing',
        (b) => {
          const withoutPage = edit(b, 'tables/pages.json', (p) => (p as Records).slice(0, 1));
          return edit(withoutPage, 'manifest.json', (m) => ({
            ...(m as Record<string, unknown>),
            counts: { ...(m as { counts: object }).counts, pages: 1 },
          }));
        },
        /holds 1 pages of samples, the dataset has 2/,
      ],
      [
        'a manifest of a newer version',
        (b) => edit(b, 'manifest.json', (m) => ({ ...(m as object), version: 7 })),
        /version 7 backup/,
      ],
    ];
    it.each(cases)('%s', async (_, damage, reason) => {
      const { meta } = await reviewedDataset();
      const file = await createBackup(meta.id, { includeImages: true }, db);
      const later = decision(meta.id, 5);
      await recordDecisions([later], decide(meta.id, [later]), db);
      const before = await everything();
      for (const mode of ['replace', 'copy'] as const) {
        const result = await restoreBackup(damage(file.bytes), 'damaged.zip', mode, db);
        expect(result).toEqual({
          ok: false,
          file: 'damaged.zip',
          reason: expect.stringMatching(reason),
        });
      }
      expect(await everything()).toEqual(before);
    });

    it('a write that fails midway (a clashing record) leaves the stored dataset as it was', async () => {
      const { meta } = await reviewedDataset();
      const file = await createBackup(meta.id, { includeImages: true }, db);
      // Another dataset holds a decision under the id the backup's decision has.
      const clash = (await loadReviewRecords(meta.id, db)).decisions[0]!;
      const other = await store.saveImportedDataset({
        meta: makeMeta('other', 3),
        table: makeTable(3),
        images: [],
      });
      await store.deleteDataset(meta.id);
      await db.decisions.add({ ...clash, datasetId: other.id });
      const before = await everything();
      const result = await restoreBackup(file.bytes, 'clash.zip', 'replace', db);
      expect(result.ok).toBe(false);
      expect(await everything()).toEqual(before);
    });
  });
});

describe('backupFileName', () => {
  it.each([
    ['Faces', 'Faces 2023-11-14.aureview-backup.zip'],
    ['a/b:c*d', 'a_b_c_d 2023-11-14.aureview-backup.zip'],
    ['顔 😀', '顔 _ 2023-11-14.aureview-backup.zip'],
    ['///', '_ 2023-11-14.aureview-backup.zip'],
  ])('%s', (name, expected) => {
    expect(backupFileName(name, 1_700_000_000_000)).toBe(expected);
  });
});

describe('restoring as a copy when the dataset is gone', () => {
  it('keeps its ids and name', async () => {
    const { meta } = await reviewedDataset();
    const file = await createBackup(meta.id, { includeImages: false }, db);
    await store.deleteDataset(meta.id);
    const restored = await restoreBackup(file.bytes, 'x.zip', 'copy', db);
    expect(restored.ok && restored.meta).toMatchObject({ id: meta.id, name: 'Faces' });
  });
});
