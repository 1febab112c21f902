import { describe, expect, it } from 'vitest';
import { openDb } from './db';
import {
  deleteReviewSet,
  listEvidence,
  loadReviewRecords,
  recordDecisions,
  recordHistoryEntry,
  replaceEvidence,
  saveReviewSet,
} from './review';
import type { Decision } from '../review/decision';
import { applyDecide, undo } from '../review/history';
import { newReviewSet } from '../review/review-set';

let dbCount = 0;
const freshDb = () => openDb(`review-store-test-${++dbCount}-${Date.now()}`);

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
    const db = freshDb();
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
    const db = freshDb();
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
    const db = freshDb();
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
    const db = freshDb();
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
    const db = freshDb();
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
    const db = freshDb();
    await replaceEvidence('ds', 3, [box('a', 3, 0.1)], db);
    await expect(
      replaceEvidence('ds', 3, [{ ...box('z', 3, 0.1), ...patch }], db),
    ).rejects.toThrow();
    expect((await listEvidence('ds', 3, db)).map((b) => b.id)).toEqual(['a']);
  });
});
