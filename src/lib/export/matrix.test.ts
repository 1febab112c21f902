import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { maskToAus } from '../labels/au';
import { importLabelFiles } from '../formats/import';
import { FORMATS } from '../formats/registry';
import { describeRealRafCe, realRafCeFile, textFile } from '../labels/test-fixtures';
import { AuStatus, type InputFile, type LabelScheme } from '../labels/types';
import { textAt } from '../labels/text-column';
import { utf8 } from '../labels/text-out';
import { buildExportFiles } from './bundle';
import {
  auColumnsOf,
  auMatrixNotes,
  auNumberOfUnreadable,
  auVocabularyOf,
  datasetAuColumns,
  exportAuColumns,
  uncodedAusOf,
  writeAuMatrix,
  writeAuMatrixBytes,
} from './matrix';
import { ExportPolicySchema, type ExportPolicyInput } from './policy';
import { writeReadme } from './readme';
import { TrainingStatsSchema } from './stats';
import { allIndices, finalOf, tableFrom, type TestDecision } from './test-support';

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

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describe('writeAuMatrix', () => {
  const table = tableFrom([
    { name: 'a.jpg', classId: 0, split: 0, aus: '12+25' },
    { name: 'b.jpg', classId: 1, split: 1, aus: 'null' },
    { name: 'c, d.jpg', classId: 1, split: 0, aus: 'L1+43' },
    { name: 'e.jpg', classId: -1, split: -1 },
    { name: 'f.jpg', classId: 0, split: 2, aus: 'AD19' },
    { name: 'g.jpg', classId: 0, split: 0, aus: '9' },
    { name: 'h.jpg', classId: 0, split: 0, aus: '19+18' },
    { name: 'i.jpg', classId: 0, split: 0, aus: 'L12L+25' },
    { name: 'j.jpg', classId: 0, split: 0, aus: 'BL18+AD19' },
    { name: 'k.jpg', classId: 0, split: 0, aus: '12+L12L' },
    { name: 'l.jpg', classId: 0, split: 0, aus: 'x+9+1 2' },
    { name: 'm.jpg', classId: 0, split: 0, aus: 'AD19+19' },
  ]);
  const count = table.count;
  const csv = writeAuMatrix({ table, labels: table, kept: allIndices(count), scheme, splitNames });
  const rows = parse(csv);
  const header = rows[0] as string[];
  const byImage = new Map(rows.slice(1).map((row) => [row[0], row]));
  const auCells = (image: string) => (byImage.get(image) as string[]).slice(4);

  it('has the fixed columns, then every AU coded, ascending (hi word included, AD not an AU)', () => {
    expect(header).toEqual([
      'image',
      'class_id',
      'class_name',
      'split',
      ...[1, 9, 12, 18, 19, 25, 43].map((au) => `AU${au}`),
    ]);
    expect(csv.endsWith('\n')).toBe(true);
    expect(rows).toHaveLength(count + 1);
  });

  it.each<[string, string[], string[]]>([
    // AU columns:                                  1     9     12    18    19    25    43
    ['a.jpg', ['a.jpg', '0', 'Happy', 'train'], ['0', '0', '1', '0', '0', '1', '0']],
    ['b.jpg', ['b.jpg', '1', 'Sad, "really"', 'test'], ['-1', '-1', '-1', '-1', '-1', '-1', '-1']],
    ['c, d.jpg', ['c, d.jpg', '1', 'Sad, "really"', 'train'], ['1', '0', '0', '0', '0', '0', '1']],
    ['e.jpg', ['e.jpg', '-1', '', ''], ['-1', '-1', '-1', '-1', '-1', '-1', '-1']],
    // AD19 never sets AU19, nor lets it read as absent.
    ['f.jpg', ['f.jpg', '0', 'Happy', '2'], ['0', '0', '0', '0', '-1', '0', '0']],
    ['g.jpg', ['g.jpg', '0', 'Happy', 'train'], ['0', '1', '0', '0', '0', '0', '0']],
    ['h.jpg', ['h.jpg', '0', 'Happy', 'train'], ['0', '0', '0', '1', '1', '0', '0']],
    // An unreadable token that names an AU: -1 there, the other AUs as coded.
    ['i.jpg', ['i.jpg', '0', 'Happy', 'train'], ['0', '0', '-1', '0', '0', '1', '0']],
    ['j.jpg', ['j.jpg', '0', 'Happy', 'train'], ['0', '0', '0', '-1', '-1', '0', '0']],
    // A readable token of the same AU wins.
    ['k.jpg', ['k.jpg', '0', 'Happy', 'train'], ['0', '0', '1', '0', '0', '0', '0']],
    ['m.jpg', ['m.jpg', '0', 'Happy', 'train'], ['0', '0', '0', '0', '1', '0', '0']],
    // Tokens that name no AU (`x`, `1 2`) leave the row's other AUs as they are.
    ['l.jpg', ['l.jpg', '0', 'Happy', 'train'], ['0', '1', '0', '0', '0', '0', '0']],
  ])('row %s', (image, fixed, aus) => {
    expect((byImage.get(image) as string[]).slice(0, 4)).toEqual(fixed);
    expect(auCells(image)).toEqual(aus);
  });

  it('a null AU label is -1 in EVERY AU column, never 0', () => {
    const cells = auCells('b.jpg');
    expect(cells).toHaveLength(7);
    expect(cells.every((cell) => cell === '-1')).toBe(true);
  });

  it('a sample corrected to null becomes all -1; one corrected from null gets its AUs', () => {
    const small = tableFrom(
      ['12+25', 'null', 'L1+43', undefined, 'AD19', '9'].map((aus) => ({ aus })),
    );
    const final = finalOf(small, [
      { sample: 0, kind: 'correct', au: null },
      { sample: 1, kind: 'correct', au: '1+9' },
      { sample: 5, kind: 'correct', au: '9+27' },
    ]);
    const out = parse(
      writeAuMatrix({ table: small, labels: final, kept: allIndices(6), scheme, splitNames }),
    );
    // A correction adds a column (AU27) and takes none away (AU12, AU25: no final label has them).
    expect(out[0]?.slice(4)).toEqual(['AU1', 'AU9', 'AU12', 'AU25', 'AU27', 'AU43']);
    expect(out[1]?.slice(4)).toEqual(['-1', '-1', '-1', '-1', '-1', '-1']);
    expect(out[2]?.slice(4)).toEqual(['1', '1', '0', '0', '0', '0']);
    expect(out[6]?.slice(4)).toEqual(['0', '1', '0', '0', '1', '0']);
  });

  it('has the same columns whatever samples are kept', () => {
    for (const kept of [
      Int32Array.of(0, 1),
      Int32Array.of(1),
      Int32Array.of(),
      allIndices(count),
    ]) {
      const out = writeAuMatrix({ table, labels: table, kept, scheme, splitNames });
      expect(parse(out)[0]).toEqual(header);
    }
    // ...which the kept samples' own AUs would not give.
    expect(auColumnsOf(table, Int32Array.of(0, 1))).toEqual([12, 25]);
  });

  it('takes a fixed AU list (a model head) and rejects AUs outside the mask', () => {
    const out = parse(
      writeAuMatrix({
        table,
        labels: table,
        kept: Int32Array.of(0, 1, 7),
        scheme,
        splitNames,
        aus: [6, 12],
      }),
    );
    expect(out).toEqual([
      ['image', 'class_id', 'class_name', 'split', 'AU6', 'AU12'],
      ['a.jpg', '0', 'Happy', 'train', '0', '1'],
      ['b.jpg', '1', 'Sad, "really"', 'test', '-1', '-1'],
      ['i.jpg', '0', 'Happy', 'train', '0', '-1'],
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

describe('auNumberOfUnreadable', () => {
  it.each<[string, number | null]>([
    ['L12L', 12],
    ['BL18', 18],
    ['RB18', 18],
    ['12L', 12],
    ['AU01', 1],
    ['AU12', 12],
    ['AD19x', 19],
    // No digits, several runs, or a number that is no FACS AU: no AU.
    ['x', null],
    ['', null],
    ['1 2', null],
    ['L1R2', null],
    ['L99L', null],
    ['L3L', null],
  ])('%j names %s', (token, au) => {
    expect(auNumberOfUnreadable(token)).toBe(au);
  });
});

describe('uncodedAusOf', () => {
  it.each<[string, number[], [string, number | null][], string[]]>([
    ['1+2+25', [], [], []],
    ['null', [], [], []],
    ['', [], [], []],
    ['L12L+25', [12], [['L12L', 12]], []],
    ['9+AD19+24', [19], [], ['AD19']],
    [
      'BL18+AD19+x',
      [18, 19],
      [
        ['BL18', 18],
        ['x', null],
      ],
      ['AD19'],
    ],
    ['1++2', [], [['', null]], []],
    ['AD45+L12L', [12, 45], [['L12L', 12]], ['AD45']],
  ])('%j', (raw, aus, unreadable, descriptors) => {
    const uncoded = uncodedAusOf(raw);
    const mask = Uint32Array.of(uncoded.lo >>> 0, uncoded.hi >>> 0);
    expect(maskToAus(mask, 0)).toEqual(aus);
    expect(uncoded.unreadable.map((u) => [u.token, u.au])).toEqual(unreadable);
    expect(uncoded.descriptors).toEqual(descriptors);
  });
});

describe('AU columns of an export', () => {
  const table = tableFrom(['12+25', 'null', 'L1+43', '9'].map((aus) => ({ aus })));
  const final = finalOf(table, [{ sample: 3, kind: 'correct', au: '9+27' }]);

  it.each<[string, Parameters<typeof exportAuColumns>[0], number[], string]>([
    ['a given list wins', { vocabulary: [1, 2], table, final, given: [6, 12] }, [6, 12], 'given'],
    [
      "then the format's vocabulary, in its order",
      { vocabulary: [4, 1, 2], table, final },
      [4, 1, 2],
      'format',
    ],
    [
      'then every AU of the dataset, corrections included',
      { vocabulary: null, table, final },
      [1, 9, 12, 25, 27, 43],
      'dataset',
    ],
    [
      'without review, the original labels',
      { vocabulary: null, table, final: null },
      [1, 9, 12, 25, 43],
      'dataset',
    ],
  ])('%s', (_, input, aus, rule) => {
    expect(exportAuColumns(input)).toEqual({ aus, rule });
  });

  it('datasetAuColumns reads every sample of every label set, coded ones only', () => {
    const stale = tableFrom([{ aus: 'null' }]);
    // A null label's mask is never read, even if it held bits.
    stale.auMask[0] = 1 << 4;
    expect(datasetAuColumns([stale])).toEqual([]);
    expect(datasetAuColumns([table, final])).toEqual([1, 9, 12, 25, 27, 43]);
  });

  it("auVocabularyOf gives each registered format's own list; RAF-CE has none", () => {
    expect(auVocabularyOf('raf-ce')).toBeNull();
    for (const format of FORMATS)
      for (const source of format.sourceFormats)
        expect(auVocabularyOf(source)).toEqual(format.auVocabulary ?? null);
  });
});

describe('auMatrixNotes', () => {
  const table = tableFrom(
    ['L12L+25', 'L12L+L12L', 'BL18+AD19', '9+AD19+24', 'x+9', '1+27', 'null', '3+12', 'L12L'].map(
      (aus) => ({ aus }),
    ),
  );

  it('counts exported samples by token, and AUs without a column', () => {
    expect(auMatrixNotes(table, allIndices(table.count), [9, 12, 18, 19, 25])).toEqual({
      unreadableSamples: 5,
      unreadableWithAu: [
        { token: 'L12L', count: 3, au: 12 },
        { token: 'BL18', count: 1, au: 18 },
      ],
      unreadableWithoutAu: [{ token: 'x', count: 1 }],
      descriptors: [{ token: 'AD19', count: 2 }],
      outsideColumns: { samples: 3, aus: [1, 3, 24, 27] },
    });
  });

  it('counts only the samples exported', () => {
    expect(auMatrixNotes(table, Int32Array.of(5, 6), [1, 27])).toEqual({
      unreadableSamples: 0,
      unreadableWithAu: [],
      unreadableWithoutAu: [],
      descriptors: [],
      outsideColumns: { samples: 0, aus: [] },
    });
  });
});

describe('buildExportFiles: the AU columns stay fixed between exports', () => {
  const names = Array.from({ length: 8 }, (_, i) => `${String(i + 1).padStart(4, '0')}.jpg`);
  const aus = ['1+2+25', 'null', '4+AD19', 'L12L+25', '43', '12+25', '1+2+5+26', '9+10'];
  const files: InputFile[] = [
    textFile('RAFCE_emolabel.txt', names.map((n, i) => `${n} ${i % 14}\n`).join('')),
    textFile('RAFCE_AUlabel.txt', names.map((n, i) => `${n} ${aus[i]}\n`).join('')),
    textFile('RAFCE_partition.txt', names.map((n, i) => `${n} ${i % 3}\n`).join('')),
  ];
  const imported = importLabelFiles(files);
  const exportOf = (policy: ExportPolicyInput, decisions: TestDecision[] = []) =>
    buildExportFiles({
      dataset: 'small',
      format: imported.format,
      scheme: imported.scheme,
      splitNames: imported.splitNames,
      table: imported.table,
      sourceFiles: imported.sourceFiles,
      final: decisions.length > 0 ? finalOf(imported.table, decisions) : null,
      checkScore: null,
      policy: ExportPolicySchema.parse(policy),
    });
  const fileOf = (bundle: ReturnType<typeof exportOf>, path: string) =>
    text(bundle.files.find((f) => f.path === path)?.bytes);

  it.each<[string, ExportPolicyInput, TestDecision[]]>([
    ['every sample', {}, []],
    ['a subset without AU43', { subset: Int32Array.of(0, 1, 2) }, []],
    ['null labels dropped', { nullAu: 'drop' }, []],
    ['only reviewed', { onlyReviewed: true }, [{ sample: 5, kind: 'accept' }]],
    ['one sample discarded', {}, [{ sample: 4, kind: 'discard' }]],
  ])('%s: the same header, and the statistics list the same AUs', (_, policy, decisions) => {
    const bundle = exportOf(policy, decisions);
    const matrix = parse(fileOf(bundle, 'au_matrix.csv'));
    expect(matrix[0]).toEqual(parse(fileOf(exportOf({}), 'au_matrix.csv'))[0]);
    // The README's snippet: au_cols = columns starting with "AU", pos_weight from stats.au.aus.
    const auCols = (matrix[0] as string[]).filter((c) => c.startsWith('AU'));
    expect(auCols).toEqual([1, 2, 4, 5, 9, 10, 12, 25, 26, 43].map((au) => `AU${au}`));
    const stats = TrainingStatsSchema.parse(JSON.parse(fileOf(bundle, 'training_stats.json')));
    expect(stats.au.aus.map((a) => `AU${a.au}`)).toEqual(auCols);
    for (const split of stats.splits) expect(split.au.aus.map((a) => `AU${a.au}`)).toEqual(auCols);
    expect(matrix.slice(1).every((row) => row.length === (matrix[0] as string[]).length)).toBe(
      true,
    );
  });

  it('the statistics count a -1 cell as neither positive nor negative', () => {
    const bundle = exportOf({});
    const matrix = parse(fileOf(bundle, 'au_matrix.csv'));
    const stats = TrainingStatsSchema.parse(JSON.parse(fileOf(bundle, 'training_stats.json')));
    (matrix[0] as string[]).slice(4).forEach((column, c) => {
      const cells = matrix.slice(1).map((row) => row[4 + c]);
      const au = stats.au.aus[c];
      expect(au?.positives, column).toBe(cells.filter((v) => v === '1').length);
      expect(au?.negatives, column).toBe(cells.filter((v) => v === '0').length);
    });
    const au12 = stats.au.aus.find((a) => a.au === 12);
    expect(au12?.rate).toBeCloseTo(1 / 6, 12);
  });

  it('the README says where the columns come from and what the matrix met', () => {
    const readme = fileOf(exportOf({}), 'README.txt');
    expect(readme).toContain('every AU coded anywhere in the dataset');
    expect(readme).toContain('1 sample(s) have AU tokens outside the AU grammar');
    expect(readme).toContain("-1 in the AU's column: L12L (AU12) x1");
    expect(readme).toContain('Action descriptors in this export: AD19 x1.');
    expect(readme).toMatch(/Action descriptors \(AD19\) have no column of their own/);
    expect(readme).toMatch(/mask = \(y >= 0\)/);
    const given = buildExportFiles({
      dataset: 'small',
      format: imported.format,
      scheme: imported.scheme,
      splitNames: imported.splitNames,
      table: imported.table,
      sourceFiles: imported.sourceFiles,
      final: null,
      checkScore: null,
      policy: ExportPolicySchema.parse({}),
      aus: [1, 12],
    });
    const givenReadme = text(given.files.find((f) => f.path === 'README.txt')?.bytes);
    expect(givenReadme).toContain('the AU list given for this export');
    expect(givenReadme).toMatch(/exported sample\(s\) code an AU without a column \(AU2, AU4, AU5/);
    expect(given.auNotes.outsideColumns.samples).toBe(7);
  });
});

describe('writeReadme: where the AU columns come from', () => {
  const table = tableFrom(['1+2', 'null'].map((aus) => ({ aus })));
  const bundle = buildExportFiles({
    dataset: 'tiny',
    format: 'raf-ce',
    scheme,
    splitNames,
    table,
    sourceFiles: [],
    final: null,
    checkScore: null,
    policy: ExportPolicySchema.parse({}),
  });
  it.each<['format' | 'dataset' | 'given', RegExp]>([
    ['format', /They are the AUs the format codes \(RAF-CE: its own AU list\);/],
    [
      'dataset',
      /They are every AU coded anywhere in the dataset: all its samples, exported or\n {2}not/,
    ],
    ['given', /They are the AU list given for this export/],
  ])('%s', (rule, expected) => {
    const readme = writeReadme({
      dataset: 'tiny',
      format: 'raf-ce',
      policy: ExportPolicySchema.parse({}),
      selection: bundle.selection,
      stats: bundle.stats,
      labelFiles: [],
      auColumns: bundle.auColumns,
      auColumnsRule: rule,
      auNotes: bundle.auNotes,
    });
    expect(readme).toMatch(expected);
    expect(readme).toContain('one column per AU (AU1, AU2)');
    // Nothing to say of this export's tokens.
    expect(readme).not.toContain('In this export');
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

  it('written as bytes, is the same file, told as it grows', () => {
    const told: number[] = [];
    const bytes = writeAuMatrixBytes(
      {
        table,
        labels: table,
        kept: allIndices(table.count),
        scheme: imported.scheme,
        splitNames: imported.splitNames,
      },
      (_, length) => told.push(length),
    );
    expect(Buffer.from(bytes).equals(Buffer.from(utf8(csv)))).toBe(true);
    // 4,550 lines in chunks of 4,096: told twice, the second time all but the last line end.
    expect(told).toEqual([told[0], bytes.length - 1]);
    expect(told[0]).toBeLessThan(bytes.length);
  });

  it('writes one row per sample', () => {
    expect(rows).toHaveLength(4549 + 1);
    expect(aus).toEqual([...aus].sort((a, b) => a - b));
    expect(aus).toEqual(expect.arrayContaining([1, 2, 4, 5, 6, 9, 10, 12, 19, 25, 26, 27]));
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
    const withUncoded: string[] = [];
    for (let i = 0; i < table.count; i++) {
      if (table.auStatus[i] !== AuStatus.coded) continue;
      const cells = (rows[i + 1] as string[]).slice(4);
      const present = aus.filter((_, c) => cells[c] === '1');
      expect(present).toEqual(maskToAus(table.auMask, i));
      if (cells.includes('-1')) withUncoded.push(`${textAt(table.names, i)} ${table.auRaw[i]}`);
      if (present.length === 0) allZero++;
    }
    // The pitfall: a misparse turns every coded string into an all-zero row.
    expect(allZero).toBeLessThan(5);
    // Measured: the one action descriptor and the three unreadable tokens that name an AU.
    expect(withUncoded).toEqual([
      '0485.jpg 9+AD19+24',
      '2321.jpg BL18+25',
      '2991.jpg 1+2+5+9+10+RB18+25',
      '3127.jpg L6+L9+L10+L12L+25',
    ]);
    const cell = (image: string, au: number) =>
      rows.find((r) => r[0] === image)?.[4 + aus.indexOf(au)];
    expect(cell('0485.jpg', 19)).toBe('-1');
    expect(cell('2321.jpg', 18)).toBe('-1');
    expect(cell('2991.jpg', 18)).toBe('-1');
    expect(cell('3127.jpg', 12)).toBe('-1');
  });

  it('two exports of different subsets have the same header', () => {
    const exportOf = (policy: ExportPolicyInput) =>
      buildExportFiles({
        dataset: 'RAF-CE',
        format: imported.format,
        scheme: imported.scheme,
        splitNames: imported.splitNames,
        table,
        sourceFiles: imported.sourceFiles,
        final: null,
        checkScore: null,
        policy: ExportPolicySchema.parse(policy),
      });
    const headerOf = (policy: ExportPolicyInput) =>
      text(exportOf(policy).files.find((f) => f.path === 'au_matrix.csv')?.bytes).split('\n')[0];
    // The first ten samples code far fewer AUs than the dataset.
    const subset = Int32Array.from({ length: 10 }, (_, i) => i);
    expect(auColumnsOf(table, subset).length).toBeLessThan(aus.length);
    expect(headerOf({ subset })).toBe(headerOf({}));
    expect(headerOf({ nullAu: 'drop' })).toBe(rows[0]?.join(','));
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
