import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { maskToAus } from '../labels/au';
import { importLabelFiles } from '../formats/import';
import { describeRealRafCe, realRafCeFile } from '../labels/test-fixtures';
import { AuStatus, type LabelScheme } from '../labels/types';
import { auColumnsOf, writeAuMatrix } from './matrix';
import { allIndices, finalOf, tableFrom } from './test-support';

const scheme: LabelScheme = {
  id: 't',
  name: 'test',
  classes: [
    { id: 0, name: 'Happy', components: ['happy'] },
    { id: 1, name: 'Sad, "really"', components: ['sad'] },
  ],
};
const splitNames = { 0: 'train', 1: 'test' };

function parse(csv: string): string[][] {
  const parsed = Papa.parse<string[]>(csv.trimEnd(), { delimiter: ',' });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe('writeAuMatrix', () => {
  const table = tableFrom([
    { name: 'a.jpg', classId: 0, split: 0, aus: '12+25' },
    { name: 'b.jpg', classId: 1, split: 1, aus: 'null' },
    { name: 'c, d.jpg', classId: 1, split: 0, aus: 'L1+43' },
    { name: 'e.jpg', classId: -1, split: -1 },
    { name: 'f.jpg', classId: 0, split: 2, aus: 'AD19' },
    { name: 'g.jpg', classId: 0, split: 0, aus: '9' },
  ]);
  const csv = writeAuMatrix({ table, labels: table, kept: allIndices(6), scheme, splitNames });
  const rows = parse(csv);
  const header = rows[0] as string[];
  const byImage = new Map(rows.slice(1).map((row) => [row[0], row]));
  const auCells = (image: string) => (byImage.get(image) as string[]).slice(4);

  it('has the fixed columns, then every AU present, ascending (hi word included, AD not an AU)', () => {
    expect(header).toEqual([
      'image',
      'class_id',
      'class_name',
      'split',
      'AU1',
      'AU9',
      'AU12',
      'AU25',
      'AU43',
    ]);
    expect(csv.endsWith('\n')).toBe(true);
    expect(rows).toHaveLength(7);
  });

  it.each<[string, string[], string[]]>([
    ['a.jpg', ['a.jpg', '0', 'Happy', 'train'], ['0', '0', '1', '1', '0']],
    ['b.jpg', ['b.jpg', '1', 'Sad, "really"', 'test'], ['-1', '-1', '-1', '-1', '-1']],
    ['c, d.jpg', ['c, d.jpg', '1', 'Sad, "really"', 'train'], ['1', '0', '0', '0', '1']],
    ['e.jpg', ['e.jpg', '-1', '', ''], ['-1', '-1', '-1', '-1', '-1']],
    ['f.jpg', ['f.jpg', '0', 'Happy', '2'], ['0', '0', '0', '0', '0']],
    ['g.jpg', ['g.jpg', '0', 'Happy', 'train'], ['0', '1', '0', '0', '0']],
  ])('row %s', (image, fixed, aus) => {
    expect((byImage.get(image) as string[]).slice(0, 4)).toEqual(fixed);
    expect(auCells(image)).toEqual(aus);
  });

  it('a null AU label is -1 in EVERY AU column, never 0', () => {
    const cells = auCells('b.jpg');
    expect(cells).toHaveLength(5);
    expect(cells.every((cell) => cell === '-1')).toBe(true);
    expect(cells).not.toContain('0');
  });

  it('a sample corrected to null becomes all -1; one corrected from null gets its AUs', () => {
    const final = finalOf(table, [
      { sample: 0, kind: 'correct', au: null },
      { sample: 1, kind: 'correct', au: '1+9' },
    ]);
    const out = parse(
      writeAuMatrix({ table, labels: final, kept: allIndices(6), scheme, splitNames }),
    );
    expect(out[0]).toEqual(['image', 'class_id', 'class_name', 'split', 'AU1', 'AU9', 'AU43']);
    expect(out[1]?.slice(4)).toEqual(['-1', '-1', '-1']);
    expect(out[2]?.slice(4)).toEqual(['1', '1', '0']);
  });

  it('columns come from the kept samples only', () => {
    expect(auColumnsOf(table, Int32Array.of(0, 1))).toEqual([12, 25]);
    expect(auColumnsOf(table, Int32Array.of(1, 3))).toEqual([]);
    const onlyNull = writeAuMatrix({
      table,
      labels: table,
      kept: Int32Array.of(1),
      scheme,
      splitNames,
    });
    expect(onlyNull).toBe('image,class_id,class_name,split\nb.jpg,1,"Sad, ""really""",test\n');
  });

  it('takes a fixed AU list (a model head) and rejects AUs outside the mask', () => {
    const out = parse(
      writeAuMatrix({
        table,
        labels: table,
        kept: Int32Array.of(0, 1),
        scheme,
        splitNames,
        aus: [6, 12],
      }),
    );
    expect(out).toEqual([
      ['image', 'class_id', 'class_name', 'split', 'AU6', 'AU12'],
      ['a.jpg', '0', 'Happy', 'train', '0', '1'],
      ['b.jpg', '1', 'Sad, "really"', 'test', '-1', '-1'],
    ]);
    expect(() =>
      writeAuMatrix({
        table,
        labels: table,
        kept: Int32Array.of(0),
        scheme,
        splitNames,
        aus: [65],
      }),
    ).toThrow(RangeError);
  });
});

describeRealRafCe('writeAuMatrix on the real RAF-CE files', () => {
  const imported = importLabelFiles(
    (['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt', 'RAFCE_partition.txt'] as const).map((name) =>
      realRafCeFile(name),
    ),
  );
  const { table } = imported;
  const csv = writeAuMatrix({
    table,
    labels: table,
    kept: allIndices(table.count),
    scheme: imported.scheme,
    splitNames: imported.splitNames,
  });
  const rows = parse(csv);
  const aus = (rows[0] as string[]).slice(4).map((c) => Number(c.slice(2)));

  it('writes one row per sample', () => {
    expect(rows).toHaveLength(4549 + 1);
    expect(aus).toEqual([...aus].sort((a, b) => a - b));
    expect(aus).toEqual(expect.arrayContaining([1, 2, 4, 5, 6, 9, 10, 12, 25, 26, 27]));
  });

  it('every one of the 251 null samples is -1 in every AU column', () => {
    let nulls = 0;
    for (let i = 0; i < table.count; i++) {
      const cells = (rows[i + 1] as string[]).slice(4);
      if (table.auStatus[i] === AuStatus.null) {
        nulls++;
        expect(
          cells.every((cell) => cell === '-1'),
          `row ${i}`,
        ).toBe(true);
      }
    }
    expect(nulls).toBe(251);
  });

  it('no coded sample reads as all-zero; each row has exactly its parsed AUs', () => {
    let allZero = 0;
    for (let i = 0; i < table.count; i++) {
      if (table.auStatus[i] !== AuStatus.coded) continue;
      const cells = (rows[i + 1] as string[]).slice(4);
      expect(cells).not.toContain('-1');
      const present = aus.filter((_, c) => cells[c] === '1');
      expect(present).toEqual(maskToAus(table.auMask, i));
      if (present.length === 0) allZero++;
    }
    // The pitfall: a misparse turns every coded string into an all-zero row.
    expect(allZero).toBeLessThan(5);
  });
});

describe('writeAuMatrix: spreadsheet formulas', () => {
  const hostile: LabelScheme = {
    id: 'h',
    name: 'hostile',
    classes: [
      { id: 0, name: '=cmd|calc', components: [] },
      { id: 1, name: 'Sad', components: [] },
    ],
  };
  const table = tableFrom([
    { name: '=HYPERLINK("http://x")', classId: 0, split: 0, aus: '12' },
    { name: '@a.jpg', classId: 1, split: 1, aus: 'null' },
    { name: '-b.jpg', classId: -1, split: 0, aus: '1+12' },
  ]);
  const csv = writeAuMatrix({
    table,
    labels: table,
    kept: allIndices(3),
    scheme: hostile,
    splitNames: { 0: '+train', 1: 'test' },
  });

  it('neutralises image, class and split names that start like a formula', () => {
    const lines = csv.trimEnd().split('\n');
    expect(lines.slice(1)).toEqual([
      `"'=HYPERLINK(""http://x"")",0,"'=cmd|calc","'+train",0,1`,
      `"'@a.jpg",1,Sad,test,-1,-1`,
      `"'-b.jpg",-1,,"'+train",1,1`,
    ]);
    // Every cell that reads back starting like a formula is a plain number.
    for (const row of parse(csv).slice(1)) {
      for (const cell of row) {
        if (/^[=+\-@\t\r]/.test(cell)) expect(cell).toMatch(/^-1$/);
      }
    }
  });
});
