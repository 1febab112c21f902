import { getDb, type AuReviewDb } from './db';
import { readAll } from './records';
import { DecisionSchema, type Decision } from '../review/decision';
import { HistoryEntrySchema, type HistoryEntry } from '../review/history';
import { ReviewSetSchema, type ReviewSet } from '../review/review-set';
import { EvidenceBoxSchema, type EvidenceBox } from '../review/evidence';

/** Everything reviewers have stored about one dataset. */
export interface ReviewRecords {
  decisions: Decision[];
  /** In the order the entries were appended: undo and redo replay depends on it. */
  history: HistoryEntry[];
  reviewSets: ReviewSet[];
}

export async function loadReviewRecords(
  datasetId: string,
  db: AuReviewDb = getDb(),
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
  return {
    decisions: readAll(datasetId, 'decision', decisions, DecisionSchema),
    history: readAll(datasetId, 'history entry', history, HistoryEntrySchema),
    reviewSets: readAll(datasetId, 'review set', reviewSets, ReviewSetSchema).sort(
      (a, b) => a.createdAt - b.createdAt,
    ),
  };
}

/**
 * Stores decisions and the history entry that makes them take effect in one
 * transaction: the screen moves on only after both are on disk, and a crash
 * leaves either both or neither.
 */
export async function recordDecisions(
  decisions: Decision[],
  entry: HistoryEntry,
  db: AuReviewDb = getDb(),
): Promise<void> {
  const valid = decisions.map((d) => DecisionSchema.parse(d));
  const validEntry = HistoryEntrySchema.parse(entry);
  await db.transaction('rw', [db.decisions, db.history], async () => {
    await db.decisions.bulkAdd(valid);
    await db.history.add(validEntry);
  });
}

/** Appends an undo or redo entry. */
export async function recordHistoryEntry(
  entry: HistoryEntry,
  db: AuReviewDb = getDb(),
): Promise<void> {
  await db.history.add(HistoryEntrySchema.parse(entry));
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
  return readAll(datasetId, 'evidence box', records, EvidenceBoxSchema).sort(
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
