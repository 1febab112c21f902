import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type AuReviewDb } from './db';
import { createDatasetStore } from './datasets';
import { NewerRecordError, StoreCorruptionError } from './errors';
import {
  deleteAssignment,
  deleteTeamSession,
  getAssignment,
  listAssignments,
  listTeamBundles,
  listTeamSessions,
  putTeamBundles,
  replaceTeamBundles,
  saveAssignment,
  saveTeamSession,
  type AssignmentRecord,
  type TeamBundleRecord,
  type TeamSessionRecord,
} from './team';
import { buildAssignmentFile, createSession, planAssignments } from '../team/assignment';
import { buildBundle } from '../team/bundle';
import { decision, tableOf, testKeys } from '../team/test-support';
import { makeMeta, makeTable } from './testing';

let db: AuReviewDb;

beforeEach(() => {
  db = openDb(`team-store-test-${crypto.randomUUID()}`);
});

afterEach(async () => {
  await db.delete();
});

const table = tableOf([
  { classId: 0, au: '1+2+25' },
  { classId: 1, au: 'null' },
  { classId: 2, au: '4+15' },
  { classId: 0 },
]);
const scheme = { id: 'raf-ce', classes: [{ id: 0, name: 'A', components: ['happy' as const] }] };

function sessionRecord(sessionId: string, datasetId = 'ds1', createdAt = 1): TeamSessionRecord {
  const plan = planAssignments({
    sessionId,
    samples: [0, 1, 2, 3],
    reviewers: ['Ada', 'Bo'],
    overlap: 2,
    seed: 7,
  });
  const session = createSession(plan, {
    datasetId,
    datasetName: 'Demo',
    lead: 'Lee',
    createdAt,
    reviewerKeys: testKeys(['Ada', 'Bo']),
  });
  return { version: 1, id: sessionId, datasetId, reviewSetId: 'set1', session };
}

function bundleRecord(sessionId: string, reviewer: string, datasetId = 'ds1'): TeamBundleRecord {
  const { session } = sessionRecord(sessionId, datasetId);
  const assignment = buildAssignmentFile(session, reviewer, table, {
    datasetId,
    datasetName: 'Demo',
    lead: 'Lee',
    createdAt: 1,
    scheme,
    key: testKeys([reviewer])[reviewer] ?? '',
  });
  const bundle = buildBundle({
    assignment,
    decisions: [decision(reviewer, 0, 'accept', { datasetId })],
    startedAt: 1,
    finishedAt: 2,
  });
  return { version: 1, sessionId, reviewer, bundle, files: ['b.json'], updatedAt: 3 };
}

function assignmentRecord(sessionId: string, datasetId = 'ds1'): AssignmentRecord {
  const { session } = sessionRecord(sessionId, datasetId);
  const assignment = buildAssignmentFile(session, 'Ada', table, {
    datasetId,
    datasetName: 'Demo',
    lead: 'Lee',
    createdAt: 1,
    scheme,
    key: testKeys(['Ada']).Ada ?? '',
  });
  return {
    version: 1,
    sessionId,
    datasetId,
    fileName: 'assignment-Ada.json',
    openedAt: 10,
    assignment,
    decisions: [decision('Ada', 1, 'flag', { datasetId, flagReason: 'occluded' })],
    durations: [{ sample: 1, ms: 1500 }],
    startedAt: 5,
  };
}

describe('team sessions', () => {
  it('are saved, listed per dataset oldest first, and deleted with their bundles', async () => {
    await saveTeamSession(sessionRecord('s2', 'ds1', 20), db);
    await saveTeamSession(sessionRecord('s1', 'ds1', 10), db);
    await saveTeamSession(sessionRecord('other', 'ds2', 5), db);
    expect((await listTeamSessions('ds1', db)).map((s) => s.id)).toEqual(['s1', 's2']);

    await replaceTeamBundles('s1', [bundleRecord('s1', 'Ada'), bundleRecord('s1', 'Bo')], db);
    await deleteTeamSession('s1', db);
    expect((await listTeamSessions('ds1', db)).map((s) => s.id)).toEqual(['s2']);
    expect(await listTeamBundles('s1', db)).toEqual([]);
  });

  it.each([
    ['an id that is not the session id', (r: TeamSessionRecord) => ({ ...r, id: 'x' })],
    ['another dataset id', (r: TeamSessionRecord) => ({ ...r, datasetId: 'x' })],
    [
      'an invalid session',
      (r: TeamSessionRecord) => ({ ...r, session: { ...r.session, overlap: 0 } }),
    ],
  ])('refuses a session record with %s', async (_, change) => {
    await expect(saveTeamSession(change(sessionRecord('s1')), db)).rejects.toThrow();
    expect(await db.teamSessions.count()).toBe(0);
  });

  it('reports a corrupt stored session instead of returning it', async () => {
    await db.teamSessions.add({ ...sessionRecord('s1'), session: { sessionId: 's1' } } as never);
    await expect(listTeamSessions('ds1', db)).rejects.toThrow(StoreCorruptionError);
  });

  it('names a session written by a newer app as such, not as corrupt', async () => {
    await db.teamSessions.add({ ...sessionRecord('s1'), version: 9 } as never);
    await expect(listTeamSessions('ds1', db)).rejects.toThrow(NewerRecordError);
    await expect(listTeamSessions('ds1', db)).rejects.toThrow(/written by a newer AU Review/);
  });
});

describe('team bundles', () => {
  it('are replaced as a whole per session, keyed by session and reviewer', async () => {
    await saveTeamSession(sessionRecord('s1'), db);
    await saveTeamSession(sessionRecord('s2'), db);
    await replaceTeamBundles('s1', [bundleRecord('s1', 'Ada')], db);
    await replaceTeamBundles('s2', [bundleRecord('s2', 'Bo')], db);
    await replaceTeamBundles('s1', [bundleRecord('s1', 'Ada'), bundleRecord('s1', 'Bo')], db);
    expect((await listTeamBundles('s1', db)).map((b) => b.reviewer).sort()).toEqual(['Ada', 'Bo']);
    expect((await listTeamBundles('s2', db)).map((b) => b.reviewer)).toEqual(['Bo']);
  });

  it('keeps the old bundles when the new ones are invalid or the session is gone', async () => {
    await saveTeamSession(sessionRecord('s1'), db);
    await replaceTeamBundles('s1', [bundleRecord('s1', 'Ada')], db);
    const wrong = { ...bundleRecord('s1', 'Bo'), reviewer: 'Ada' };
    await expect(replaceTeamBundles('s1', [wrong], db)).rejects.toThrow();
    await expect(replaceTeamBundles('s1', [bundleRecord('s2', 'Bo')], db)).rejects.toThrow(
      /session s1/,
    );
    await expect(replaceTeamBundles('nope', [bundleRecord('nope', 'Bo')], db)).rejects.toThrow(
      /not stored/,
    );
    expect((await listTeamBundles('s1', db)).map((b) => b.reviewer)).toEqual(['Ada']);
  });

  it('are put one reviewer at a time (a live session), the others left as they are', async () => {
    await saveTeamSession(sessionRecord('s1'), db);
    await replaceTeamBundles('s1', [bundleRecord('s1', 'Ada'), bundleRecord('s1', 'Bo')], db);
    const grown = { ...bundleRecord('s1', 'Bo'), files: ['live session'] };
    await putTeamBundles('s1', [grown], db);
    const stored = await listTeamBundles('s1', db);
    expect(stored.map((b) => [b.reviewer, b.files])).toEqual([
      ['Ada', bundleRecord('s1', 'Ada').files],
      ['Bo', ['live session']],
    ]);
    await expect(putTeamBundles('s1', [bundleRecord('s2', 'Bo')], db)).rejects.toThrow(
      /session s1/,
    );
    await expect(putTeamBundles('nope', [bundleRecord('nope', 'Bo')], db)).rejects.toThrow(
      /not stored/,
    );
  });
});

describe('assignments', () => {
  it('round-trip with their decisions and durations, newest opened first', async () => {
    const a = assignmentRecord('s1');
    await saveAssignment(a, db);
    await saveAssignment({ ...assignmentRecord('s2'), openedAt: 20 }, db);
    expect(await getAssignment('s1', db)).toEqual(a);
    expect((await listAssignments(db)).map((r) => r.sessionId)).toEqual(['s2', 's1']);
    await deleteAssignment('s2', db);
    expect((await listAssignments(db)).map((r) => r.sessionId)).toEqual(['s1']);
    expect(await getAssignment('s2', db)).toBeUndefined();
  });

  it.each([
    [
      'a decision by someone else',
      (r: AssignmentRecord) => ({ ...r, decisions: [decision('Bo', 1, 'accept')] }),
    ],
    [
      'a decision on another dataset',
      (r: AssignmentRecord) => ({
        ...r,
        decisions: [decision('Ada', 1, 'accept', { datasetId: 'x' })],
      }),
    ],
    [
      'a session id that is not the assignment’s',
      (r: AssignmentRecord) => ({ ...r, sessionId: 'x' }),
    ],
    [
      'a negative duration',
      (r: AssignmentRecord) => ({ ...r, durations: [{ sample: 1, ms: -1 }] }),
    ],
  ])('refuses a record with %s and keeps the stored one', async (_, change) => {
    const a = assignmentRecord('s1');
    await saveAssignment(a, db);
    await expect(saveAssignment(change(a), db)).rejects.toThrow();
    expect(await getAssignment('s1', db)).toEqual(a);
  });
});

describe('deleteDataset', () => {
  it("removes the dataset's team sessions, their bundles and its assignments only", async () => {
    const store = createDatasetStore(db);
    const meta = await store.saveImportedDataset({
      meta: makeMeta('a', 4),
      table: makeTable(4),
      images: [],
    });
    await saveTeamSession(sessionRecord('mine', meta.id), db);
    await replaceTeamBundles('mine', [bundleRecord('mine', 'Ada', meta.id)], db);
    await saveAssignment(assignmentRecord('mine', meta.id), db);
    await saveTeamSession(sessionRecord('theirs', 'other'), db);
    await replaceTeamBundles('theirs', [bundleRecord('theirs', 'Ada', 'other')], db);
    await saveAssignment(assignmentRecord('theirs', 'other'), db);

    await store.deleteDataset(meta.id);

    expect(await listTeamSessions(meta.id, db)).toEqual([]);
    expect(await listTeamBundles('mine', db)).toEqual([]);
    expect(await getAssignment('mine', db)).toBeUndefined();
    expect((await listTeamSessions('other', db)).map((s) => s.id)).toEqual(['theirs']);
    expect(await listTeamBundles('theirs', db)).toHaveLength(1);
    expect(await getAssignment('theirs', db)).toBeDefined();
  });
});
