import { Dexie, type EntityTable, type Table } from 'dexie';
import type { FaceReading } from '../face-reading/reading';
import type { DatasetMeta, ImageRecord, SamplePage } from './records';
import type {
  DecisionRecord,
  HistoryRecord,
  ReviewSetRecord,
  RuleSetRecord,
  SavedFilterRecord,
  SettingRecord,
  ImageFolderRecord,
} from './annotation-records';
import type { EvidenceBox } from '../review/evidence';

import type { AssignmentRecord, TeamBundleRecord, TeamSessionRecord } from './team-records';
import type { ThumbnailRecord } from './thumbnail-records';
import type { CrowdRecord } from './crowd-records';
import type { LoaderCheckRecord, StoredPredictionRun } from './prediction-records';

/** The app's only IndexedDB database. src/lib/store is the only folder that imports Dexie. */
export const DB_NAME = 'au-review';

/** The latest schema version: tests that open older databases upgrade to it. */
export const DB_SCHEMA_VERSION = 9;

export class AuReviewDb extends Dexie {
  declare datasets: EntityTable<DatasetMeta, 'id'>;
  declare pages: Table<SamplePage, [string, number]>;
  declare images: Table<ImageRecord, [string, string]>;
  declare ruleSets: EntityTable<RuleSetRecord, 'datasetId'>;
  declare savedFilters: EntityTable<SavedFilterRecord, 'id'>;
  declare decisions: EntityTable<DecisionRecord, 'id'>;
  declare history: EntityTable<HistoryRecord, 'seq'>;
  declare reviewSets: EntityTable<ReviewSetRecord, 'id'>;
  declare settings: EntityTable<SettingRecord, 'key'>;
  declare evidence: EntityTable<EvidenceBox, 'id'>;
  declare imageFolders: EntityTable<ImageFolderRecord, 'datasetId'>;
  declare teamSessions: EntityTable<TeamSessionRecord, 'id'>;
  declare teamBundles: Table<TeamBundleRecord, [string, string]>;
  declare assignments: EntityTable<AssignmentRecord, 'sessionId'>;
  declare thumbnails: Table<ThumbnailRecord, [string, string]>;
  declare crowd: EntityTable<CrowdRecord, 'datasetId'>;
  declare predictionRuns: EntityTable<StoredPredictionRun, 'id'>;
  declare loaderChecks: EntityTable<LoaderCheckRecord, 'datasetId'>;
  declare faceReadings: Table<FaceReading, [string, string]>;

  constructor(name: string = DB_NAME) {
    super(name);
    // Schema versions are APPEND-ONLY: a later schema is a new `this.version(n)` block
    // (with an upgrade function when records change) added below this one. Never edit
    // or remove a shipped version: browsers already hold databases created by it.
    this.version(1).stores({
      datasets: 'id',
      pages: '[datasetId+index], datasetId',
      images: '[datasetId+key], datasetId',
      edits: '++seq, datasetId, [datasetId+sample]',
    });
    // Version 2: a dataset's own rule set and saved filters; reviewers' decisions and
    // their undo history (few, so one record each); review sets; app settings.
    this.version(2).stores({
      // Version 1's `edits` placeholder never held data; decisions and history replace it.
      edits: null,
      ruleSets: 'datasetId',
      savedFilters: '++id, datasetId',
      decisions: 'id, datasetId, [datasetId+sample]',
      history: '++seq, datasetId',
      reviewSets: 'id, datasetId',
      settings: 'key',
    });
    // Version 3: boxes reviewers draw on a face as evidence for an AU (image coordinates 0-1).
    this.version(3).stores({
      evidence: 'id, datasetId, [datasetId+sample]',
    });
    // Version 4: team review. The lead's sessions and the reviewers' merged bundles;
    // in a reviewer's browser, the assignments opened there with the work on them.
    this.version(4).stores({
      teamSessions: 'id, datasetId',
      teamBundles: '[sessionId+reviewer], sessionId',
      assignments: 'sessionId',
    });
    // Version 5: image folders linked to a dataset and read on demand, not copied.
    this.version(5).stores({
      imageFolders: 'datasetId',
    });
    // Version 6: grid thumbnails kept across reloads (see thumbnails.ts). `datasetId` to
    // delete them with their dataset, `usedAt` to evict the least recently used.
    this.version(6).stores({
      thumbnails: '[datasetId+key], datasetId, usedAt',
    });
    // Version 7: crowd label distributions (RAF-ML distribution.txt), one record per
    // dataset holding every sample's shares (see crowd-records.ts).
    this.version(7).stores({
      crowd: 'datasetId',
    });
    // Version 8: models' prediction runs beside a dataset, one record per run holding
    // its probabilities as typed arrays, and the last check of a training loader's AU
    // targets, one per dataset (see prediction-records.ts). Runs later stored their
    // arrays as Blobs: a record version (2), not a change of tables or indexes.
    this.version(8).stores({
      predictionRuns: 'id, datasetId',
      loaderChecks: 'datasetId',
    });
    // What the face model read off each image (face-readings.ts).
    this.version(9).stores({
      faceReadings: '[datasetId+imageKey], datasetId',
    });
  }
}

/** A connection to the database `name` (tests: a fresh name each). Opens lazily on first use. */
export function openDb(name: string = DB_NAME): AuReviewDb {
  return new AuReviewDb(name);
}

let instance: AuReviewDb | undefined;

/** The app's shared connection to 'au-review'. */
export function getDb(): AuReviewDb {
  return (instance ??= openDb(DB_NAME));
}
