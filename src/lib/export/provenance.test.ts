import { describe, expect, it } from 'vitest';
import type { LabelScheme } from '../labels/types';
import { ExportPolicySchema, selectForExport, type ExportPolicyInput } from './policy';
import {
  ProvenanceSchema,
  buildProvenance,
  writeProvenance,
  type ReviewLogInput,
} from './provenance';
import { finalOf, tableFrom } from './test-support';

const scheme: LabelScheme = {
  id: 't',
  name: 'test',
  classes: [
    { id: 0, name: 'Happy', components: ['happy'] },
    { id: 1, name: 'Sad', components: ['sad'] },
  ],
};
const table = tableFrom([
  { name: 'a.jpg', classId: 0, split: 0, aus: '12' },
  { name: 'b.jpg', classId: 1, split: 0, aus: 'null' },
  { name: 'c.jpg', classId: 1, split: 1, aus: '1+4' },
  { name: 'd.jpg', classId: 0, split: 1, aus: '6+12' },
]);
const T = Date.UTC(2025, 0, 2, 3, 4, 5);
const final = finalOf(table, [
  { sample: 0, kind: 'correct', classId: 1, au: null, note: 'looks sad', at: T },
  { sample: 1, kind: 'discard', reviewer: 'bo', at: T },
  { sample: 2, kind: 'flag', flagReason: 'ambiguous', at: T },
]);

function input(
  policyInput: ExportPolicyInput,
  exportedAt?: number,
  flagged: Uint8Array | null = null,
): ReviewLogInput {
  const policy = ExportPolicySchema.parse(policyInput);
  return {
    dataset: 'My set',
    format: 'raf-ce',
    scheme,
    splitNames: { 0: 'train', 1: 'test' },
    table,
    final,
    selection: selectForExport(table, final, null, policy, flagged),
    policy,
    ...(exportedAt === undefined ? {} : { exportedAt }),
  };
}

describe('buildProvenance', () => {
  const provenance = buildProvenance(input({ subset: Int32Array.of(0, 1, 2) }));

  it('is version 2, valid against its schema, and survives JSON', () => {
    expect(provenance.version).toBe(2);
    const json = writeProvenance(input({ subset: Int32Array.of(0, 1, 2) }));
    expect(ProvenanceSchema.parse(JSON.parse(json))).toEqual(provenance);
  });

  it('records dataset, policy (subset by size) and counts', () => {
    expect(provenance).toMatchObject({
      dataset: 'My set',
      format: 'raf-ce',
      scheme: { id: 't', name: 'test' },
      exportedAt: null,
      correctionsApplied: true,
      policy: { subsetSize: 3, dropDiscarded: true, beta: 0.999 },
      summary: {
        total: 4,
        exported: 2,
        removed: 2,
        touched: 3,
        exportedFlagged: 1,
        exportedNullAu: 1,
      },
    });
    expect(provenance.summary.byReason).toMatchObject({ 'outside-subset': 1, discarded: 1 });
    expect(provenance.policyDescription.join(' ')).toMatch(/Only the 3 samples/);
  });

  it.each<[number, object]>([
    [
      0,
      {
        image: 'a.jpg',
        exported: true,
        removedBecause: null,
        state: 'corrected',
        original: { classId: 0, className: 'Happy', au: { status: 'coded', raw: '12' } },
        final: { classId: 1, className: 'Sad', au: { status: 'null', raw: 'null' } },
        reasons: [],
        decision: {
          kind: 'correct',
          reviewer: 'ana',
          at: '2025-01-02T03:04:05.000Z',
          note: 'looks sad',
          flagReason: null,
        },
      },
    ],
    [
      1,
      {
        exported: false,
        removedBecause: 'discarded',
        state: 'discarded',
        reasons: ['removed: discarded by a reviewer'],
        decision: { kind: 'discard', reviewer: 'bo', note: null },
      },
    ],
    [
      2,
      {
        exported: true,
        state: 'flagged',
        reasons: ['flagged: Ambiguous'],
        decision: { kind: 'flag', flagReason: 'ambiguous' },
      },
    ],
  ])('sample %i', (sample, expected) => {
    expect(provenance.samples.find((s) => s.sample === sample)).toMatchObject(expected);
  });

  it('records dropLikelyMislabelled in the policy, its drops and the sentence', () => {
    // The evidence calls a (corrected), c (flagged) and d (untouched) likely mislabelled.
    const flagged = Uint8Array.of(1, 0, 1, 1);
    const on = buildProvenance(input({ dropLikelyMislabelled: true }, undefined, flagged));
    expect(ProvenanceSchema.parse(JSON.parse(JSON.stringify(on)))).toEqual(on);
    expect(on.policy).toMatchObject({ version: 2, dropLikelyMislabelled: true });
    expect(on.summary).toMatchObject({ exported: 1, removed: 3 });
    expect(on.summary.byReason).toMatchObject({ discarded: 1, 'likely-mislabelled': 2 });
    expect(on.samples.map((s) => [s.sample, s.removedBecause])).toEqual([
      [0, null],
      [1, 'discarded'],
      [2, 'likely-mislabelled'],
    ]);
    expect(on.samples[2]?.reasons).toEqual([
      'flagged: Ambiguous',
      'removed: likely mislabelled (evidence)',
    ]);
    expect(on.policyDescription.join(' ')).toMatch(/1 such sample is kept/);

    const off = buildProvenance(input({}, undefined, flagged));
    expect(off.policy).toMatchObject({ dropLikelyMislabelled: false });
    expect(off.summary.byReason).toMatchObject({ 'likely-mislabelled': 0 });
    expect(off.policyDescription.join(' ')).toMatch(/likely mislabelled are kept/);

    const notYet = buildProvenance(input({ dropLikelyMislabelled: true }));
    expect(notYet.summary.byReason).toMatchObject({ 'likely-mislabelled': 0 });
    expect(notYet.policyDescription.join(' ')).toMatch(/evidence is not computed yet/);
  });

  it('lists touched samples only', () => {
    expect(provenance.samples.map((s) => s.sample)).toEqual([0, 1, 2]);
  });

  it('records the export time only when given', () => {
    expect(buildProvenance(input({}, Date.UTC(2025, 5, 1))).exportedAt).toBe(
      '2025-06-01T00:00:00.000Z',
    );
  });

  it('is empty of samples without final labels', () => {
    const policy = ExportPolicySchema.parse({});
    const p = buildProvenance({
      ...input({}),
      final: null,
      selection: selectForExport(table, null, null, policy),
    });
    expect(p.samples).toEqual([]);
    expect(p.summary.exported).toBe(4);
  });
});
