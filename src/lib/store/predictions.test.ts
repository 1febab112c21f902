import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PredictionRun } from '../predictions/run';
import { openDb, type AuReviewDb } from './db';
import { createDatasetStore, type DatasetStore } from './datasets';
import { DatasetNotFoundError } from './errors';
import {
  deleteLoaderCheck,
  deletePredictionRun,
  getLoaderCheck,
  getPredictionRun,
  listPredictionRunMetas,
  listPredictionRuns,
  saveLoaderCheck,
  savePredictionRun,
} from './predictions';
import { makeImages, makeMeta, makeTable } from './testing';
import type { LoaderCheck } from '../loader-check/check';

/** A clean check of n rows, or one with a finding of `count` all-zero rows. */
function reportOf(count = 0): LoaderCheck {
  return {
    version: 1,
    verdict: count ? 'The loader trained on all-zero targets.' : 'The targets match the labels.',
    clean: count === 0,
    findings: count
      ? [
          {
            kind: 'all-zero-coded',
            severity: 'error',
            title: 'All-zero targets for coded samples',
            count,
            of: 9,
            sentence: 'Every coded sample has all-zero targets.',
            examples: [],
            detail: { all: true },
          },
        ]
      : [],
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
}

let name: string;
let db: AuReviewDb;
let datasets: DatasetStore;

beforeEach(() => {
  name = `au-review-test-${crypto.randomUUID()}`;
  db = openDb(name);
  datasets = createDatasetStore(db);
});

afterEach(async () => {
  db.close();
  await Dexie.delete(name);
});

async function dataset(label: string, samples: number): Promise<string> {
  const meta = await datasets.saveImportedDataset({
    meta: makeMeta(label, samples),
    table: makeTable(samples),
    images: makeImages([]),
  });
  return meta.id;
}

/** A run over n samples: every third without a prediction, 3 classes and 2 AUs per row. */
function runOf(
  datasetId: string,
  n: number,
  options: { id?: string; createdAt?: number; emotion?: boolean; au?: boolean } = {},
): PredictionRun {
  const { id = 'run-1', createdAt = 1000, emotion = true, au = true } = options;
  const rowOf = new Int32Array(n).fill(-1);
  let rows = 0;
  for (let i = 0; i < n; i++) if (i % 3 !== 2) rowOf[i] = rows++;
  const classProbs = emotion ? new Float32Array(rows * 3) : null;
  const auProbs = au ? new Float32Array(rows * 2) : null;
  for (let r = 0; r < rows; r++) {
    classProbs?.set([0.5, 0.25, 0.25], r * 3);
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
      emotion: emotion
        ? { output: 'logits', classIds: [0, 1, 2], convertedFromLogits: true }
        : null,
      au: au ? { output: 'probabilities', aus: [4, 12], convertedFromLogits: false } : null,
      predicted: rows,
      unmatched: 2,
    },
    rowOf,
    classProbs,
    auProbs,
  };
}

describe('prediction runs', () => {
  it('round-trip with their typed arrays as typed arrays, oldest first', async () => {
    const id = await dataset('a', 30);
    const later = runOf(id, 30, { id: 'later', createdAt: 2000, au: false });
    const earlier = runOf(id, 30, { id: 'earlier', createdAt: 1000, emotion: false });
    await savePredictionRun(later, db);
    await savePredictionRun(earlier, db);

    const { runs, unreadable } = await listPredictionRuns(id, db);
    expect(unreadable).toEqual([]);
    expect(runs.map((r) => r.meta.id)).toEqual(['earlier', 'later']);
    expect(runs[1]).toEqual(later);
    expect(runs[0]).toEqual(earlier);
    expect(runs[1]?.rowOf).toBeInstanceOf(Int32Array);
    expect(runs[1]?.classProbs).toBeInstanceOf(Float32Array);
    expect(runs[1]?.auProbs).toBeNull();
    expect(await getPredictionRun('later', db)).toEqual(later);
    const { metas } = await listPredictionRunMetas(id, db);
    expect(metas).toEqual([earlier.meta, later.meta]);
  });

  it('store a view of a larger buffer as its own bytes', async () => {
    const id = await dataset('a', 6);
    const run = runOf(id, 6);
    const big = new Float32Array(1000);
    big.set(run.classProbs as Float32Array, 10);
    const view = big.subarray(10, 10 + (run.classProbs as Float32Array).length);
    await savePredictionRun({ ...run, classProbs: view }, db);
    const stored = await db.predictionRuns.get(run.meta.id);
    expect(stored?.classProbs?.size).toBe(view.byteLength);
    expect((await getPredictionRun(run.meta.id, db))?.classProbs).toEqual(run.classProbs);
  });

  it('are kept apart per dataset and removed one by one', async () => {
    const a = await dataset('a', 9);
    const b = await dataset('b', 9);
    await savePredictionRun(runOf(a, 9, { id: 'a1' }), db);
    await savePredictionRun(runOf(a, 9, { id: 'a2', createdAt: 5 }), db);
    await savePredictionRun(runOf(b, 9, { id: 'b1' }), db);
    await deletePredictionRun('a2', db);
    expect((await listPredictionRuns(a, db)).runs.map((r) => r.meta.id)).toEqual(['a1']);
    expect((await listPredictionRuns(b, db)).runs.map((r) => r.meta.id)).toEqual(['b1']);
    expect(await getPredictionRun('a2', db)).toBeUndefined();
  });

  it('are deleted with their dataset, and so is its loader check', async () => {
    const a = await dataset('a', 9);
    const b = await dataset('b', 9);
    await savePredictionRun(runOf(a, 9, { id: 'a1' }), db);
    await savePredictionRun(runOf(b, 9, { id: 'b1' }), db);
    await saveLoaderCheck(
      { datasetId: a, checkedAt: 1, fileNames: ['t.npy'], report: reportOf(), problems: [] },
      db,
    );
    await saveLoaderCheck(
      { datasetId: b, checkedAt: 1, fileNames: ['t.npy'], report: reportOf(), problems: [] },
      db,
    );
    await datasets.deleteDataset(a);
    expect(await db.predictionRuns.count()).toBe(1);
    expect(await getLoaderCheck(a, db)).toBeUndefined();
    expect(await getLoaderCheck(b, db)).toBeDefined();
  });

  it.each([
    [
      'a dataset that does not exist',
      (run: PredictionRun) => ({ ...run, meta: { ...run.meta, datasetId: 'gone' } }),
      DatasetNotFoundError,
    ],
    [
      'another number of samples',
      (run: PredictionRun) => ({ ...run, rowOf: run.rowOf.subarray(0, 8) }),
      /the run has 8 samples/,
    ],
    [
      'a predicted count that disagrees with rowOf',
      (run: PredictionRun) => ({ ...run, meta: { ...run.meta, predicted: 1 } }),
      /rowOf gives 6/,
    ],
    [
      'probabilities of the wrong size',
      (run: PredictionRun) => ({ ...run, auProbs: new Float32Array(5) }),
      /auProbs holds 5 values, not 6 rows x 2/,
    ],
    [
      'probabilities without their columns',
      (run: PredictionRun) => ({ ...run, meta: { ...run.meta, emotion: null } }),
      /classProbs is given without/,
    ],
    [
      'columns without probabilities',
      (run: PredictionRun) => ({ ...run, classProbs: null }),
      /classProbs is missing/,
    ],
    [
      'numbers instead of a typed array',
      (run: PredictionRun) => ({ ...run, rowOf: Array.from(run.rowOf) as unknown as Int32Array }),
      /expected an Int32Array/,
    ],
    [
      'an empty name',
      (run: PredictionRun) => ({ ...run, meta: { ...run.meta, name: '  ' } }),
      /name/,
    ],
  ] as const)('refuse %s and store nothing', async (_, spoil, error) => {
    const id = await dataset('a', 9);
    await expect(savePredictionRun(spoil(runOf(id, 9)), db)).rejects.toThrow(error);
    expect(await db.predictionRuns.count()).toBe(0);
  });

  it('leave out, and report, a record a newer app wrote or one that is corrupt', async () => {
    const id = await dataset('a', 9);
    await savePredictionRun(runOf(id, 9, { id: 'good' }), db);
    const good = await db.predictionRuns.get('good');
    await db.predictionRuns.put({ ...good, id: 'newer', version: 3 } as never);
    await db.predictionRuns.put({ ...good, id: 'corrupt', auProbs: 'zeros' } as never);
    await db.predictionRuns.put({
      ...good,
      id: 'odd',
      classProbs: new Blob([new Uint8Array(5)]),
    } as never);
    const { runs, unreadable } = await listPredictionRuns(id, db);
    expect(runs.map((r) => r.meta.id)).toEqual(['good']);
    expect(unreadable).toHaveLength(3);
    expect(unreadable.join('\n')).toMatch(/newer AU Review/);
    expect(unreadable.join('\n')).toMatch(/auProbs: expected a Blob/);
    expect(unreadable.join('\n')).toMatch(/classProbs holds 5 bytes/);
    expect(await getPredictionRun('corrupt', db)).toBeUndefined();
  });

  it('report a run whose arrays read back short, where the meta listing did not read them', async () => {
    const id = await dataset('a', 9);
    const run = runOf(id, 9, { id: 'short' });
    await savePredictionRun(run, db);
    const stored = await db.predictionRuns.get('short');
    const short = new Blob([(run.classProbs as Float32Array<ArrayBuffer>).subarray(1)]);
    await db.predictionRuns.put({ ...stored, classProbs: short } as never);
    expect((await listPredictionRunMetas(id, db)).metas.map((m) => m.id)).toEqual(['short']);
    const { runs, unreadable } = await listPredictionRuns(id, db);
    expect(runs).toEqual([]);
    expect(unreadable).toEqual([
      expect.stringMatching(
        /"[^"]+" does not read back whole: classProbs: classProbs holds \d+ values, not 6 rows/,
      ),
    ]);
    expect(await getPredictionRun('short', db)).toBeUndefined();
  });

  it('read a run stored by the first version, its arrays in the record, as it was', async () => {
    const id = await dataset('a', 9);
    const run = runOf(id, 9, { id: 'first' });
    await db.predictionRuns.put({
      ...run.meta,
      rowOf: run.rowOf,
      classProbs: run.classProbs,
      auProbs: run.auProbs,
    } as never);
    expect(await getPredictionRun('first', db)).toEqual(run);
    expect((await listPredictionRunMetas(id, db)).metas).toEqual([run.meta]);
  });
});

describe('loader checks', () => {
  it('keep one per dataset, replaced by the next, and can be removed', async () => {
    const id = await dataset('a', 3);
    await saveLoaderCheck(
      { datasetId: id, checkedAt: 1, fileNames: ['a.csv'], report: reportOf(), problems: [] },
      db,
    );
    await saveLoaderCheck(
      { datasetId: id, checkedAt: 2, fileNames: ['b.npy'], report: reportOf(4), problems: [] },
      db,
    );
    expect(await getLoaderCheck(id, db)).toEqual({
      version: 1,
      datasetId: id,
      checkedAt: 2,
      fileNames: ['b.npy'],
      report: reportOf(4),
      problems: [],
    });
    await deleteLoaderCheck(id, db);
    expect(await getLoaderCheck(id, db)).toBeUndefined();
  });

  it('refuse a dataset that does not exist', async () => {
    await expect(
      saveLoaderCheck(
        { datasetId: 'gone', checkedAt: 1, fileNames: [], report: reportOf(), problems: [] },
        db,
      ),
    ).rejects.toThrow(DatasetNotFoundError);
    expect(await db.loaderChecks.count()).toBe(0);
  });
});
