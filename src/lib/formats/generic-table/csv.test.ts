import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseRows,
  guessCsvMapping,
  guessDelimiter,
  readCsvHeader,
  readGenericCsv,
  readGenericCsvWhole,
  type CsvMapping,
} from './csv';
import type { ReadResult } from '../../labels/records';
import { RAFCE_SCHEME, RAFDB_BASIC_SCHEME } from '../../labels/schemes';
import { fixture, textFile, recordsOf } from '../../labels/test-fixtures';

const CSV = 'csv/labels.csv';
const TSV = 'csv/labels.tsv';
const CSV_MAPPING: CsvMapping = { image: 'file', emotion: 'expression', au: 'AUs', split: 'set' };
const TSV_MAPPING: CsvMapping = { image: 'image', emotion: 'label', au: 'au', split: 'split' };

const rows = (read: ReadResult) =>
  recordsOf(read).map((r) => [r.line, r.image, r.classId, r.split, r.au?.raw ?? null]);
const problems = (read: ReadResult) =>
  read.problems.map((p) => [p.kind, p.severity, p.line, p.field, p.raw, p.message]);

describe('guessCsvMapping', () => {
  it.each<[string[], CsvMapping]>([
    [
      ['image', 'emotion', 'au', 'split'],
      { image: 'image', emotion: 'emotion', au: 'au', split: 'split' },
    ],
    [
      ['File Name', 'Label', 'Action Units', 'Partition'],
      { image: 'File Name', emotion: 'Label', au: 'Action Units', split: 'Partition' },
    ],
    [
      ['path', 'class', 'FACS', 'set'],
      { image: 'path', emotion: 'class', au: 'FACS', split: 'set' },
    ],
    [
      ['name', 'expression', 'AUs', 'subset'],
      { image: 'name', emotion: 'expression', au: 'AUs', split: 'subset' },
    ],
    [
      ['subDirectory_filePath', 'expression_label_id'],
      { image: 'subDirectory_filePath', emotion: 'expression_label_id', au: null, split: null },
    ],
    // Per-AU columns (OpenFace AU01_r) are not an AU string column.
    [['frame', 'AU01_r', 'AU02_r'], { image: null, emotion: null, au: null, split: null }],
    [['image', 'image'], { image: 'image', emotion: null, au: null, split: null }],
    [['emotion', 'au'], { image: null, emotion: 'emotion', au: 'au', split: null }],
  ])('%j', (columns, mapping) => {
    expect(guessCsvMapping(columns)).toEqual(mapping);
  });
});

describe('readCsvHeader', () => {
  it.each<[string, string[], CsvMapping, string]>([
    [CSV, ['file', 'expression', 'AUs', 'set', 'note'], CSV_MAPPING, ','],
    [TSV, ['image', 'label', 'au', 'split'], TSV_MAPPING, '\t'],
  ])('%s', (path, columns, mapping, delimiter) => {
    expect(readCsvHeader(fixture(path))).toEqual({
      columns,
      mapping,
      delimiter,
      headerLine: 1,
      problems: [],
      notes: [],
    });
  });

  it('reports a header without an image column', () => {
    const header = readCsvHeader(fixture('csv/no-image-column.csv'));
    expect(header).toMatchObject({
      columns: ['emotion', 'au'],
      mapping: { image: null, emotion: 'emotion', au: 'au', split: null },
    });
    expect(header.problems).toEqual([
      {
        kind: 'header',
        severity: 'error',
        file: 'csv/no-image-column.csv',
        line: 1,
        field: 'image',
        raw: 'emotion,au',
        message:
          'no image column found in the header (looked for image, images, img, file, filename, file_name ...); choose one',
      },
    ]);
  });

  it.each<[string, string, string]>([
    ['empty file', '', 'empty-file'],
    ['only separators', ',,\n', 'header'],
  ])('%s', (_label, text, kind) => {
    const header = readCsvHeader(textFile('x.csv', text));
    expect('mapping' in header).toBe(false);
    expect(header.problems.map((p) => p.kind)).toEqual([kind]);
  });
});

describe('readGenericCsv', () => {
  const csvProblemsCommon = [
    [
      'bad-au-token',
      'warning',
      6,
      'au',
      'RB18',
      "AU token 'RB18' is outside the grammar [L|R|B|T]<number>[A-E] or AD<number>; kept raw",
    ],
    [
      'missing-value',
      'warning',
      7,
      'au',
      '',
      "empty AU cell: read as not given (absent), not as 'no AU'",
    ],
    [
      'column-count',
      'error',
      8,
      'line',
      '0006.jpg,too,few',
      'expected 5 fields, found 3; row rejected',
    ],
    [
      'duplicate-image',
      'error',
      9,
      'image',
      '0001.jpg',
      "image '0001.jpg' already given on line 2; this row is rejected",
    ],
    ['missing-value', 'warning', 10, 'emotion', '', 'empty emotion; kept without a class (-1)'],
  ];

  it('CSV with quoting, class names and split names, no scheme given', () => {
    const read = readGenericCsv(fixture(CSV), CSV_MAPPING);
    expect(rows(read)).toEqual([
      [2, '0001.jpg', 0, 0, '1+2+12+25'],
      [3, 'dir, with comma/0002.jpg', 1, 1, '4+15'],
      // A quoted field spanning two lines: the row keeps the line it starts on.
      [4, '0003 "q".jpg', 0, 0, 'null'],
      [6, '0004.jpg', 1, 2, 'L12+RB18'],
      [7, '0005.jpg', 0, 0, null],
      [10, '0007.jpg', -1, 1, '25'],
      [11, '0008.jpg', 2, 0, '12'],
    ]);
    expect(problems(read)).toEqual(csvProblemsCommon);
    expect(read.scheme?.classes).toEqual([
      { id: 0, name: 'Happily surprised', components: ['happy', 'surprise'] },
      { id: 1, name: 'sadly angry', components: ['sad', 'anger'] },
      { id: 2, name: 'happy', components: ['happy'] },
    ]);
    expect(read.splitNames).toEqual({ 0: 'train', 1: 'test', 2: 'validation' });
    expect(read.rowsRead).toBe(9);
    expect(read.source).toEqual({
      name: CSV,
      role: 'combined',
      eol: '\n',
      finalNewline: true,
      bom: false,
      lines: 11,
      delimiter: ',',
    });
    expect(read.problems.every((p) => p.file === CSV)).toBe(true);
  });

  it('CSV class names matched case-insensitively against a given scheme', () => {
    const read = readGenericCsv(fixture(CSV), CSV_MAPPING, RAFCE_SCHEME);
    expect(read.scheme).toBe(RAFCE_SCHEME);
    expect(rows(read).map(([, image, classId]) => [image, classId])).toEqual([
      ['0001.jpg', 0],
      ['dir, with comma/0002.jpg', 3],
      ['0003 "q".jpg', 0],
      ['0004.jpg', 3],
      ['0005.jpg', 0],
      ['0007.jpg', -1],
    ]);
    expect(problems(read)).toEqual([
      ...csvProblemsCommon,
      [
        'unknown-class',
        'error',
        11,
        'emotion',
        'happy',
        "class 'happy' is not in RAF-CE (14 compound classes, 0-based); row rejected",
      ],
    ]);
  });

  it.each([
    ['no scheme: classes from the ids', undefined, 'class x is not in labels.tsv classes'],
    ['RAF-DB basic scheme', RAFDB_BASIC_SCHEME, 'class x is not in RAF-DB basic'],
  ])('TSV with quoting and integer ids, %s', (_label, scheme, message) => {
    const read = readGenericCsv(fixture(TSV), TSV_MAPPING, scheme);
    expect(rows(read)).toEqual([
      [2, 'train_0001.jpg', 4, 0, '6+12'],
      [3, 'train 0002.jpg', 5, 1, '1+4+15'],
      [5, 'train_0004.jpg', 7, 2, 'null'],
    ]);
    expect(problems(read)).toEqual([
      [
        'unknown-class',
        'error',
        4,
        'emotion',
        'x',
        `${message.replace('class x', "class 'x'")}${scheme ? ' (7 classes, 1-based)' : ''}; row rejected`,
      ],
    ]);
    expect(read.splitNames).toEqual({ 0: 'split 0', 1: 'split 1', 2: 'split 2' });
    if (!scheme)
      expect(read.scheme?.classes.map((c) => c.name)).toEqual(['class 4', 'class 5', 'class 7']);
  });

  it.each<[string, CsvMapping, string, string]>([
    [
      'no image column mapped',
      { image: null, emotion: 'emotion', au: 'au', split: null },
      'image',
      'no column is mapped to the image name; no row can be read',
    ],
    [
      'a mapped column missing from the header',
      { image: 'emotion', emotion: 'mood', au: null, split: null },
      'emotion',
      "the emotion column 'mood' is not in the header (emotion, au)",
    ],
  ])('header problem: %s', (_label, mapping, field, message) => {
    const read = readGenericCsv(fixture('csv/no-image-column.csv'), mapping);
    expect(recordsOf(read)).toEqual([]);
    expect(read.problems).toEqual([
      {
        kind: 'header',
        severity: 'error',
        file: 'csv/no-image-column.csv',
        line: 1,
        field,
        raw: field === 'image' ? 'emotion,au' : 'mood',
        message,
      },
    ]);
  });

  it.each<[string, string, (string | number)[][]]>([
    [
      'CRLF and a BOM',
      '\ufeffimage,emotion\r\na.jpg,happy\r\nb.jpg,sad\r\n',
      [
        [2, 'a.jpg'],
        [3, 'b.jpg'],
      ],
    ],
    ['no final newline', 'image,emotion\na.jpg,happy', [[2, 'a.jpg']]],
    [
      'semicolons',
      'image;emotion\na.jpg;happy\nb.jpg;sad\n',
      [
        [2, 'a.jpg'],
        [3, 'b.jpg'],
      ],
    ],
  ])('%s', (_label, text, expected) => {
    const read = readGenericCsv(textFile('x.csv', text), {
      image: 'image',
      emotion: 'emotion',
      au: null,
      split: null,
    });
    expect(recordsOf(read).map((r) => [r.line, r.image])).toEqual(expected);
    expect(read.problems).toEqual([]);
  });

  it('reports an empty image name and a blank line', () => {
    const read = readGenericCsv(textFile('x.csv', 'image,au\n,12\n\nb.jpg,1\n'), {
      image: 'image',
      emotion: null,
      au: 'au',
      split: null,
    });
    expect(rows(read)).toEqual([[4, 'b.jpg', -1, -1, '1']]);
    expect(problems(read)).toEqual([
      ['missing-value', 'error', 2, 'image', '', 'empty image name; row rejected'],
      ['missing-value', 'warning', 3, 'line', '', 'blank line skipped'],
    ]);
  });

  it('reports an unterminated quote', () => {
    const read = readGenericCsv(textFile('x.csv', 'image,au\na.jpg,1\n"b.jpg,2\nc.jpg,3\n'), {
      image: 'image',
      emotion: null,
      au: 'au',
      split: null,
    });
    expect(rows(read)).toEqual([[2, 'a.jpg', -1, -1, '1']]);
    expect(problems(read)).toEqual([
      [
        'column-count',
        'error',
        3,
        'line',
        'b.jpg,2\nc.jpg,3\n',
        'expected 2 fields, found 1 (Quoted field unterminated); row rejected',
      ],
    ]);
  });
});

describe('readGenericCsv progress', () => {
  it.each([0, 1, 16_384, 40_000])(
    'tells how many of %i data rows are checked, in order, ending at all of them',
    (count) => {
      const lines = ['image,emotion'];
      for (let i = 0; i < count; i++) lines.push(`${String(i).padStart(6, '0')}.jpg,${i % 7}`);
      const seen: [number, number][] = [];
      const read = readGenericCsv(
        textFile('x.csv', lines.join('\n')),
        { image: 'image', emotion: 'emotion', au: null, split: null },
        undefined,
        (done, total) => seen.push([done, total]),
      );
      expect(read.rows.count).toBe(count);
      expect(seen.at(-1)).toEqual([count, count]);
      expect(seen.every(([, total]) => total === count)).toBe(true);
      const done = seen.map(([d]) => d);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      // Now and then, not per row.
      expect(seen.length).toBeLessThanOrEqual(2 + count / 16_384);
    },
  );
});

describe('guessDelimiter', () => {
  it.each<[string, string, string]>([
    ['a,b,c\n', 'x.csv', ','],
    ['a\tb\n', 'x.txt', '\t'],
    ['a;b\n1;2\n', 'x.csv', ';'],
    ['a|b\n', 'x.csv', '|'],
    ['"a;b",c\n', 'x.csv', ','],
    ['a,b\n', 'x.tsv', '\t'],
    ['\n\nimage;emotion\n', 'x.csv', ';'],
    ['single\n', 'x.csv', ','],
  ])('%j in %s', (text, name, delimiter) => {
    expect(guessDelimiter(text, name)).toBe(delimiter);
  });
});

describe('readGenericCsv, a row at a time or every row at once', () => {
  const mappings = [
    { image: 'image', emotion: 'emotion', au: 'au', split: 'split' },
    { image: 'image', emotion: 'emotion', au: null, split: null },
    { image: 'image', emotion: null, au: 'au', split: 'split' },
  ];

  it('reads quote-free files the same either way (property)', () => {
    const cellValue = fc.constantFrom(
      '',
      ' ',
      '1',
      '2',
      '13',
      'x',
      'Happy',
      'happy ',
      'test',
      '1+2',
      'a.jpg',
      'b.jpg',
      'é.jpg',
    );
    const row = fc.array(cellValue, { minLength: 0, maxLength: 5 }).map((cells) => cells.join(','));
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 30 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(...mappings),
        fc.boolean(),
        fc.boolean(),
        (rows, blankBefore, mapping, finalLineFeed, withScheme) => {
          const text =
            '\n'.repeat(blankBefore) +
            ['image,emotion,au,split', ...rows].join('\n') +
            (finalLineFeed ? '\n' : '');
          const file = textFile('x.csv', text);
          const scheme = withScheme ? RAFCE_SCHEME : undefined;
          const lazy = readGenericCsv(file, mapping, scheme);
          const whole = readGenericCsvWhole(file, mapping, scheme);
          expect(lazy).toEqual(whole);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('finds a header after more blank lines than the first rows it scans', () => {
    const text = '\n'.repeat(60) + 'image,emotion\na.jpg,1\n';
    const read = readGenericCsv(textFile('x.csv', text), {
      image: 'image',
      emotion: 'emotion',
      au: null,
      split: null,
    });
    expect(recordsOf(read).map((r) => [r.line, r.image])).toEqual([[62, 'a.jpg']]);
    expect(read).toEqual(
      readGenericCsvWhole(textFile('x.csv', text), {
        image: 'image',
        emotion: 'emotion',
        au: null,
        split: null,
      }),
    );
  });
});

describe('readGenericCsv and line breaks inside quoted cells', () => {
  it('rejects a row whose image or AU cell holds a line break, and says which', () => {
    const read = readGenericCsv(
      textFile('labels.csv', 'image,au\n"a\nb.jpg",1+2\nc.jpg,"1\r\n+2"\nd.jpg,4\n'),
      { image: 'image', emotion: null, au: 'au', split: null },
    );
    expect(recordsOf(read).map((r) => r.image)).toEqual(['d.jpg']);
    expect(read.problems.map((p) => [p.line, p.field, p.message])).toEqual([
      [2, 'image', 'a line break inside the image cell; row rejected'],
      [4, 'au', 'a line break inside the au cell; row rejected'],
    ]);
  });
});

describe('parseRows', () => {
  it('splits text without quotes or carriage returns as papaparse does (property)', () => {
    const cell = fc.constantFrom(
      '',
      ' ',
      'a',
      '0001.jpg',
      '1+2',
      'L12',
      'null',
      '3',
      'x y',
      'é',
      '\t',
    );
    const delimiter = fc.constantFrom(',', '\t', ';', '|');
    fc.assert(
      fc.property(
        delimiter,
        fc.array(fc.array(cell, { maxLength: 5 }), { maxLength: 12 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 6 }),
        (sep, rows, finalNewline, maxRows) => {
          const text = rows.map((cells) => cells.join(sep)).join('\n') + (finalNewline ? '\n' : '');
          const name = sep === '\t' ? 'labels.tsv' : 'labels.csv';
          expect(parseRows(text, name, maxRows)).toEqual(parseRows(text, name, maxRows, 'papa'));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
