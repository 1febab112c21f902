import { getDb, type AuReviewDb } from './db';
import { MIGRATIONS, type RecordFormat } from './migrations';
import { readAllVersioned } from './records';
import {
  TEAM_RECORD_VERSION,
  TeamSessionRecordSchema,
  type TeamSessionRecord,
  TeamBundleRecordSchema,
  type TeamBundleRecord,
  AssignmentRecordSchema,
  type AssignmentRecord,
} from './team-records';

export * from './team-records';

const TEAM_SESSION_FORMAT: RecordFormat<TeamSessionRecord> = {
  what: 'team session',
  versionField: 'version',
  current: TEAM_RECORD_VERSION,
  schema: TeamSessionRecordSchema,
  steps: MIGRATIONS.teamSession,
};
const TEAM_BUNDLE_FORMAT: RecordFormat<TeamBundleRecord> = {
  what: 'review bundle',
  versionField: 'version',
  current: TEAM_RECORD_VERSION,
  schema: TeamBundleRecordSchema,
  steps: MIGRATIONS.teamBundle,
};
const ASSIGNMENT_FORMAT: RecordFormat<AssignmentRecord> = {
  what: 'assignment',
  versionField: 'version',
  current: TEAM_RECORD_VERSION,
  schema: AssignmentRecordSchema,
  steps: MIGRATIONS.assignment,
};

/**
 * Team review records. The lead's browser keeps team sessions and the bundles
 * reviewers sent back (merged, one per reviewer); a reviewer's browser keeps the
 * assignments it was given and the decisions made on them. A reviewer's decisions
 * live with the assignment, never in the `decisions` table: they carry the lead's
 * dataset id and sample indexes and must not touch this browser's own datasets.
 */

/* ------------------------------------------------------------ lead side */

export async function saveTeamSession(
  record: TeamSessionRecord,
  db: AuReviewDb = getDb(),
): Promise<void> {
  await db.teamSessions.put(TeamSessionRecordSchema.parse(record));
}

/** The team sessions of a dataset, oldest first. */
export async function listTeamSessions(
  datasetId: string,
  db: AuReviewDb = getDb(),
): Promise<TeamSessionRecord[]> {
  const records = await db.teamSessions.where('datasetId').equals(datasetId).toArray();
  return readAllVersioned(datasetId, records, TEAM_SESSION_FORMAT).records.sort(
    (a, b) => a.session.createdAt - b.session.createdAt || a.id.localeCompare(b.id),
  );
}

/** Deletes a session and the bundles imported into it, in one transaction. */
export async function deleteTeamSession(id: string, db: AuReviewDb = getDb()): Promise<void> {
  await db.transaction('rw', [db.teamSessions, db.teamBundles], async () => {
    await db.teamBundles.where('sessionId').equals(id).delete();
    await db.teamSessions.delete(id);
  });
}

/** The merged bundles of a session, in the session's reviewer order when given. */
export async function listTeamBundles(
  sessionId: string,
  db: AuReviewDb = getDb(),
): Promise<TeamBundleRecord[]> {
  const records = await db.teamBundles.where('sessionId').equals(sessionId).toArray();
  return readAllVersioned(sessionId, records, TEAM_BUNDLE_FORMAT).records;
}

/**
 * Replaces a session's bundles with `records` (the merge result), all or nothing:
 * a failed write leaves the bundles as they were.
 */
export async function replaceTeamBundles(
  sessionId: string,
  records: TeamBundleRecord[],
  db: AuReviewDb = getDb(),
): Promise<void> {
  await writeTeamBundles(sessionId, records, 'replace', db);
}

/**
 * Writes some of a session's bundles (a live session's, as decisions arrive: only the
 * reviewers whose bundle grew), leaving the others as they are.
 */
export async function putTeamBundles(
  sessionId: string,
  records: TeamBundleRecord[],
  db: AuReviewDb = getDb(),
): Promise<void> {
  await writeTeamBundles(sessionId, records, 'put', db);
}

/** Checks every record, then writes them in one transaction: all, or nothing. */
async function writeTeamBundles(
  sessionId: string,
  records: TeamBundleRecord[],
  mode: 'replace' | 'put',
  db: AuReviewDb,
): Promise<void> {
  const valid = records.map((r) => TeamBundleRecordSchema.parse(r));
  if (valid.some((r) => r.sessionId !== sessionId)) {
    throw new Error(`every bundle must belong to session ${sessionId}`);
  }
  await db.transaction('rw', [db.teamSessions, db.teamBundles], async () => {
    if (!(await db.teamSessions.get(sessionId))) {
      throw new Error(`team session ${sessionId} is not stored`);
    }
    if (mode === 'put') {
      await db.teamBundles.bulkPut(valid);
      return;
    }
    await db.teamBundles.where('sessionId').equals(sessionId).delete();
    // Add, not put: two records for one reviewer are a bug, and fail the write.
    await db.teamBundles.bulkAdd(valid);
  });
}

/* -------------------------------------------------------- reviewer side */

export async function saveAssignment(
  record: AssignmentRecord,
  db: AuReviewDb = getDb(),
): Promise<void> {
  await db.assignments.put(AssignmentRecordSchema.parse(record));
}

export async function getAssignment(
  sessionId: string,
  db: AuReviewDb = getDb(),
): Promise<AssignmentRecord | undefined> {
  const record = await db.assignments.get(sessionId);
  if (record === undefined) return undefined;
  return readAllVersioned(record.datasetId, [record], ASSIGNMENT_FORMAT).records[0];
}

/** Every assignment opened in this browser, most recently opened first. */
export async function listAssignments(db: AuReviewDb = getDb()): Promise<AssignmentRecord[]> {
  const records = await db.assignments.toArray();
  return readAllVersioned('(assignments)', records, ASSIGNMENT_FORMAT).records.sort(
    (a, b) => b.openedAt - a.openedAt,
  );
}

export async function deleteAssignment(sessionId: string, db: AuReviewDb = getDb()): Promise<void> {
  await db.assignments.delete(sessionId);
}

/* ------------------------------------------------------------ live sessions */

const LIVE_JOIN_PREFIX = 'live-join:';

/**
 * The join code a reviewer joined a live session with, by session: this browser
 * reconnects with it after a reload. Read back through decodeJoinCode, which refuses
 * a damaged one.
 */
export async function saveLiveJoinCode(
  sessionId: string,
  code: string,
  db: AuReviewDb = getDb(),
): Promise<void> {
  await db.settings.put({ key: LIVE_JOIN_PREFIX + sessionId, value: code });
}

export async function liveJoinCodeOf(
  sessionId: string,
  db: AuReviewDb = getDb(),
): Promise<string | null> {
  const record = await db.settings.get(LIVE_JOIN_PREFIX + sessionId);
  return typeof record?.value === 'string' ? record.value : null;
}

export async function deleteLiveJoinCode(
  sessionId: string,
  db: AuReviewDb = getDb(),
): Promise<void> {
  await db.settings.delete(LIVE_JOIN_PREFIX + sessionId);
}
