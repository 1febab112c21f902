import { describe, expect, it } from 'vitest';
import { cohensKappa, fleissKappa, krippendorffAlpha, type BinaryRating } from './agreement';
import { agreementReport, type SampleAgreement } from './agreement-report';
import {
  auCorrection as au,
  bundleOf,
  decision,
  sessionOf,
  tableOf,
  twoReviewers,
} from './test-support';

describe('agreementReport: two reviewers', () => {
  const { table, session, alice, bob } = twoReviewers();
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

  it('reads L12 and 12 as the same AUs: two such corrections are unanimous', () => {
    const sameAus = agreementReport(
      session,
      [
        bundleOf('alice', [decision('alice', 0, 'correct', { correction: au('L12+AD19') })]),
        bundleOf('bob', [decision('bob', 0, 'correct', { correction: au('12B') })]),
      ],
      table,
    );
    expect(sameAus.samples[0]).toMatchObject({ unanimous: true, meanEf: 1 });
    expect(sameAus.samples[0]?.final).toMatchObject({ source: 'unanimous', aus: [12] });
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

describe('agreementReport: a large session with few decisions', () => {
  it('counts every assigned sample, and lists only those decided or ruled on', () => {
    const table = tableOf(Array.from({ length: 40 }, () => ({ classId: 1, au: '6+12' })));
    const session = sessionOf(['ana', 'bo'], 40, 2);
    const ruling = decision('lena', 9, 'accept', { id: 'ruling' });
    const report = agreementReport(
      session,
      [
        bundleOf('ana', [decision('ana', 3, 'accept')]),
        bundleOf('bo', [decision('bo', 7, 'flag')]),
      ],
      table,
      [{ ...ruling, datasetId: 'ds1' }],
    );
    expect(report.overall.samples).toBe(40);
    expect(report.samples.map((s) => s.sample)).toEqual([3, 7, 9]);
    expect(report.overall.reviewed).toBe(2);
    expect(report.overall.adjudicated).toBe(1);
    expect(report.samples[0]?.missing).toEqual(['bo']);
  });
});
