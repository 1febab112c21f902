import { describe, expect, it } from 'vitest';
import { auValuesOf, readOpenFace, readOpenFaceHeader, type OpenFaceRead } from './read';
import { openFaceFixture } from './test-support';
import { textFile } from '../../labels/test-fixtures';
import type { Problem } from '../../labels/types';

/** Each row as [file, line, image, AU value]. */
function rowsOf(read: OpenFaceRead): [string, number, string, string][] {
  const valueOf = auValuesOf();
  return read.rows.map((row) => [
    read.files[row.file]?.name ?? '',
    row.line,
    row.image,
    valueOf(row).raw,
  ]);
}

const problemsOf = (problems: readonly Problem[]) =>
  problems.map((p) => [p.kind, p.severity, p.line, p.field, p.raw, p.message]);

describe('readOpenFaceHeader', () => {
  it.each<[string, string, 'image' | 'video', number[]]>([
    [
      'FeatureExtraction, spaces after commas',
      'frame, face_id, timestamp, confidence, success, AU01_r, AU12_r, AU01_c, AU28_c',
      'video',
      [1, 12, 28],
    ],
    ['FaceLandmarkImg, no spaces', 'face,confidence,AU45_r,AU04_c', 'image', [4, 45]],
  ])('%s', (_label, text, kind, aus) => {
    const header = readOpenFaceHeader('x.csv', 1, text);
    expect(header?.kind).toBe(kind);
    expect(header?.aus.map((a) => a.au)).toEqual(aus);
    expect(header?.problems).toEqual([]);
  });

  it.each([['image,emotion,aus'], ['frame, face_id, timestamp'], ['AU01,AU02']])(
    'is null for a header with no AU column: %s',
    (text) => {
      expect(readOpenFaceHeader('x.csv', 1, text)).toBeNull();
    },
  );
});

describe('readOpenFace on the fixtures', () => {
  it('a FeatureExtraction file: a sample per frame, success 0 not coded, face 1 skipped', () => {
    const read = readOpenFace([openFaceFixture('video/clip01.csv')]);
    expect(rowsOf(read)).toEqual([
      // AU05: `_c` 1 with `_r` 0.80; AU12: `_r` 1.30 with `_c` 0. `_c` decides both.
      ['video/clip01.csv', 2, 'clip01/00001.jpg', '1+2+5+26'],
      ['video/clip01.csv', 3, 'clip01/00002.jpg', '6+12+25+28'],
      ['video/clip01.csv', 4, 'clip01/00003.jpg', 'null'],
      ['video/clip01.csv', 5, 'clip01/00004.jpg', '0'],
    ]);
    expect(problemsOf(read.problems)).toEqual([
      [
        'duplicate-image',
        'warning',
        6,
        'face_id',
        '1',
        '1 row of a face other than face 0 (the first on this line): OpenFace found more than one face; only face 0 is read, these rows are skipped',
      ],
      [
        'missing-value',
        'warning',
        4,
        'success',
        '0',
        '1 row with success 0 (the first on this line): OpenFace lost the face there, so their AUs are read as not coded (null)',
      ],
    ]);
    expect(read.files).toEqual([
      expect.objectContaining({
        name: 'video/clip01.csv',
        kind: 'video',
        aus: [1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 17, 20, 23, 25, 26, 28, 45],
        rowsRead: 5,
        accepted: 4,
      }),
    ]);
    expect(read.files[0]?.source).toMatchObject({ eol: '\n', finalNewline: true, bom: false });
    expect(read.files[0]?.source?.header).toMatch(/^frame, face_id, timestamp, .*AU45_c$/);
  });

  it('FaceLandmarkImg files: a sample per image, named after the file, BOM and CRLF kept', () => {
    const read = readOpenFace([
      openFaceFixture('images/0001_aligned.csv'),
      openFaceFixture('images/0002_aligned.csv'),
    ]);
    expect(rowsOf(read)).toEqual([
      ['images/0001_aligned.csv', 2, '0001_aligned.jpg', '4+7+9+10'],
      ['images/0002_aligned.csv', 2, '0002_aligned.jpg', '12+14+45'],
    ]);
    expect(problemsOf(read.problems)).toEqual([
      [
        'duplicate-image',
        'warning',
        3,
        'face',
        '1',
        '1 row of a face other than face 0 (the first on this line): OpenFace found more than one face; only face 0 is read, these rows are skipped',
      ],
    ]);
    expect(read.files.map((f) => [f.kind, f.rowsRead, f.accepted])).toEqual([
      ['image', 2, 1],
      ['image', 1, 1],
    ]);
    expect(read.files[1]?.source).toMatchObject({ eol: '\r\n', bom: true, finalNewline: true });
    expect(read.files[1]?.source?.header).toMatch(/^face, confidence, /);
  });

  it.each<[number | undefined, string[]]>([
    [undefined, ['2+4', '1+12', '1']],
    [1, ['2+4', '1+12', '1']],
    [2, ['4', '12', '1']],
    [5, ['0', '0', '1']],
    [0.5, ['1+2+4', '1+12', '1']],
  ])('intensity only: presence from _r >= %s', (threshold, values) => {
    const read = readOpenFace(
      [openFaceFixture('intensity-only/clip02.csv')],
      threshold === undefined ? {} : { presenceThreshold: threshold },
    );
    expect(rowsOf(read).map(([, , , value]) => value)).toEqual(values);
    expect(read.presenceThreshold).toBe(threshold ?? 1);
    expect(read.files[0]?.source).toMatchObject({ finalNewline: false });
  });

  it.each([[0], [-1], [5.01], [Number.NaN]])('refuses a threshold of %s (a bug)', (threshold) => {
    expect(() => readOpenFace([], { presenceThreshold: threshold })).toThrow(/presenceThreshold/);
  });
});

describe('readOpenFace on broken files', () => {
  it('a header naming no AU, or an AU twice: warned, those columns ignored', () => {
    const read = readOpenFace([openFaceFixture('broken/bad-header.csv')]);
    expect(problemsOf(read.problems)).toEqual([
      [
        'header',
        'warning',
        1,
        'AU03_r',
        'AU03_r',
        "column 'AU03_r' names no FACS AU (OpenFace writes AU<number>_r and AU<number>_c, e.g. AU01_r); column ignored",
      ],
      [
        'header',
        'warning',
        1,
        'AU_c',
        'AU_c',
        "column 'AU_c' names no FACS AU (OpenFace writes AU<number>_r and AU<number>_c, e.g. AU01_r); column ignored",
      ],
      [
        'header',
        'warning',
        1,
        'AU01_r',
        'AU01_r',
        "column 'AU01_r' appears twice in the header; the first is read, this one ignored",
      ],
    ]);
    // The ignored columns hold `9` and `x`: not read, so not reported.
    expect(rowsOf(read).map(([, line, image, value]) => [line, image, value])).toEqual([
      [2, 'bad-header/00001.jpg', '1'],
      [3, 'bad-header/00002.jpg', '0'],
    ]);
  });

  it('bad cells: each reported with its line, column and text, the row rejected', () => {
    const read = readOpenFace([openFaceFixture('broken/bad-values.csv', 'out/bad-values.csv')]);
    expect(new Set(read.problems.map((p) => p.file))).toEqual(new Set(['out/bad-values.csv']));
    expect(problemsOf(read.problems)).toEqual([
      [
        'bad-au-token',
        'error',
        2,
        'AU01_r',
        '5.50',
        "AU01_r '5.50' is outside OpenFace's intensity range 0-5; row rejected",
      ],
      [
        'bad-au-token',
        'error',
        3,
        'AU01_c',
        '0.5',
        "AU01_c '0.5' is neither 0 nor 1 (an AU's presence); row rejected",
      ],
      [
        'bad-au-token',
        'error',
        3,
        'AU02_r',
        '-0.40',
        "AU02_r '-0.40' is outside OpenFace's intensity range 0-5; row rejected",
      ],
      ['bad-au-token', 'error', 4, 'AU01_r', 'abc', "AU01_r 'abc' is not a number; row rejected"],
      ['missing-value', 'error', 4, 'AU02_c', '', 'empty AU02_c cell; row rejected'],
      [
        'column-count',
        'error',
        5,
        'line',
        '4, 0, 0.100, 0.98, 1, 0.00, 0.00, 0, 0, 7',
        'expected 9 fields as in the header, found 10; row rejected',
      ],
      [
        'column-count',
        'error',
        6,
        'line',
        '5, 0, 0.133, 0.98, 1, 0.00, 0.00, 0',
        'expected 9 fields as in the header, found 8; row rejected',
      ],
      ['missing-value', 'error', 7, 'frame', 'x', "frame 'x' is not a whole number; row rejected"],
      ['missing-value', 'error', 8, 'success', '2', "success '2' is neither 0 nor 1; row rejected"],
      ['missing-value', 'warning', 10, 'line', '', 'blank line skipped'],
      [
        'duplicate-image',
        'error',
        11,
        'frame',
        'bad-values/00008.jpg',
        "image 'bad-values/00008.jpg' already given on line 9; this row is rejected",
      ],
    ]);
    expect(rowsOf(read).map(([, line, image, value]) => [line, image, value])).toEqual([
      [9, 'bad-values/00008.jpg', '1'],
      [12, 'bad-values/00009.jpg', '2'],
    ]);
    expect(read.files[0]).toMatchObject({ rowsRead: 10, accepted: 2 });
  });

  it.each<[string, [string, string, number, string][]]>([
    [
      'broken/no-au-columns.csv',
      [
        ['header', 'warning', 1, "column 'AU_r' names no FACS AU"],
        ['header', 'warning', 1, "column 'au3_c' names no FACS AU"],
        [
          'header',
          'error',
          1,
          'the header has no column of a FACS AU (AU01_r ... AU45_c); not read',
        ],
      ],
    ],
    [
      'broken/not-openface.csv',
      [
        [
          'header',
          'error',
          1,
          'the first line is no OpenFace header: it has no AU column (AU01_r ... AU45_c); not read',
        ],
      ],
    ],
    [
      'broken/header-only.csv',
      [
        [
          'missing-value',
          'warning',
          0,
          'a header and no rows: OpenFace found no face; nothing read',
        ],
      ],
    ],
  ])('%s: nothing read, and the problem says why', (path, expected) => {
    const read = readOpenFace([openFaceFixture(path)]);
    expect(read.rows).toEqual([]);
    expect(read.problems.map((p) => [p.kind, p.severity, p.line, p.message])).toEqual(
      expected.map(([kind, severity, line, message]) => [
        kind,
        severity,
        line,
        message.startsWith('column') ? expect.stringContaining(message) : message,
      ]),
    );
    expect(read.files[0]?.rowsRead).toBe(0);
  });

  it('an empty file and a binary one: the decoding problem, nothing read', () => {
    const read = readOpenFace([
      textFile('empty.csv', ''),
      { name: 'png.csv', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]) },
    ]);
    expect(read.problems.map((p) => [p.file, p.kind, p.line])).toEqual([
      ['empty.csv', 'empty-file', 0],
      ['png.csv', 'encoding', 0],
    ]);
    expect(read.files.map((f) => [f.kind, f.source])).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  it('two files of one video (from two folders): the second is not read', () => {
    const read = readOpenFace([
      openFaceFixture('video/clip01.csv', 'a/clip01.csv'),
      openFaceFixture('video/clip01.csv', 'b/clip01.csv'),
    ]);
    expect(new Set(read.rows.map((row) => row.file))).toEqual(new Set([0]));
    expect(problemsOf(read.problems.filter((p) => p.file === 'b/clip01.csv'))).toEqual([
      [
        'duplicate-image',
        'error',
        0,
        'file',
        'b/clip01.csv',
        "the same video 'clip01' as a/clip01.csv (OpenFace names its output after its input); not read",
      ],
    ]);
    expect(read.files[1]).toMatchObject({ kind: null, rowsRead: 0, accepted: 0, source: null });
  });

  it('a still and a video of the same name are different samples', () => {
    const read = readOpenFace([
      textFile('x/0007.csv', 'face, confidence, AU12_c\n0, 0.9, 1\n'),
      textFile('y/0007.csv', 'frame, face_id, success, AU12_c\n1, 0, 1, 1\n'),
    ]);
    expect(read.rows.map((row) => row.image)).toEqual(['0007.jpg', '0007/00001.jpg']);
    expect(read.problems).toEqual([]);
  });
});
