// @vitest-environment jsdom
// jsdom makes vite compile runes for the browser: under the default node environment
// they compile for the server, where a $derived recomputes on every read and $effect
// never runs, so neither the in-place path nor re-rendering could be seen.
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SampleTable } from '../labels/types';
import { SampleState, type FinalLabels } from '../review/decision';
import { resolveFinalLabels } from '../review/decisions';
import { finalLabelColumns, tableOfRaw } from '../review/test-support';
import { getDb } from '../store/db';
import { createDatasetStore } from '../store/datasets';
import { loadReviewRecords } from '../store/review';
import { makeImages, makeMeta, makeTable } from '../store/testing';
import { ReviewState } from './review.svelte';

const plain = (final: FinalLabels | null) => (final ? finalLabelColumns(final) : null);

const table = tableOfRaw([
  { classId: 0, au: '1+2+12+25' },
  { classId: 3, au: 'L12+25 ' },
  { classId: 5, au: 'NULL' },
  { classId: 7 },
  { classId: 10, au: '4+9+10' },
]);

/** A fresh dataset in the app's database (fake-indexeddb, shared by the tests); its id. */
async function storedDataset(): Promise<string> {
  const meta = await createDatasetStore(getDb()).saveImportedDataset({
    meta: makeMeta('review', table.count),
    table: makeTable(table.count),
    images: makeImages([]),
  });
  return meta.id;
}

const reviews: ReviewState[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  // Stops their watches of the database.
  for (const review of reviews.splice(0)) review.clear();
});

/** A review of a fresh dataset. */
async function started(initial: SampleTable | null = table, datasetId?: string) {
  let current = $state.raw<SampleTable | null>(initial);
  const review = new ReviewState(() => current);
  reviews.push(review);
  await review.load(datasetId ?? (await storedDataset()));
  await review.setReviewer('Ada');
  /** What a full resolve of the log in effect gives: what `final` must always equal. */
  const resolved = () => (current ? plain(resolveFinalLabels(current, review.active)) : null);
  return {
    review,
    resolved,
    setTable: (next: SampleTable | null) => (current = next),
  };
}

describe('ReviewState final labels', () => {
  it('applies a new decision to the previous final labels in place, in a new wrapper', async () => {
    const { review, resolved } = await started();
    const before = review.final;
    expect(await review.decide([{ sample: 1, kind: 'accept' }])).toBe(true);
    const after = review.final;
    expect(after).not.toBe(before);
    expect(after?.state.buffer).toBe(before?.state.buffer);
    expect(after?.auRaw).toBe(before?.auRaw);
    expect(after?.state[1]).toBe(SampleState.accepted);
    expect(plain(after)).toEqual(resolved());

    // The same sample again, with a correction: the latest decision wins.
    await review.decide([
      { sample: 1, kind: 'correct', correction: { classId: 2, au: { status: 'null' } } },
    ]);
    expect(review.final?.state.buffer).toBe(before?.state.buffer);
    expect(review.final?.classIds[1]).toBe(2);
    expect(plain(review.final)).toEqual(resolved());
  });

  it('applies a bulk step in place too', async () => {
    const { review, resolved } = await started();
    const before = review.final;
    await review.decide([
      { sample: 0, kind: 'flag', flagReason: 'ambiguous' },
      { sample: 3, kind: 'discard' },
      { sample: 0, kind: 'accept' },
    ]);
    expect(review.final?.state.buffer).toBe(before?.state.buffer);
    expect(Array.from(review.final?.state ?? [])).toEqual([
      SampleState.accepted,
      0,
      0,
      SampleState.discarded,
      0,
    ]);
    expect(plain(review.final)).toEqual(resolved());
  });

  it('resolves in full on undo and redo, and then appends in place again', async () => {
    const { review, resolved } = await started();
    await review.decide([{ sample: 0, kind: 'discard' }]);
    await review.decide([
      { sample: 0, kind: 'correct', correction: { au: { status: 'coded', raw: '4' } } },
    ]);
    const decided = review.final;

    expect(await review.undo()).toBe(true);
    const undone = review.final;
    expect(undone?.state.buffer).not.toBe(decided?.state.buffer);
    expect(undone?.state[0]).toBe(SampleState.discarded);
    expect(undone?.auRaw[0]).toBe('1+2+12+25');
    expect(plain(undone)).toEqual(resolved());

    expect(await review.redo()).toBe(true);
    expect(review.final?.state[0]).toBe(SampleState.corrected);
    expect(review.final?.auRaw[0]).toBe('4');
    expect(plain(review.final)).toEqual(resolved());

    const redone = review.final;
    await review.decide([{ sample: 4, kind: 'accept' }]);
    expect(review.final?.state.buffer).toBe(redone?.state.buffer);
    expect(plain(review.final)).toEqual(resolved());
  });

  it('gives the same final labels after a reload of the stored log', async () => {
    const { review } = await started();
    await review.decide([{ sample: 2, kind: 'flag', flagReason: 'occluded' }]);
    await review.decide([
      { sample: 2, kind: 'accept' },
      { sample: 4, kind: 'discard' },
    ]);
    await review.undo();
    await review.decide([{ sample: 3, kind: 'correct', correction: { classId: 1 } }]);
    const datasetId = review.evidenceContext(0)?.datasetId ?? '';

    const reloaded = new ReviewState(() => table);
    reviews.push(reloaded);
    await reloaded.load(datasetId);
    expect(plain(reloaded.final)).toEqual(plain(review.final));
  });

  it('resolves in full for another table, and is null without one', async () => {
    const { review, resolved, setTable } = await started();
    await review.decide([{ sample: 0, kind: 'accept' }]);
    const first = review.final;
    const other = tableOfRaw([{ classId: 1 }, { classId: 2 }]);
    setTable(other);
    expect(review.final?.count).toBe(2);
    expect(review.final?.state.buffer).not.toBe(first?.state.buffer);
    expect(plain(review.final)).toEqual(resolved());
    setTable(null);
    expect(review.final).toBeNull();
  });

  it('re-runs what depends on one column only, as the sample grid does with the states', async () => {
    const { review } = await started();
    const seen: number[] = [];
    const stop = $effect.root(() => {
      const states = $derived(review.final?.state ?? null);
      $effect(() => {
        seen.push(states?.[3] ?? -1);
      });
    });
    flushSync();
    await review.decide([{ sample: 3, kind: 'discard' }]);
    flushSync();
    await review.decide([{ sample: 3, kind: 'accept' }]);
    flushSync();
    stop();
    expect(seen).toEqual([SampleState.untouched, SampleState.discarded, SampleState.accepted]);
  });

  it('keeps what decisionOf says in step with the columns', async () => {
    const { review } = await started();
    await review.decide([{ sample: 1, kind: 'flag', flagReason: 'bad-crop', note: 'blurry' }]);
    expect(review.final?.decisionOf(1)?.note).toBe('blurry');
    await review.decide([{ sample: 1, kind: 'accept' }]);
    expect(review.final?.decisionOf(1)?.kind).toBe('accept');
    await review.undo();
    expect(review.final?.decisionOf(1)?.kind).toBe('flag');
  });
});

/** What the browser throws when the disk or the origin's quota is full. */
const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

describe('ReviewState when a write fails', () => {
  it('stops at the first failed decision: no later one is taken as saved, and Retry stores them in order', async () => {
    const { review } = await started();
    const datasetId = review.evidenceContext(0)?.datasetId ?? '';
    expect(await review.decide([{ sample: 0, kind: 'accept' }])).toBe(true);

    const bulkAdd = vi.spyOn(getDb().decisions, 'bulkAdd').mockRejectedValue(quotaError());
    expect(await review.decide([{ sample: 1, kind: 'discard' }])).toBe(false);
    expect(review.stopped).toEqual({
      reason: 'full',
      message: 'The disk is full: nothing after 0001.jpg was saved. Free space, then Retry.',
      canRetry: true,
    });
    expect(review.error).toBe(review.stopped?.message);
    // The nine key presses that followed in the browser: each refused, none shown.
    for (let sample = 2; sample < 11; sample++) {
      expect(await review.decide([{ sample: sample % 5, kind: 'accept' }])).toBe(false);
    }
    expect(await review.undo()).toBe(false);
    expect(bulkAdd).toHaveBeenCalledTimes(1);
    expect(review.final?.state[1]).toBe(SampleState.untouched);
    expect(review.pending.length).toBe(1);

    // Still full: Retry fails again and says so.
    expect(await review.retry()).toBeNull();
    expect(review.stopped?.reason).toBe('full');

    bulkAdd.mockRestore();
    expect(await review.retry()).toEqual([1]);
    expect(review.stopped).toBeNull();
    expect(review.error).toBeNull();
    expect(review.pending).toEqual([]);
    expect(review.final?.state[1]).toBe(SampleState.discarded);
    const stored = await loadReviewRecords(datasetId);
    // Keyed by random ids: put in sample order to compare.
    const bySample = stored.decisions.sort((x, y) => x.sample - y.sample);
    expect(bySample.map((d) => [d.sample, d.kind])).toEqual([
      [0, 'accept'],
      [1, 'discard'],
    ]);
    expect(await review.decide([{ sample: 2, kind: 'accept' }])).toBe(true);
  });

  it.each([
    [
      'a blob write IOError',
      () => new DOMException('Failed to write blobs (IOError)', 'UnknownError'),
      'full',
    ],
    [
      "Chromium's full-disk ConstraintError",
      () => new DOMException('Maximum key generator value reached.', 'ConstraintError'),
      'full',
    ],
    ['any other rejection', () => new Error('something else'), 'failed'],
  ])('stops the review on %s', async (_, error, reason) => {
    const { review } = await started();
    vi.spyOn(getDb().decisions, 'bulkAdd').mockRejectedValue(error());
    expect(await review.decide([{ sample: 3, kind: 'accept' }])).toBe(false);
    expect(review.stopped?.reason).toBe(reason);
    expect(review.stopped?.message).toMatch(/^(The disk is full|Saving failed): nothing was saved/);
    expect(await review.decide([{ sample: 4, kind: 'accept' }])).toBe(false);
  });

  it('says nothing after the last stored decision was saved when a reload is stopped', async () => {
    const { review } = await started();
    await review.decide([{ sample: 2, kind: 'accept' }]);
    const datasetId = review.evidenceContext(0)?.datasetId ?? '';
    const reloaded = new ReviewState(() => table);
    reviews.push(reloaded);
    await reloaded.load(datasetId);
    await reloaded.setReviewer('Ada');
    vi.spyOn(getDb().history, 'add').mockRejectedValue(quotaError());
    expect(await reloaded.decide([{ sample: 3, kind: 'accept' }])).toBe(false);
    expect(reloaded.stopped?.message).toBe(
      'The disk is full: nothing after 0003.jpg was saved. Free space, then Retry.',
    );
  });

  it('stops instead of writing orphan decisions when the dataset was deleted', async () => {
    const { review } = await started();
    const datasetId = review.evidenceContext(0)?.datasetId ?? '';
    await review.decide([{ sample: 0, kind: 'accept' }]);
    await createDatasetStore(getDb()).deleteDataset(datasetId);
    expect(await review.decide([{ sample: 1, kind: 'accept' }])).toBe(false);
    expect(review.stopped).toMatchObject({ reason: 'gone', canRetry: false });
    expect(review.stopped?.message).toMatch(
      /^This dataset was deleted, perhaps in another tab: nothing after 0001\.jpg was saved/,
    );
    expect(await review.retry()).toBeNull();
    expect(await getDb().decisions.where('datasetId').equals(datasetId).count()).toBe(0);
  });

  it('stops when another tab deletes the dataset, without a write', async () => {
    const { review } = await started();
    const datasetId = review.evidenceContext(0)?.datasetId ?? '';
    await createDatasetStore(getDb()).deleteDataset(datasetId);
    await vi.waitFor(() => expect(review.stopped?.reason).toBe('gone'));
    expect(review.stopped?.message).toBe(
      'This dataset was deleted, perhaps in another tab. The review has stopped.',
    );
  });
});

describe('ReviewState in two tabs on one dataset', () => {
  it("shows the other tab's decisions as they are stored", async () => {
    const a = await started();
    const datasetId = a.review.evidenceContext(0)?.datasetId ?? '';
    const b = await started(table, datasetId);
    await a.review.decide([{ sample: 2, kind: 'discard' }]);
    await vi.waitFor(() => expect(b.review.final?.state[2]).toBe(SampleState.discarded));
    await b.review.undo();
    await vi.waitFor(() => expect(a.review.final?.state[2]).toBe(SampleState.untouched));
    expect(plain(a.review.final)).toEqual(plain(b.review.final));
  });

  it('never lets an older decision win over a newer one, whichever reached the disk last', async () => {
    const t1 = 1_800_000_000_000;
    const t2 = t1 + 5_000;
    const a = await started();
    const datasetId = a.review.evidenceContext(0)?.datasetId ?? '';
    const b = await started(table, datasetId);

    // Tab B decides at t1, but the disk is full: its write waits for Retry.
    const now = vi.spyOn(Date, 'now').mockReturnValue(t1);
    const bulkAdd = vi.spyOn(getDb().decisions, 'bulkAdd').mockRejectedValueOnce(quotaError());
    expect(await b.review.decide([{ sample: 0, kind: 'discard' }])).toBe(false);
    bulkAdd.mockRestore();

    // Tab A decides the same sample at t2 and stores it.
    now.mockReturnValue(t2);
    expect(
      await a.review.decide([{ sample: 0, kind: 'correct', correction: { classId: 4 } }]),
    ).toBe(true);

    // B's retry stores its t1 decision after A's t2 one: t2 stays in effect everywhere.
    expect(await b.review.retry()).toEqual([0]);
    await vi.waitFor(() => expect(a.review.decisions.length).toBe(2));
    await vi.waitFor(() => expect(b.review.decisions.length).toBe(2));
    for (const tab of [a.review, b.review]) {
      expect(tab.final?.state[0]).toBe(SampleState.corrected);
      expect(tab.final?.classIds[0]).toBe(4);
      expect(tab.final?.decisionOf(0)?.at).toBe(t2);
    }
    const reloaded = new ReviewState(() => table);
    reviews.push(reloaded);
    await reloaded.load(datasetId);
    expect(reloaded.final?.decisionOf(0)?.at).toBe(t2);
  });
});
