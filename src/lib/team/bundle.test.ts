import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ReviewBundleSchema,
  buildBundle,
  bundleFileName,
  parseBundle,
  type BundleExpectation,
  type ReviewBundle,
} from './bundle';
import { decision } from './test-support';

const bundle: ReviewBundle = {
  format: 'au-review-bundle',
  version: 1,
  sessionId: 'sess-1',
  datasetId: 'ds1',
  datasetName: 'RAF-CE copy',
  reviewer: 'alice',
  startedAt: 1000,
  finishedAt: 61_000,
  decisions: [
    decision('alice', 0, 'accept'),
    decision('alice', 2, 'flag', { flagReason: 'occluded' }),
  ],
  durationsMs: [
    { sample: 0, ms: 4000 },
    { sample: 2, ms: 9000 },
  ],
};
const expected: BundleExpectation = {
  sessionId: 'sess-1',
  datasetId: 'ds1',
  datasetName: 'RAF-CE',
};
const session = {
  reviewers: ['alice', 'bob'],
  assignments: [
    { reviewer: 'alice', samples: [0, 1, 2] },
    { reviewer: 'bob', samples: [0, 1, 3] },
  ],
};
const text = (value: unknown): string => JSON.stringify(value, null, 2);
const edit = (change: Record<string, unknown>): string => text({ ...bundle, ...change });

describe('parseBundle', () => {
  it('accepts a valid bundle', () => {
    expect(parseBundle(text(bundle), 'bundle.json', expected)).toEqual({
      ok: true,
      bundle,
      warnings: [],
    });
  });

  it('ignores a byte-order mark', () => {
    expect(parseBundle('\uFEFF' + text(bundle), 'bundle.json', expected).ok).toBe(true);
  });

  it.each<[string, string, BundleExpectation, string[]]>([
    ['an empty file', '  \n', expected, ['bundle.json is empty']],
    [
      'another dataset',
      edit({ datasetId: 'ds9' }),
      expected,
      ['bundle.json is from dataset "RAF-CE copy" (ds9), this session is for "RAF-CE" (ds1)'],
    ],
    [
      'another dataset, without names',
      edit({ datasetId: 'ds9', datasetName: undefined }),
      { sessionId: 'sess-1', datasetId: 'ds1' },
      ['bundle.json is from dataset ds9, this session is for ds1'],
    ],
    [
      'another session',
      edit({ sessionId: 'sess-0' }),
      expected,
      ['bundle.json belongs to review session sess-0, this session is sess-1'],
    ],
    [
      'an assignment file instead',
      text({ format: 'au-review-assignment', version: 1 }),
      expected,
      [
        'bundle.json is an assignment file (au-review-assignment), not a review bundle (au-review-bundle)',
      ],
    ],
    [
      'an unknown format',
      text({ format: 'something-else' }),
      expected,
      ['bundle.json has format "something-else", not a review bundle (au-review-bundle)'],
    ],
    [
      'no format',
      text({ decisions: [] }),
      expected,
      ['bundle.json is not a review bundle (au-review-bundle): it has no "format" field'],
    ],
    [
      'not an object',
      '[1, 2]',
      expected,
      ['bundle.json is not a review bundle (au-review-bundle): it is not a JSON object'],
    ],
    [
      'a newer version',
      edit({ version: 2 }),
      expected,
      ['bundle.json is a review bundle version 2; this app reads version 1: update AU Review'],
    ],
    [
      'an unknown version',
      edit({ version: '1' }),
      expected,
      ['bundle.json is a review bundle version "1"; this app reads version 1'],
    ],
    ['no version', edit({ version: undefined }), expected, ['bundle.json has no "version" field']],
    [
      'a decision of another kind',
      edit({ decisions: [{ ...decision('alice', 0, 'accept'), kind: 'approve' }] }),
      expected,
      [
        'bundle.json: decisions[0].kind: Invalid option: expected one of "accept"|"correct"|"flag"|"discard"',
      ],
    ],
    [
      'a missing field',
      edit({ reviewer: undefined }),
      expected,
      ['bundle.json: reviewer: Invalid input: expected string, received undefined'],
    ],
    [
      "someone else's decision",
      edit({ decisions: [decision('bob', 3, 'accept')] }),
      expected,
      ['bundle.json: decision 1 (sample 3, 0004.jpg) is by "bob", the bundle is from "alice"'],
    ],
    [
      'a decision on another dataset',
      edit({ decisions: [decision('alice', 0, 'accept', { datasetId: 'ds2' })] }),
      expected,
      ['bundle.json: decision 1 (sample 0, 0001.jpg) is for dataset ds2, the bundle is for ds1'],
    ],
    [
      'a reviewer not in the session',
      edit({ reviewer: 'carol', decisions: [] }),
      { ...expected, session },
      ['bundle.json is from reviewer "carol", who is not in this session (alice, bob)'],
    ],
    [
      'malformed JSON, with its place',
      '{\n  "format": "au-review-bundle",\n  "version" 1\n}',
      expected,
      ["bundle.json is not valid JSON at line 3, column 13: expected ':' after a property name"],
    ],
    [
      'a cut-off file',
      text(bundle).slice(0, 40),
      expected,
      [
        'bundle.json is not valid JSON at line 3, column 7: the file ends too early (was it cut off?)',
      ],
    ],
  ])('explains %s', (_name, input, expectation, problems) => {
    expect(parseBundle(input, 'bundle.json', expectation)).toEqual({ ok: false, problems });
  });

  it('caps a long list of schema problems', () => {
    const bad = edit({ decisions: Array.from({ length: 15 }, () => ({ kind: 'x' })) });
    const result = parseBundle(bad, 'bundle.json', expected);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(11);
      expect(result.problems.at(-1)).toMatch(/^bundle\.json: \.\.\. and \d+ more problems$/);
    }
  });

  it.each<[string, string, string[]]>([
    [
      'decisions on unassigned samples',
      edit({ decisions: [decision('alice', 0, 'accept'), decision('alice', 7, 'accept')] }),
      [
        'bundle.json: 1 sample(s) with decisions were not assigned to "alice" (e.g. 7); kept, but left out of the agreement report',
      ],
    ],
    ['no decisions', edit({ decisions: [] }), ['bundle.json holds no decisions yet']],
    [
      'times the wrong way round',
      edit({ startedAt: 5, finishedAt: 1 }),
      ['bundle.json: finishedAt is before startedAt; its time span is ignored'],
    ],
  ])('warns about %s', (_name, input, warnings) => {
    const result = parseBundle(input, 'bundle.json', { ...expected, session });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.warnings).toEqual(warnings);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(parseBundle(s, 'b.json', expected).ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(() => parseBundle(JSON.stringify(v), 'b.json', expected)).not.toThrow();
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (v, cut) => {
        const whole = text({ ...bundle, extra: v });
        const result = parseBundle(whole.slice(0, cut % whole.length), 'b.json', expected);
        expect(result.ok).toBe(false);
      }),
    );
  });
});

describe('buildBundle', () => {
  const assignment = {
    sessionId: 'sess-1',
    datasetId: 'ds1',
    datasetName: 'RAF-CE',
    reviewer: 'alice',
    samples: [0, 2].map((index) => ({
      index,
      name: '',
      classId: 0,
      auRaw: '',
      auStatus: 'absent' as const,
      split: 0,
    })),
  };

  it('keeps only the reviewer decisions on assigned samples of the dataset, history included', () => {
    const keep = [
      decision('alice', 0, 'accept'),
      decision('alice', 0, 'correct', { id: 'later', at: 5000, correction: { classId: 3 } }),
      decision('alice', 2, 'discard'),
    ];
    const drop = [
      decision('bob', 0, 'accept'),
      decision('alice', 1, 'accept'),
      decision('alice', 2, 'accept', { id: 'other-ds', datasetId: 'ds2' }),
    ];
    const built = buildBundle({
      assignment,
      decisions: [...keep, ...drop],
      startedAt: 1,
      finishedAt: 2,
      durationsMs: new Map([
        [2, 300],
        [0, 100],
        [1, 50],
      ]),
    });
    expect(ReviewBundleSchema.parse(built)).toEqual(built);
    expect(built.decisions).toEqual(keep);
    expect(built.durationsMs).toEqual([
      { sample: 0, ms: 100 },
      { sample: 2, ms: 300 },
    ]);
    expect(
      parseBundle(JSON.stringify(built), 'b.json', { sessionId: 'sess-1', datasetId: 'ds1' }).ok,
    ).toBe(true);
    expect(bundleFileName(built)).toBe('review-alice-sess-1.json');
  });
});
