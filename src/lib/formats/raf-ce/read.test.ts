import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RAFCE_FILE_NAMES,
  rafCeRole,
  RafCeReader,
  readRafCe,
  readRafCeAu,
  readRafCeEmotion,
  readRafCePartition,
  separatorName,
  type RafCeRole,
} from './read';
import {
  auValueReader,
  columnsFromRecords,
  ImagesSeen,
  isDuplicateImage,
  makeProblem,
  isCanonicalInteger,
  nonCanonicalIdMessage,
  parseInteger,
  readLines,
  type LabelRecord,
  type ReadResult,
} from '../../labels/records';
import { RAFCE_SCHEME } from '../../labels/schemes';
import {
  describeRealRafCe,
  fixture,
  itRealRafCe,
  realRafCeFile,
  textFile,
  recordsOf,
} from '../../labels/test-fixtures';
import { columnLength, textColumnToArray } from '../../labels/text-column';
import type { InputFile, Problem } from '../../labels/types';

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

describe('separatorName', () => {
  it.each<[string, string]>([
    [' ', 'one space'],
    ['  ', '2 spaces'],
    ['\t', 'a tab'],
    ['\t\t\t', '3 tabs'],
    [' \t', '" \\t"'],
    ['\u3000', '"\u3000"'],
  ])('%j is %s', (separator, name) => {
    expect(separatorName(separator)).toBe(name);
  });
});

describe('RAF-CE reader: the separator between image and value', () => {
  it.each<[string, string, string | undefined, number[]]>([
    // [case, file, SourceFile.separator, lines warned]
    ['one space', '0001.jpg 1+2\n0002.jpg null\n', undefined, []],
    ['two spaces', '0001.jpg  1+2\n0002.jpg  null\n', '  ', []],
    ['a tab', '0001.jpg\t1+2\n0002.jpg\tnull\n', '\t', []],
    ['space and tab', '0001.jpg \t1+2\n0002.jpg \tnull\n', ' \t', []],
    ['beyond ASCII (general path)', '0001.jpg\u30001\n0002.jpg\u3000null\n', '\u3000', []],
    ['a tab on one line', '0001.jpg 1\n0002.jpg 2\n0003.jpg\t4\n', undefined, [3]],
    ['mostly two spaces', '0001.jpg 1\n0002.jpg  2\n0003.jpg  4\n', '  ', [1]],
    ['three kinds', '0001.jpg 1\n0002.jpg\t2\n0003.jpg  4\n0004.jpg 5\n', undefined, [2]],
    ['no rows', '\n', undefined, []],
  ])('%s', (_, text, separator, warned) => {
    for (const sizes of [[text.length + 10], [1], [5]]) {
      const reader = new RafCeReader(RAFCE_FILE_NAMES.au, 'au');
      const bytes = new TextEncoder().encode(text);
      for (let at = 0, k = 0; at < bytes.length; k++) {
        const size = sizes[k % sizes.length] as number;
        reader.push(bytes.subarray(at, at + size));
        at += size;
      }
      const read = reader.finish();
      expect(read.source?.separator).toBe(separator);
      const warnings = read.problems.filter((p) => p.kind === 'separator');
      expect(warnings.map((p) => p.line)).toEqual(warned);
      expect(warnings.every((p) => p.severity === 'warning')).toBe(true);
    }
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
      [
        {
          kind: 'separator',
          severity: 'warning',
          line: 2,
          field: 'separator',
          raw: '"\\t"',
          message:
            'lines differ in the whitespace between image and value: one space on 2 lines, a tab on 1 line (first on line 2); an untouched export writes one space on every line',
        },
      ],
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
    const value = (r: LabelRecord) =>
      role === 'emotion' ? String(r.classId) : role === 'split' ? String(r.split) : r.au?.raw;
    expect(recordsOf(read).map((r) => [r.line, r.image, value(r)])).toEqual(records);
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
    expect(read).toMatchObject({ rows: { count: 0 }, rowsRead: 0, source: null });
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
    expect(recordsOf(read)[0]?.au?.raw).toBe('1 + L2   ');
    expect(recordsOf(read)[0]?.au?.parsed.tokens.map((t) => t.raw)).toEqual(['1', 'L2']);
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
    expect(recordsOf(read)).toEqual([]);
    expect(read.problems[0]?.message).toBe("class id '13' is not in two classes; row rejected");
  });
});

describeRealRafCe('RAF-CE readers on the real files', () => {
  it.each<[RafCeRole, 'RAFCE_emolabel.txt' | 'RAFCE_partition.txt' | 'RAFCE_AUlabel.txt', boolean]>(
    [
      ['emotion', 'RAFCE_emolabel.txt', false],
      ['split', 'RAFCE_partition.txt', false],
      ['au', 'RAFCE_AUlabel.txt', true],
    ],
  )('%s file: 4,549 rows, all accepted', (role, name, finalNewline) => {
    const read = readRafCe(realRafCeFile(name), role);
    expect(read.rowsRead).toBe(4549);
    expect(recordsOf(read)).toHaveLength(4549);
    expect(read.source).toEqual({
      name,
      role,
      eol: '\n',
      finalNewline,
      bom: false,
      lines: 4549,
    });
    expect(recordsOf(read)[0]?.image).toBe('0001.jpg');
    expect(recordsOf(read).at(-1)?.image).toBe('4908.jpg');
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
    expect(recordsOf(read).filter((r) => r.au?.parsed.status === 'null')).toHaveLength(251);
    expect(recordsOf(read)[2]).toMatchObject({ line: 3, image: '0003.jpg', au: { raw: 'L12+24' } });
  });
});

/**
 * The reader before it learned to skip per-field strings: one regex per line, one
 * object per row. The fast reader must give the same rows and the same problems.
 */
function referenceRead(file: InputFile, role: RafCeRole): ReadResult {
  const seen = new ImagesSeen();
  const classIds = new Set(RAFCE_SCHEME.classes.map((c) => c.id));
  const readAu = auValueReader(file.name);
  /** The separator of each accepted row, by separator in order of appearance: rows and first line. */
  const separators = new Map<string, { rows: number; line: number }>();
  const read = readLines(file, role, (line, text, problems) => {
    const match = /^\s*(\S+)(?:(\s+)(.*))?$/.exec(text);
    const image = match?.[1] ?? '';
    const value = match?.[3] ?? '';
    const trimmed = value.trim();
    const record: LabelRecord = { line, image };
    const reject = (kind: Problem['kind'], raw: string, message: string) => {
      problems.push(makeProblem(file.name, line, kind, 'error', role, raw, message));
      return null;
    };
    if (trimmed === '')
      return reject(
        'column-count',
        text,
        `expected 2 fields 'image ${role}', found 1; row rejected`,
      );
    if (role !== 'au' && /\s/.test(trimmed))
      return reject(
        'column-count',
        text,
        `expected 2 fields 'image ${role}', found ${1 + trimmed.split(/\s+/).length}; row rejected`,
      );
    if (role === 'emotion') {
      const classId = parseInteger(trimmed);
      if (classId !== null && !isCanonicalInteger(trimmed))
        return reject(
          'unknown-class',
          trimmed,
          `${nonCanonicalIdMessage('class id', trimmed)}; row rejected`,
        );
      if (classId === null || !classIds.has(classId))
        return reject(
          'unknown-class',
          trimmed,
          `class id '${trimmed}' is not in ${RAFCE_SCHEME.name}; row rejected`,
        );
      record.classId = classId;
    }
    if (role === 'split') {
      const split = parseInteger(trimmed);
      if (split !== null && !isCanonicalInteger(trimmed))
        return reject(
          'bad-split',
          trimmed,
          `${nonCanonicalIdMessage('split id', trimmed)}; row rejected`,
        );
      if (split === null || split < 0 || split > 127)
        return reject(
          'bad-split',
          trimmed,
          `split id '${trimmed}' is not an integer 0-127; row rejected`,
        );
      record.split = split;
    }
    if (isDuplicateImage(seen, file.name, line, image, problems)) return null;
    if (role === 'au') record.au = readAu(line, value, problems);
    const separator = match?.[2] ?? '';
    const seenSeparator = separators.get(separator);
    if (seenSeparator) seenSeparator.rows++;
    else separators.set(separator, { rows: 1, line });
    return record;
  });
  // The most common separator is written back (the first seen among equals); others are reported.
  const all = [...separators].map(([separator, seen]) => ({ separator, ...seen }));
  let chosen = all[0];
  for (const entry of all) if (chosen && entry.rows > chosen.rows) chosen = entry;
  if (read.source && chosen && chosen.separator !== ' ') read.source.separator = chosen.separator;
  if (all.length > 1 && chosen) {
    const firstOther = all.filter((entry) => entry !== chosen).sort((a, b) => a.line - b.line)[0];
    const tally = all.map(
      ({ separator, rows, line }) =>
        `${separatorName(separator)} on ${rows} line${rows === 1 ? '' : 's'}` +
        (line === firstOther?.line ? ` (first on line ${line})` : ''),
    );
    read.problems.push(
      makeProblem(
        file.name,
        firstOther?.line ?? 0,
        'separator',
        'warning',
        'separator',
        JSON.stringify(firstOther?.separator),
        `lines differ in the whitespace between image and value: ${tally.join(', ')}; an untouched export writes ${separatorName(chosen.separator)} on every line`,
      ),
    );
  }
  return {
    rows: columnsFromRecords(read.records),
    problems: read.problems,
    rowsRead: read.rowsRead,
    source: read.source,
  };
}

describe('RafCeReader', () => {
  /** Reads bytes cut into chunks of the given sizes (cycled). */
  function readInChunks(file: InputFile, role: RafCeRole, sizes: readonly number[]): ReadResult {
    const reader = new RafCeReader(file.name, role);
    for (let at = 0, k = 0; at < file.bytes.length; k++) {
      const size = sizes[k % sizes.length] as number;
      if (!reader.push(file.bytes.subarray(at, at + size))) break;
      at += size;
    }
    return reader.finish();
  }

  const comparable = (read: ReadResult) => ({
    records: recordsOf(read),
    problems: read.problems,
    rowsRead: read.rowsRead,
    source: read.source,
  });

  it.each<[string, RafCeRole]>([
    ['raf-ce-broken/bad-au/RAFCE_AUlabel.txt', 'au'],
    ['raf-ce-broken/bad-split/RAFCE_partition.txt', 'split'],
    ['raf-ce-broken/blank-only/RAFCE_emolabel.txt', 'emotion'],
    ['raf-ce-broken/bom/RAFCE_emolabel.txt', 'emotion'],
    ['raf-ce-broken/column-count/RAFCE_emolabel.txt', 'emotion'],
    ['raf-ce-broken/crlf/RAFCE_partition.txt', 'split'],
    ['raf-ce-broken/duplicate/RAFCE_emolabel.txt', 'emotion'],
    ['raf-ce-broken/join/RAFCE_AUlabel.txt', 'au'],
    ['raf-ce-broken/no-final-newline/RAFCE_partition.txt', 'split'],
    ['raf-ce-broken/trailing-spaces/RAFCE_AUlabel.txt', 'au'],
    ['raf-ce-broken/unknown-class/RAFCE_emolabel.txt', 'emotion'],
    ['raf-ce-broken/utf16le/RAFCE_AUlabel.txt', 'au'],
  ])('%s: the same as the one-regex-per-line reader, however the file is cut', (path, role) => {
    const file = fixture(path);
    const expected = comparable(referenceRead(file, role));
    for (const sizes of [[file.bytes.length], [1], [3], [7, 2], [64]]) {
      expect(comparable(readInChunks(file, role, sizes))).toEqual(expected);
    }
  });

  itRealRafCe.each<[RafCeRole, 'RAFCE_emolabel.txt' | 'RAFCE_partition.txt' | 'RAFCE_AUlabel.txt']>(
    [
      ['emotion', 'RAFCE_emolabel.txt'],
      ['split', 'RAFCE_partition.txt'],
      ['au', 'RAFCE_AUlabel.txt'],
    ],
  )('real %s file in 4 KiB chunks: the same as the reference reader', (role, name) => {
    const file = realRafCeFile(name);
    expect(comparable(readInChunks(file, role, [4096]))).toEqual(
      comparable(referenceRead(file, role)),
    );
  });

  it('gives each of many thousand distinct AU values one id, in pieces or whole', () => {
    // Enough distinct values for the lookup tables to grow several times; each value
    // comes back on later lines, some in another piece.
    const values = Array.from(
      { length: 9000 },
      (_, k) => `${(k % 60) + 1}+${Math.floor(k / 60) + 1}`,
    );
    const lines = Array.from({ length: 30_000 }, (_, i) => {
      const value = values[(i * 7919) % values.length] as string;
      return `${String(i).padStart(6, '0')}.jpg ${i % 11 === 0 ? 'L' + value : value}`;
    });
    const file = textFile('RAFCE_AUlabel.txt', lines.join('\n') + '\n');
    const expected = comparable(referenceRead(file, 'au'));
    for (const sizes of [[file.bytes.length], [4096], [65_536, 333]]) {
      const read = readInChunks(file, 'au', sizes);
      expect(comparable(read)).toEqual(expected);
      expect(read.rows.auValues).toHaveLength(new Set(read.rows.auValues.map((v) => v.raw)).size);
    }
  });

  it('tells apart AU values whose hashes collide', () => {
    // 'declinate' and 'macallums' have the same length and the same 32-bit FNV-1a hash.
    const file = textFile(
      'RAFCE_AUlabel.txt',
      '0001.jpg declinate\n0002.jpg macallums\n0003.jpg declinate\n0004.jpg macallums\n',
    );
    for (const sizes of [[file.bytes.length], [20]]) {
      const read = readInChunks(file, 'au', sizes);
      expect(recordsOf(read).map((r) => r.au?.raw)).toEqual([
        'declinate',
        'macallums',
        'declinate',
        'macallums',
      ]);
    }
  });

  it('reuses the names column of a file read before when the rows line up, and keeps its own when not', () => {
    const first = readRafCeEmotion(textFile('RAFCE_emolabel.txt', '0001.jpg 1\n0002.jpg 2\n'));
    const aligned = readRafCe(
      textFile('RAFCE_partition.txt', '0001.jpg 0\n0002.jpg 1\n'),
      'split',
      RAFCE_SCHEME,
      first.rows.names,
    );
    expect(aligned.rows.names).toBe(first.rows.names);
    const shorter = readRafCe(
      textFile('RAFCE_partition.txt', '0001.jpg 0\n'),
      'split',
      RAFCE_SCHEME,
      first.rows.names,
    );
    expect(textColumnToArray(shorter.rows.names)).toEqual(['0001.jpg']);
    const second = readRafCe(
      textFile('RAFCE_partition.txt', '0001.jpg 0\n0003.jpg 1\n0001.jpg 2\n0002.jpg 0\n'),
      'split',
      RAFCE_SCHEME,
      first.rows.names,
    );
    expect(textColumnToArray(second.rows.names)).toEqual(['0001.jpg', '0003.jpg', '0002.jpg']);
    expect(second.problems.map((p) => [p.line, p.kind])).toEqual([[3, 'duplicate-image']]);
  });

  it.each([
    { later: '0001.jpg 0\n0002.jpg 1\n', aligned: true },
    { later: '0001.jpg 0\n0002.jp 1\n', aligned: false },
    { later: '0001.jpg 0\n0002.jpgx 1\n', aligned: false },
    { later: '0001.jpg 0\n0002.jpg\n', aligned: false },
    { later: '0001.jpg 0\n0002.jpg 1\n0003.jpg 2\n', aligned: false },
    { later: '0001.jpg  0\n\n0002.jpg 1  \n', aligned: true },
  ])('a later file $later lines up with the earlier one: $aligned', ({ later, aligned }) => {
    const first = readRafCeEmotion(textFile('RAFCE_emolabel.txt', '0001.jpg 1\n0002.jpg 2\n'));
    const file = textFile('RAFCE_partition.txt', later);
    const read = readRafCe(file, 'split', RAFCE_SCHEME, first.rows.names);
    expect(read.rows.names === first.rows.names).toBe(aligned);
    expect(comparable(read)).toEqual(comparable(referenceRead(file, 'split')));
  });

  it('sizes its columns from the file size given, within bounds (a 100 GB size is not reserved)', () => {
    const file = textFile('RAFCE_emolabel.txt', '0001.jpg 1\n0002.jpg 2\n');
    for (const sizeHint of [0, file.bytes.length, 1e11]) {
      const reader = new RafCeReader(file.name, 'emotion', { sizeHint });
      reader.push(file.bytes);
      const read = reader.finish();
      expect(textColumnToArray(read.rows.names)).toEqual(['0001.jpg', '0002.jpg']);
      expect(read.rows.lines).toEqual(new Int32Array([1, 2]));
    }
  });

  it('reads the same rows when told the images of an earlier file, aligned or not (property)', () => {
    const image = fc.constantFrom(
      '0001.jpg',
      '0002.jpg',
      '0003.jpg',
      '0004.jpg',
      'é.jpg',
      'é\u00a0x.jpg',
      '',
    );
    const value = fc.constantFrom('0', '1', '2', '13', 'x', '');
    const row = fc.tuple(image, value).map(([name, v]) => `${name} ${v}`);
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 12 }),
        fc.array(row, { maxLength: 12 }),
        // Small pieces hold a line or less; large ones many lines, read trusting first.
        fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 160 })),
        (first, second, chunk) => {
          const earlier = readRafCeEmotion(textFile('RAFCE_emolabel.txt', first.join('\n')));
          const file = textFile('RAFCE_partition.txt', second.join('\n'));
          const reader = new RafCeReader(file.name, 'split', { alignWith: earlier.rows.names });
          for (let at = 0; at < file.bytes.length; at += chunk)
            reader.push(file.bytes.subarray(at, at + chunk));
          expect(comparable(reader.finish())).toEqual(comparable(referenceRead(file, 'split')));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reads well-formed files in any image order the same as the reference, in pieces of any size (property)', () => {
    // Mostly plain lines, so that whole pieces take the path that keeps their images
    // without a string per row; names out of order or repeated switch it to lookups
    // part way through a piece.
    const name = fc.integer({ min: 0, max: 40 }).map((n) => `${String(n).padStart(4, '0')}.jpg`);
    const value = fc.constantFrom('0', '1', '2', '5', '13', '1+2', 'null', 'x', ' 3', '', '4 ');
    // Carriage returns: at a line's end (Windows files), alone, or inside a line; names
    // and values beyond ASCII, with spaces and line separators beyond ASCII.
    const line = fc.oneof(
      { weight: 9, arbitrary: fc.tuple(name, value).map(([n, v]) => `${n} ${v}`) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '',
          '\t0001.jpg 1',
          'é.jpg 2',
          'é0003.jpg 2',
          'a\u00a0b.jpg 1',
          '表情\u30000005.jpg 3',
          '0004.jpg 1+é',
          '0006.jpg 1\u20282',
          '0007.jpg\t4',
          '0008.jpg \t 1+2',
          '0009.jpg 5\t',
          '0010.jpg 1+2\t',
          '0011.jpg\v1',
          '0012.jpg 1\f',
          '0002.jpg\r3',
          '0003.jpg 1\r+2',
          '\r',
        ),
      },
    );
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 40 }),
        fc.constantFrom<RafCeRole>('emotion', 'split', 'au'),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (lines, role, sorted, sizes, lineEnd, finalLineEnd) => {
          const ordered = sorted ? [...lines].sort() : lines;
          const text = ordered.join(lineEnd) + (finalLineEnd ? lineEnd : '');
          const file = textFile(RAFCE_FILE_NAMES[role], text);
          const read = readInChunks(file, role, sizes);
          expect(comparable(read)).toEqual(comparable(referenceRead(file, role)));
          expect(columnLength(read.rows.names)).toBe(read.rows.count);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('gives the same rows and problems as the reference on any line (property)', () => {
    const piece = fc.constantFrom(
      '0001.jpg',
      'a.png',
      'é.jpg',
      '0002.jpg',
      ' ',
      '  ',
      '\t',
      '\u00a0',
      '\u3000',
      '\r',
      '\v',
      '\f',
      '\u0000',
      '\u0001',
      '\u001c',
      '\u007f',
      '1',
      '07',
      '+3',
      '-1',
      '13',
      '14',
      '127',
      '128',
      '99999',
      '1+2',
      'null',
      'L12',
      'RB18',
      ' + ',
      '1++2',
      'AU12',
      'x',
      '',
    );
    const line = fc.array(piece, { maxLength: 5 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 12 }),
        fc.constantFrom<RafCeRole>('emotion', 'split', 'au'),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 1, max: 9 }),
        (lines, role, eol, chunk) => {
          const file = textFile(RAFCE_FILE_NAMES[role], lines.join(eol));
          // A NUL byte's hex preview shows what the piece holds: a stream cannot look ahead.
          const preview = (read: ReadResult) => {
            const { problems, ...rest } = comparable(read);
            return {
              ...rest,
              problems: problems.map((p) =>
                p.kind === 'encoding' ? { ...p, raw: p.raw.slice(0, 2) } : p,
              ),
            };
          };
          expect(preview(readInChunks(file, role, [chunk]))).toEqual(
            preview(referenceRead(file, role)),
          );
        },
      ),
      { numRuns: 1500 },
    );
  });
});
