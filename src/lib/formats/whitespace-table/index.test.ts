import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textColumnToArray } from '../../labels/text-column';
import type { InputFile, Problem } from '../../labels/types';
import { fileHead, type LabelWriterInput } from '../format';
import type { CsvMapping } from '../generic-table/csv';
import { importLabelFiles, type ImportOptions, type ImportResult } from '../import';
import { detectFile } from '../registry';
import { WHITESPACE_TABLE_FORMAT } from './index';
import { guessLayout, readWhitespaceTable } from './read';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

function fixture(path: string, name = path): InputFile {
  return { name, bytes: new Uint8Array(readFileSync(join(FIXTURES, path))) };
}

function textFile(name: string, text: string): InputFile {
  return { name, bytes: new TextEncoder().encode(text) };
}

const FORCED: ImportOptions = { format: 'whitespace-table' };

function writerInput(imported: ImportResult): LabelWriterInput {
  return {
    format: imported.format,
    table: imported.table,
    labels: imported.table,
    kept: Int32Array.from({ length: imported.table.count }, (_, i) => i),
    scheme: imported.scheme,
    splitNames: imported.splitNames,
    sourceFiles: imported.sourceFiles,
    csv: imported.csv,
  };
}

const written = (imported: ImportResult) =>
  new TextDecoder().decode(WHITESPACE_TABLE_FORMAT.write(writerInput(imported))[0]?.bytes);

const mapping = (emotion: string | null, au: string | null, split: string | null): CsvMapping => ({
  image: 'column 1',
  emotion,
  au,
  split,
});

describe('the columns, told by their values', () => {
  it.each<[string, string[], CsvMapping]>([
    [
      'class ids, AU strings, split ids',
      ['0001.jpg 5 1+2+25 0', '0002.jpg 10 null 1', '0003.jpg 3 4 2'],
      mapping('column 2', 'column 3', 'column 4'),
    ],
    [
      'split ids before class ids',
      ['a.png 0 4', 'b.png 1 7', 'c.png 2 1'],
      mapping('column 3', null, 'column 2'),
    ],
    // Without a header, two columns of 0-2: the first is the split, the second the class.
    [
      'two columns of 0-2',
      ['a.png 0 1', 'b.png 1 2', 'c.png 2 0'],
      mapping('column 3', null, 'column 2'),
    ],
    // Plain numbers are ids: an AU column needs one value beyond a number.
    [
      'AU numbers alone',
      ['a.png 12 0', 'b.png 25 1', 'c.png 4 1'],
      mapping('column 2', null, 'column 3'),
    ],
    [
      'AU strings with letters',
      ['a.png 5B 0', 'b.png L12 1', 'c.png 4 1'],
      mapping(null, 'column 2', 'column 3'),
    ],
    [
      'shares are no labels',
      ['a.png 0.5 0.5 3', 'b.png 0.2 0.8 4'],
      mapping('column 4', null, null),
    ],
    [
      'large numbers are no class ids',
      ['a.png 1200 0', 'b.png 4500 1'],
      mapping(null, null, 'column 3'),
    ],
    // One odd value in ten does not unmake a column: that row is rejected on reading.
    [
      'a typo among ten class ids',
      ['1 3', '2 4', '3 5', '4 x', '5 6', '6 7', '7 8', '8 9', '9 10', '10 11'].map(
        (row) => `${row.split(' ')[0] as string}.jpg ${row.split(' ')[1] as string} 0`,
      ),
      mapping('column 2', null, 'column 3'),
    ],
  ])('%s', (_label, lines, expected) => {
    expect(guessLayout(lines).layout.mapping).toEqual(expected);
  });
});

describe('whitespace table detection', () => {
  const TABLE = '0001.jpg 5 1+2+25 0\n0002.jpg 10 null 1\n';
  it.each<[string, string, string | null]>([
    ['labels.txt', TABLE, 'possible'],
    ['renamed.dat', TABLE, 'possible'],
    ['no-extension', TABLE.replaceAll(' ', '\t'), 'possible'],
    ['img_list', 'a.png 0 4\nb.png 1 7\n', 'possible'],
    // Two fields are RAF-CE's or RAF-AU's.
    ['pairs.txt', '0001.jpg 5\n0002.jpg 10\n', null],
    // Shares alone, names that are not images, a header line: not a table of labels.
    ['shares.txt', '0001.jpg 0.5 0.5\n0002.jpg 0.2 0.8\n', null],
    ['ids.txt', '0001 5 0\n0002 10 1\n', null],
    ['header.txt', 'image emotion split\n0001.jpg 5 0\n', null],
  ])('%s: %j -> %s', (name, text, confidence) => {
    const found = detectFile(fileHead(textFile(name, text))).find(
      (d) => d.format === 'whitespace-table',
    );
    expect(found?.confidence ?? null).toBe(confidence);
    if (found) expect(found.role).toBe('combined');
  });

  it('says which column it took for what', () => {
    const [found] = detectFile(fileHead(fixture('labels.txt', 'train.lst')));
    expect(found).toEqual({
      format: 'whitespace-table',
      role: 'combined',
      confidence: 'possible',
      why: '4 columns split by spaces or tabs, no header: image names, class ids (column 2), AU strings (column 3), split ids (0-2) (column 4)',
    });
  });
});

describe('importLabelFiles with a whitespace table', () => {
  it('picks the format by content, unsure, and reads every column', () => {
    const result = importLabelFiles([fixture('labels.txt')]);
    expect(result.detection.format).toBe('whitespace-table');
    expect(result.detection.unsure).toBe(
      "read as Table without a header (spaces or tabs) by content alone: nothing in the files' names or headers says so",
    );
    expect(result.format).toBe('whitespace-table');
    expect(result.problems).toEqual([]);
    expect(textColumnToArray(result.table.names)).toEqual([
      '0001.jpg',
      '0002.jpg',
      '0003.jpg',
      '0004.jpg',
    ]);
    expect(Array.from(result.table.classIds)).toEqual([5, 10, 3, 0]);
    expect(result.table.auRaw).toEqual(['1+2+25', 'null', '4+7+L12', '6+12']);
    expect(Array.from(result.table.splits)).toEqual([0, 1, 2, 0]);
    expect(result.scheme.classes.map((c) => [c.id, c.name])).toEqual([
      [0, 'class 0'],
      [3, 'class 3'],
      [5, 'class 5'],
      [10, 'class 10'],
    ]);
    expect(result.csv).toEqual({
      file: 'labels.txt',
      columns: ['column 1', 'column 2', 'column 3', 'column 4'],
      mapping: mapping('column 2', 'column 3', 'column 4'),
    });
    expect(result.sourceFiles).toEqual([
      {
        name: 'labels.txt',
        role: 'combined',
        eol: '\n',
        finalNewline: true,
        bom: false,
        lines: 4,
        separator: '\t',
      },
    ]);
  });

  it('reads the columns as the user maps them', () => {
    const result = importLabelFiles([fixture('split-emotion.txt')], {
      csvMapping: mapping('column 2', null, null),
    });
    expect(result.format).toBe('whitespace-table');
    expect(Array.from(result.table.classIds)).toEqual([0, 1, 0, 2]);
    expect(Array.from(result.table.splits)).toEqual([-1, -1, -1, -1]);
    expect(result.problems.map((p) => [p.line, p.kind, p.severity, p.field, p.message])).toEqual([
      [
        0,
        'header',
        'warning',
        'column 3',
        "column 3 ('4', '7', '1' ...) is mapped to no role; its values are not read, and an export leaves the column out",
      ],
    ]);
    expect(written(result)).toBe('img_01.png 0\nimg_02.png 1\nimg_03.png 0\nimg_04.png 2\n');
  });

  it('warns of a column it cannot read, and leaves it out of the export', () => {
    const file = textFile('scores.txt', 'a.png 3 0.25 1+2\nb.png 4 0.75 null\n');
    const result = importLabelFiles([file], FORCED);
    expect(
      result.problems.map((p) => [p.line, p.kind, p.severity, p.field, p.raw, p.message]),
    ).toEqual([
      [
        0,
        'header',
        'warning',
        'column 3',
        '0.25 0.75',
        "column 3 ('0.25', '0.75' ...) holds neither class ids, split ids (0-2) nor AU strings; its values are not read, and an export leaves the column out",
      ],
    ]);
    expect(written(result)).toBe('a.png 3 1+2\nb.png 4 null\n');
  });
});

describe('a broken whitespace table', () => {
  it('names each bad row by line and field, and keeps the good ones', () => {
    const result = importLabelFiles([fixture('broken/labels.txt', 'labels.txt')]);
    expect(result.format).toBe('whitespace-table');
    expect(
      result.problems.map((p: Problem) => [p.file, p.line, p.kind, p.severity, p.field, p.raw]),
    ).toEqual([
      ['labels.txt', 2, 'column-count', 'error', 'line', '0002.jpg 10 null'],
      ['labels.txt', 3, 'column-count', 'error', 'line', '0003.jpg 3 4+7 2 extra'],
      ['labels.txt', 4, 'unknown-class', 'error', 'emotion', 'x'],
      ['labels.txt', 5, 'bad-au-token', 'warning', 'au', 'AU2'],
      ['labels.txt', 6, 'duplicate-image', 'error', 'image', '0001.jpg'],
      ['labels.txt', 7, 'unknown-class', 'error', 'emotion', '04'],
      ['labels.txt', 8, 'bad-split', 'error', 'split', '200'],
    ]);
    expect(result.problems.slice(0, 3).map((p) => p.message)).toEqual([
      "expected 4 fields 'image emotion au split', found 3; row rejected",
      "expected 4 fields 'image emotion au split', found 5; row rejected",
      "class id 'x' is not in labels.txt classes; row rejected",
    ]);
    expect(result.table.count).toBe(23 - 6);
    expect(result.report.files).toEqual([
      { name: 'labels.txt', role: 'combined', lines: 23, accepted: 17, rejected: 6 },
    ]);
  });

  it.each<[string, Uint8Array]>([
    ['empty', new Uint8Array(0)],
    ['binary', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])],
    ['blank lines only', new TextEncoder().encode('\n   \n')],
    ['one line too long', new TextEncoder().encode(`a.png 1 ${'2'.repeat(1 << 21)}\n`)],
    ['lone carriage returns', new TextEncoder().encode('a.png 1 0\rb.png 2 1\r')],
  ])('never throws on a file that is %s', (_label, bytes) => {
    const read = readWhitespaceTable({ name: 'labels.txt', bytes });
    expect(read.rows.count).toBe(0);
    expect(read.problems.length).toBeGreaterThan(0);
    expect(read.problems.every((p) => p.severity === 'error' && p.file === 'labels.txt')).toBe(
      true,
    );
  });
});

describe('whitespace table export', () => {
  it('gives the file back byte for byte when nothing changed', () => {
    for (const name of ['labels.txt', 'split-emotion.txt', 'broken/labels.txt']) {
      const file = fixture(name);
      const imported = importLabelFiles([file], FORCED);
      const [out] = WHITESPACE_TABLE_FORMAT.write(writerInput(imported));
      expect(out?.path).toBe(name.split('/').pop());
      const good = name.startsWith('broken/')
        ? new TextDecoder()
            .decode(file.bytes)
            .split('\n')
            .filter((_, k) => ![2, 3, 4, 6, 7, 8].includes(k + 1))
            .join('\n')
        : new TextDecoder().decode(file.bytes);
      expect(new TextDecoder().decode(out?.bytes)).toBe(good);
    }
  });

  it('keeps the spaces after a last AU column, as RAF-CE does', () => {
    const text = 'a.png 3 0 1+2  \r\nb.png 4 1 null\t\r\n';
    const imported = importLabelFiles([textFile('t.txt', text)], FORCED);
    expect(imported.table.auRaw).toEqual(['1+2  ', 'null\t']);
    expect(written(imported)).toBe(text);
  });

  it('writes image, then the labels it has, without the import mapping', () => {
    const imported = importLabelFiles([fixture('labels.txt')]);
    const files = WHITESPACE_TABLE_FORMAT.write({ ...writerInput(imported), csv: null });
    expect(new TextDecoder().decode(files[0]?.bytes)).toBe(
      new TextDecoder().decode(fixture('labels.txt').bytes),
    );
  });

  const kinds = fc.shuffledSubarray(['emotion', 'au', 'split'] as const, { minLength: 1 });
  const auToken = fc
    .tuple(
      fc.constantFrom('', 'L', 'R'),
      fc.constantFrom(1, 2, 4, 6, 12, 25),
      fc.constantFrom('', 'B', 'E'),
    )
    .map(([side, au, intensity]) => `${side}${au}${intensity}`);
  const auValue = fc.oneof(
    fc.constant('null'),
    fc.array(auToken, { minLength: 1, maxLength: 4 }).map((tokens) => tokens.join('+')),
  );
  const row = fc.record({
    emotion: fc.integer({ min: 0, max: 20 }),
    au: auValue,
    split: fc.integer({ min: 0, max: 2 }),
  });

  it('reads any table back into its columns and writes it byte for byte', () => {
    fc.assert(
      fc.property(
        kinds,
        fc.uniqueArray(fc.integer({ min: 1, max: 99_999 }), { minLength: 1, maxLength: 25 }),
        fc.array(row, { minLength: 25, maxLength: 25 }),
        fc.constantFrom(' ', '\t', '  '),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.boolean(),
        (layout, numbers, generated, separator, eol, finalNewline, bom) => {
          const rows = generated.slice(0, numbers.length);
          // What tells the columns apart without a header: a class above 2, an AU
          // value beyond a plain number.
          (rows[0] as (typeof rows)[number]).emotion = 3 + ((numbers[0] as number) % 18);
          if (rows.every((r) => /^\d+$/.test(r.au))) (rows[0] as (typeof rows)[number]).au = 'null';
          const images = numbers.map((n) => `img_${n}.png`);
          const lines = rows.map((r, k) =>
            [images[k], ...layout.map((kind) => String(r[kind]))].join(separator),
          );
          const text = (bom ? '\uFEFF' : '') + lines.join(eol) + (finalNewline ? eol : '');
          const file = textFile('table.txt', text);
          // Two fields are no table by detection: the user says what the file is.
          const imported = importLabelFiles([file], {
            ...FORCED,
            roles: { 'table.txt': 'combined' },
          });
          expect(imported.problems).toEqual([]);
          expect(imported.csv?.mapping).toEqual({
            image: 'column 1',
            emotion: layout.includes('emotion') ? `column ${layout.indexOf('emotion') + 2}` : null,
            au: layout.includes('au') ? `column ${layout.indexOf('au') + 2}` : null,
            split: layout.includes('split') ? `column ${layout.indexOf('split') + 2}` : null,
          });
          expect(textColumnToArray(imported.table.names)).toEqual(images);
          if (layout.includes('emotion'))
            expect(Array.from(imported.table.classIds)).toEqual(rows.map((r) => r.emotion));
          if (layout.includes('split'))
            expect(Array.from(imported.table.splits)).toEqual(rows.map((r) => r.split));
          if (layout.includes('au')) expect(imported.table.auRaw).toEqual(rows.map((r) => r.au));
          const [out] = WHITESPACE_TABLE_FORMAT.write(writerInput(imported));
          expect(Buffer.from(out?.bytes ?? []).equals(Buffer.from(file.bytes))).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });
});
