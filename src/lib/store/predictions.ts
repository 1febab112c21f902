import type { PredictionRun, PredictionRunMeta } from '../predictions/run';
import { getDb, type AuReviewDb } from './db';
import { DatasetNotFoundError } from './errors';
import { MIGRATIONS, readVersioned, type RecordFormat } from './migrations';
import {
  LOADER_CHECK_RECORD_VERSION,
  LoaderCheckRecordSchema,
  PREDICTION_RUN_RECORD_VERSION,
  PredictionRunRecordSchema,
  type LoaderCheckRecord,
  type PredictionRunRecord,
} from './prediction-records';

export {
  LOADER_CHECK_RECORD_VERSION,
  LoaderCheckRecordSchema,
  PREDICTION_RUN_RECORD_VERSION,
  PredictionRunRecordSchema,
  type LoaderCheckRecord,
  type PredictionRunRecord,
};

/**
 * A copy that owns its buffer when the array is a view of a larger one: IndexedDB
 * stores a view's whole buffer, so a view of a bigger read would be stored whole.
 */
function owned<T extends Float32Array | Int32Array>(array: T): T {
  return array.byteOffset === 0 && array.byteLength === array.buffer.byteLength
    ? array
    : (array.slice() as T);
}

const RUN_FORMAT: RecordFormat<PredictionRunRecord> = {
  what: 'prediction run',
  versionField: 'version',
  current: PREDICTION_RUN_RECORD_VERSION,
  schema: PredictionRunRecordSchema,
  steps: MIGRATIONS.predictionRun,
};

const LOADER_CHECK_FORMAT: RecordFormat<LoaderCheckRecord> = {
  what: 'loader check',
  versionField: 'version',
  current: LOADER_CHECK_RECORD_VERSION,
  schema: LoaderCheckRecordSchema,
  steps: MIGRATIONS.loaderCheck,
};

function toRecord(run: PredictionRun): PredictionRunRecord {
  const parsed = PredictionRunRecordSchema.safeParse({
    ...run.meta,
    rowOf: owned(run.rowOf),
    classProbs: run.classProbs && owned(run.classProbs),
    auProbs: run.auProbs && owned(run.auProbs),
  });
  if (!parsed.success)
    throw new Error(
      `savePredictionRun: invalid run: ${parsed.error.issues
        .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
        .join('; ')}`,
    );
  return parsed.data;
}

function toRun(record: PredictionRunRecord): PredictionRun {
  const { rowOf, classProbs, auProbs, ...meta } = record;
  return { meta, rowOf, classProbs, auProbs };
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
  const record = toRecord(run);
  await db.transaction('rw', db.datasets, db.predictionRuns, async () => {
    const meta = await db.datasets.get(record.datasetId);
    if (meta === undefined) throw new DatasetNotFoundError(record.datasetId);
    if (meta.sampleCount !== record.rowOf.length)
      throw new Error(
        `savePredictionRun: the run has ${record.rowOf.length} samples, dataset "${record.datasetId}" has ${meta.sampleCount}`,
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
  const stored: unknown[] = await db.predictionRuns.where('datasetId').equals(datasetId).toArray();
  const runs: PredictionRun[] = [];
  const unreadable: string[] = [];
  for (const record of stored) {
    const read = readVersioned(RUN_FORMAT, record);
    if (read.ok && read.record.datasetId === datasetId) runs.push(toRun(read.record));
    else if (!read.ok) unreadable.push(read.message);
  }
  runs.sort((a, b) => a.meta.createdAt - b.meta.createdAt || a.meta.id.localeCompare(b.meta.id));
  return { runs, unreadable };
}

/** The metas of the dataset's readable runs, oldest first (the screen lists these). */
export async function listPredictionRunMetas(
  datasetId: string,
  db: AuReviewDb = getDb(),
): Promise<{ metas: PredictionRunMeta[]; unreadable: string[] }> {
  const { runs, unreadable } = await listPredictionRuns(datasetId, db);
  return { metas: runs.map((r) => r.meta), unreadable };
}

/** One run, or undefined when it is not stored or cannot be read. */
export async function getPredictionRun(
  id: string,
  db: AuReviewDb = getDb(),
): Promise<PredictionRun | undefined> {
  const stored: unknown = await db.predictionRuns.get(id);
  if (stored === undefined) return undefined;
  const read = readVersioned(RUN_FORMAT, stored);
  return read.ok ? toRun(read.record) : undefined;
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
