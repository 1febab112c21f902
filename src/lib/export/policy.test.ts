import { describe, expect, it } from 'vitest';
import { LabelFlag } from '../label-evidence/assess';
import { FlagReasonSchema } from '../review/decision';
import {
  ExportPolicySchema,
  RemovalReason,
  SerializedPolicySchema,
  defaultExportPolicy,
  describePolicy,
  removalReasonName,
  selectForExport,
  serializePolicy,
  type ExportPolicyInput,
  type RemovalReasonCode,
} from './policy';
import { finalOf, tableFrom, type TestDecision } from './test-support';

/*
 * Eight samples:
 *   0 untouched            4 flagged occluded
 *   1 accepted             5 untouched, AU null
 *   2 corrected 0 -> 3     6 corrected to AU null
 *   3 discarded            7 flagged au-wrong
 */
const table = tableFrom([
  { classId: 0, split: 0, aus: '1+2' },
  { classId: 0, split: 0, aus: '4' },
  { classId: 0, split: 1, aus: '12' },
  { classId: 1, split: 1, aus: '25' },
  { classId: 1, split: 2, aus: '26' },
  { classId: 2, split: 0, aus: 'null' },
  { classId: 2, split: 0, aus: '6+12' },
  { classId: 2, split: 1, aus: '9' },
]);
const decisions: TestDecision[] = [
  { sample: 1, kind: 'accept' },
  { sample: 2, kind: 'correct', classId: 3 },
  { sample: 3, kind: 'discard', note: 'not a face' },
  { sample: 4, kind: 'flag', flagReason: 'occluded' },
  { sample: 6, kind: 'correct', au: null },
  { sample: 7, kind: 'flag', flagReason: 'au-wrong' },
];
const final = finalOf(table, decisions);
const scores = Float32Array.from([0.9, 0.1, 0.5, 0.9, 0.9, Number.NaN, 0.2, 0.3]);
/*
 * The label evidence: 0-4 likely mislabelled (0 untouched, 1 accepted, 2 corrected,
 * 3 discarded, 4 flagged), 5 insufficient data, 6 not scored, 7 none.
 */
const L = LabelFlag;
const flags = Uint8Array.from([
  L['likely-mislabelled'],
  L['likely-mislabelled'],
  L['likely-mislabelled'],
  L['likely-mislabelled'],
  L['likely-mislabelled'],
  L['insufficient-data'],
  L['not-scored'],
  L.none,
]);

const R = RemovalReason;
type Case = [string, ExportPolicyInput, RemovalReasonCode[]];

describe('selectForExport', () => {
  const cases: Case[] = [
    ['default: drops discarded only; flagged are kept', {}, [0, 0, 0, R.discarded, 0, 0, 0, 0]],
    ['keep discarded', { dropDiscarded: false }, [0, 0, 0, 0, 0, 0, 0, 0]],
    [
      'drop flagged au-wrong only',
      { dropFlagged: ['au-wrong'] },
      [0, 0, 0, R.discarded, 0, 0, 0, R.flagged],
    ],
    [
      'drop every flag reason',
      { dropFlagged: [...FlagReasonSchema.options] },
      [0, 0, 0, R.discarded, R.flagged, 0, 0, R.flagged],
    ],
    [
      'drop null AU, after corrections (6 was corrected to null)',
      { nullAu: 'drop' },
      [0, 0, 0, R.discarded, 0, R.nullAu, R.nullAu, 0],
    ],
    [
      'drop null AU on original labels when corrections are off',
      { nullAu: 'drop', applyCorrections: false },
      [0, 0, 0, R.discarded, 0, R.nullAu, 0, 0],
    ],
    [
      'min score: NaN is never dropped',
      { minScore: 0.4 },
      [0, R.lowScore, 0, R.discarded, 0, 0, R.lowScore, R.lowScore],
    ],
    [
      'only reviewed',
      { onlyReviewed: true },
      [R.notReviewed, 0, 0, R.discarded, 0, R.notReviewed, 0, 0],
    ],
    [
      'subset: selection first, whatever else applies',
      { subset: Int32Array.from([3, 1, 5, 1]), nullAu: 'drop' },
      [
        R.outsideSubset,
        0,
        R.outsideSubset,
        R.discarded,
        R.outsideSubset,
        R.nullAu,
        R.outsideSubset,
        R.outsideSubset,
      ],
    ],
    [
      'likely mislabelled: untouched and flagged dropped; accepted and corrected kept',
      { dropLikelyMislabelled: true },
      [R.likelyMislabelled, 0, 0, R.discarded, R.likelyMislabelled, 0, 0, 0],
    ],
    [
      'likely mislabelled: a kept discard is no accept, so the evidence drops it',
      { dropLikelyMislabelled: true, dropDiscarded: false },
      [R.likelyMislabelled, 0, 0, R.likelyMislabelled, R.likelyMislabelled, 0, 0, 0],
    ],
    [
      'likely mislabelled: a dropped flag reason comes first',
      { dropLikelyMislabelled: true, dropFlagged: ['occluded'] },
      [R.likelyMislabelled, 0, 0, R.discarded, R.flagged, 0, 0, 0],
    ],
    [
      'likely mislabelled: a low score comes first; accepted stays dropped for its score',
      { dropLikelyMislabelled: true, minScore: 0.4 },
      [
        R.likelyMislabelled,
        R.lowScore,
        0,
        R.discarded,
        R.likelyMislabelled,
        0,
        R.lowScore,
        R.lowScore,
      ],
    ],
    [
      'likely mislabelled with only reviewed samples',
      { dropLikelyMislabelled: true, onlyReviewed: true },
      [R.notReviewed, 0, 0, R.discarded, R.likelyMislabelled, R.notReviewed, 0, 0],
    ],
  ];

  it.each(cases)('%s', (_, input, expected) => {
    const policy = ExportPolicySchema.parse(input);
    const selection = selectForExport(table, final, scores, policy, flags);
    expect([...selection.removed]).toEqual(expected);
    const kept = (expected as readonly number[]).flatMap((code, i) => (code === 0 ? [i] : []));
    expect([...selection.kept]).toEqual(kept);
    expect(selection.keptCount).toBe(kept.length);
    expect(selection.removedCount).toBe(8 - kept.length);
    const reasonTotal = Object.values(selection.byReason).reduce((a, b) => a + b, 0);
    expect(reasonTotal).toBe(selection.removedCount);
    for (const [code, name] of [
      [R.discarded, 'discarded'],
      [R.flagged, 'flagged'],
      [R.likelyMislabelled, 'likely-mislabelled'],
    ] as const) {
      expect(selection.byReason[name]).toBe(
        (expected as readonly number[]).filter((c) => c === code).length,
      );
    }
    // On, the option drops exactly what the preview says it would drop.
    if (policy.dropLikelyMislabelled) {
      expect(selection.evidence.droppable).toBe(selection.byReason['likely-mislabelled']);
    }
  });

  const likelyCases: [string, ExportPolicyInput, Uint8Array | null, object, number][] = [
    [
      'off: nothing dropped, the droppable counted',
      {},
      flags,
      { computed: true, droppable: 2, decided: 2, kept: 4 },
      1,
    ],
    [
      'on: the droppable dropped, the decided kept',
      { dropLikelyMislabelled: true },
      flags,
      { computed: true, droppable: 2, decided: 2, kept: 2 },
      3,
    ],
    [
      'on, but no evidence yet: nothing dropped for it',
      { dropLikelyMislabelled: true },
      null,
      { computed: false, droppable: 0, decided: 0, kept: 0 },
      1,
    ],
    [
      'on, with no sample called likely mislabelled',
      { dropLikelyMislabelled: true },
      new Uint8Array(8),
      { computed: true, droppable: 0, decided: 0, kept: 0 },
      1,
    ],
  ];

  it.each(likelyCases)('evidence counts, %s', (_, input, evidence, counts, removed) => {
    const selection = selectForExport(
      table,
      final,
      null,
      ExportPolicySchema.parse(input),
      evidence,
    );
    expect(selection.evidence).toEqual(counts);
    expect(selection.removedCount).toBe(removed);
  });

  it('counts likely mislabelled drops per class and per split', () => {
    const policy = ExportPolicySchema.parse({ dropLikelyMislabelled: true });
    const selection = selectForExport(table, final, null, policy, flags);
    expect(selection.byReason).toMatchObject({ discarded: 1, 'likely-mislabelled': 2 });
    expect(selection.byClass).toEqual([
      { classId: 0, kept: 1, removed: 1 },
      { classId: 1, kept: 0, removed: 2 },
      { classId: 2, kept: 3, removed: 0 },
      { classId: 3, kept: 1, removed: 0 },
    ]);
    expect(selection.bySplit).toEqual([
      { split: 0, kept: 3, removed: 1 },
      { split: 1, kept: 2, removed: 1 },
      { split: 2, kept: 0, removed: 1 },
    ]);
  });

  it('without final labels every likely mislabelled sample is droppable', () => {
    const policy = ExportPolicySchema.parse({ dropLikelyMislabelled: true });
    const selection = selectForExport(table, null, null, policy, flags);
    expect([...selection.kept]).toEqual([5, 6, 7]);
    expect(selection.evidence).toEqual({ computed: true, droppable: 5, decided: 0, kept: 0 });
  });

  it('counts per class (corrected class) and per split, kept and removed', () => {
    const selection = selectForExport(table, final, null, defaultExportPolicy());
    expect(selection.byClass).toEqual([
      { classId: 0, kept: 2, removed: 0 },
      { classId: 1, kept: 1, removed: 1 },
      { classId: 2, kept: 3, removed: 0 },
      { classId: 3, kept: 1, removed: 0 },
    ]);
    expect(selection.bySplit).toEqual([
      { split: 0, kept: 4, removed: 0 },
      { split: 1, kept: 2, removed: 1 },
      { split: 2, kept: 1, removed: 0 },
    ]);
    expect(selection.keptFlagged).toBe(2);
    expect(selection.keptNullAu).toBe(2);
  });

  it('original classes are counted when corrections are off', () => {
    const policy = ExportPolicySchema.parse({ applyCorrections: false });
    const selection = selectForExport(table, final, null, policy);
    expect(selection.byClass.map((c) => c.classId)).toEqual([0, 1, 2]);
  });

  it('without final labels every sample is untouched', () => {
    const selection = selectForExport(table, null, null, defaultExportPolicy());
    expect(selection.keptCount).toBe(8);
    const onlyReviewed = ExportPolicySchema.parse({ onlyReviewed: true });
    expect(selectForExport(table, null, null, onlyReviewed).keptCount).toBe(0);
  });

  it('a min score without scores drops nothing', () => {
    const policy = ExportPolicySchema.parse({ minScore: 0.99 });
    expect(selectForExport(table, final, null, policy).keptCount).toBe(7);
  });

  it.each<[string, () => unknown]>([
    [
      'final labels of another size',
      () => selectForExport(table, finalOf(tableFrom([{}])), null, defaultExportPolicy()),
    ],
    [
      'scores of another size',
      () => selectForExport(table, final, new Float32Array(3), defaultExportPolicy()),
    ],
    [
      'evidence flags of another size',
      () => selectForExport(table, final, null, defaultExportPolicy(), new Uint8Array(9)),
    ],
    [
      'a subset index outside the table',
      () =>
        selectForExport(
          table,
          final,
          null,
          ExportPolicySchema.parse({ subset: Int32Array.from([8]) }),
        ),
    ],
  ])('throws on %s', (_, run) => {
    expect(run).toThrow();
  });
});

describe('ExportPolicySchema', () => {
  it('has the documented defaults', () => {
    expect(defaultExportPolicy()).toEqual({
      version: 2,
      dropDiscarded: true,
      dropFlagged: [],
      nullAu: 'keep-uncoded',
      dropLikelyMislabelled: false,
      minScore: null,
      onlyReviewed: false,
      applyCorrections: true,
      beta: 0.999,
      subset: null,
    });
  });

  it.each<[string, unknown]>([
    ['an unknown beta', { beta: 0.5 }],
    ['an unknown flag reason', { dropFlagged: ['tired'] }],
    ['a subset that is not an Int32Array', { subset: [1, 2] }],
    ['another version', { version: 3 }],
    ['a NaN min score', { minScore: Number.NaN }],
    ['a dropLikelyMislabelled that is not a boolean', { dropLikelyMislabelled: 'yes' }],
  ])('rejects %s', (_, input) => {
    expect(ExportPolicySchema.safeParse(input).success).toBe(false);
  });

  it('reads a version 1 policy (before dropLikelyMislabelled) as keeping them', () => {
    const v1 = {
      version: 1,
      dropDiscarded: true,
      dropFlagged: ['occluded'],
      nullAu: 'drop',
      minScore: 0.3,
      onlyReviewed: false,
      applyCorrections: true,
      beta: 0.99,
      subsetSize: 12,
    };
    expect(SerializedPolicySchema.parse(v1)).toEqual({ ...v1, dropLikelyMislabelled: false });
    expect(ExportPolicySchema.parse({ version: 1 }).dropLikelyMislabelled).toBe(false);
  });

  it('serializes dropLikelyMislabelled', () => {
    const serialized = serializePolicy(ExportPolicySchema.parse({ dropLikelyMislabelled: true }));
    expect(serialized).toMatchObject({ version: 2, dropLikelyMislabelled: true });
    expect(SerializedPolicySchema.parse(JSON.parse(JSON.stringify(serialized)))).toEqual(
      serialized,
    );
  });

  it('serializes the subset as its size', () => {
    const policy = ExportPolicySchema.parse({ subset: Int32Array.from([1, 2, 3]) });
    const serialized = serializePolicy(policy);
    expect(serialized.subsetSize).toBe(3);
    expect(serialized).not.toHaveProperty('subset');
    expect(SerializedPolicySchema.parse(JSON.parse(JSON.stringify(serialized)))).toEqual(
      serialized,
    );
  });
});

describe('describePolicy', () => {
  it.each<[ExportPolicyInput, RegExp]>([
    [{}, /Flagged samples are kept/],
    [{}, /-1 \(unknown\), never 0/],
    [{ dropFlagged: ['occluded'] }, /reason is: Occluded; other flagged samples are kept/],
    [{ dropFlagged: [...FlagReasonSchema.options] }, /Flagged samples are dropped, whatever/],
    [{ nullAu: 'drop' }, /null \(not coded\) are dropped/],
    [{ minScore: 0.25 }, /below 0.25 are dropped; samples without a score are kept/],
    [{ applyCorrections: false }, /corrections are NOT applied/],
    [{ subset: new Int32Array(5) }, /Only the 5 samples/],
    [{ beta: 0.9999 }, /beta = 0.9999/],
    [{}, /likely mislabelled are kept: evidence is a reason to look, and the reviewer decides/],
    [
      { dropLikelyMislabelled: true },
      /likely mislabelled are dropped, unless a reviewer accepted or corrected them/,
    ],
  ])('%o says %s', (input, pattern) => {
    expect(describePolicy(ExportPolicySchema.parse(input)).join('\n')).toMatch(pattern);
  });

  it.each<[string, ExportPolicyInput, Uint8Array | null, RegExp]>([
    ['off, evidence computed', {}, flags, /likely mislabelled are kept: evidence is a reason/],
    ['off, no evidence', {}, null, /likely mislabelled are kept: evidence is a reason/],
    [
      'on, no evidence',
      { dropLikelyMislabelled: true },
      null,
      /to be dropped, but the evidence is not computed yet: no sample is dropped for it/,
    ],
    [
      'on, two decided samples',
      { dropLikelyMislabelled: true },
      flags,
      /dropped, unless a reviewer accepted or corrected them: a human decision beats the model\. 2 such samples are kept/,
    ],
  ])('with the selection, %s', (_, input, evidence, pattern) => {
    const policy = ExportPolicySchema.parse(input);
    const selection = selectForExport(table, final, null, policy, evidence);
    expect(describePolicy(policy, selection.evidence).join('\n')).toMatch(pattern);
  });

  it('says nothing of decided samples when there are none', () => {
    const policy = ExportPolicySchema.parse({ dropLikelyMislabelled: true });
    const selection = selectForExport(table, null, null, policy, flags);
    expect(describePolicy(policy, selection.evidence).join('\n')).not.toMatch(/such sample/);
  });
});

describe('removalReasonName', () => {
  it.each<[number, string | null]>([
    [0, null],
    [1, 'outside-subset'],
    [6, 'low-score'],
    [7, 'likely-mislabelled'],
    [8, 'invalid-label'],
  ])('%i -> %s', (code, name) => {
    expect(removalReasonName(code)).toBe(name);
  });
  it('throws on an unknown code', () => {
    expect(() => removalReasonName(9)).toThrow(RangeError);
  });
});
