import { describe, expect, it } from 'vitest';
import {
  RAFCE_RULE_SET,
  REFERENCE_HALLMARKS,
  REFERENCE_RARELY,
  REFERENCE_TOGETHER,
} from './builtin';
import {
  checkSample,
  checkTable,
  componentEvidence,
  ReasonBit,
  reasonKinds,
  reasonsOf,
  VerdictCode,
  verdictName,
  type ReasonKind,
  type SampleCheckInput,
  type Verdict,
} from './check';
import { SampleFlag } from '../labels/types';
import { ausOfMask } from './mask';
import { classRuleOf, FACS_EXCLUSIVE_PAIRS, RuleSetSchema, type RuleSet } from './schema';
import { tableOf, type TestRow } from './test-support';

/** A small rule set in which every rule kind can be seen. */
const RULES: RuleSet = RuleSetSchema.parse({
  version: 1,
  id: 'test',
  name: 'test rules',
  source: 'hand-made',
  schemeId: 'test',
  classes: [
    {
      // A compound class like happily surprised, with a discouraged pair.
      classId: 0,
      required: [1, 2, 12, 25],
      anyOf: [],
      variants: [{ au: 5, rate: 0.6 }],
      discouragedPairs: [[4, 12]],
      components: ['happy', 'surprise'],
    },
    {
      // Alternatives only, like an EMFACS rule.
      classId: 1,
      required: [],
      anyOf: [
        [9, 10],
        [15, 17],
      ],
      variants: [],
      discouragedPairs: [],
      components: [],
    },
    {
      // Like sadly angry (4+15): no anger hallmark lies inside the prototype.
      classId: 2,
      required: [4, 15],
      anyOf: [],
      variants: [],
      discouragedPairs: [],
      components: ['sad', 'anger'],
    },
    {
      // Expects 10 and 17 together although they rarely co-occur in general.
      classId: 3,
      required: [10, 17],
      anyOf: [],
      variants: [],
      discouragedPairs: [],
      components: [],
    },
  ],
  hallmarks: REFERENCE_HALLMARKS,
  together: REFERENCE_TOGETHER,
  rarely: REFERENCE_RARELY,
});

type Case = [
  description: string,
  input: Partial<SampleCheckInput> & { classId: number },
  verdict: Verdict,
  reasons: ReasonKind[],
  score: number,
];

const CASES: Case[] = [
  ['the prototype fits', { classId: 0, aus: [1, 2, 12, 25] }, 'fits', [], 1],
  ['prototype plus a variant fits', { classId: 0, aus: [1, 2, 5, 12, 25] }, 'fits', [], 1],
  [
    'one missing required AU is tolerated but noted',
    { classId: 0, aus: [1, 12, 25] },
    'fits',
    ['required-missing'],
    0.75,
  ],
  [
    'two missing required AUs are atypical',
    { classId: 0, aus: [1, 12] },
    'atypical',
    ['required-missing'],
    0.5,
  ],
  [
    'fewer than half the required AUs are atypical',
    { classId: 0, aus: [12, 26] },
    'atypical',
    ['required-missing'],
    0.25,
  ],
  [
    'a component without its hallmark is atypical',
    { classId: 0, aus: [1, 2, 25, 26] },
    'atypical',
    ['required-missing', 'component-missing'],
    0.75 * 0.5,
  ],
  [
    'both components missing: atypical, scored lower',
    { classId: 0, aus: [25] },
    'atypical',
    ['required-missing', 'component-missing'],
    0.25 * 0.25,
  ],
  [
    'a discouraged pair is atypical',
    { classId: 0, aus: [1, 2, 4, 12, 25] },
    'atypical',
    ['discouraged-pair'],
    0.7,
  ],
  [
    'a globally rare pair is atypical',
    { classId: 0, aus: [1, 2, 12, 17, 25] },
    'atypical',
    ['rare-pair'],
    0.9,
  ],
  ['a rare pair the class expects is not', { classId: 3, aus: [10, 17] }, 'fits', [], 1],
  [
    'unreadable tokens break the coding',
    { classId: 0, aus: [1, 2, 12, 25], unknownTokens: 2 },
    'breaks-facs',
    ['unknown-token'],
    0.9,
  ],
  ['a null label is not coded', { classId: 0, status: 'null' }, 'not-coded', ['null-au'], NaN],
  ['an absent label is not coded', { classId: 0, status: 'absent' }, 'not-coded', ['null-au'], NaN],
  ['a class without a rule', { classId: 9, aus: [1] }, 'no-rule', [], NaN],
  ['the no-emotion class', { classId: -1, aus: [1] }, 'no-rule', [], NaN],
  ['any-of groups met', { classId: 1, aus: [9, 17] }, 'fits', [], 1],
  ['one any-of group unmet is noted', { classId: 1, aus: [9] }, 'fits', ['any-of-missing'], 0.5],
  ['no any-of group met is atypical', { classId: 1, aus: [] }, 'atypical', ['any-of-missing'], 0],
  ['a stand-in hallmark: sadly angry 4+15 fits', { classId: 2, aus: [4, 15] }, 'fits', [], 1],
  [
    'the general hallmark still counts (anger by AU23; 15+23 is a rare pair)',
    { classId: 2, aus: [15, 23] },
    'atypical',
    ['required-missing', 'rare-pair'],
    0.5 * 0.9,
  ],
  [
    'neither hallmark nor stand-in is atypical',
    { classId: 2, aus: [15, 17] },
    'atypical',
    ['required-missing', 'component-missing'],
    0.25,
  ],
  ['AUs beyond the mask are ignored', { classId: 0, aus: [1, 2, 12, 25, 70, 0] }, 'fits', [], 1],

  // Contradictions of FACS itself: 'breaks-facs' whatever the class, the score unchanged.
  // Class 3's prototype 10+17 fits, so only the pair added to it counts.
  ...FACS_EXCLUSIVE_PAIRS.map(([a, b]): Case => [
    `AU${a} with AU${b} (mutually exclusive) breaks FACS`,
    { classId: 3, aus: [10, 17, a, b] },
    'breaks-facs',
    ['exclusive-pair'],
    1,
  ]),
  ['one AU of an exclusive pair alone fits', { classId: 3, aus: [10, 17, 26] }, 'fits', [], 1],
  [
    'three degrees of eye closure at once: three exclusive pairs, one reason kind',
    { classId: 3, aus: [10, 17, 41, 42, 43] },
    'breaks-facs',
    ['exclusive-pair'],
    1,
  ],
  [
    'an exclusive pair wins over an atypical finding',
    { classId: 0, aus: [12, 26, 27] },
    'breaks-facs',
    ['required-missing', 'exclusive-pair'],
    0.25,
  ],
  [
    'an AU coded twice breaks FACS',
    { classId: 0, aus: [1, 2, 12, 25], duplicateTokens: true },
    'breaks-facs',
    ['duplicate-token'],
    1,
  ],
  [
    'an AU coded twice wins over an atypical finding',
    { classId: 0, aus: [25], duplicateTokens: true },
    'breaks-facs',
    ['required-missing', 'component-missing', 'duplicate-token'],
    0.25 * 0.25,
  ],
  [
    'every contradiction at once',
    { classId: 0, aus: [1, 2, 12, 25, 43, 45], unknownTokens: 1, duplicateTokens: true },
    'breaks-facs',
    ['exclusive-pair', 'duplicate-token', 'unknown-token'],
    0.9,
  ],
  [
    'no rule, but an exclusive pair: breaks FACS',
    { classId: 9, aus: [26, 27] },
    'breaks-facs',
    ['exclusive-pair'],
    NaN,
  ],
  [
    'no emotion class, an exclusive pair across the mask words',
    { classId: -1, aus: [5, 43] },
    'breaks-facs',
    ['exclusive-pair'],
    NaN,
  ],
  [
    'no rule, an AU coded twice',
    { classId: 9, aus: [1], duplicateTokens: true },
    'breaks-facs',
    ['duplicate-token'],
    NaN,
  ],
  [
    'no rule, unreadable tokens',
    { classId: 9, aus: [1], unknownTokens: 1 },
    'breaks-facs',
    ['unknown-token'],
    NaN,
  ],
  [
    'a null label is not coded, whatever its flags',
    { classId: 0, status: 'null', duplicateTokens: true, unknownTokens: 1 },
    'not-coded',
    ['null-au'],
    NaN,
  ],
];

function input(partial: Case[1]): SampleCheckInput {
  return { aus: [], status: 'coded', unknownTokens: 0, duplicateTokens: false, ...partial };
}

describe('checkSample', () => {
  it.each(CASES)('%s', (_, partial, verdict, reasons, score) => {
    const result = checkSample(input(partial), RULES);
    expect(result.verdict).toBe(verdict);
    expect([...new Set(result.reasons.map((r) => r.kind))].sort()).toEqual([...reasons].sort());
    if (Number.isNaN(score)) expect(result.score).toBeNaN();
    else expect(result.score).toBeCloseTo(score, 6);
    for (const reason of result.reasons) expect(reason.message.length).toBeGreaterThan(10);
  });

  it.each<[string, Partial<SampleCheckInput> & { classId: number }, string[]]>([
    [
      'required-missing names the AUs',
      { classId: 0, aus: [1, 12] },
      ['missing AU2 Outer Brow Raiser, AU25 Lips Part (expected in most samples of this class)'],
    ],
    [
      'a tolerated absence says so',
      { classId: 0, aus: [1, 12, 25] },
      [
        'missing AU2 Outer Brow Raiser (expected in most samples of this class; one absence is common)',
      ],
    ],
    [
      'component-missing names the component and its hallmarks',
      { classId: 0, aus: [1, 2, 25] },
      [
        'missing AU12 Lip Corner Puller (expected in most samples of this class; one absence is common)',
        'no hallmark of happy (AU12 or AU6)',
      ],
    ],
    [
      'the stand-in is part of the hallmark list',
      { classId: 2, aus: [15] },
      [
        'missing AU4 Brow Lowerer (expected in most samples of this class; one absence is common)',
        'no hallmark of anger (AU4+AU7, AU23, AU24 or AU4)',
      ],
    ],
    ['any-of', { classId: 1, aus: [9] }, ['none of AU15/AU17 (at least one expected)']],
    [
      'pairs',
      { classId: 0, aus: [1, 2, 4, 12, 17, 25] },
      [
        "AU4 with AU12: a pair this class's rule discourages",
        'AU12 with AU17: a pair that rarely occurs together',
      ],
    ],
    [
      'null',
      { classId: 0, status: 'null' },
      ['AU label is null: not coded (which is not the same as "no AU active")'],
    ],
    [
      'unknown tokens',
      { classId: 0, aus: [1, 2, 12, 25], unknownTokens: 1 },
      ['1 AU token the app cannot read: the AUs checked may be incomplete'],
    ],
    [
      "each exclusive pair, in the rule set's order",
      { classId: 3, aus: [10, 17, 41, 42, 43] },
      [
        'AU41 with AU42: FACS never scores these two together on one face',
        'AU41 with AU43: FACS never scores these two together on one face',
        'AU42 with AU43: FACS never scores these two together on one face',
      ],
    ],
    [
      'a duplicate token',
      { classId: 0, aus: [1, 2, 12, 25], duplicateTokens: true },
      ['the same AU is coded twice in this label'],
    ],
    [
      'contradictions without a rule: pair, duplicate, unreadable',
      { classId: 9, aus: [26, 27], duplicateTokens: true, unknownTokens: 2 },
      [
        'AU26 with AU27: FACS never scores these two together on one face',
        'the same AU is coded twice in this label',
        '2 AU tokens the app cannot read: the AUs checked may be incomplete',
      ],
    ],
  ])('%s', (_, partial, messages) => {
    expect(checkSample(input(partial), RULES).reasons.map((r) => r.message)).toEqual(messages);
  });

  it('names the AUs of an exclusive-pair reason', () => {
    const result = checkSample(input({ classId: 3, aus: [10, 17, 5, 43] }), RULES);
    expect(result.reasons).toMatchObject([{ kind: 'exclusive-pair', aus: [5, 43] }]);
  });

  it.each<[string, [number, number][], number[], Verdict]>([
    ['no exclusive pairs: the check is off', [], [10, 17, 26, 27], 'fits'],
    ["a pair of the rule set's own", [[10, 17]], [10, 17], 'breaks-facs'],
    ['only the pairs listed count', [[1, 2]], [10, 17, 26, 27], 'fits'],
  ])('takes the exclusive pairs from the rule set: %s', (_, exclusive, aus, verdict) => {
    const ruleSet = RuleSetSchema.parse({ ...RULES, exclusive });
    expect(checkSample(input({ classId: 3, aus }), ruleSet).verdict).toBe(verdict);
  });

  it('names the component and the AUs of a component-missing reason', () => {
    const result = checkSample(input({ classId: 0, aus: [1, 2, 25] }), RULES);
    expect(result.reasons.find((r) => r.kind === 'component-missing')).toMatchObject({
      component: 'happy',
      aus: [6, 12],
    });
  });
});

describe('componentEvidence', () => {
  it.each<
    [string, number, 'happy' | 'sad' | 'fear' | 'anger' | 'surprise' | 'disgust', number[][]]
  >([
    ['happily surprised: happy as the hallmark says', 0, 'happy', [[12], [6]]],
    ['sadly angry: anger by AU4 alone', 3, 'anger', [[4, 7], [23], [24], [4]]],
    ['happily sad: sad by AU4', 13, 'sad', [[15], [1, 4], [4]]],
    ['happily fearful: fear by 1+2', 12, 'fear', [[20], [1, 2, 4], [5], [1, 2]]],
    ['sadly fearful: fear as the hallmark says', 2, 'fear', [[20], [1, 2, 4], [5]]],
  ])('%s', (_, classId, component, expected) => {
    const rule = classRuleOf(RAFCE_RULE_SET, classId)!;
    expect(componentEvidence(rule, RAFCE_RULE_SET.hallmarks, component)).toEqual(expected);
  });

  it('has nothing to check when the prototype shares no hallmark AU', () => {
    const rule = { ...classRuleOf(RULES, 3)!, components: ['happy' as const] };
    expect(componentEvidence(rule, REFERENCE_HALLMARKS, 'happy')).toEqual([]);
    expect(componentEvidence(rule, REFERENCE_HALLMARKS, 'neutral')).toEqual([]);
  });
});

describe('checkTable', () => {
  const rows: TestRow[] = CASES.map(([, partial]) => {
    const status = partial.status ?? 'coded';
    return {
      classId: partial.classId,
      aus: status === 'null' ? null : status === 'absent' ? undefined : (partial.aus ?? []),
      unknownToken: (partial.unknownTokens ?? 0) > 0,
    };
  });
  const table = tableOf(rows);
  // The import sets the duplicate flag; tableOf has no field for it.
  CASES.forEach(([, partial], i) => {
    if (partial.duplicateTokens) table.flags[i]! |= SampleFlag.duplicateAuToken;
  });
  const columns = checkTable(table, RULES);

  it.each(CASES.map((c, i) => [c[0], i] as const))('agrees with checkSample: %s', (_, i) => {
    const single = checkSample(
      input({ ...CASES[i]![1], unknownTokens: rows[i]!.unknownToken ? 1 : 0 }),
      RULES,
    );
    expect(verdictName(columns.verdict[i]!)).toBe(single.verdict);
    expect(reasonKinds(columns.reasons[i]!).sort()).toEqual(
      [...new Set(single.reasons.map((r) => r.kind))].sort(),
    );
    if (Number.isNaN(single.score)) expect(columns.score[i]).toBeNaN();
    else expect(columns.score[i]).toBeCloseTo(single.score, 6);
    const missing = single.reasons.find((r) => r.kind === 'required-missing')?.aus ?? [];
    expect(ausOfMask(columns.missing[2 * i]!, columns.missing[2 * i + 1]!)).toEqual(missing);
  });

  it('gives a sample the same result wherever its (AU pattern, class, status, flags) repeats', () => {
    // checkTable evaluates each distinct tuple once: the cases three times over, in a
    // seeded shuffle, must give every row what the case gave alone, and rows that share
    // a pattern but not a class or a flag must not share a result.
    const order = CASES.flatMap((_, i) => [i, i, i]);
    let seed = 7;
    for (let j = order.length - 1; j > 0; j--) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const k = seed % (j + 1);
      [order[j], order[k]] = [order[k]!, order[j]!];
    }
    const repeated = tableOf(order.map((i) => rows[i]!));
    order.forEach((i, j) => (repeated.flags[j] = table.flags[i]!));
    const result = checkTable(repeated, RULES);
    order.forEach((i, j) => {
      expect([
        result.verdict[j],
        result.reasons[j],
        result.missing[2 * j],
        result.missing[2 * j + 1],
      ]).toEqual([
        columns.verdict[i],
        columns.reasons[i],
        columns.missing[2 * i],
        columns.missing[2 * i + 1],
      ]);
      expect(Object.is(result.score[j], columns.score[i])).toBe(true);
    });
  });

  it('keeps apart samples that share an AU pattern but not a class, a status or a flag', () => {
    // Every case's AUs with every case's class and flags, checked in one table, against
    // each row checked in a table of its own (where nothing can be shared).
    const crossed = rows.flatMap((row, i) =>
      rows.map((other, j) => ({ row: { ...other, aus: row.aus }, flags: table.flags[j]!, i, j })),
    );
    const together = tableOf(crossed.map(({ row }) => row));
    crossed.forEach(({ flags }, at) => (together.flags[at] = flags));
    const result = checkTable(together, RULES);
    crossed.forEach(({ row, flags }, at) => {
      const alone = tableOf([row]);
      alone.flags[0] = flags;
      const single = checkTable(alone, RULES);
      expect([
        result.verdict[at],
        result.reasons[at],
        result.missing[2 * at],
        result.missing[2 * at + 1],
      ]).toEqual([single.verdict[0], single.reasons[0], single.missing[0], single.missing[1]]);
      expect(Object.is(result.score[at], single.score[0])).toBe(true);
    });
  });

  it('returns typed columns of the table length', () => {
    expect(columns.verdict).toBeInstanceOf(Uint8Array);
    expect(columns.score).toBeInstanceOf(Float32Array);
    expect(columns.reasons).toBeInstanceOf(Uint16Array);
    expect(columns.missing).toBeInstanceOf(Uint32Array);
    expect(columns.verdict).toHaveLength(table.count);
    expect(columns.missing).toHaveLength(2 * table.count);
  });

  it('codes verdicts and reasons by their index', () => {
    expect(VerdictCode).toEqual({
      fits: 0,
      atypical: 1,
      'breaks-facs': 2,
      'not-coded': 3,
      'no-rule': 4,
    });
    expect(ReasonBit['required-missing']).toBe(1);
    expect(ReasonBit['rare-pair']).toBe(64);
    expect(ReasonBit['exclusive-pair']).toBe(128);
    expect(ReasonBit['duplicate-token']).toBe(256);
    expect(reasonKinds(ReasonBit['null-au'] | ReasonBit['any-of-missing'])).toEqual([
      'any-of-missing',
      'null-au',
    ]);
    expect(() => verdictName(9)).toThrow(RangeError);
  });

  it('checks AUs above 32 through the second mask word', () => {
    // 44 and 45 (squint, blink) are not exclusive; 43 and 45 are, see the pair cases.
    const rules = RuleSetSchema.parse({
      ...RULES,
      classes: [{ ...RULES.classes[3], classId: 0, required: [44, 45] }],
    });
    const t = tableOf([
      { classId: 0, aus: [44, 45] },
      { classId: 0, aus: [44] },
      { classId: 0, aus: [1] },
      { classId: 0, aus: [43, 44, 45] },
    ]);
    const result = checkTable(t, rules);
    expect(Array.from(result.verdict, verdictName)).toEqual([
      'fits',
      'fits',
      'atypical',
      'breaks-facs',
    ]);
    expect(Array.from(result.missing)).toEqual([0, 0, 0, 1 << 12, 0, (1 << 11) | (1 << 12), 0, 0]);
  });
});

describe('reasonsOf', () => {
  it('explains sample i from the table, counting unreadable tokens in the raw string', () => {
    const table = tableOf([
      { classId: 0, aus: [1, 2, 12, 25] },
      { classId: 0, aus: [1, 2, 12, 25], unknownToken: true },
      { classId: 0, aus: null },
    ]);
    expect(reasonsOf(table, 0, RULES)).toEqual({ verdict: 'fits', score: 1, reasons: [] });
    expect(reasonsOf(table, 1, RULES)).toMatchObject({
      verdict: 'breaks-facs',
      reasons: [
        { kind: 'unknown-token', message: expect.stringMatching(/^1 AU token /) as unknown },
      ],
    });
    expect(reasonsOf(table, 2, RULES).verdict).toBe('not-coded');
  });

  it('reads the duplicate-token flag of the table', () => {
    const table = tableOf([
      { classId: 0, aus: [1, 2, 12, 25] },
      { classId: 9, aus: [26] },
    ]);
    table.flags[0]! |= SampleFlag.duplicateAuToken;
    table.flags[1]! |= SampleFlag.duplicateAuToken;
    expect(reasonsOf(table, 0, RULES)).toEqual({
      verdict: 'breaks-facs',
      score: 1,
      reasons: [
        { kind: 'duplicate-token', aus: [], message: 'the same AU is coded twice in this label' },
      ],
    });
    expect(reasonsOf(table, 1, RULES)).toMatchObject({
      verdict: 'breaks-facs',
      reasons: [{ kind: 'duplicate-token' }],
    });
    expect(checkTable(table, RULES).verdict[1]).toBe(VerdictCode['breaks-facs']);
  });
});
