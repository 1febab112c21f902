import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RAFCE_SCHEME } from '../labels/schemes';
import {
  AssignmentSchema,
  TeamSessionSchema,
  assignmentFileName,
  buildAssignmentFile,
  createSession,
  parseAssignment,
  planAssignments,
  planProblems,
  reviewerKeyOf,
  samplesOf,
  type AssignmentPlan,
  type PlanInput,
} from './assignment';
import { tableOf, testKeys } from './test-support';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const names = (n: number): string[] => range(n).map((i) => `r${i + 1}`);

function loads(plan: AssignmentPlan): number[] {
  return plan.assignments.map((a) => a.samples.length);
}

function reviewersOf(plan: AssignmentPlan): Map<number, string[]> {
  const map = new Map<number, string[]>();
  for (const a of plan.assignments) {
    for (const s of a.samples) map.set(s, [...(map.get(s) ?? []), a.reviewer]);
  }
  return map;
}

/** Every sample to `overlap` distinct reviewers; loads within one of each other. */
function expectBalanced(plan: AssignmentPlan, input: PlanInput): void {
  const bySample = reviewersOf(plan);
  expect([...bySample.keys()].sort((a, b) => a - b)).toEqual(
    [...input.samples].sort((a, b) => a - b),
  );
  for (const reviewers of bySample.values()) {
    expect(reviewers).toHaveLength(input.overlap);
    expect(new Set(reviewers).size).toBe(input.overlap);
  }
  const l = loads(plan);
  expect(Math.max(...l) - Math.min(...l)).toBeLessThanOrEqual(1);
  expect(l.reduce((s, x) => s + x, 0)).toBe(input.samples.length * input.overlap);
}

describe('planAssignments', () => {
  it.each<[string, number, number, number, number[]]>([
    // samples, reviewers, overlap -> sorted loads
    ['10 samples, 2 reviewers, overlap 2', 10, 2, 2, [10, 10]],
    ['10 samples, 3 reviewers, overlap 2', 10, 3, 2, [6, 7, 7]],
    ['10 samples, 4 reviewers, overlap 1', 10, 4, 1, [2, 2, 3, 3]],
    ['7 samples, 5 reviewers, overlap 3', 7, 5, 3, [4, 4, 4, 4, 5]],
    ['1 sample, 3 reviewers, overlap 3', 1, 3, 3, [1, 1, 1]],
    ['0 samples', 0, 2, 2, [0, 0]],
    ['1000 samples, 6 reviewers, overlap 2', 1000, 6, 2, [333, 333, 333, 333, 334, 334]],
  ])('%s', (_name, samples, reviewers, overlap, expectedLoads) => {
    const input = {
      sessionId: 's',
      samples: range(samples),
      reviewers: names(reviewers),
      overlap,
      seed: 7,
    };
    const plan = planAssignments(input);
    expectBalanced(plan, input);
    expect(loads(plan).sort((a, b) => a - b)).toEqual(expectedLoads);
  });

  it('is balanced for any input (property)', () => {
    const input = fc
      .record({
        count: fc.integer({ min: 0, max: 60 }),
        reviewers: fc.integer({ min: 1, max: 7 }),
        overlapShare: fc.double({ min: 0, max: 1, noNaN: true }),
        seed: fc.oneof(fc.integer(), fc.string()),
      })
      .map(({ count, reviewers, overlapShare, seed }): PlanInput => ({
        sessionId: 's',
        samples: range(count).map((i) => i * 3),
        reviewers: names(reviewers),
        overlap: 1 + Math.floor(overlapShare * (reviewers - 1)),
        seed,
      }));
    fc.assert(
      fc.property(input, (i) => {
        expectBalanced(planAssignments(i), i);
      }),
    );
  });

  it('gives the same plan for the same seed, and another for another seed', () => {
    const input = {
      sessionId: 's',
      samples: range(50),
      reviewers: names(4),
      overlap: 2,
      seed: 'abc',
    };
    expect(planAssignments(input)).toEqual(planAssignments({ ...input }));
    expect(planAssignments({ ...input, seed: 'abd' })).not.toEqual(planAssignments(input));
    // Listing order does not matter: only the sets of samples and reviewers do.
    const reordered = planAssignments({
      ...input,
      samples: [...input.samples].reverse(),
      reviewers: [...input.reviewers].reverse(),
    });
    const plan = planAssignments(input);
    for (const reviewer of input.reviewers) {
      expect(samplesOf(reordered, reviewer)).toEqual(samplesOf(plan, reviewer));
    }
  });

  it('rotates pairs so every pair of reviewers shares samples', () => {
    const input = { sessionId: 's', samples: range(60), reviewers: names(4), overlap: 2, seed: 1 };
    const shared = new Map<string, number>();
    for (const reviewers of reviewersOf(planAssignments(input)).values()) {
      const key = [...reviewers].sort().join('|');
      shared.set(key, (shared.get(key) ?? 0) + 1);
    }
    expect(shared.size).toBe(6); // all C(4,2) pairs
    for (const count of shared.values()) expect(count).toBeGreaterThanOrEqual(8);
  });

  it('lists samples ascending per reviewer, reviewers in the given order', () => {
    const plan = planAssignments({
      sessionId: 's',
      samples: [9, 3, 5, 1],
      reviewers: ['bob', 'alice'],
      overlap: 1,
      seed: 0,
    });
    expect(plan.assignments.map((a) => a.reviewer)).toEqual(['bob', 'alice']);
    for (const a of plan.assignments)
      expect(a.samples).toEqual([...a.samples].sort((x, y) => x - y));
    expect(samplesOf(plan, 'nobody')).toEqual([]);
  });

  it.each<[string, Partial<PlanInput>, string]>([
    ['no reviewers', { reviewers: [] }, 'add at least one reviewer'],
    ['duplicate reviewer', { reviewers: ['a', 'a'] }, 'reviewer "a" is listed twice'],
    ['blank reviewer', { reviewers: ['a', ' '] }, 'a reviewer name is empty'],
    ['padded reviewer', { reviewers: ['a', ' b'] }, 'reviewer " b" has spaces around the name'],
    [
      'overlap 0',
      { overlap: 0 },
      'overlap must be a whole number of reviewers per sample, at least 1',
    ],
    [
      'overlap 1.5',
      { overlap: 1.5 },
      'overlap must be a whole number of reviewers per sample, at least 1',
    ],
    [
      'overlap above reviewers',
      { overlap: 3 },
      'overlap 3 needs at least 3 reviewers, there are 2',
    ],
    ['duplicate sample', { samples: [1, 1] }, 'sample 1 is listed twice'],
    ['negative sample', { samples: [-1] }, 'sample index -1 is not a valid index'],
    ['no session id', { sessionId: '' }, 'the session needs an id'],
  ])('refuses %s', (_name, change, message) => {
    const input: PlanInput = {
      sessionId: 's',
      samples: [0, 1],
      reviewers: ['a', 'b'],
      overlap: 2,
      seed: 1,
      ...change,
    };
    expect(planProblems(input)).toContain(message);
    expect(() => planAssignments(input)).toThrow(RangeError);
  });

  it('plans a seed typed as text as the same number', () => {
    const input = { sessionId: 's', samples: range(50), reviewers: names(4), overlap: 2 };
    const typed = planAssignments({ ...input, seed: '42' });
    const given = planAssignments({ ...input, seed: 42 });
    for (const reviewer of input.reviewers) {
      expect(samplesOf(typed, reviewer)).toEqual(samplesOf(given, reviewer));
    }
  });
});

describe('buildAssignmentFile', () => {
  const table = tableOf([
    { classId: 0, au: '1+2+5B+26', split: 0 },
    { classId: 3, au: 'null', split: 1 },
    { classId: 7 },
    { classId: 12, au: 'L12+25', split: 0 },
  ]);
  const plan = planAssignments({
    sessionId: 'sess-1',
    samples: [0, 1, 2, 3],
    reviewers: ['alice', 'bob'],
    overlap: 1,
    seed: 3,
  });
  const meta = {
    datasetId: 'ds1',
    datasetName: 'RAF-CE',
    lead: 'lena',
    createdAt: 1_700_000_000_000,
    scheme: RAFCE_SCHEME,
  };
  const keys = testKeys(['alice', 'bob']);
  const metaOf = (reviewer: string) => ({ ...meta, key: keys[reviewer] ?? '' });

  it('carries the reviewer samples with their original labels, and valid by its schema', () => {
    const images = new Map([[0, 'data:image/jpeg;base64,AAAA']]);
    const files = ['alice', 'bob'].map((r) =>
      buildAssignmentFile(plan, r, table, metaOf(r), images),
    );
    const all = files.flatMap((f) => f.samples).sort((a, b) => a.index - b.index);
    expect(all).toEqual([
      {
        index: 0,
        name: '0001.jpg',
        classId: 0,
        auRaw: '1+2+5B+26',
        auStatus: 'coded',
        split: 0,
        image: 'data:image/jpeg;base64,AAAA',
      },
      { index: 1, name: '0002.jpg', classId: 3, auRaw: 'null', auStatus: 'null', split: 1 },
      { index: 2, name: '0003.jpg', classId: 7, auRaw: '', auStatus: 'absent', split: 0 },
      { index: 3, name: '0004.jpg', classId: 12, auRaw: 'L12+25', auStatus: 'coded', split: 0 },
    ]);
    for (const file of files) {
      expect(AssignmentSchema.parse(file)).toEqual(file);
      expect(file).toMatchObject({
        format: 'au-review-assignment',
        version: 2,
        key: keys[file.reviewer],
        sessionId: 'sess-1',
        datasetId: 'ds1',
        lead: 'lena',
        schemeId: 'raf-ce',
      });
      expect(file.classes).toHaveLength(14);
      // Blind: nothing in the file names another reviewer.
      const other = file.reviewer === 'alice' ? 'bob' : 'alice';
      expect(JSON.stringify(file)).not.toContain(other);
      expect(JSON.stringify(file)).not.toContain(keys[other]);
    }
  });

  it('round-trips through parseAssignment', () => {
    const file = buildAssignmentFile(plan, 'alice', table, metaOf('alice'));
    const parsed = parseAssignment(JSON.stringify(file), 'a.json');
    expect(parsed).toEqual({ ok: true, assignment: file });
    expect(assignmentFileName(file)).toBe('assignment-alice-sess-1.json');
  });

  it('refuses a reviewer outside the plan and a sample outside the table', () => {
    expect(() => buildAssignmentFile(plan, 'carol', table, metaOf('alice'))).toThrow(
      /not in session/,
    );
    const big = planAssignments({
      sessionId: 's',
      samples: [9],
      reviewers: ['a'],
      overlap: 1,
      seed: 0,
    });
    expect(() => buildAssignmentFile(big, 'a', table, metaOf('alice'))).toThrow(
      /outside the table/,
    );
  });

  it.each<[string, string, string | RegExp]>([
    [
      'a bundle instead',
      JSON.stringify({ format: 'au-review-bundle', version: 1 }),
      'a.json is a review bundle (au-review-bundle), not an assignment file (au-review-assignment)',
    ],
    [
      'a newer version',
      JSON.stringify({ format: 'au-review-assignment', version: 3 }),
      'a.json is an assignment file version 3; this app reads version 2: update AU Review',
    ],
    [
      'an unsigned version 1 file',
      JSON.stringify({ format: 'au-review-assignment', version: 1 }),
      'a.json is an assignment file version 1; this app reads version 2: it was written before review bundles were signed',
    ],
    [
      'cut off',
      '{"format": "au-review-assignment", ',
      /^a\.json is not valid JSON at line 1, column 36: /,
    ],
  ])('parseAssignment explains %s', (_name, text, message) => {
    const result = parseAssignment(text, 'a.json');
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});

describe('createSession', () => {
  it('is the plan plus its dataset, lead and date, valid by its schema', () => {
    const plan = planAssignments({
      sessionId: 's1',
      samples: [0, 1],
      reviewers: ['a', 'b'],
      overlap: 2,
      seed: 9,
    });
    const session = createSession(plan, {
      datasetId: 'ds1',
      datasetName: 'D',
      lead: 'lena',
      createdAt: 5,
      reviewerKeys: testKeys(['a', 'b']),
    });
    expect(TeamSessionSchema.parse(session)).toEqual(session);
    expect(session).toMatchObject({ format: 'au-review-session', version: 2, ...plan });
    expect(reviewerKeyOf(session, 'b')).toBe(testKeys(['b']).b);
    expect(reviewerKeyOf(session, 'toString')).toBeUndefined();
  });

  it('needs a key for every reviewer', () => {
    const plan = planAssignments({
      sessionId: 's1',
      samples: [0],
      reviewers: ['a', 'b'],
      overlap: 1,
      seed: 9,
    });
    const meta = { datasetId: 'ds1', datasetName: 'D', lead: 'l', createdAt: 5 };
    expect(() => createSession(plan, { ...meta, reviewerKeys: testKeys(['a']) })).toThrow(
      /no signing key for b/,
    );
  });
});

describe('the hostile assignment files in tests/fixtures/team', () => {
  const read = (file: string) =>
    parseAssignment(
      readFileSync(new URL(`../../../tests/fixtures/team/${file}`, import.meta.url), 'utf8'),
      file,
    );

  it('opens the genuine one', () => {
    const result = read('assignment-genuine.json');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.assignment.samples).toHaveLength(6);
  });

  it.each<[string, string]>([
    [
      'assignment-repeated-class-id.json',
      'assignment-repeated-class-id.json: class 8 (id 3): class id 3 is listed twice (classes 4 and 8)',
    ],
    [
      'assignment-repeated-sample.json',
      'assignment-repeated-sample.json: sample 3 (index 3, "0004.jpg"): sample index 3 is listed twice (samples 2 and 3)',
    ],
    [
      'assignment-au-line-break.json',
      'assignment-au-line-break.json: sample 2 (index 3, "0004.jpg"): its AU text contains a line break',
    ],
    [
      'assignment-class-outside.json',
      'assignment-class-outside.json: sample 4 (index 9, "0010.jpg"): class id 40000 is not one of the file\'s classes',
    ],
    [
      'assignment-class-negative.json',
      'assignment-class-negative.json: sample 4 (index 9, "0010.jpg"): class id -7 is not one of the file\'s classes',
    ],
    [
      'assignment-class-fraction.json',
      'assignment-class-fraction.json: samples[3].classId: Invalid input: expected int, received number',
    ],
    [
      'assignment-class-id-too-big.json',
      'assignment-class-id-too-big.json: class 7 (id 40000): a class id is a whole number from 0 to 32767',
    ],
    [
      'assignment-control-char-name.json',
      'assignment-control-char-name.json: reviewer contains a control character (U+0007)',
    ],
    [
      'assignment-huge-name.json',
      'assignment-huge-name.json: datasetName is 5,000 characters long; at most 200 are allowed',
    ],
    [
      'assignment-image-not-image.json',
      'assignment-image-not-image.json: sample 1 (index 0, "0001.jpg"): its image is not an image as a base64 data URL',
    ],
    [
      'assignment-no-key.json',
      'assignment-no-key.json: key: Invalid input: expected string, received undefined',
    ],
    [
      'assignment-bad-key.json',
      'assignment-bad-key.json: key: a signing key is 43 base64url characters',
    ],
    [
      'assignment-v1-unsigned.json',
      'assignment-v1-unsigned.json is an assignment file version 1; this app reads version 2: it was written before review bundles were signed',
    ],
  ])('refuses %s', (file, message) => {
    const result = read(file);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.some((p) => p.startsWith(message))).toBe(true);
    expect(problems.every((p) => p.startsWith(file))).toBe(true);
  });
});
