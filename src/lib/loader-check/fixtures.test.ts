import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  goodRunCsv,
  RAFCE_DIR,
  realRafCeDataset,
  TARGET_DUMP_KINDS,
  targetDumpCsv,
  targetDumpNpy,
  worseRunCsv,
  WORSE_RUN_LOST_CLASSES,
  writeNpy,
  type TargetDumpKind,
} from '../../../tests/support/prediction-fixtures';
import { describeRealRafCe } from '../labels/test-fixtures';
import { readNpy } from '../predictions/npy';
import { checkLoaderTargets, type LoaderFindingKind } from './check';
import { readTargetDump } from './target-file';

/**
 * The generated fixtures against the real RAF-CE labels: each loader bug is found, and
 * nothing is found on the correct dump. Counts are taken from the label file's text
 * here, not from the importer, so that the check is held to an independent count.
 */

function rawAuValues(): string[] {
  return readFileSync(join(RAFCE_DIR, 'RAFCE_AUlabel.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s+/)[1] ?? '');
}

const EXPECTED: Readonly<Record<TargetDumpKind, readonly LoaderFindingKind[]>> = {
  correct: [],
  'all-zero-coded': ['all-zero-coded'],
  'null-as-zero': ['null-as-zero'],
  // The last column, holding nothing, is left all 0: rows that differ on it.
  'column-shift': ['column-shift', 'row-differs'],
  'rows-shifted': ['order-mismatch'],
};

describeRealRafCe('the loader check on dumps generated from the real RAF-CE labels', () => {
  const values = rawAuValues();
  const nullCount = values.filter((value) => value === 'null').length;
  const codedCount = values.length - nullCount;

  it.each(TARGET_DUMP_KINDS)('%s: CSV and .npy give the same findings', (kind) => {
    const { table } = realRafCeDataset();
    const csv = readTargetDump(targetDumpCsv(kind));
    const npy = targetDumpNpy(kind);
    const fromNpy = readTargetDump(npy.npy, { aus: npy.aus, imageList: npy.imageList });
    expect(csv.problems).toEqual([]);
    expect(fromNpy.problems).toEqual([]);
    const checks = [csv, fromNpy].map((read) => {
      if (!read.dump) throw new Error('the generated dump was not read');
      return checkLoaderTargets(table, read.dump);
    });
    for (const check of checks) {
      expect(check.findings.map((f) => f.kind)).toEqual(EXPECTED[kind]);
      expect(check.clean).toBe(kind === 'correct');
      expect(check.join).toMatchObject({ matched: values.length, unmatched: 0 });
      // Shifted by one row, the last row holds no sample's targets.
      expect(check.codedRows + check.notCodedRows).toBe(
        values.length - (kind === 'rows-shifted' ? 1 : 0),
      );
    }
    expect(checks[1]?.verdict).toBe(checks[0]?.verdict);
  });

  it('says the loader never read the AU labels, with the count of coded samples', () => {
    const { table } = realRafCeDataset();
    const read = readTargetDump(targetDumpCsv('all-zero-coded'));
    const check = checkLoaderTargets(table, read.dump!);
    expect(check.verdict).toBe(
      `The AU targets your training code used are all zero for the ${new Intl.NumberFormat('en').format(codedCount)} coded samples: the loader never read the AU labels.`,
    );
    expect(check.findings[0]).toMatchObject({ count: codedCount, of: codedCount });
    expect(check.findings[0]?.examples).toHaveLength(10);
  });

  it('counts every null sample read as 0', () => {
    const { table } = realRafCeDataset();
    const check = checkLoaderTargets(table, readTargetDump(targetDumpCsv('null-as-zero')).dump!);
    expect(check.findings[0]).toMatchObject({
      count: nullCount,
      of: nullCount,
      detail: { zero: nullCount, nonZero: 0 },
    });
  });

  it('names the column shift and the row shift', () => {
    const { table } = realRafCeDataset();
    const shifted = checkLoaderTargets(table, readTargetDump(targetDumpCsv('column-shift')).dump!);
    const columns = shifted.findings.find((f) => f.kind === 'column-shift');
    expect(columns?.kind === 'column-shift' && columns.detail.shift).toBe(1);
    expect(columns?.kind === 'column-shift' && columns.detail.agreementAfter).toBe(1);
    const rows = checkLoaderTargets(table, readTargetDump(targetDumpCsv('rows-shifted')).dump!);
    expect(rows.findings[0]).toMatchObject({ detail: { order: 'shifted', rowShift: 1 } });
  });

  it('generates the same bytes from the same seed', () => {
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
    expect(same(targetDumpCsv('null-as-zero').bytes, targetDumpCsv('null-as-zero').bytes)).toBe(
      true,
    );
    expect(same(goodRunCsv().bytes, goodRunCsv().bytes)).toBe(true);
    expect(same(goodRunCsv().bytes, worseRunCsv().bytes)).toBe(false);
  });
});

/** Accuracy and per-class recall counted from the CSV text and the emotion label file. */
function scoreRun(text: string) {
  const labelOf = new Map(
    readFileSync(join(RAFCE_DIR, 'RAFCE_emolabel.txt'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.trim().split(/\s+/) as [string, string]),
  );
  const [header, ...lines] = text.trim().split('\n');
  const columns = (header ?? '').split(',');
  const classColumns = columns.flatMap((c, i) => (c.startsWith('p_') ? [i] : []));
  let right = 0;
  let worstSum = 0;
  const perClass = new Map<string, { right: number; all: number }>();
  for (const line of lines) {
    const cells = line.split(',');
    const probs = classColumns.map((i) => Number(cells[i]));
    worstSum = Math.max(worstSum, Math.abs(probs.reduce((a, b) => a + b, 0) - 1));
    const best = probs.indexOf(Math.max(...probs));
    const predicted = (columns[classColumns[best] as number] as string).slice(2);
    const label = labelOf.get(cells[0] as string) as string;
    const stats = perClass.get(label) ?? { right: 0, all: 0 };
    stats.all++;
    if (predicted === label) {
      right++;
      stats.right++;
    }
    perClass.set(label, stats);
  }
  return {
    columns,
    rows: lines.length,
    labelled: labelOf.size,
    accuracy: right / lines.length,
    worstSum,
    perClass,
  };
}

describeRealRafCe('prediction CSVs generated from the real RAF-CE labels', () => {
  it.each([
    ['good', goodRunCsv, 0.65],
    ['worse', worseRunCsv, 0.55],
  ] as const)('the %s run is right on about its share of samples', (_, make, accuracy) => {
    const run = scoreRun(new TextDecoder().decode(make().bytes));
    expect(run.columns.slice(0, 15)).toEqual([
      'image',
      ...Array.from({ length: 14 }, (_, i) => `p_${i}`),
    ]);
    expect(run.columns.slice(15).every((c) => /^AU\d+$/.test(c))).toBe(true);
    expect(run.rows).toBe(run.labelled);
    expect(Math.abs(run.accuracy - accuracy)).toBeLessThan(0.01);
    expect(run.worstSum).toBeLessThan(1e-4);
  });

  it('the worse run loses two classes', () => {
    const run = scoreRun(new TextDecoder().decode(worseRunCsv().bytes));
    for (const id of WORSE_RUN_LOST_CLASSES) {
      const stats = run.perClass.get(String(id))!;
      expect(Math.abs(stats.right / stats.all - 0.25)).toBeLessThan(0.02);
    }
  });
});

describe('writeNpy', () => {
  it.each([
    [
      [2, 3],
      [1, 0, -1, 0.5, 1, 0],
    ],
    [[4], [0, 1, 1, 0]],
    [[0, 5], []],
  ])('writes shape %j as numpy.save would, read back alike', (shape, values) => {
    const bytes = writeNpy(values, shape);
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
    expect(bytes[10 + headerLength - 1]).toBe(0x0a);
    const read = readNpy(bytes, 'x.npy');
    if (!('array' in read)) throw new Error(read.problems[0]?.message);
    expect(read).toMatchObject({ shape, dtype: '<f4' });
    expect(Array.from(read.array)).toEqual(values);
  });

  it('refuses values that do not fill the shape (a bug in the test)', () => {
    expect(() => writeNpy([1, 2, 3], [2, 2])).toThrow(/3 values for shape \(2, 2\)/);
  });
});
