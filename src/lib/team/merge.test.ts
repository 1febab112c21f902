import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DecisionSchema, type Decision } from '../review/decision';
import { cohensKappa, fleissKappa, krippendorffAlpha, type BinaryRating } from './agreement';
import { createSession, planAssignments, type TeamSession } from './assignment';
import type { ReviewBundle } from './bundle';
import {
  adjudicate,
  agreementReport,
  canonicalJson,
  conflicts,
  mergeBundles,
  outcomeOf,
  type SampleAgreement,
} from './merge';
import { decision, tableOf, testKeys } from './test-support';

function sessionOf(reviewers: string[], samples: number, overlap: number): TeamSession {
  const plan = planAssignments({
    sessionId: 'sess-1',
    samples: Array.from({ length: samples }, (_, i) => i),
    reviewers,
    overlap,
    seed: 1,
  });
  return createSession(plan, {
    datasetId: 'ds1',
    datasetName: 'RAF-CE',
    lead: 'lena',
    createdAt: 0,
    reviewerKeys: testKeys(reviewers),
  });
}

function bundleOf(
  reviewer: string,
  decisions: Decision[],
  extra: Partial<ReviewBundle> = {},
): ReviewBundle {
  return {
    format: 'au-review-bundle',
    version: 1,
    sessionId: 'sess-1',
    datasetId: 'ds1',
    reviewer,
    startedAt: 1000,
    finishedAt: 2000,
    decisions,
    ...extra,
  };
}

const au = (raw: string): Decision['correction'] => ({ au: { status: 'coded', raw } });

describe('outcomeOf', () => {
  const table = tableOf([
    { classId: 2, au: '1+2+5B+26' },
    { classId: 4, au: 'null' },
    { classId: 5 },
  ]);
  it.each<[string, Decision, number, number | null, number[] | null]>([
    ['accept keeps the original', decision('a', 0, 'accept'), 0, 2, [1, 2, 5, 26]],
    [
      'flag keeps the original',
      decision('a', 0, 'flag', { flagReason: 'au-wrong' }),
      0,
      2,
      [1, 2, 5, 26],
    ],
    ['discard removes the sample', decision('a', 0, 'discard'), 0, null, null],
    [
      'correct class only',
      decision('a', 0, 'correct', { correction: { classId: 7 } }),
      0,
      7,
      [1, 2, 5, 26],
    ],
    [
      'correct AUs: side, intensity, AD ignored',
      decision('a', 0, 'correct', { correction: au('L12B+AD19+25+12') }),
      0,
      2,
      [12, 25],
    ],
    [
      'correct AUs to not coded',
      decision('a', 0, 'correct', { correction: { au: { status: 'null' } } }),
      0,
      2,
      null,
    ],
    ['accept a not-coded sample', decision('a', 1, 'accept'), 1, 4, null],
    ['code a not-coded sample', decision('a', 1, 'correct', { correction: au('4') }), 1, 4, [4]],
    ['accept a sample without AU value', decision('a', 2, 'accept'), 2, 5, null],
  ])('%s', (_name, d, sample, classId, aus) => {
    expect(outcomeOf(d, table, sample)).toEqual({ classId, aus });
  });
});

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

describe('agreementReport: two reviewers', () => {
  const table = tableOf([
    { classId: 0, au: '1+2+5+6+12' }, // 0: accept vs correct to 5+6+12 (EF 0.75)
    { classId: 1, au: '4+7' }, //         1: both accept (unanimous)
    { classId: 2, au: '12' }, //          2: discard vs accept
    { classId: 3, au: 'null' }, //        3: accept (not coded) vs code 12
    { classId: 5, au: '12+25' }, //       4: both correct the class to 3 (unanimous)
    { classId: 6, au: '1+4' }, //         5: flag vs accept, same labels
  ]);
  const session = sessionOf(['alice', 'bob'], 6, 2);
  const alice = bundleOf(
    'alice',
    [
      decision('alice', 0, 'accept'),
      decision('alice', 1, 'accept'),
      decision('alice', 2, 'discard'),
      decision('alice', 3, 'accept'),
      decision('alice', 4, 'correct', { correction: { classId: 3 } }),
      decision('alice', 5, 'flag', { flagReason: 'au-wrong' }),
    ],
    {
      durationsMs: [
        { sample: 0, ms: 3000 },
        { sample: 1, ms: 2000 },
      ],
    },
  );
  const bob = bundleOf(
    'bob',
    [
      decision('bob', 0, 'flag', { at: 1, flagReason: 'other' }), // superseded by the later correction
      decision('bob', 0, 'correct', { correction: au('5+6+12') }),
      decision('bob', 1, 'accept'),
      decision('bob', 2, 'accept'),
      decision('bob', 3, 'correct', { correction: au('12+14') }),
      decision('bob', 4, 'correct', { correction: { classId: 3 } }),
      decision('bob', 5, 'accept'),
    ],
    { startedAt: 10_000, finishedAt: 70_000 },
  );
  const report = agreementReport(session, [alice, bob], table);
  const row = (s: number): SampleAgreement => report.samples[s] as SampleAgreement;

  it.each<[number, number | null, number | null, boolean]>([
    // sample, mean EF, kind agreement, unanimous
    [0, 0.75, 0, false],
    [1, 1, 1, true],
    [2, null, 0, false],
    [3, null, 0, false],
    [4, 1, 1, true],
    [5, 1, 0, false],
  ])('sample %i: EF %s, kind agreement %s', (s, ef, kinds, unanimous) => {
    expect(row(s).meanEf).toBe(ef);
    expect(row(s).kindAgreement).toBe(kinds);
    expect(row(s).unanimous).toBe(unanimous);
    expect(row(s).reviews.map((r) => r.reviewer)).toEqual(['alice', 'bob']);
  });

  it('uses the latest decision of each reviewer', () => {
    expect(row(0).reviews[1]?.kind).toBe('correct');
  });

  it('settles unanimous samples, leaves the others pending', () => {
    expect(row(4).final).toMatchObject({ source: 'unanimous', classId: 3, aus: [12, 25] });
    expect(row(0).final).toBeNull();
  });

  it('scores each AU with Cohen kappa (two reviewers per sample), base rate beside', () => {
    const rate = (reviewer: number, auNumber: number): BinaryRating[] =>
      report.samples.map((s) => {
        const aus = s.reviews[reviewer]?.aus;
        return aus === null || aus === undefined ? null : aus.includes(auNumber) ? 1 : 0;
      });
    const perAu = new Map(report.perAu.map((a) => [a.au, a]));
    expect([...perAu.keys()]).toEqual([1, 2, 4, 5, 6, 7, 12, 14, 25]);
    // AU1 by hand: pairs (1,0) (0,0) (0,0) (1,1) -> po 3/4, pe 1/2, kappa 0.5.
    expect(perAu.get(1)).toMatchObject({
      measure: 'cohen-kappa',
      kappa: 0.5,
      score: 0.5,
      kappaSamples: 4,
    });
    for (const a of report.perAu) {
      const k = cohensKappa(rate(0, a.au), rate(1, a.au));
      expect(a.kappa).toBe(Number.isNaN(k) ? null : k);
      const alpha = krippendorffAlpha([rate(0, a.au), rate(1, a.au)]);
      if (Number.isNaN(alpha)) expect(a.alpha).toBeNull();
      else expect(a.alpha).toBeCloseTo(alpha, 12);
    }
    // AU12: 6 positives of 10 coded ratings.
    expect(perAu.get(12)).toMatchObject({
      baseRate: 0.6,
      positives: 6,
      ratings: 10,
      name: 'Lip Corner Puller',
    });
    // AU14 only where bob alone coded: absent from every compared pair, so kappa and
    // alpha are undefined, and the report says why.
    expect(perAu.get(14)).toMatchObject({ kappa: null, alpha: null, score: null, baseRate: 0.1 });
    expect(perAu.get(14)?.note).toBe(
      'every compared rating is the same: chance-corrected agreement is undefined',
    );
  });

  it('measures decision kinds with Fleiss kappa over fully reviewed samples', () => {
    const counts = [
      [1, 1, 0, 0],
      [2, 0, 0, 0],
      [1, 0, 0, 1],
      [1, 1, 0, 0],
      [0, 2, 0, 0],
      [1, 0, 1, 0],
    ];
    expect(report.kinds).toMatchObject({ subjects: 6, raters: 2, note: null });
    expect(report.kinds.fleissKappa).toBeCloseTo(fleissKappa(counts), 12);
  });

  it('summarises each reviewer', () => {
    expect(report.reviewers).toEqual([
      expect.objectContaining({
        reviewer: 'alice',
        assigned: 6,
        done: 6,
        timeMs: 5000,
        timeSource: 'durations',
        pairsWithOthers: 6,
      }),
      expect.objectContaining({ reviewer: 'bob', done: 6, timeMs: 60_000, timeSource: 'span' }),
    ]);
    expect(report.reviewers[0]?.meanEfWithOthers).toBeCloseTo((0.75 + 1 + 1 + 1) / 4, 12);
    expect(report.reviewers[0]?.kindAgreementWithOthers).toBeCloseTo(2 / 6, 12);
    expect(report.overall).toMatchObject({
      samples: 6,
      reviewed: 6,
      compared: 6,
      unanimous: 2,
      adjudicated: 0,
    });
  });

  it('ranks conflicts worst first, with reasons', () => {
    const ranked = conflicts(report);
    expect(ranked.map((c) => [c.sample.sample, c.auAgreement])).toEqual([
      [2, 0], // discard vs accept: AUs gone vs coded, kinds and classes differ
      [3, 0], // not coded vs coded, kinds differ
      [0, 0.75],
      [5, 1], // only the kind differs
    ]);
    expect(ranked[0]?.reasons).toEqual([
      'decisions differ: discard (alice) vs accept (bob)',
      'AU agreement 0.00: not coded (alice) vs 12 (bob)',
      'classes differ: discarded (alice) vs 2 (bob)',
    ]);
    expect(ranked[2]?.reasons).toContain('AU agreement 0.75: 1+2+5+6+12 (alice) vs 5+6+12 (bob)');
  });

  it('adjudicates as plain Decisions by the lead, which then count as final', () => {
    const stamp = { lead: 'lena', id: 'adj-1', at: 50_000 };
    const fromBob = adjudicate(row(0), { from: 'bob' }, stamp);
    expect(DecisionSchema.parse(fromBob)).toEqual(fromBob);
    expect(fromBob).toEqual({
      version: 1,
      id: 'adj-1',
      datasetId: 'ds1',
      sample: 0,
      sampleName: '0001.jpg',
      kind: 'correct',
      reviewer: 'lena',
      at: 50_000,
      correction: au('5+6+12'),
      note: 'adjudicated: chose bob',
      reviewSetId: 'sess-1',
    });
    const edited = adjudicate(
      row(2),
      { edited: decision('whoever', 2, 'flag', { flagReason: 'bad-crop', note: 'crop is off' }) },
      { ...stamp, id: 'adj-2' },
    );
    expect(edited).toMatchObject({
      reviewer: 'lena',
      kind: 'flag',
      flagReason: 'bad-crop',
      note: 'crop is off',
      id: 'adj-2',
    });

    const after = agreementReport(session, [alice, bob], table, [fromBob, edited]);
    expect(after.samples[0]?.final).toMatchObject({ source: 'adjudication', aus: [5, 6, 12] });
    expect(after.overall.adjudicated).toBe(2);
    // alice against final: sample 0 EF 0.75, samples 1 and 4 EF 1 (unanimous), 2 not comparable (discarded).
    expect(after.reviewers[0]).toMatchObject({ finalCompared: 4 });
    expect(after.reviewers[0]?.meanEfWithFinal).toBeCloseTo((0.75 + 1 + 1) / 3, 12);
    expect(after.reviewers[0]?.kindAgreementWithFinal).toBeCloseTo(2 / 4, 12);
    expect(after.reviewers[1]?.kindAgreementWithFinal).toBeCloseTo(3 / 4, 12);
    expect(conflicts(after, { pendingOnly: true }).map((c) => c.sample.sample)).toEqual([3, 5]);
  });

  it.each<[string, () => unknown]>([
    [
      'a reviewer who did not review the sample',
      () => adjudicate(row(0), { from: 'carol' }, { lead: 'l', id: 'x', at: 0 }),
    ],
    [
      'an edited decision about another sample',
      () =>
        adjudicate(row(0), { edited: decision('l', 1, 'accept') }, { lead: 'l', id: 'x', at: 0 }),
    ],
  ])('adjudicate refuses %s', (_name, call) => {
    expect(call).toThrow(RangeError);
  });
});

describe('agreementReport: three reviewers, missing reviews', () => {
  const table = tableOf([
    { classId: 0, au: '1+2' },
    { classId: 0, au: '4' },
    { classId: 0, au: '12' },
    { classId: 0, au: '6+12' },
  ]);
  const session = sessionOf(['ann', 'ben', 'cy'], 4, 3);
  const bundles = [
    bundleOf('ann', [
      decision('ann', 0, 'accept'),
      decision('ann', 1, 'accept'),
      decision('ann', 2, 'accept'),
      decision('ann', 3, 'accept'),
    ]),
    bundleOf('ben', [
      decision('ben', 0, 'correct', { correction: au('1') }),
      decision('ben', 1, 'accept'),
      decision('ben', 2, 'discard'),
      decision('ben', 3, 'accept'),
    ]),
    bundleOf('cy', [
      decision('cy', 0, 'accept'),
      decision('cy', 1, 'flag', { flagReason: 'ambiguous' }),
      decision('cy', 2, 'accept'),
      // no decision on sample 3 yet
    ]),
  ];
  const report = agreementReport(session, bundles, table);

  it('lists who has not reviewed a sample yet', () => {
    expect(report.samples[3]?.missing).toEqual(['cy']);
    expect(report.reviewers.map((r) => r.done)).toEqual([4, 4, 3]);
  });

  it('uses Krippendorff alpha per AU when samples have more than two reviews', () => {
    const a1 = report.perAu.find((a) => a.au === 1);
    // AU1 rows (ann, ben, cy) over samples 0-3; discard and missing are null.
    const expected = krippendorffAlpha([
      [1, 0, 0, 0],
      [1, 0, null, 0],
      [1, 0, 0, null],
    ]);
    expect(a1).toMatchObject({ measure: 'krippendorff-alpha' });
    expect(a1?.score).toBeCloseTo(expected, 12);
    const a2 = report.perAu.find((a) => a.au === 2);
    expect(a2?.alpha).toBeCloseTo(
      krippendorffAlpha([
        [1, 0, 0, 0],
        [0, 0, null, 0],
        [1, 0, 0, null],
      ]),
      12,
    );
  });

  it('computes Fleiss kappa only over samples with all three reviews', () => {
    expect(report.kinds.subjects).toBe(3);
    expect(report.kinds.fleissKappa).toBeCloseTo(
      fleissKappa([
        [2, 1, 0, 0],
        [2, 0, 1, 0],
        [2, 0, 0, 1],
      ]),
      12,
    );
  });

  it('ignores decisions on samples outside the plan and bundles of other sessions', () => {
    const otherSession = bundleOf('ann', [decision('ann', 0, 'discard', { id: 'late', at: 9 })], {
      sessionId: 'other',
    });
    const unassigned = bundleOf('ann', [decision('ann', 9, 'accept')]);
    expect(agreementReport(session, [...bundles, otherSession, unassigned], table)).toEqual(report);
  });

  it('gives no kind kappa for an overlap of one', () => {
    const single = sessionOf(['ann', 'ben'], 4, 1);
    expect(agreementReport(single, bundles, table).kinds).toMatchObject({
      fleissKappa: null,
      note: 'needs an overlap of 2 or more',
    });
  });
});
