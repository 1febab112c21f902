import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { openDb, type AuReviewDb } from './db';
import { createDatasetStore } from './datasets';
import { DatasetNotFoundError, LostWriteError, NewerRecordError } from './errors';
import {
  REVIEW_FORMATS,
  deleteReviewSet,
  listEvidence,
  loadReviewRecords,
  recordDecisions,
  recordHistoryEntry,
  replaceEvidence,
  saveReviewSet,
  watchReview,
  type ReviewFormats,
  type ReviewPulse,
} from './review';
import { makeImages, makeMeta, makeTable } from './testing';
import { DecisionSchema, type Decision } from '../review/decision';
import { applyDecide, undo } from '../review/history';
import { newReviewSet } from '../review/review-set';

let dbCount = 0;
/** A fresh database holding datasets 'ds' and 'ds2' (decisions need their dataset). */
async function freshDb(): Promise<AuReviewDb> {
  const db = openDb(`review-store-test-${++dbCount}-${Date.now()}`);
  const meta = await createDatasetStore(db).saveImportedDataset({
    meta: makeMeta('review', 5),
    table: makeTable(5),
    images: makeImages([]),
  });
  await db.datasets.bulkPut([
    { ...meta, id: 'ds' },
    { ...meta, id: 'ds2' },
  ]);
  return db;
}

function decision(id: string, datasetId = 'ds', sample = 0): Decision {
  return {
    version: 1,
    id,
    datasetId,
    sample,
    sampleName: `${sample}.jpg`,
    kind: 'accept',
    reviewer: 'Ada',
    at: 1,
  };
}

const meta = (id: string, datasetId = 'ds') => ({ id, datasetId, at: 2, reviewer: 'Ada' });

describe('decisions and history', () => {
  it('are stored together and read back in append order', async () => {
    const db = await freshDb();
    const first = [decision('d1'), decision('d2', 'ds', 1)];
    const e1 = applyDecide([], first, meta('e1'));
    await recordDecisions(first, e1, db);
    const e2 = applyDecide([e1], [decision('d3')], meta('e2'));
    await recordDecisions([decision('d3')], e2, db);
    const e3 = undo([e1, e2], meta('e3'));
    if (!e3) throw new Error('nothing to undo');
    await recordHistoryEntry(e3, db);
    await recordDecisions(
      [decision('other', 'ds2')],
      applyDecide([], [decision('other', 'ds2')], meta('x', 'ds2')),
      db,
    );

    const stored = await loadReviewRecords('ds', db);
    expect(stored.history.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    expect(stored.decisions.map((d) => d.id).sort()).toEqual(['d1', 'd2', 'd3']);
  });

  it('stores neither the decisions nor the entry when one is invalid', async () => {
    const db = await freshDb();
    const good = decision('d1');
    const entry = applyDecide([], [good], meta('e1'));
    await expect(
      recordDecisions([good, { ...good, id: 'd2', kind: 'maybe' as 'accept' }], entry, db),
    ).rejects.toThrow();
    // A duplicate id aborts the transaction after the first write.
    await recordDecisions([good], entry, db);
    await expect(
      recordDecisions(
        [decision('d9'), good],
        applyDecide([], [decision('d9'), decision('d8')], meta('e2')),
        db,
      ),
    ).rejects.toThrow();
    const stored = await loadReviewRecords('ds', db);
    expect(stored.decisions.map((d) => d.id)).toEqual(['d1']);
    expect(stored.history.map((e) => e.id)).toEqual(['e1']);
  });
});

describe('review sets', () => {
  it('are saved, listed oldest first and deleted', async () => {
    const db = await freshDb();
    const base = { datasetId: 'ds', kind: 'random' as const, seed: 7, stratified: true };
    await saveReviewSet(
      newReviewSet({ ...base, id: 'b', name: 'Second', createdAt: 2 }, [3, 1]),
      db,
    );
    await saveReviewSet(
      newReviewSet({ ...base, id: 'a', name: 'First', createdAt: 1 }, [0, 2]),
      db,
    );
    expect((await loadReviewRecords('ds', db)).reviewSets.map((s) => s.name)).toEqual([
      'First',
      'Second',
    ]);
    await deleteReviewSet('a', db);
    expect((await loadReviewRecords('ds', db)).reviewSets.map((s) => s.id)).toEqual(['b']);
  });

  it('refuses an invalid set', async () => {
    const db = await freshDb();
    const set = newReviewSet(
      { id: 'a', datasetId: 'ds', name: 'Twice', createdAt: 1, kind: 'filter', stratified: false },
      [1, 1],
    );
    await expect(saveReviewSet(set, db)).rejects.toThrow(/appears twice/);
  });
});

describe('evidence boxes', () => {
  const box = (id: string, sample: number, x: number) => ({
    version: 1 as const,
    id,
    datasetId: 'ds',
    sample,
    au: 12,
    x,
    y: 0.6,
    w: 0.2,
    h: 0.1,
    createdAt: x,
    reviewer: 'Ada',
  });

  it('are replaced per sample and kept apart from other samples', async () => {
    const db = await freshDb();
    await replaceEvidence('ds', 3, [box('a', 3, 0.1), box('b', 3, 0.3)], db);
    await replaceEvidence('ds', 4, [box('c', 4, 0.5)], db);
    await replaceEvidence('ds', 3, [box('b', 3, 0.35)], db);
    expect((await listEvidence('ds', 3, db)).map((b) => [b.id, b.x])).toEqual([['b', 0.35]]);
    expect((await listEvidence('ds', 4, db)).map((b) => b.id)).toEqual(['c']);
  });

  it.each([
    ['outside the image', { x: 0.9, w: 0.2 }],
    ['another sample', { sample: 9 }],
  ])('refuses a box %s and keeps what was stored', async (_, patch) => {
    const db = await freshDb();
    await replaceEvidence('ds', 3, [box('a', 3, 0.1)], db);
    await expect(
      replaceEvidence('ds', 3, [{ ...box('z', 3, 0.1), ...patch }], db),
    ).rejects.toThrow();
    expect((await listEvidence('ds', 3, db)).map((b) => b.id)).toEqual(['a']);
  });
});

describe('writes check that the dataset still exists', () => {
  it('refuses decisions and history entries for a dataset that is gone, storing nothing', async () => {
    const db = await freshDb();
    await createDatasetStore(db).deleteDataset('ds');
    const entry = applyDecide([], [decision('d1')], meta('e1'));
    await expect(recordDecisions([decision('d1')], entry, db)).rejects.toBeInstanceOf(
      DatasetNotFoundError,
    );
    const undoEntry = undo([entry], meta('e2'));
    if (!undoEntry) throw new Error('nothing to undo');
    await expect(recordHistoryEntry(undoEntry, db)).rejects.toBeInstanceOf(DatasetNotFoundError);
    expect(await db.decisions.count()).toBe(0);
    expect(await db.history.count()).toBe(0);
  });

  it('refuses decisions of another dataset than their history entry', async () => {
    const db = await freshDb();
    const mixed = [decision('d1'), decision('d2', 'ds2')];
    await expect(recordDecisions(mixed, applyDecide([], mixed, meta('e1')), db)).rejects.toThrow(
      /must all belong to dataset ds/,
    );
    expect(await db.decisions.count()).toBe(0);
  });

  it('reports a write the database acknowledged but does not hold when read back', async () => {
    const db = await freshDb();
    // What a browser out of disk has been seen to do: commit, then lose the write.
    vi.spyOn(db.history, 'get').mockResolvedValue(undefined);
    await expect(
      recordDecisions([decision('d1')], applyDecide([], [decision('d1')], meta('e1')), db),
    ).rejects.toBeInstanceOf(LostWriteError);
  });
});

describe('watchReview', () => {
  /** Collects pulses; `until` resolves once one satisfies the test (no timers). */
  function watcher(db: AuReviewDb, datasetId: string) {
    const pulses: ReviewPulse[] = [];
    const waiters: { test: (p: ReviewPulse) => boolean; resolve: () => void }[] = [];
    const stop = watchReview(
      datasetId,
      (pulse) => {
        pulses.push(pulse);
        for (const w of waiters.filter((w) => w.test(pulse))) w.resolve();
      },
      db,
    );
    const until = (test: (p: ReviewPulse) => boolean) =>
      pulses.some(test)
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ test, resolve }));
    return { pulses, until, stop };
  }

  it('reports new history entries and the deletion of the dataset', async () => {
    const db = await freshDb();
    const watch = watcher(db, 'ds');
    await watch.until((p) => p.exists && p.entries === 0);
    await recordDecisions([decision('d1')], applyDecide([], [decision('d1')], meta('e1')), db);
    await watch.until((p) => p.entries === 1);
    // Another dataset's writes leave this one's count alone.
    await recordDecisions(
      [decision('x', 'ds2')],
      applyDecide([], [decision('x', 'ds2')], meta('x', 'ds2')),
      db,
    );
    await createDatasetStore(db).deleteDataset('ds');
    await watch.until((p) => !p.exists);
    watch.stop();
    expect(watch.pulses.map((p) => p.entries).every((n) => n <= 1)).toBe(true);
    expect(watch.pulses.at(-1)).toEqual({ exists: false, entries: 0 });
  });
});

describe('record versions', () => {
  /** The decision format as a release that adds a confidence would define it. */
  const DecisionV2Schema = DecisionSchema.extend({
    version: z.literal(2),
    confidence: z.enum(['sure', 'unsure']),
  });
  const formatsV2 = {
    ...REVIEW_FORMATS,
    decision: {
      ...REVIEW_FORMATS.decision,
      current: 2,
      schema: DecisionV2Schema,
      steps: { 1: (d: Record<string, unknown>) => ({ ...d, version: 2, confidence: 'sure' }) },
    },
  } as unknown as ReviewFormats;

  it('migrates decisions stored by version 1 when read by version 2, and writes them back', async () => {
    const db = await freshDb();
    const first = [decision('d1'), decision('d2', 'ds', 1)];
    const e1 = applyDecide([], first, meta('e1'));
    await recordDecisions(first, e1, db);
    const e2 = undo([e1], meta('e2'));
    if (!e2) throw new Error('nothing to undo');
    await recordHistoryEntry(e2, db);

    const read = await loadReviewRecords('ds', db, formatsV2);
    expect(
      read.decisions.map((d) => [d.id, d.version, (d as { confidence?: string }).confidence]),
    ).toEqual([
      ['d1', 2, 'sure'],
      ['d2', 2, 'sure'],
    ]);
    expect(read.history.map((e) => e.id)).toEqual(['e1', 'e2']);
    const stored = await db.decisions.toArray();
    expect(stored.map((d) => d.version)).toEqual([2, 2]);
    // Version 1 of the app now finds records from the future, and says so.
    await expect(loadReviewRecords('ds', db)).rejects.toThrow(
      /decision 0 was written by a newer AU Review \(record version 2; this one reads up to 1\)/,
    );
    await expect(loadReviewRecords('ds', db)).rejects.toBeInstanceOf(NewerRecordError);
  });

  it('keeps the order of history entries when they are migrated and written back', async () => {
    const db = await freshDb();
    const d = [decision('d1')];
    const e1 = applyDecide([], d, meta('e1'));
    await recordDecisions(d, e1, db);
    const e2 = undo([e1], meta('e2'));
    if (!e2) throw new Error('nothing to undo');
    await recordHistoryEntry(e2, db);
    const formats = {
      ...REVIEW_FORMATS,
      historyEntry: {
        ...REVIEW_FORMATS.historyEntry,
        current: 2,
        schema: z.object({ version: z.literal(2), id: z.string() }).passthrough(),
        steps: { 1: (e: Record<string, unknown>) => ({ ...e, version: 2 }) },
      },
    } as unknown as ReviewFormats;
    await loadReviewRecords('ds', db, formats);
    const stored = await db.history.orderBy('seq').toArray();
    expect(
      stored.map((e) => [(e as { id?: string }).id, (e as { version?: number }).version]),
    ).toEqual([
      ['e1', 2],
      ['e2', 2],
    ]);
  });
});
