import { describe, expect, it } from 'vitest';
import { AuStatus } from '../labels/types';
import { maskOf } from '../rules/mask';
import { importLabelFiles } from '../formats/import';
import { oneSidedMasks } from '../labels/au';
import { describeRealRafCe, realRafCeFile } from '../labels/test-fixtures';
import { buildAuDesign, evidenceColumns, type AuColumns } from './au-design';

/** Columns from (class, AUs, one-sided AUs) rows; every row coded. */
function columnsOf(
  rows: readonly (readonly [number, number[], number[]])[],
  sides = true,
): AuColumns {
  const auMask = new Uint32Array(rows.length * 2);
  const auOneSided = new Uint32Array(rows.length * 2);
  rows.forEach(([, aus, oneSided], i) => {
    const all = maskOf(aus);
    auMask.set([all.lo, all.hi], 2 * i);
    const one = maskOf(oneSided);
    auOneSided.set([one.lo, one.hi], 2 * i);
  });
  return {
    count: rows.length,
    classIds: Int16Array.from(rows.map(([c]) => c)),
    auStatus: new Uint8Array(rows.length).fill(AuStatus.coded),
    auMask,
    ...(sides ? { auOneSided } : {}),
  };
}

const OPTIONS = { minAuSamples: 2, minPairSamples: 0 };

/** The feature names of each row: `12` for AU12 present, `L/R` for the one-sided flag. */
function rowFeatures(design: ReturnType<typeof buildAuDesign>): string[][] {
  const names = [...design.vocabulary.map(String), ...(design.oneSided ? ['L/R'] : [])];
  return Array.from({ length: design.rows.count }, (_, r) =>
    Array.from(
      design.rows.features.subarray(design.rows.featureStart[r], design.rows.featureStart[r + 1]),
      (f) => names[f] as string,
    ),
  );
}

describe('buildAuDesign', () => {
  const rows: [number, number[], number[]][] = [
    [0, [12, 25], [12]],
    [0, [12, 25], []],
    [1, [12, 25], [25]],
    [1, [4, 43], [43]],
    [1, [4, 43], []],
    [0, [4], [9]],
  ];

  it('adds a flag for the samples that code some vocabulary AU on one side only', () => {
    const design = buildAuDesign(columnsOf(rows), [0, 1], OPTIONS);
    expect(design.vocabulary).toEqual([4, 12, 25, 43]);
    expect(design.oneSided).toBe(true);
    expect(design.featureCount).toBe(5);
    // AU9 is outside the vocabulary (one sample): its one-sided code raises no flag.
    expect(rowFeatures(design)).toEqual([
      ['12', '25', 'L/R'],
      ['12', '25'],
      ['4', '43', 'L/R'],
      ['4', '43'],
      ['4'],
    ]);
    expect(Array.from(design.rowOf)).toEqual([0, 1, 0, 2, 3, 4]);
  });

  it('reads AU presence alone without the one-sided column, or when too few samples have one', () => {
    const design = buildAuDesign(columnsOf(rows, false), [0, 1], OPTIONS);
    expect(design.oneSided).toBe(false);
    expect(design.featureCount).toBe(4);
    expect(rowFeatures(design)).toEqual([['12', '25'], ['4', '43'], ['4']]);
    expect(Array.from(design.rowOf)).toEqual([0, 0, 0, 1, 1, 2]);
    // One sample with a one-sided vocabulary AU is fewer than minAuSamples (2).
    const few = columnsOf(rows.map(([c, aus, sided], i) => [c, aus, i === 0 ? sided : []]));
    expect(buildAuDesign(few, [0, 1], OPTIONS).oneSided).toBe(false);
  });

  it('ignores samples it does not use (not coded, or a class outside the list)', () => {
    const columns = columnsOf([...rows, [5, [9], [9]], [5, [9], [9]], [0, [9], [9]]]);
    columns.auStatus[8] = AuStatus.null;
    const design = buildAuDesign(columns, [0, 1], OPTIONS);
    expect(design.vocabulary).toEqual([4, 12, 25, 43]);
    expect(Array.from(design.rowOf.subarray(6))).toEqual([-1, -1, -1]);
  });
});

describeRealRafCe('evidenceColumns on the real RAF-CE files', () => {
  it("reads the same one-sided AUs from the import's dictionary of values as from the texts", () => {
    const imported = importLabelFiles([
      realRafCeFile('RAFCE_emolabel.txt'),
      realRafCeFile('RAFCE_AUlabel.txt'),
      realRafCeFile('RAFCE_partition.txt'),
    ]);
    const { table, auValues } = imported;
    expect(auValues).toBeDefined();
    const fromValues = evidenceColumns(table, auValues).auOneSided as Uint32Array;
    expect(Array.from(fromValues)).toEqual(Array.from(oneSidedMasks(table.auRaw, table.auStatus)));
    // RAF-CE codes a few hundred AUs on one side (L12, R2 ...).
    let sided = 0;
    for (let i = 0; i < table.count; i++) if (fromValues[2 * i] || fromValues[2 * i + 1]) sided++;
    expect(sided).toBeGreaterThan(300);
    expect(buildAuDesign(evidenceColumns(table), [...Array(14).keys()]).oneSided).toBe(true);
  });
});
