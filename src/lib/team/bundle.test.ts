import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BUNDLE_VERSION,
  ReviewBundleSchema,
  assignmentDecisionContext,
  buildBundle,
  bundleFileName,
  parseBundle,
  signBundle,
  type BundleExpectation,
  type ReviewBundle,
} from './bundle';
import { decision, testKeys } from './test-support';
import { decisionProblems } from './checks';

const keys = testKeys(['alice', 'bob']);
const bundle: ReviewBundle = {
  format: 'au-review-bundle',
  version: 2,
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
const session = {
  reviewers: ['alice', 'bob'],
  assignments: [
    { reviewer: 'alice', samples: [0, 1, 2] },
    { reviewer: 'bob', samples: [0, 1, 3] },
  ],
  reviewerKeys: keys,
};
const expected: BundleExpectation = {
  sessionId: 'sess-1',
  datasetId: 'ds1',
  datasetName: 'RAF-CE',
  session,
  classIds: [0, 1, 2, 3, 4, 5, 6],
  // Sample 1 has no class and an odd AU token in the lead's table.
  original: (sample) => (sample === 1 ? { classId: -1, auRaw: '4+x9' } : { classId: 2, auRaw: '' }),
};
const text = (value: unknown): string => JSON.stringify(value, null, 2);
/** The bundle file as alice's app writes it (or as anyone holding `key` could). */
async function signed(content: ReviewBundle, key = keys.alice ?? ''): Promise<string> {
  return text(await signBundle(content, key));
}
const withDecisions = (...decisions: ReviewBundle['decisions']): ReviewBundle => ({
  ...bundle,
  decisions,
});

describe('parseBundle: a genuine bundle', () => {
  it('is accepted, signature and all', async () => {
    expect(await parseBundle(await signed(bundle), 'bundle.json', expected)).toEqual({
      ok: true,
      bundle,
      warnings: [],
    });
  });

  it('ignores a byte-order mark', async () => {
    const file = '\uFEFF' + (await signed(bundle));
    expect((await parseBundle(file, 'bundle.json', expected)).ok).toBe(true);
  });

  it('may keep what the lead itself holds: class -1 and an odd token of the original', async () => {
    const kept = withDecisions(
      decision('alice', 1, 'correct', {
        correction: { classId: -1, au: { status: 'coded', raw: '4+x9+12' } },
      }),
    );
    expect((await parseBundle(await signed(kept), 'bundle.json', expected)).ok).toBe(true);
  });
});

describe('parseBundle: files that are not this session`s bundle', () => {
  it.each<[string, string, BundleExpectation, string[]]>([
    ['an empty file', '  \n', expected, ['bundle.json is empty']],
    [
      'another dataset',
      text({ ...bundle, datasetId: 'ds9' }),
      expected,
      ['bundle.json is from dataset "RAF-CE copy" (ds9), this session is for "RAF-CE" (ds1)'],
    ],
    [
      'another dataset, without names',
      text({ ...bundle, datasetId: 'ds9', datasetName: undefined }),
      { ...expected, datasetName: undefined },
      ['bundle.json is from dataset ds9, this session is for ds1'],
    ],
    [
      'another session',
      text({ ...bundle, sessionId: 'sess-0' }),
      expected,
      ['bundle.json belongs to review session sess-0, this session is sess-1'],
    ],
    [
      'an assignment file instead',
      text({ format: 'au-review-assignment', version: 2 }),
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
      text({ ...bundle, version: 3 }),
      expected,
      ['bundle.json is a review bundle version 3; this app reads version 2: update AU Review'],
    ],
    [
      'an unsigned version 1 bundle',
      text({ ...bundle, version: 1 }),
      expected,
      [
        "bundle.json is a review bundle version 1; this app reads version 2: it is not signed, so it cannot be authenticated as the reviewer's; the reviewer needs an assignment file from a new session (version 2) and must export the bundle again",
      ],
    ],
    [
      'an unknown version',
      text({ ...bundle, version: '2' }),
      expected,
      ['bundle.json is a review bundle version "2"; this app reads version 2'],
    ],
    [
      'no version',
      text({ ...bundle, version: undefined }),
      expected,
      ['bundle.json has no "version" field'],
    ],
    [
      'no signature',
      text(bundle),
      expected,
      ['bundle.json: signature: Invalid input: expected object, received undefined'],
    ],
    [
      'a reviewer not in the session',
      text({
        ...bundle,
        reviewer: 'carol',
        signature: { algorithm: 'HMAC-SHA-256', mac: 'A'.repeat(43) },
      }),
      expected,
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
  ])('explains %s', async (_name, input, expectation, problems) => {
    expect(await parseBundle(input, 'bundle.json', expectation)).toEqual({ ok: false, problems });
  });

  it('explains schema problems of a signed file', async () => {
    const wrongKind = await signed(
      withDecisions({ ...decision('alice', 0, 'accept'), kind: 'approve' } as never),
    ).catch(() => null);
    // signBundle refuses to sign what is not a bundle: the file is made by hand.
    expect(wrongKind).toBeNull();
    const file = text({
      ...bundle,
      decisions: [{ ...decision('alice', 0, 'accept'), kind: 'approve' }],
      signature: { algorithm: 'HMAC-SHA-256', mac: 'A'.repeat(43) },
    });
    expect(await parseBundle(file, 'bundle.json', expected)).toEqual({
      ok: false,
      problems: [
        'bundle.json: decisions[0].kind: Invalid option: expected one of "accept"|"correct"|"flag"|"discard"',
      ],
    });
  });

  it('caps a long list of schema problems', async () => {
    const bad = text({ ...bundle, decisions: Array.from({ length: 15 }, () => ({ kind: 'x' })) });
    const result = await parseBundle(bad, 'bundle.json', expected);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(11);
      expect(result.problems.at(-1)).toMatch(/^bundle\.json: \.\.\. and \d+ more problems$/);
    }
  });
});

describe('parseBundle: every field is checked as strictly as an import', () => {
  const correct = (sample: number, correction: object) =>
    decision('alice', sample, 'correct', { correction } as never);
  it.each<[string, ReviewBundle, string]>([
    [
      'AU text with a line break (a line injected into the label file)',
      withDecisions(correct(2, { au: { status: 'coded', raw: '4+15\nINJECTED_LINE.jpg 99' } })),
      'bundle.json: decision 1 (sample 2, "0003.jpg") sets AU text "4+15\\nINJECTED_LINE.jpg 99" contains a line break',
    ],
    [
      'AU text with a carriage return',
      withDecisions(correct(2, { au: { status: 'coded', raw: '4\r=cmd|calc' } })),
      'bundle.json: decision 1 (sample 2, "0003.jpg") sets AU text "4\\r=cmd|calc" contains a carriage return',
    ],
    [
      'AU text outside the grammar',
      withDecisions(correct(2, { au: { status: 'coded', raw: '4+=cmd|calc' } })),
      'bundle.json: decision 1 (sample 2, "0003.jpg") sets AU text "4+=cmd|calc": token "=cmd|calc" is outside the AU grammar [L|R|B|T]<number>[A-E] or AD<number>',
    ],
    [
      'AU text with an empty token',
      withDecisions(correct(2, { au: { status: 'coded', raw: '4++15' } })),
      'bundle.json: decision 1 (sample 2, "0003.jpg") sets AU text "4++15" has an empty token (nothing between two \'+\')',
    ],
    [
      'AU text "null" as a coded label',
      withDecisions(correct(2, { au: { status: 'coded', raw: 'null' } })),
      'bundle.json: decision 1 (sample 2, "0003.jpg") sets AU text "null" must be written as "not coded", not as AU text',
    ],
    [
      'a class id that wraps in the Int16 column',
      withDecisions(decision('alice', 0, 'accept'), correct(2, { classId: 40000 })),
      'bundle.json: decision 2 (sample 2, "0003.jpg") sets class id 40000, which is not in the dataset\'s scheme (0, 1, 2, 3, 4, 5, 6)',
    ],
    [
      'a negative class id',
      withDecisions(correct(2, { classId: -7 })),
      'bundle.json: decision 1 (sample 2, "0003.jpg") sets class id -7, which is not in the dataset\'s scheme (0, 1, 2, 3, 4, 5, 6)',
    ],
    [
      'class -1 on a sample that has a class',
      withDecisions(correct(2, { classId: -1 })),
      'bundle.json: decision 1 (sample 2, "0003.jpg") sets class id -1, which is not in the dataset\'s scheme (0, 1, 2, 3, 4, 5, 6)',
    ],
    [
      'a 30 MB note',
      withDecisions(decision('alice', 0, 'accept', { note: 'x'.repeat(30_000_000) })),
      'bundle.json: decision 1 (sample 0, "0001.jpg") note is 30,000,000 characters long; at most 4,000 are allowed',
    ],
    [
      'a control character in a note',
      withDecisions(decision('alice', 0, 'accept', { note: 'fine\u0000' })),
      'bundle.json: decision 1 (sample 0, "0001.jpg") note contains a control character (U+0000)',
    ],
    [
      'a line break in a sample name',
      withDecisions(decision('alice', 0, 'accept', { sampleName: 'a.jpg\nb.jpg 1' })),
      'bundle.json: decision 1 (sample 0, "a.jpg\\nb.jpg 1") sample name contains a line break',
    ],
    [
      'a decision for sample 999999',
      withDecisions(decision('alice', 0, 'accept'), decision('alice', 999_999, 'accept')),
      'bundle.json: decision 2 (sample 999999, "1000000.jpg") is for sample 999999, which is not in alice\'s assignment',
    ],
    [
      "a decision on another reviewer's sample",
      withDecisions(decision('alice', 3, 'accept')),
      'bundle.json: decision 1 (sample 3, "0004.jpg") is for sample 3, which is not in alice\'s assignment',
    ],
    [
      "someone else's decision",
      withDecisions(decision('bob', 0, 'accept')),
      'bundle.json: decision 1 (sample 0, "0001.jpg") is by "bob", not alice',
    ],
    [
      'a decision on another dataset',
      withDecisions(decision('alice', 0, 'accept', { datasetId: 'ds2' })),
      'bundle.json: decision 1 (sample 0, "0001.jpg") is for dataset "ds2", not ds1',
    ],
    [
      'a correction without a change',
      withDecisions(decision('alice', 0, 'correct')),
      'bundle.json: decision 1 (sample 0, "0001.jpg") is a correction that changes nothing',
    ],
    [
      'more decisions than a review makes',
      withDecisions(
        ...Array.from({ length: 151 }, (_, i) => decision('alice', 0, 'accept', { id: `d${i}` })),
      ),
      'bundle.json holds 151 decisions; at most 150 are allowed for 3 assigned samples',
    ],
    [
      'a time on a sample outside the assignment',
      { ...bundle, durationsMs: [{ sample: 3, ms: 10 }] },
      "bundle.json: durationsMs[0] (sample 3) is not in alice's assignment",
    ],
    [
      'a line break in the dataset name',
      { ...bundle, datasetName: 'RAF\nCE' },
      'bundle.json: datasetName contains a line break',
    ],
  ])('refuses %s', async (_name, content, problem) => {
    // Signed with alice's own key: the signature is fine, the content is not.
    const result = await parseBundle(await signed(content), 'bundle.json', expected);
    expect(result).toEqual({ ok: false, problems: [problem] });
  });

  it('checks a decision the same way on the reviewer side', () => {
    const context = assignmentDecisionContext({
      reviewer: 'alice',
      datasetId: 'ds1',
      classes: [{ id: 0, name: 'A' }],
      samples: [{ index: 4, name: 'x.jpg', classId: 0, auRaw: '', auStatus: 'absent', split: 0 }],
    });
    expect(decisionProblems(decision('alice', 4, 'accept'), context)).toEqual([]);
    expect(
      decisionProblems(
        decision('alice', 4, 'correct', { correction: { au: { status: 'coded', raw: '1 2' } } }),
        context,
      ),
    ).toEqual([
      'sets AU text "1 2": token "1 2" is outside the AU grammar [L|R|B|T]<number>[A-E] or AD<number>',
    ]);
  });
});

describe('parseBundle: authentication', () => {
  const mismatch = (who: string) =>
    `bundle.json: signature does not match reviewer ${who}'s key: the file was edited or is not theirs`;

  it("refuses a bundle under another reviewer's name", async () => {
    // Bob, who knows only his own key, sends his work as alice's.
    const forged = withDecisions(decision('alice', 0, 'discard'));
    const result = await parseBundle(await signed(forged, keys.bob), 'bundle.json', expected);
    expect(result).toEqual({ ok: false, problems: [mismatch('alice')] });
  });

  it("refuses bob's genuine bundle renamed to alice", async () => {
    const bobs = await signBundle(
      { ...bundle, reviewer: 'bob', decisions: [decision('bob', 0, 'accept')] },
      keys.bob ?? '',
    );
    const renamed = { ...bobs, reviewer: 'alice', decisions: [decision('alice', 0, 'accept')] };
    const result = await parseBundle(text(renamed), 'bundle.json', expected);
    expect(result).toEqual({ ok: false, problems: [mismatch('alice')] });
  });

  it.each<[string, (file: Record<string, unknown>) => Record<string, unknown>]>([
    ['a decision changed', (f) => ({ ...f, decisions: [decision('alice', 0, 'discard')] })],
    ['a decision dropped', (f) => ({ ...f, decisions: [decision('alice', 0, 'accept')] })],
    ['a time changed', (f) => ({ ...f, finishedAt: 61_001 })],
    ['a field added', (f) => ({ ...f, extra: true })],
    ['a field removed', (f) => ({ ...f, durationsMs: undefined })],
    [
      'the signature of another file',
      (f) => ({ ...f, signature: { ...(f.signature as object), mac: 'A'.repeat(43) } }),
    ],
  ])('refuses a hand-edited bundle: %s', async (_name, change) => {
    const file = JSON.parse(await signed(bundle)) as Record<string, unknown>;
    const result = await parseBundle(text(change(file)), 'bundle.json', expected);
    expect(result).toEqual({ ok: false, problems: [mismatch('alice')] });
  });

  it('lists the content problems of an edited bundle after the signature', async () => {
    const file = JSON.parse(await signed(bundle)) as ReviewBundle;
    const edited = withDecisions(
      decision('alice', 2, 'correct', { correction: { classId: 40000 } }),
    );
    const result = await parseBundle(
      text({ ...edited, signature: (file as never as { signature: unknown }).signature }),
      'bundle.json',
      expected,
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        mismatch('alice'),
        'bundle.json: decision 1 (sample 2, "0003.jpg") sets class id 40000, which is not in the dataset\'s scheme (0, 1, 2, 3, 4, 5, 6)',
      ],
    });
  });

  it('refuses every bundle of a session made before keys existed', async () => {
    const old = { ...expected, session: { ...session, reviewerKeys: undefined } };
    expect(await parseBundle(await signed(bundle), 'bundle.json', old)).toEqual({
      ok: false,
      problems: [
        'bundle.json cannot be authenticated: this session holds no signing key for alice (it was created before bundles were signed); create a new session',
      ],
    });
  });
});

describe('parseBundle: warnings and robustness', () => {
  it.each<[string, ReviewBundle, string[]]>([
    ['no decisions', withDecisions(), ['bundle.json holds no decisions yet']],
    [
      'times the wrong way round',
      { ...bundle, startedAt: 5, finishedAt: 1 },
      ['bundle.json: finishedAt is before startedAt; its time span is ignored'],
    ],
  ])('warns about %s', async (_name, content, warnings) => {
    const result = await parseBundle(await signed(content), 'bundle.json', expected);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.warnings).toEqual(warnings);
  });

  it('never throws or rejects, whatever the text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), async (s) => {
        expect((await parseBundle(s, 'b.json', expected)).ok).toBe(false);
      }),
      { numRuns: 50 },
    );
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (v) => {
        const result = await parseBundle(JSON.stringify(v), 'b.json', expected);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 50 },
    );
    const whole = await signed(bundle);
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (cut) => {
        const result = await parseBundle(whole.slice(0, cut % whole.length), 'b.json', expected);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});

describe('the static hostile bundles in tests/fixtures/team', () => {
  const fixtureSession: BundleExpectation = {
    sessionId: 'team-fixture',
    datasetId: 'ds-fixture',
    datasetName: 'Fixture dataset',
    session: {
      reviewers: ['Ada', 'Bo'],
      assignments: [
        { reviewer: 'Ada', samples: [0, 3, 6, 9, 12, 15] },
        { reviewer: 'Bo', samples: [0, 3, 6, 9, 12, 15] },
      ],
      reviewerKeys: testKeys(['Ada', 'Bo']),
    },
    classIds: [0, 1, 2, 3, 4, 5, 6],
  };
  it.each<[string, string]>([
    [
      'bundle-v1-unsigned.json',
      'is a review bundle version 1; this app reads version 2: it is not signed',
    ],
    ['bundle-no-signature.json', 'signature: Invalid input: expected object, received undefined'],
    ['bundle-other-algorithm.json', 'signature.algorithm: Invalid input: expected "HMAC-SHA-256"'],
    ['bundle-forged-signature.json', "signature does not match reviewer Ada's key"],
    [
      'bundle-forged-signature.json',
      'sets AU text "4+15\\nINJECTED_LINE.jpg 99" contains a line break',
    ],
  ])('%s is refused: %s', async (file, message) => {
    const path = new URL(`../../../tests/fixtures/team/${file}`, import.meta.url);
    const result = await parseBundle(readFileSync(path, 'utf8'), file, fixtureSession);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.every((p) => p.startsWith(file))).toBe(true);
    expect(problems.join('\n')).toContain(message);
  });
});

describe('buildBundle and signBundle', () => {
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

  it('keeps only the reviewer decisions on assigned samples of the dataset, history included', async () => {
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
    expect(built.version).toBe(BUNDLE_VERSION);
    expect(built.decisions).toEqual(keep);
    expect(built.durationsMs).toEqual([
      { sample: 0, ms: 100 },
      { sample: 2, ms: 300 },
    ]);
    const file = await signBundle(built, keys.alice ?? '');
    expect(file.signature.algorithm).toBe('HMAC-SHA-256');
    expect(file.signature.mac).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The same content and key always give the same signature; another key another one.
    expect((await signBundle(built, keys.alice ?? '')).signature).toEqual(file.signature);
    expect((await signBundle(built, keys.bob ?? '')).signature).not.toEqual(file.signature);
    const parsed = await parseBundle(JSON.stringify(file), 'b.json', {
      ...expected,
      session: { ...session, assignments: [{ reviewer: 'alice', samples: [0, 2] }] },
    });
    expect(parsed).toEqual({ ok: true, bundle: built, warnings: [] });
    expect(bundleFileName(built)).toBe('review-alice-sess-1.json');
  });
});
