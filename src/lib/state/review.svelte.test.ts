// @vitest-environment jsdom
// jsdom makes vite compile runes for the browser: under the default node environment
// they compile for the server, where a $derived recomputes on every read and $effect
// never runs, so neither the in-place path nor re-rendering could be seen.
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { SampleTable } from '../labels/types';
import { SampleState, type FinalLabels } from '../review/decision';
import { resolveFinalLabels } from '../review/decisions';
import { finalLabelColumns, tableOfRaw } from '../review/test-support';

const plain = (final: FinalLabels | null) => (final ? finalLabelColumns(final) : null);
import { ReviewState } from './review.svelte';

const table = tableOfRaw([
  { classId: 0, au: '1+2+12+25' },
  { classId: 3, au: 'L12+25 ' },
  { classId: 5, au: 'NULL' },
  { classId: 7 },
  { classId: 10, au: '4+9+10' },
]);

/** A review of a fresh dataset id (the store is fake-indexeddb, shared by the tests). */
async function started(initial: SampleTable | null = table) {
  let current = $state.raw<SampleTable | null>(initial);
  const review = new ReviewState(() => current);
  await review.load(`ds-${crypto.randomUUID()}`);
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
