import {
  BACKUP_TABLES,
  packBackup,
  unpackBackup,
  type BackupManifest,
  type BackupTable,
  type BackupTables,
} from '../backup/format';
import type { z } from 'zod';
import { DecisionSchema } from '../review/decision';
import { EvidenceBoxSchema } from '../review/evidence';
import { HistoryEntrySchema } from '../review/history';
import { ReviewSetSchema } from '../review/review-set';
import { RuleSetRecordSchema, SavedFilterRecordSchema } from './annotation-records';
import { CrowdRecordSchema } from './crowd-records';
import { datasetTables, deleteDatasetRecords } from './datasets';
import { getDb, type AuReviewDb } from './db';
import { DatasetNotFoundError, describeWriteError } from './errors';
import {
  LoaderCheckRecordSchema,
  PredictionRunRecordSchema,
  type PredictionRunRecord,
} from './prediction-records';
import { getLoaderCheck, listPredictionRuns, toStoredRun } from './predictions';
import {
  DatasetMetaSchema,
  ImageRecordSchema,
  SamplePageSchema,
  describeIssues,
  readMeta,
  type DatasetMeta,
} from './records';
import {
  AssignmentRecordSchema,
  TeamBundleRecordSchema,
  TeamSessionRecordSchema,
} from './team-records';

/**
 * A dataset saved to one file and restored from it: its labels (meta and pages),
 * decisions, history, review sets, evidence boxes, rule set, saved filters, crowd
 * votes, team records, models' prediction runs, the last loader check, and optionally
 * its images. Thumbnails are left out (they are
 * made again) and so are linked folders (a browser cannot carry a folder handle).
 */

export interface BackupOptions {
  includeImages: boolean;
}

export interface BackupFile {
  fileName: string;
  bytes: Uint8Array;
  manifest: BackupManifest;
}

/** Reads everything stored about a dataset, in one read transaction, and packs it. */
export async function createBackup(
  datasetId: string,
  options: BackupOptions,
  db: AuReviewDb = getDb(),
): Promise<BackupFile> {
  const tables = await db.transaction('r', datasetTables(db), async () => {
    const meta = await db.datasets.get(datasetId);
    if (meta === undefined) throw new DatasetNotFoundError(datasetId);
    const byDataset = <T>(table: {
      where(index: string): { equals(v: string): { toArray(): Promise<T[]> } };
    }) => table.where('datasetId').equals(datasetId).toArray();
    const sessions = await db.teamSessions.where('datasetId').equals(datasetId).toArray();
    const result: BackupTables = {
      datasets: [readMeta(meta, datasetId)],
      pages: await db.pages.where('datasetId').equals(datasetId).sortBy('index'),
      images: options.includeImages ? await byDataset(db.images) : [],
      ruleSets: (await db.ruleSets.get(datasetId)) ? [await db.ruleSets.get(datasetId)] : [],
      savedFilters: (await db.savedFilters.where('datasetId').equals(datasetId).toArray()).map(
        ({ id: _id, ...rest }) => rest,
      ),
      decisions: await byDataset(db.decisions),
      // Undo and redo replay depends on the order of the log: kept, the seq left behind.
      history: (await db.history.where('datasetId').equals(datasetId).sortBy('seq')).map(
        ({ seq: _seq, ...rest }) => rest,
      ),
      reviewSets: await byDataset(db.reviewSets),
      evidence: await byDataset(db.evidence),
      crowd: (await db.crowd.get(datasetId)) ? [await db.crowd.get(datasetId)] : [],
      teamSessions: sessions,
      teamBundles: await db.teamBundles
        .where('sessionId')
        .anyOf(sessions.map((s) => s.id))
        .toArray(),
      assignments: await db.assignments.filter((a) => a.datasetId === datasetId).toArray(),
      // Read as the app reads them (older records migrated): a run it cannot read is
      // left out, so that it does not make the whole backup refuse to restore.
      predictionRuns: (await listPredictionRuns(datasetId, db)).runs.map(
        ({ meta, ...arrays }): PredictionRunRecord => ({ ...meta, ...arrays }),
      ),
      loaderChecks: [await getLoaderCheck(datasetId, db)].filter((c) => c !== undefined),
    };
    return result;
  });
  const meta = tables.datasets[0] as DatasetMeta;
  const createdAt = Date.now();
  const bytes = await packBackup(
    {
      createdAt,
      datasetId,
      datasetName: meta.name,
      includesImages: options.includeImages,
    },
    tables,
  );
  const unpacked = unpackBackup(bytes, 'new backup');
  if (!unpacked.ok) throw new Error(`The backup just made does not read back: ${unpacked.reason}`);
  return { fileName: backupFileName(meta.name, createdAt), bytes, manifest: unpacked.manifest };
}

/** "Faces 2024-05-01.aureview-backup.zip": the name says what it is and of when. */
export function backupFileName(datasetName: string, at: number): string {
  const safe = datasetName.replace(/[^\p{L}\p{N} ._-]+/gu, '_').trim() || 'dataset';
  return `${safe} ${new Date(at).toISOString().slice(0, 10)}.aureview-backup.zip`;
}

/**
 * 'replace': restore under the dataset's own id, replacing what this browser holds
 * under it (if anything). 'copy': when this browser still holds the dataset, restore
 * beside it with every id made new; else as 'replace'.
 */
export type RestoreMode = 'replace' | 'copy';

export type RestoreResult =
  | { ok: true; meta: DatasetMeta; imagesRestored: number }
  | { ok: false; file: string; reason: string };

const schemas: Record<BackupTable, z.ZodType> = {
  datasets: DatasetMetaSchema,
  pages: SamplePageSchema,
  images: ImageRecordSchema,
  ruleSets: RuleSetRecordSchema,
  savedFilters: SavedFilterRecordSchema,
  decisions: DecisionSchema,
  history: HistoryEntrySchema,
  reviewSets: ReviewSetSchema,
  evidence: EvidenceBoxSchema,
  crowd: CrowdRecordSchema,
  teamSessions: TeamSessionRecordSchema,
  teamBundles: TeamBundleRecordSchema,
  assignments: AssignmentRecordSchema,
  predictionRuns: PredictionRunRecordSchema,
  loaderChecks: LoaderCheckRecordSchema,
};

class Refusal extends Error {}

/** Each record checked against the schema it is stored under, and found to be the dataset's. */
function validate(manifest: BackupManifest, raw: BackupTables): BackupTables {
  const id = manifest.datasetId;
  const tables = {} as BackupTables;
  for (const table of BACKUP_TABLES) {
    tables[table] = raw[table].map((record, i) => {
      const r = schemas[table].safeParse(record);
      if (!r.success) throw new Refusal(`${table} record ${i}: ${describeIssues(r.error)}`);
      const owner = r.data as { datasetId?: unknown; id?: unknown };
      const datasetId = table === 'datasets' ? owner.id : owner.datasetId;
      if (table !== 'teamBundles' && datasetId !== id)
        throw new Refusal(
          `${table} record ${i} belongs to dataset "${String(datasetId)}", not "${id}"`,
        );
      return r.data;
    });
  }
  const [meta, ...more] = tables.datasets as DatasetMeta[];
  if (!meta || more.length > 0) throw new Refusal('it must hold exactly one dataset record');
  if (meta.id !== id) throw new Refusal(`its dataset record has id "${meta.id}", not "${id}"`);
  const pages = tables.pages as z.infer<typeof SamplePageSchema>[];
  if (pages.length !== meta.pageCount)
    throw new Refusal(
      `it holds ${pages.length} pages of samples, the dataset has ${meta.pageCount}`,
    );
  pages.forEach((page, i) => {
    const expected = Math.min(meta.pageSize, meta.sampleCount - i * meta.pageSize);
    if (page.index !== i || page.count !== expected)
      throw new Refusal(
        `page ${i} is page ${page.index} of ${page.count} samples, expected ${expected}`,
      );
  });
  (tables.predictionRuns as PredictionRunRecord[]).forEach((run, i) => {
    if (run.rowOf.length !== meta.sampleCount)
      throw new Refusal(
        `predictionRuns record ${i} holds predictions for ${run.rowOf.length} samples, the dataset has ${meta.sampleCount}`,
      );
  });
  if (tables.loaderChecks.length > 1)
    throw new Refusal(`it holds ${tables.loaderChecks.length} loader checks, a dataset has one`);
  const sessions = new Set(tables.teamSessions.map((s) => (s as { id: string }).id));
  tables.teamBundles.forEach((b, i) => {
    if (!sessions.has((b as { sessionId: string }).sessionId))
      throw new Refusal(`teamBundles record ${i} belongs to no team session of the dataset`);
  });
  return tables;
}

/** Replaces every id in the records by a new one (strings only: typed arrays and blobs stay). */
function renumber(tables: BackupTables): BackupTables {
  const ids = new Map<string, string>();
  const fresh = (id: unknown) => {
    if (typeof id === 'string' && !ids.has(id)) ids.set(id, crypto.randomUUID());
  };
  fresh((tables.datasets[0] as { id: string }).id);
  for (const table of [
    'decisions',
    'history',
    'reviewSets',
    'evidence',
    'teamSessions',
    'predictionRuns',
  ] as const)
    for (const record of tables[table]) fresh((record as { id?: unknown }).id);
  const swap = (value: unknown): unknown => {
    if (typeof value === 'string') return ids.get(value) ?? value;
    if (Array.isArray(value)) return value.map(swap);
    if (value instanceof Blob || ArrayBuffer.isView(value)) return value;
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v)]));
    return value;
  };
  return Object.fromEntries(
    BACKUP_TABLES.map((table) => [table, tables[table].map(swap)]),
  ) as BackupTables;
}

/**
 * Restores a backup file in one transaction: a file that is not a backup, of an
 * unknown version, damaged or inconsistent is refused with its name and the reason,
 * and then, as on any failure of the write, nothing stored changes.
 */
export async function restoreBackup(
  bytes: Uint8Array,
  fileName: string,
  mode: RestoreMode,
  db: AuReviewDb = getDb(),
): Promise<RestoreResult> {
  const refuse = (reason: string): RestoreResult => ({ ok: false, file: fileName, reason });
  const unpacked = unpackBackup(bytes, fileName);
  if (!unpacked.ok) return unpacked;
  let tables: BackupTables;
  try {
    tables = validate(unpacked.manifest, unpacked.tables);
  } catch (error) {
    if (error instanceof Refusal) return refuse(error.message);
    throw error;
  }
  const taken = (await db.datasets.get(unpacked.manifest.datasetId)) !== undefined;
  const asCopy = mode === 'copy' && taken;
  if (asCopy) tables = renumber(tables);
  const original = tables.datasets[0] as DatasetMeta;
  const now = Date.now();
  const meta = DatasetMetaSchema.parse({
    ...original,
    name: asCopy ? `${original.name} (restored copy)` : original.name,
    imageCount: tables.images.length,
    updatedAt: now,
  });
  try {
    await db.transaction('rw', datasetTables(db), async () => {
      await deleteDatasetRecords(db, meta.id);
      await db.datasets.add(meta);
      await db.pages.bulkAdd(tables.pages as never[]);
      if (tables.images.length) await db.images.bulkAdd(tables.images as never[]);
      if (tables.ruleSets.length) await db.ruleSets.bulkAdd(tables.ruleSets as never[]);
      await db.savedFilters.bulkAdd(tables.savedFilters as never[]);
      await db.decisions.bulkAdd(tables.decisions as never[]);
      await db.history.bulkAdd(tables.history as never[]);
      await db.reviewSets.bulkAdd(tables.reviewSets as never[]);
      await db.evidence.bulkAdd(tables.evidence as never[]);
      if (tables.crowd.length) await db.crowd.bulkAdd(tables.crowd as never[]);
      await db.teamSessions.bulkAdd(tables.teamSessions as never[]);
      await db.teamBundles.bulkAdd(tables.teamBundles as never[]);
      await db.predictionRuns.bulkAdd(
        (tables.predictionRuns as PredictionRunRecord[]).map(toStoredRun),
      );
      if (tables.loaderChecks.length) await db.loaderChecks.bulkAdd(tables.loaderChecks as never[]);
      // An assignment is this browser's, keyed by session: the one stored stays.
      for (const a of tables.assignments as { sessionId: string }[])
        if ((await db.assignments.get(a.sessionId)) === undefined)
          await db.assignments.add(a as never);
    });
  } catch (error) {
    return refuse(describeWriteError(error, `the backup “${original.name}”`));
  }
  return { ok: true, meta, imagesRestored: tables.images.length };
}
