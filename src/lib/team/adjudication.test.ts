import { describe, expect, it } from 'vitest';
import { DecisionSchema } from '../review/decision';
import { adjudicate, conflicts } from './adjudication';
import { agreementReport, type SampleAgreement } from './agreement-report';
import { auCorrection as au, decision, twoReviewers } from './test-support';

describe('conflicts and adjudication: two reviewers', () => {
  const { table, session, alice, bob } = twoReviewers();
  const report = agreementReport(session, [alice, bob], table);
  const row = (s: number): SampleAgreement => report.samples[s] as SampleAgreement;

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
