import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Decision } from '../review/decision';
import type { ReviewBundle } from './bundle';
import { mergeBundles } from './merge';
import { canonicalJson } from './signature';
import { bundleOf, decision, sessionOf } from './test-support';

describe('mergeBundles', () => {
  const session = sessionOf(['alice', 'bob'], 4, 2);
  const a1 = bundleOf('alice', [decision('alice', 0, 'accept'), decision('alice', 1, 'discard')], {
    durationsMs: [{ sample: 0, ms: 100 }],
  });
  const a2 = bundleOf(
    'alice',
    [decision('alice', 1, 'discard'), decision('alice', 2, 'flag', { flagReason: 'other' })],
    {
      startedAt: 500,
      finishedAt: 9000,
      durationsMs: [
        { sample: 0, ms: 50 },
        { sample: 2, ms: 70 },
      ],
    },
  );
  const b1 = bundleOf('bob', [decision('bob', 0, 'accept')]);

  it('importing a bundle twice changes nothing', () => {
    const once = mergeBundles(session, [], a1);
    expect(once.added).toBe(2);
    const twice = mergeBundles(session, once.bundles, a1);
    expect(twice.bundles).toEqual(once.bundles);
    expect(twice).toMatchObject({ added: 0, unchanged: 2, replaced: 0, problems: [] });
  });

  it('merges partial bundles of one reviewer: decisions by id, times min/max, durations max', () => {
    const merged = mergeBundles(session, [a1], [a2, b1]);
    expect(merged.bundles.map((b) => b.reviewer)).toEqual(['alice', 'bob']);
    const alice = merged.bundles[0];
    expect(alice?.decisions.map((d) => d.id)).toEqual([
      'alice-0-accept',
      'alice-1-discard',
      'alice-2-flag',
    ]);
    expect(alice).toMatchObject({ startedAt: 500, finishedAt: 9000 });
    expect(alice?.durationsMs).toEqual([
      { sample: 0, ms: 100 },
      { sample: 2, ms: 70 },
    ]);
    expect(merged).toMatchObject({ added: 2, unchanged: 1, replaced: 0 });
  });

  it('keeps the later version of a decision id that changed', () => {
    const changed = bundleOf('alice', [
      decision('alice', 0, 'accept', { at: 99_999, note: 'sure' }),
    ]);
    const merged = mergeBundles(session, [a1], changed);
    expect(merged.replaced).toBe(1);
    expect(merged.bundles[0]?.decisions[0]?.note).toBe('sure');
    // ... whichever arrives first.
    expect(mergeBundles(session, [changed], a1).bundles).toEqual(merged.bundles);
  });

  it.each<[string, ReviewBundle, string]>([
    [
      'another session',
      bundleOf('alice', [], { sessionId: 'sess-0' }),
      'the bundle from "alice" belongs to session sess-0, not sess-1',
    ],
    [
      'another dataset',
      bundleOf('alice', [], { datasetId: 'ds9' }),
      'the bundle from "alice" is from dataset ds9, this session is for ds1',
    ],
    [
      'a stranger',
      bundleOf('carol', []),
      'the bundle from "carol": "carol" is not a reviewer of this session',
    ],
    [
      'a decision by someone else',
      bundleOf('alice', [decision('bob', 3, 'accept')]),
      'decision bob-3-accept in the bundle from "alice" is by "bob" on dataset ds1; left out',
    ],
  ])('refuses %s without throwing', (_name, incoming, problem) => {
    const merged = mergeBundles(session, [b1], incoming);
    expect(merged.problems).toEqual([problem]);
    expect(merged.bundles.flatMap((b) => b.decisions)).toEqual(b1.decisions);
  });

  it('is idempotent and order-independent (property)', () => {
    const reviewers = ['alice', 'bob', 'carol'];
    const big = sessionOf(reviewers, 6, 2);
    const decisionArb = fc
      .record({
        reviewer: fc.constantFrom(...reviewers),
        sample: fc.integer({ min: 0, max: 5 }),
        kind: fc.constantFrom<Decision['kind']>('accept', 'correct', 'flag', 'discard'),
        n: fc.integer({ min: 0, max: 3 }),
        at: fc.integer({ min: 0, max: 5 }),
      })
      .map(({ reviewer, sample, kind, n, at }) =>
        decision(reviewer, sample, kind, { id: `${reviewer}-${sample}-${n}`, at }),
      );
    const bundleArb = fc
      .record({
        reviewer: fc.constantFrom(...reviewers),
        decisions: fc.array(decisionArb, { maxLength: 6 }),
        startedAt: fc.integer({ min: 0, max: 100 }),
        span: fc.integer({ min: 0, max: 100 }),
        durations: fc.option(
          fc.array(fc.record({ sample: fc.integer({ min: 0, max: 5 }), ms: fc.nat(1000) }), {
            maxLength: 3,
          }),
          { nil: undefined },
        ),
      })
      .map(({ reviewer, decisions, startedAt, span, durations }) =>
        bundleOf(
          reviewer,
          decisions.filter((d) => d.reviewer === reviewer),
          {
            startedAt,
            finishedAt: startedAt + span,
            ...(durations ? { durationsMs: durations } : {}),
          },
        ),
      );
    fc.assert(
      fc.property(fc.array(bundleArb, { maxLength: 6 }), fc.integer(), (bundles, seed) => {
        const forward = bundles.reduce(
          (acc, b) => mergeBundles(big, acc, b).bundles,
          [] as ReviewBundle[],
        );
        const shuffled = [...bundles].sort((x, y) =>
          canonicalJson([x, seed]) < canonicalJson([y, seed]) ? -1 : 1,
        );
        const backward = [...shuffled]
          .reverse()
          .reduce((acc, b) => mergeBundles(big, acc, b).bundles, [] as ReviewBundle[]);
        expect(canonicalJson(backward)).toBe(canonicalJson(forward));
        expect(canonicalJson(mergeBundles(big, [], bundles).bundles)).toBe(canonicalJson(forward));
        for (const b of bundles) {
          const again = mergeBundles(big, forward, b);
          expect(canonicalJson(again.bundles)).toBe(canonicalJson(forward));
          expect(again.added).toBe(0);
        }
      }),
    );
  });
});
