import { describe, expect, it } from 'vitest';
import {
  rafCeRole,
  readRafCe,
  readRafCeAu,
  readRafCeEmotion,
  readRafCePartition,
  type RafCeRole,
} from './rafce';
import type { ReadResult } from './records';
import { fixture, realRafCeFile, textFile } from './test-fixtures';
import type { Problem } from './types';

type Expected = Pick<Problem, 'kind' | 'severity' | 'line' | 'field' | 'raw' | 'message'>;

const problemsOf = (read: ReadResult) =>
  read.problems.map(({ kind, severity, line, field, raw, message }) => ({
    kind,
    severity,
    line,
    field,
    raw,
    message,
  }));

describe('rafCeRole', () => {
  it.each<[string, RafCeRole | null]>([
    ['RAFCE_emolabel.txt', 'emotion'],
    ['labels/RAFCE_partition.txt', 'split'],
    ['C:\\data\\RAFCE_AUlabel.txt', 'au'],
    ['rafce_aulabel.TXT', 'au'],
    ['RAFCE_AUlabel.txt.bak', null],
    ['list_patition_label.txt', null],
  ])('%s', (name, role) => {
    expect(rafCeRole(name)).toBe(role);
  });
});

describe('RAF-CE readers on broken files', () => {
  const rafceClasses = 'RAF-CE (14 compound classes, 0-based)';
  it.each<[string, RafCeRole, [number, string, string][], Expected[]]>([
    [
      'bom/RAFCE_emolabel.txt',
      'emotion',
      [
        [1, '0001.jpg', '5'],
        [2, '0002.jpg', '10'],
      ],
      [],
    ],
    [
      'crlf/RAFCE_partition.txt',
      'split',
      [
        [1, '0001.jpg', '0'],
        [2, '0002.jpg', '2'],
        [3, '0003.jpg', '1'],
      ],
      [],
    ],
    [
      'no-final-newline/RAFCE_partition.txt',
      'split',
      [
        [1, '0001.jpg', '0'],
        [2, '0002.jpg', '1'],
      ],
      [],
    ],
    [
      'utf16le/RAFCE_AUlabel.txt',
      'au',
      [
        [1, '0001.jpg', '1+2'],
        [2, '0002.jpg', 'null'],
      ],
      [],
    ],
    [
      'utf16be/RAFCE_AUlabel.txt',
      'au',
      [
        [1, '0001.jpg', '1+2'],
        [2, '0002.jpg', 'null'],
      ],
      [],
    ],
    [
      'column-count/RAFCE_emolabel.txt',
      'emotion',
      [
        [1, '0001.jpg', '5'],
        [4, '0004.jpg', '3'],
        [6, '0005.jpg', '1'],
      ],
      [
        {
          kind: 'column-count',
          severity: 'error',
          line: 2,
          field: 'emotion',
          raw: '0002.jpg',
          message: "expected 2 fields 'image emotion', found 1; row rejected",
        },
        {
          kind: 'column-count',
          severity: 'error',
          line: 3,
          field: 'emotion',
          raw: '0003.jpg 10 extra',
          message: "expected 2 fields 'image emotion', found 3; row rejected",
        },
        {
          kind: 'missing-value',
          severity: 'warning',
          line: 5,
          field: 'line',
          raw: '',
          message: 'blank line skipped',
        },
      ],
    ],
    [
      'unknown-class/RAFCE_emolabel.txt',
      'emotion',
      [
        [1, '0001.jpg', '13'],
        [5, '0005.jpg', '0'],
      ],
      [
        ['14', 2],
        ['-1', 3],
        ['happy', 4],
      ].map(([raw, line]) => ({
        kind: 'unknown-class' as const,
        severity: 'error' as const,
        line: line as number,
        field: 'emotion',
        raw: raw as string,
        message: `class id '${raw}' is not in ${rafceClasses}; row rejected`,
      })),
    ],
    [
      'bad-split/RAFCE_partition.txt',
      'split',
      [
        [1, '0001.jpg', '0'],
        [4, '0004.jpg', '2'],
      ],
      [
        ['train', 2],
        ['1.5', 3],
      ].map(([raw, line]) => ({
        kind: 'bad-split' as const,
        severity: 'error' as const,
        line: line as number,
        field: 'split',
        raw: raw as string,
        message: `split id '${raw}' is not an integer 0-127; row rejected`,
      })),
    ],
    [
      'duplicate/RAFCE_emolabel.txt',
      'emotion',
      [
        [1, '0001.jpg', '5'],
        [2, '0002.jpg', '10'],
      ],
      [
        {
          kind: 'duplicate-image',
          severity: 'error',
          line: 3,
          field: 'image',
          raw: '0001.jpg',
          message: "image '0001.jpg' already given on line 1; this row is rejected",
        },
      ],
    ],
    [
      'trailing-spaces/RAFCE_AUlabel.txt',
      'au',
      [
        [1, '0001.jpg', '1+2   '],
        [2, '0002.jpg', 'L12+24 '],
        [3, '0003.jpg', 'null  '],
      ],
      [],
    ],
    [
      'bad-au/RAFCE_AUlabel.txt',
      'au',
      [
        [1, '0001.jpg', '1+4+25'],
        [2, '0002.jpg', '4+RB18'],
        [3, '0003.jpg', 'AU12'],
        [4, '0004.jpg', '1++2'],
        [5, '0005.jpg', 't23'],
        [6, '0006.jpg', '3+12'],
        [7, '0007.jpg', 'NULL '],
        [8, '0008.jpg', 'L12L+BL18'],
      ],
      (
        [
          [2, 'RB18', "AU token 'RB18' is outside the grammar"],
          [3, 'AU12', "AU token 'AU12' is outside the grammar"],
          [4, '', 'empty AU token (nothing between separators); kept raw'],
          [5, 't23', "lower-case token 't23' read as T23"],
          [6, '3', "AU token '3': AU3 is not a FACS code; kept raw"],
          [8, 'L12L', "AU token 'L12L' is outside the grammar"],
          [8, 'BL18', "AU token 'BL18' is outside the grammar"],
        ] as const
      ).map(([line, raw, message]) => ({
        kind: 'bad-au-token' as const,
        severity: 'warning' as const,
        line,
        field: 'au',
        raw,
        message: message.endsWith('grammar')
          ? `${message} [L|R|B|T]<number>[A-E] or AD<number>; kept raw`
          : message,
      })),
    ],
  ])('%s', (path, role, records, problems) => {
    const file = fixture(`raf-ce-broken/${path}`);
    const read = readRafCe(file, role);
    const value = (r: ReadResult['records'][number]) =>
      role === 'emotion' ? String(r.classId) : role === 'split' ? String(r.split) : r.au?.raw;
    expect(read.records.map((r) => [r.line, r.image, value(r)])).toEqual(records);
    expect(problemsOf(read)).toEqual(problems);
    expect(read.problems.every((p) => p.file === file.name)).toBe(true);
    expect(read.rowsRead).toBe(
      records.length + problems.filter((p) => p.severity === 'error').length,
    );
    expect(read.source?.role).toBe(role);
  });

  it.each<[string, RafCeRole, Expected]>([
    [
      'empty/RAFCE_emolabel.txt',
      'emotion',
      {
        kind: 'empty-file',
        severity: 'error',
        line: 0,
        field: 'file',
        raw: '',
        message: 'the file is empty (0 bytes)',
      },
    ],
    [
      'binary/RAFCE_AUlabel.txt',
      'au',
      {
        kind: 'encoding',
        severity: 'error',
        line: 0,
        field: 'file',
        raw: '00 00 00 0d 49 48 44 52',
        message:
          'not a text file: NUL byte at byte 8 (line 3); a UTF-16 file needs a byte-order mark',
      },
    ],
  ])('%s: one file problem, no rows, no source', (path, role, problem) => {
    const read = readRafCe(fixture(`raf-ce-broken/${path}`), role);
    expect(read).toMatchObject({ records: [], rowsRead: 0, source: null });
    expect(problemsOf(read)).toEqual([problem]);
  });

  it('keeps how the file was written, for a byte-exact export', () => {
    expect(readRafCePartition(fixture('raf-ce-broken/crlf/RAFCE_partition.txt')).source).toEqual({
      name: 'raf-ce-broken/crlf/RAFCE_partition.txt',
      role: 'split',
      eol: '\r\n',
      finalNewline: true,
      bom: false,
      lines: 3,
    });
    expect(readRafCeAu(fixture('raf-ce-broken/utf16be/RAFCE_AUlabel.txt')).source).toMatchObject({
      bom: true,
      encoding: 'utf-16be',
      lines: 2,
    });
  });

  it('parses the AU value after the first whitespace run, trailing spaces ignored', () => {
    const read = readRafCeAu(textFile('RAFCE_AUlabel.txt', '0001.jpg \t 1 + L2   \n'));
    expect(read.records[0]?.au?.raw).toBe('1 + L2   ');
    expect(read.records[0]?.au?.parsed.tokens.map((t) => t.raw)).toEqual(['1', 'L2']);
    expect(read.problems).toEqual([]);
  });

  it('checks class ids against the scheme it is given', () => {
    const read = readRafCeEmotion(textFile('e.txt', 'a.jpg 13\n'), {
      id: 'two',
      name: 'two classes',
      classes: [
        { id: 0, name: 'A', components: [] },
        { id: 1, name: 'B', components: [] },
      ],
    });
    expect(read.records).toEqual([]);
    expect(read.problems[0]?.message).toBe("class id '13' is not in two classes; row rejected");
  });
});

describe('RAF-CE readers on the real files', () => {
  it.each<[RafCeRole, 'RAFCE_emolabel.txt' | 'RAFCE_partition.txt' | 'RAFCE_AUlabel.txt', boolean]>(
    [
      ['emotion', 'RAFCE_emolabel.txt', false],
      ['split', 'RAFCE_partition.txt', false],
      ['au', 'RAFCE_AUlabel.txt', true],
    ],
  )('%s file: 4,549 rows, all accepted', (role, name, finalNewline) => {
    const read = readRafCe(realRafCeFile(name), role);
    expect(read.rowsRead).toBe(4549);
    expect(read.records).toHaveLength(4549);
    expect(read.source).toEqual({
      name,
      role,
      eol: '\n',
      finalNewline,
      bom: false,
      lines: 4549,
    });
    expect(read.records[0]?.image).toBe('0001.jpg');
    expect(read.records.at(-1)?.image).toBe('4908.jpg');
    expect(read.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('AU file: warns about exactly the odd tokens and keeps their rows', () => {
    const read = readRafCeAu(realRafCeFile('RAFCE_AUlabel.txt'));
    expect(read.problems.map((p) => [p.kind, p.severity, p.raw]).sort()).toEqual([
      ['bad-au-token', 'warning', 'BL18'],
      ['bad-au-token', 'warning', 'L12L'],
      ['bad-au-token', 'warning', 'RB18'],
      ['bad-au-token', 'warning', 't23'],
    ]);
    expect(read.records.filter((r) => r.au?.parsed.status === 'null')).toHaveLength(251);
    expect(read.records[2]).toMatchObject({ line: 3, image: '0003.jpg', au: { raw: 'L12+24' } });
  });
});
