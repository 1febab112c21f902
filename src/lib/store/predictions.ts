import type { PredictionRun, PredictionRunMeta } from '../predictions/run';
import { getDb, type AuReviewDb } from './db';
import { DatasetNotFoundError } from './errors';
import { MIGRATIONS, readVersioned, type RecordFormat } from './migrations';
import {
  LOADER_CHECK_RECORD_VERSION,
  LoaderCheckRecordSchema,
  PREDICTION_RUN_RECORD_VERSION,
  PredictionRunRecordSchema,
  STORED_PREDICTION_RUN_VERSION,
  StoredPredictionRunSchema,
  type LoaderCheckRecord,
  type PredictionRunRecord,
  type StoredPredictionRun,
} from './prediction-records';

export {
  LOADER_CHECK_RECORD_VERSION,
  LoaderCheckRecordSchema,
  PREDICTION_RUN_RECORD_VERSION,
  PredictionRunRecordSchema,
  STORED_PREDICTION_RUN_VERSION,
  StoredPredictionRunSchema,
  type LoaderCheckRecord,
  type PredictionRunRecord,
  type StoredPredictionRun,
};

const RUN_FORMAT: RecordFormat<StoredPredictionRun> = {
  what: 'prediction run',
  versionField: 'version',
  current: STORED_PREDICTION_RUN_VERSION,
  schema: StoredPredictionRunSchema,
  steps: MIGRATIONS.predictionRun,
};

const LOADER_CHECK_FORMAT: RecordFormat<LoaderCheckRecord> = {
  what: 'loader check',
  versionField: 'version',
  current: LOADER_CHECK_RECORD_VERSION,
  schema: LoaderCheckRecordSchema,
  steps: MIGRATIONS.loaderCheck,
};

const describeIssues = (issues: readonly { path: PropertyKey[]; message: string }[]) =>
  issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');

/** A Blob of the array's own bytes (a view of a larger buffer stores only its part). */
const blobOf = (array: Float32Array | Int32Array) =>
  new Blob([array as Float32Array<ArrayBuffer> | Int32Array<ArrayBuffer>]);

/** The record a run is stored as, after checking the run whole. Throws for a bad run (a bug). */
export function toStoredRun(run: PredictionRun | PredictionRunRecord): StoredPredictionRun {
  const record =
    'meta' in run
      ? { ...run.meta, rowOf: run.rowOf, classProbs: run.classProbs, auProbs: run.auProbs }
      : run;
  const parsed = PredictionRunRecordSchema.safeParse(record);
  if (!parsed.success)
    throw new Error(`savePredictionRun: invalid run: ${describeIssues(parsed.error.issues)}`);
  const { rowOf, classProbs, auProbs, ...meta } = parsed.data;
  return {
    ...meta,
    version: STORED_PREDICTION_RUN_VERSION,
    rowOf: blobOf(rowOf),
    classProbs: classProbs && blobOf(classProbs),
    auProbs: auProbs && blobOf(auProbs),
  };
}

type ReadRun = { ok: true; run: PredictionRun } | { ok: false; message: string };

/** The run of a stored record, its arrays read and checked whole (sizes, counts). */
async function toRun(stored: StoredPredictionRun): Promise<ReadRun> {
  const { rowOf, classProbs, auProbs, ...rest } = stored;
  const meta = { ...rest, version: PREDICTION_RUN_RECORD_VERSION };
  const [rowBytes, classBytes, auBytes] = await Promise.all([
    rowOf.arrayBuffer(),
    classProbs?.arrayBuffer() ?? null,
    auProbs?.arrayBuffer() ?? null,
  ]);
  const parsed = PredictionRunRecordSchema.safeParse({
    ...meta,
    rowOf: new Int32Array(rowBytes),
    classProbs: classBytes && new Float32Array(classBytes),
    auProbs: auBytes && new Float32Array(auBytes),
  });
  if (!parsed.success)
    return {
      ok: false,
      message: `the prediction run "${meta.name}" does not read back whole: ${describeIssues(parsed.error.issues)}`,
    };
  const { rowOf: rows, classProbs: classes, auProbs: aus, ...checkedMeta } = parsed.data;
  return { ok: true, run: { meta: checkedMeta, rowOf: rows, classProbs: classes, auProbs: aus } };
}

function metaOf(stored: StoredPredictionRun): PredictionRunMeta {
  const { rowOf: _rows, classProbs: _classes, auProbs: _aus, ...rest } = stored;
  return { ...rest, version: PREDICTION_RUN_RECORD_VERSION };
}

/**
 * Stores a prediction run beside its dataset (replacing a run of the same id). Throws
 * when the dataset does not exist (deleted, perhaps in another tab), so that no run
 * outlives it, and when the run was aligned to another number of samples (a bug).
 */
export async function savePredictionRun(
  run: PredictionRun,
  db: AuReviewDb = getDb(),
): Promise<void> {
  const record = toStoredRun(run);
  const samples = record.rowOf.size / Int32Array.BYTES_PER_ELEMENT;
  await db.transaction('rw', db.datasets, db.predictionRuns, async () => {
    const meta = await db.datasets.get(record.datasetId);
    if (meta === undefined) throw new DatasetNotFoundError(record.datasetId);
    if (meta.sampleCount !== samples)
      throw new Error(
        `savePredictionRun: the run has ${samples} samples, dataset "${record.datasetId}" has ${meta.sampleCount}`,
      );
    await db.predictionRuns.put(record);
  });
}

/** What could be read of a dataset's runs, oldest first, and what could not. */
export interface StoredRuns {
  runs: PredictionRun[];
  /** Runs that fail validation or were written by a newer app, each in plain words. */
  unreadable: string[];
}

/**
 * The dataset's prediction runs, oldest first. An older record is migrated (see
 * migrations.ts); one that fails validation, or that a newer app wrote, is reported
 * and left out: a run can be imported again, and it must not stop the others.
 */
export async function listPredictionRuns(
  datasetId: string,
  db: AuReviewDb = getDb(),
): Promise<StoredRuns> {
  const { records, unreadable } = await storedRuns(datasetId, db);
  const runs: PredictionRun[] = [];
  for (const read of await Promise.all(records.map(toRun))) {
    if (read.ok) runs.push(read.run);
    else unreadable.push(read.message);
  }
  return { runs, unreadable };
}

/** The dataset's stored run records (arrays not read), oldest first, and what cannot be read. */
async function storedRuns(
  datasetId: string,
  db: AuReviewDb,
): Promise<{ records: StoredPredictionRun[]; unreadable: string[] }> {
  const stored: unknown[] = await db.predictionRuns.where('datasetId').equals(datasetId).toArray();
  const records: StoredPredictionRun[] = [];
  const unreadable: string[] = [];
  for (const record of stored) {
    const read = readVersioned(RUN_FORMAT, record);
    if (read.ok && read.record.datasetId === datasetId) records.push(read.record);
    else if (!read.ok) unreadable.push(read.message);
  }
  records.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  return { records, unreadable };
}

/**
 * The metas of the dataset's runs, oldest first (the screen lists these), without
 * reading their arrays: a record whose arrays turn out bad is reported when it is read.
 */
export async function listPredictionRunMetas(
  datasetId: string,
  db: AuReviewDb = getDb(),
): Promise<{ metas: PredictionRunMeta[]; unreadable: string[] }> {
  const { records, unreadable } = await storedRuns(datasetId, db);
  return { metas: records.map(metaOf), unreadable };
}

/** One run, or undefined when it is not stored or cannot be read. */
export async function getPredictionRun(
  id: string,
  db: AuReviewDb = getDb(),
): Promise<PredictionRun | undefined> {
  const stored: unknown = await db.predictionRuns.get(id);
  if (stored === undefined) return undefined;
  const read = readVersioned(RUN_FORMAT, stored);
  if (!read.ok) return undefined;
  const run = await toRun(read.record);
  return run.ok ? run.run : undefined;
}

export async function deletePredictionRun(id: string, db: AuReviewDb = getDb()): Promise<void> {
  await db.predictionRuns.delete(id);
}

/** Stores the check of a loader dump beside its dataset, replacing an earlier one. */
export async function saveLoaderCheck(
  check: Omit<LoaderCheckRecord, 'version'>,
  db: AuReviewDb = getDb(),
): Promise<LoaderCheckRecord> {
  const record = LoaderCheckRecordSchema.parse({ ...check, version: LOADER_CHECK_RECORD_VERSION });
  await db.transaction('rw', db.datasets, db.loaderChecks, async () => {
    if ((await db.datasets.get(record.datasetId)) === undefined)
      throw new DatasetNotFoundError(record.datasetId);
    await db.loaderChecks.put(record);
  });
  return record;
}

/** The dataset's last loader check, or undefined when there is none or it cannot be read. */
export async function getLoaderCheck(
  datasetId: string,
  db: AuReviewDb = getDb(),
): Promise<LoaderCheckRecord | undefined> {
  const stored: unknown = await db.loaderChecks.get(datasetId);
  if (stored === undefined) return undefined;
  const read = readVersioned(LOADER_CHECK_FORMAT, stored);
  return read.ok && read.record.datasetId === datasetId ? read.record : undefined;
}

export async function deleteLoaderCheck(
  datasetId: string,
  db: AuReviewDb = getDb(),
): Promise<void> {
  await db.loaderChecks.delete(datasetId);
}
