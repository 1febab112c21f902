import { describe, expect, it } from 'vitest';
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
  ];

  it.each(cases)('%s', (_, input, expected) => {
    const selection = selectForExport(table, final, scores, ExportPolicySchema.parse(input));
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
    ] as const) {
      expect(selection.byReason[name]).toBe(
        (expected as readonly number[]).filter((c) => c === code).length,
      );
    }
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
      version: 1,
      dropDiscarded: true,
      dropFlagged: [],
      nullAu: 'keep-uncoded',
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
    ['another version', { version: 2 }],
    ['a NaN min score', { minScore: Number.NaN }],
  ])('rejects %s', (_, input) => {
    expect(ExportPolicySchema.safeParse(input).success).toBe(false);
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
  ])('%o says %s', (input, pattern) => {
    expect(describePolicy(ExportPolicySchema.parse(input)).join('\n')).toMatch(pattern);
  });
});

describe('removalReasonName', () => {
  it.each<[number, string | null]>([
    [0, null],
    [1, 'outside-subset'],
    [6, 'low-score'],
  ])('%i -> %s', (code, name) => {
    expect(removalReasonName(code)).toBe(name);
  });
  it('throws on an unknown code', () => {
    expect(() => removalReasonName(7)).toThrow(RangeError);
  });
});
