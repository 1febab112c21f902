import { liveQuery } from 'dexie';
import { getDb, type AuReviewDb } from './db';
import { DatasetNotFoundError, LostWriteError } from './errors';
import { readAllVersioned } from './records';
import { MIGRATIONS, type RecordFormat } from './migrations';
import { DecisionSchema, type Decision } from '../review/decision';
import { HISTORY_ENTRY_VERSION, HistoryEntrySchema, type HistoryEntry } from '../review/history';
import { REVIEW_SET_VERSION, ReviewSetSchema, type ReviewSet } from '../review/review-set';
import { EvidenceBoxSchema, type EvidenceBox } from '../review/evidence';

/** Everything reviewers have stored about one dataset. */
export interface ReviewRecords {
  decisions: Decision[];
  /** In the order the entries were appended: undo and redo replay depends on it. */
  history: HistoryEntry[];
  reviewSets: ReviewSet[];
}

/** How each kind of review record is read, older versions included (see migrations.ts). */
export interface ReviewFormats {
  decision: RecordFormat<Decision>;
  historyEntry: RecordFormat<HistoryEntry>;
  reviewSet: RecordFormat<ReviewSet>;
  evidenceBox: RecordFormat<EvidenceBox>;
}

export const REVIEW_FORMATS: ReviewFormats = {
  decision: {
    what: 'decision',
    versionField: 'version',
    current: 1,
    schema: DecisionSchema,
    steps: MIGRATIONS.decision,
  },
  historyEntry: {
    what: 'history entry',
    versionField: 'version',
    current: HISTORY_ENTRY_VERSION,
    schema: HistoryEntrySchema,
    steps: MIGRATIONS.historyEntry,
  },
  reviewSet: {
    what: 'review set',
    versionField: 'version',
    current: REVIEW_SET_VERSION,
    schema: ReviewSetSchema,
    steps: MIGRATIONS.reviewSet,
  },
  evidenceBox: {
    what: 'evidence box',
    versionField: 'version',
    current: 1,
    schema: EvidenceBoxSchema,
    steps: MIGRATIONS.evidenceBox,
  },
};

/**
 * Everything reviewers stored about a dataset, older record versions migrated. The
 * migrated records are written back in the same shape, so each step runs once; a
 * write-back that fails (a full disk) is left for the next read, which migrates again.
 */
export async function loadReviewRecords(
  datasetId: string,
  db: AuReviewDb = getDb(),
  formats: ReviewFormats = REVIEW_FORMATS,
): Promise<ReviewRecords> {
  const [decisions, history, reviewSets] = await db.transaction(
    'r',
    [db.decisions, db.history, db.reviewSets],
    () =>
      Promise.all([
        db.decisions.where('datasetId').equals(datasetId).toArray(),
        db.history.where('datasetId').equals(datasetId).sortBy('seq'),
        db.reviewSets.where('datasetId').equals(datasetId).toArray(),
      ]),
  );
  const readDecisions = readAllVersioned(datasetId, decisions, formats.decision);
  // History records keep their key (seq) beside the entry: the order of undo and redo.
  const readHistory = readAllVersioned(datasetId, history, formats.historyEntry);
  const readSets = readAllVersioned(datasetId, reviewSets, formats.reviewSet);
  const olderEntries = new Set(readHistory.migrated);
  const migratedHistory = readHistory.records.flatMap((entry, i) => {
    const seq = (history[i] as { seq?: number }).seq;
    return olderEntries.has(entry) && seq !== undefined ? [{ ...entry, seq }] : [];
  });
  if (readDecisions.migrated.length + migratedHistory.length + readSets.migrated.length > 0) {
    await db
      .transaction('rw', [db.datasets, db.decisions, db.history, db.reviewSets], async () => {
        // Deleted meanwhile (another tab): nothing may outlive the dataset.
        if ((await db.datasets.get(datasetId)) === undefined) return;
        await db.decisions.bulkPut(readDecisions.migrated);
        await db.history.bulkPut(migratedHistory);
        await db.reviewSets.bulkPut(readSets.migrated);
      })
      .catch(() => {});
  }
  return {
    decisions: readDecisions.records,
    history: readHistory.records,
    reviewSets: readSets.records.sort((a, b) => a.createdAt - b.createdAt),
  };
}

/**
 * Stores decisions and the history entry that makes them take effect in one
 * transaction: the screen moves on only after both are on disk, and a crash
 * leaves either both or neither. The dataset must still exist (another tab may have
 * deleted it): checked inside the transaction, so no decision outlives its dataset,
 * and again by reading the entry back once the transaction is over, because a browser
 * that runs out of disk has been seen to acknowledge writes it then threw away.
 */
export async function recordDecisions(
  decisions: Decision[],
  entry: HistoryEntry,
  db: AuReviewDb = getDb(),
): Promise<void> {
  const valid = decisions.map((d) => DecisionSchema.parse(d));
  const validEntry = HistoryEntrySchema.parse(entry);
  const datasetId = validEntry.datasetId;
  if (valid.some((d) => d.datasetId !== datasetId)) {
    throw new Error(`decisions must all belong to dataset ${datasetId}`);
  }
  const seq = await db.transaction('rw', [db.datasets, db.decisions, db.history], async () => {
    await assertDatasetExists(datasetId, db);
    await db.decisions.bulkAdd(valid);
    return db.history.add(validEntry);
  });
  await confirmStored(datasetId, seq, db);
}

/** Appends an undo or redo entry, under the same checks as recordDecisions. */
export async function recordHistoryEntry(
  entry: HistoryEntry,
  db: AuReviewDb = getDb(),
): Promise<void> {
  const valid = HistoryEntrySchema.parse(entry);
  const seq = await db.transaction('rw', [db.datasets, db.history], async () => {
    await assertDatasetExists(valid.datasetId, db);
    return db.history.add(valid);
  });
  await confirmStored(valid.datasetId, seq, db);
}

async function assertDatasetExists(datasetId: string, db: AuReviewDb): Promise<void> {
  if ((await db.datasets.get(datasetId)) === undefined) throw new DatasetNotFoundError(datasetId);
}

/** Reads back, in a transaction of its own, what a committed write claims to have stored. */
async function confirmStored(
  datasetId: string,
  seq: number | undefined,
  db: AuReviewDb,
): Promise<void> {
  if (seq === undefined) throw new LostWriteError(datasetId);
  const [meta, stored] = await db.transaction('r', [db.datasets, db.history], () =>
    Promise.all([db.datasets.get(datasetId), db.history.get(seq)]),
  );
  if (meta === undefined) throw new DatasetNotFoundError(datasetId);
  if (stored === undefined) throw new LostWriteError(datasetId);
}

/** What another tab (or this one) may have changed about a dataset's review. */
export interface ReviewPulse {
  /** False once the dataset is gone (deleted, perhaps in another tab). */
  exists: boolean;
  /** History entries stored for the dataset: it grows with every decision, undo and redo. */
  entries: number;
}

/**
 * Calls `onChange` with the dataset's pulse now and after every change to it, from
 * any tab of this browser (Dexie's live queries hear other tabs' writes). Cheap on
 * purpose, a get and a count, because it also runs after this tab's own writes: the
 * caller reloads the full records only when the count is not the one it knows.
 * Returns the function that stops watching.
 */
export function watchReview(
  datasetId: string,
  onChange: (pulse: ReviewPulse) => void,
  db: AuReviewDb = getDb(),
): () => void {
  const subscription = liveQuery(() =>
    db.transaction('r', [db.datasets, db.history], async () => ({
      exists: (await db.datasets.get(datasetId)) !== undefined,
      entries: await db.history.where('datasetId').equals(datasetId).count(),
    })),
  ).subscribe({
    next: onChange,
    // A failed read is no news: the next write or reload tells the truth.
    error: () => {},
  });
  return () => subscription.unsubscribe();
}

export async function saveReviewSet(set: ReviewSet, db: AuReviewDb = getDb()): Promise<void> {
  await db.reviewSets.put(ReviewSetSchema.parse(set));
}

export async function deleteReviewSet(id: string, db: AuReviewDb = getDb()): Promise<void> {
  await db.reviewSets.delete(id);
}

/** The evidence boxes drawn on one sample. */
export async function listEvidence(
  datasetId: string,
  sample: number,
  db: AuReviewDb = getDb(),
): Promise<EvidenceBox[]> {
  const records = await db.evidence
    .where('[datasetId+sample]')
    .equals([datasetId, sample])
    .toArray();
  return readAllVersioned(datasetId, records, REVIEW_FORMATS.evidenceBox).records.sort(
    (a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id),
  );
}

/** Replaces the evidence boxes of one sample, all or nothing. */
export async function replaceEvidence(
  datasetId: string,
  sample: number,
  boxes: EvidenceBox[],
  db: AuReviewDb = getDb(),
): Promise<void> {
  const valid = boxes.map((box) => EvidenceBoxSchema.parse(box));
  if (valid.some((box) => box.datasetId !== datasetId || box.sample !== sample)) {
    throw new Error(`evidence boxes must all belong to sample ${sample} of dataset ${datasetId}`);
  }
  await db.transaction('rw', db.evidence, async () => {
    await db.evidence.where('[datasetId+sample]').equals([datasetId, sample]).delete();
    await db.evidence.bulkAdd(valid);
  });
}
