import { auMaskWords, parseAuString } from '../labels/au';
import { AuStatus, type SampleTable } from '../labels/types';
import type { Decision } from '../review/decision';
import { textColumnOf } from '../labels/text-column';
import { createSession, planAssignments, type TeamSession } from './assignment';
import type { ReviewBundle } from './bundle';
import { toBase64Url } from './signature';

/** Test support only: a SampleTable from readable rows (AU text as in a label file; undefined = absent). */
export function tableOf(
  rows: readonly { classId: number; au?: string; split?: number }[],
): SampleTable {
  const auMask = new Uint32Array(rows.length * 2);
  rows.forEach((row, i) => {
    if (row.au === undefined) return;
    const parsed = parseAuString(row.au);
    const [lo, hi] = auMaskWords(parsed.tokens);
    auMask[2 * i] = lo;
    auMask[2 * i + 1] = hi;
  });
  return {
    count: rows.length,
    names: textColumnOf(rows.map((_, i) => `${String(i + 1).padStart(4, '0')}.jpg`)),
    classIds: Int16Array.from(rows.map((r) => r.classId)),
    splits: Int8Array.from(rows.map((r) => r.split ?? 0)),
    auStatus: Uint8Array.from(
      rows.map((r) =>
        r.au === undefined
          ? AuStatus.absent
          : parseAuString(r.au).status === 'null'
            ? AuStatus.null
            : AuStatus.coded,
      ),
    ),
    auRaw: rows.map((r) => r.au ?? ''),
    auMask,
    flags: new Uint8Array(rows.length),
  };
}

/** Test support only: a decision with defaults. */
export function decision(
  reviewer: string,
  sample: number,
  kind: Decision['kind'],
  extra: Partial<Decision> = {},
): Decision {
  return {
    version: 1,
    id: `${reviewer}-${sample}-${kind}`,
    datasetId: 'ds1',
    sample,
    sampleName: `${String(sample + 1).padStart(4, '0')}.jpg`,
    kind,
    reviewer,
    at: 1000 + sample,
    ...extra,
  };
}

/** Test support only: a fixed, valid signing key per reviewer (32 bytes from the name). */
export function testKeys(reviewers: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    reviewers.map((r) => [
      r,
      toBase64Url(Uint8Array.from({ length: 32 }, (_, i) => r.charCodeAt(i % r.length) ^ i)),
    ]),
  );
}

/** Test support only: a session of dataset ds1 over samples 0..samples-1, planned with seed 1. */
export function sessionOf(reviewers: string[], samples: number, overlap: number): TeamSession {
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

/** Test support only: a bundle of session sess-1 on dataset ds1. */
export function bundleOf(
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

/** Test support only: a correction of the AU text. */
export const auCorrection = (raw: string): Decision['correction'] => ({
  au: { status: 'coded', raw },
});

/**
 * Test support only: two reviewers who both reviewed six samples, agreeing on some
 * and not on others (the comments say how), for the agreement report and the rulings.
 */
export function twoReviewers() {
  const au = auCorrection;
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
  return { table, session, alice, bob };
}
