import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auMaskWords, maskToAus, parseAuString } from '../../labels/au';
import { textColumnToArray } from '../../labels/text-column';
import { encodeLike } from '../../labels/text-out';
import { AuStatus, type InputFile, type SampleLabels } from '../../labels/types';
import { fileHead } from '../format';
import { importLabelFiles, type ImportResult } from '../import';
import { detectFile } from '../registry';
import { BP4D_FORMAT } from '.';
import { bp4dSubjectOf, parseBp4dHeader, readBp4dFile } from './read';

const fixture = (path: string, name = path): InputFile => ({
  name,
  bytes: new Uint8Array(readFileSync(new URL(`./fixtures/${path}`, import.meta.url))),
});
const text = (file: InputFile) => new TextDecoder().decode(file.bytes);
const textFile = (name: string, content: string): InputFile => ({
  name,
  bytes: new TextEncoder().encode(content),
});

const F001 = fixture('F001_T1.csv');
const F002 = fixture('F002_T3.csv');

/** What the writer is given for an import, with other labels or fewer samples if told. */
function written(imported: ImportResult, labels: SampleLabels = imported.table, kept?: number[]) {
  return BP4D_FORMAT.write({
    format: imported.format,
    table: imported.table,
    labels,
    kept: Int32Array.from(kept ?? imported.table.names.ends.map((_, i) => i)),
    scheme: imported.scheme,
    splitNames: imported.splitNames,
    sourceFiles: imported.sourceFiles,
  });
}

/** The table's labels with some AU texts replaced (null: not coded). */
function corrected(imported: ImportResult, changes: Record<number, string | null>): SampleLabels {
  const { table } = imported;
  const labels: SampleLabels = {
    classIds: table.classIds.slice(),
    auStatus: table.auStatus.slice(),
    auRaw: [...table.auRaw],
    auMask: table.auMask.slice(),
  };
  for (const [at, raw] of Object.entries(changes)) {
    const i = Number(at);
    labels.auStatus[i] = raw === null ? AuStatus.null : AuStatus.coded;
    labels.auRaw[i] = raw ?? 'null';
    const [lo, hi] = raw === null ? [0, 0] : auMaskWords(parseAuString(raw).tokens);
    labels.auMask[2 * i] = lo;
    labels.auMask[2 * i + 1] = hi;
  }
  return labels;
}

const rowsOf = (imported: ImportResult) => {
  const { table } = imported;
  return textColumnToArray(table.names).map((name, i) => [
    name,
    table.auStatus[i] === AuStatus.null ? null : table.auRaw[i],
    maskToAus(table.auMask, i),
  ]);
};

describe('BP4D names and headers', () => {
  it.each<[string, string | null]>([
    ['F001_T1', 'F001'],
    ['M018_T8', 'M018'],
    ['F001_T10', 'F001'],
    ['f023_t2', 'f023'],
    ['renamed', null],
    ['F001', null],
    ['SN001', null],
  ])('subject of %s: %s', (video, subject) => {
    expect(bp4dSubjectOf(video)).toBe(subject);
    expect(BP4D_FORMAT.subjectOf?.(video)).toBe(subject);
  });

  it.each<[string, number[]]>([
    ['frame,1,2,4', [1, 2, 4]],
    [',1,2,4', [1, 2, 4]],
    ['Frame,AU1,AU02,au4', [1, 2, 4]],
    ['0,1,2,3,4', [1, 2, 3, 4]],
  ])('header %s names AUs %j', (line, aus) => {
    expect(parseBp4dHeader(line)).toEqual({ aus });
  });

  it.each<[string, number, string, string]>([
    ['image,1,2', 1, 'image', "the first header cell 'image' is not 'frame' (nor empty)"],
    ['frame,1,smile', 3, 'smile', "header cell 'smile' is not an AU number"],
    ['frame,1,AU01', 3, 'AU01', 'AU 1 is named twice in the header (columns 2 and 3)'],
    ['frame', 1, 'frame', 'the header names no AU'],
    ['frame,0', 2, '0', "header cell '0' is not an AU number"],
  ])('header %s is refused at column %i', (line, column, raw, message) => {
    const parsed = parseBp4dHeader(line);
    expect('problem' in parsed && parsed.problem).toMatchObject({ column, raw });
    expect('problem' in parsed && parsed.problem.message).toContain(message);
  });

  it('keeps BP4D’s 12 AUs as its vocabulary, in its order', () => {
    expect(BP4D_FORMAT.auVocabulary).toEqual([1, 2, 4, 6, 7, 10, 12, 14, 15, 17, 23, 24]);
  });
});

describe('BP4D detection', () => {
  const head = (name: string, content: string | InputFile) =>
    fileHead(typeof content === 'string' ? textFile(name, content) : { ...content, name });

  const FILES: Record<string, InputFile> = { F001_T1: F001, F002_T3: F002 };

  it.each<[string, string, string | null]>([
    ['F001_T1.csv', 'F001_T1', 'certain'],
    ['renamed.csv', 'F001_T1', 'likely'],
    ['labels.txt', 'F002_T3', 'likely'],
    ['anything', 'frame,1,2,4\n', 'possible'],
    ['F001_T1.csv', 'not,a,bp4d,file\n', 'likely'],
    ['x.csv', 'frame,1,2\n1,0,2\n', null],
    ['x.csv', 'frame,1\n1,0\n', null],
    ['x.txt', '1,0\n2,3\n', null],
    ['x.txt', '0001.jpg 1+2\n', null],
  ])('%s holding %j: %s', (name, content, confidence) => {
    const detection = BP4D_FORMAT.detect(head(name, FILES[content] ?? content));
    expect(detection?.confidence ?? null).toBe(confidence);
    if (detection) expect(detection.role).toBe('au');
  });

  it.each(['renamed.csv', 'labels.txt', 'F001_T1.csv'])(
    'the registry takes %s for BP4D by its content',
    (name) => {
      expect(detectFile(fileHead({ ...F001, name }))[0]?.format).toBe('bp4d');
    },
  );
});

describe('readBp4dFile', () => {
  it('reads frames: 1s make the AU string, all 9 is not coded, some 9s are warned once', () => {
    const read = readBp4dFile(F001);
    expect(read.records.map((r) => [r.line, r.image, r.au?.raw])).toEqual([
      [2, 'F001_T1/00001.jpg', '0'],
      [3, 'F001_T1/00002.jpg', '1+2'],
      [4, 'F001_T1/00003.jpg', '6+10+12'],
      [5, 'F001_T1/00004.jpg', 'null'],
      [6, 'F001_T1/00005.jpg', '4+7+17+23'],
      [7, 'F001_T1/00006.jpg', '4+7+17'],
    ]);
    // No AU active: FACS's 0, coded and known, setting no AU.
    expect(read.records[0]?.au?.parsed).toMatchObject({
      status: 'coded',
      tokens: [{ au: 0, kind: 'AU' }],
      unknown: [],
    });
    expect(read.records[3]?.au?.parsed.status).toBe('null');
    expect(read.problems).toEqual([
      {
        kind: 'missing-value',
        severity: 'warning',
        file: 'F001_T1.csv',
        line: 6,
        field: 'AU24',
        raw: '9',
        message:
          '2 frames are coded for some AUs and 9 (not coded) for others, the first on this line (AU24): their coded AUs are kept, and the AUs given as 9 are read as absent',
      },
    ]);
    expect(read.rowsRead).toBe(6);
    expect(read.source).toMatchObject({
      name: 'F001_T1.csv',
      role: 'au',
      header: 'frame,1,2,4,6,7,10,12,14,15,17,23,24',
      eol: '\n',
      finalNewline: true,
      sideValues: '23=6;24=5-6',
    });
  });

  it('a column 9 throughout that BP4D does not code is no AU of the file, and no warning', () => {
    const read = readBp4dFile(F002);
    expect(read.records.map((r) => [r.image, r.au?.raw])).toEqual([
      ['F002_T3/02440.jpg', '6+10+12'],
      ['F002_T3/02441.jpg', '6+7+10+12'],
      ['F002_T3/02442.jpg', '12+14'],
      ['F002_T3/02443.jpg', 'null'],
    ]);
    expect(read.problems).toEqual([]);
    expect(read.source).toMatchObject({
      eol: '\r\n',
      finalNewline: false,
      header: ',AU01,AU02,AU04,AU05,AU06,AU07,AU10,AU12,AU14,AU15,AU17,AU23,AU24',
      sideValues: '5=*',
    });
  });

  it('broken rows: each a problem with its line, field and raw text; good rows kept', () => {
    const read = readBp4dFile(fixture('broken/F003_T2.csv'));
    expect(read.records.map((r) => [r.line, r.image, r.au?.raw])).toEqual([
      [2, 'F003_T2/00001.jpg', '2'],
      [6, 'F003_T2/00000.jpg', '0'],
      [9, 'F003_T2/00004.jpg', '0'],
    ]);
    expect(
      read.problems.map((p) => [p.kind, p.severity, p.line, p.field, p.raw, p.message]),
    ).toEqual([
      [
        'bad-au-token',
        'error',
        3,
        'AU2',
        '2',
        "AU2 value '2' is not 0, 1 or 9 (9: not coded); row rejected",
      ],
      [
        'column-count',
        'error',
        4,
        'line',
        '3,0,1',
        'expected 4 fields (the frame and 3 AUs, as the header), found 3; row rejected',
      ],
      [
        'duplicate-image',
        'error',
        5,
        'frame',
        '1',
        'frame 1 already given on line 2; row rejected',
      ],
      [
        'conflict',
        'warning',
        6,
        'frame',
        '0',
        'frame 0 comes after frame 1: frames are expected in ascending order; kept',
      ],
      [
        'missing-value',
        'error',
        7,
        'frame',
        'x',
        "frame number 'x' is not a whole number; row rejected",
      ],
      [
        'missing-value',
        'error',
        8,
        'frame',
        '007',
        "frame number '007' is not written as a plain number (no sign, no leading zeros), so an export could not give it back as written; row rejected",
      ],
    ]);
    expect(read.problems.every((p) => p.file === 'broken/F003_T2.csv')).toBe(true);
    expect(read.rowsRead).toBe(8);
  });

  it.each<[string, string, string, string]>([
    ['broken/M001_T1.csv', 'column 1', 'frame', 'the header names no AU; file not read'],
    [
      'broken/M002_T1.csv',
      'column 3',
      'smile',
      "header cell 'smile' is not an AU number (1, AU1 or AU01); file not read",
    ],
    [
      'broken/M003_T1.csv',
      'column 1',
      'image',
      "the first header cell 'image' is not 'frame' (nor empty): a BP4D file starts with the frame column; file not read",
    ],
  ])('%s: a header problem, the file not read', (path, field, raw, message) => {
    const read = readBp4dFile(fixture(path));
    expect(read.source).toBeNull();
    expect(read.records).toEqual([]);
    expect(read.problems).toEqual([
      { kind: 'header', severity: 'error', file: path, line: 1, field, raw, message },
    ]);
  });

  it('a file name that gives no subject: read, and said', () => {
    const read = readBp4dFile({ ...F001, name: 'renamed.csv' });
    expect(read.records[1]?.image).toBe('renamed/00002.jpg');
    expect(read.problems[0]).toMatchObject({
      kind: 'unknown-file',
      severity: 'warning',
      file: 'renamed.csv',
      line: 0,
      field: 'file',
      raw: 'renamed.csv',
    });
    expect(read.problems[0]?.message).toContain('does not say whose video it is');
  });
});

describe('importLabelFiles with BP4D files', () => {
  // Given in the wrong order: videos are read in their natural order.
  const imported = importLabelFiles([F002, F001]);

  it('picks BP4D and reads both videos into one table', () => {
    expect(imported.format).toBe('bp4d');
    expect(imported.detection.unsure).toBeNull();
    expect(rowsOf(imported)).toEqual([
      ['F001_T1/00001.jpg', '0', []],
      ['F001_T1/00002.jpg', '1+2', [1, 2]],
      ['F001_T1/00003.jpg', '6+10+12', [6, 10, 12]],
      ['F001_T1/00004.jpg', null, []],
      ['F001_T1/00005.jpg', '4+7+17+23', [4, 7, 17, 23]],
      ['F001_T1/00006.jpg', '4+7+17', [4, 7, 17]],
      ['F002_T3/02440.jpg', '6+10+12', [6, 10, 12]],
      ['F002_T3/02441.jpg', '6+7+10+12', [6, 7, 10, 12]],
      ['F002_T3/02442.jpg', '12+14', [12, 14]],
      ['F002_T3/02443.jpg', null, []],
    ]);
    expect(imported.table.flags.every((f) => f === 0)).toBe(true);
    expect(imported.report.files.map((f) => [f.name, f.role, f.lines, f.accepted])).toEqual([
      ['F001_T1.csv', 'au', 6, 6],
      ['F002_T3.csv', 'au', 4, 4],
    ]);
    expect(imported.report.nullCount).toBe(2);
    expect(imported.sourceFiles.map((s) => s.name)).toEqual(['F001_T1.csv', 'F002_T3.csv']);
    expect(imported.problems.map((p) => [p.file, p.kind])).toEqual([
      ['F001_T1.csv', 'missing-value'],
    ]);
  });

  it('a second file for one video is refused, the first read', () => {
    const again = importLabelFiles([F001, { ...F001, name: 'copy/F001_T1.csv' }]);
    expect(again.table.count).toBe(6);
    expect(again.problems).toContainEqual(
      expect.objectContaining({
        kind: 'unknown-file',
        file: 'copy/F001_T1.csv',
        message: 'a second file for video F001_T1; only F001_T1.csv is read',
      }),
    );
  });

  it('an untouched export gives every file back byte for byte', () => {
    const files = written(imported);
    expect(files.map((f) => f.path)).toEqual(['F001_T1.csv', 'F002_T3.csv']);
    expect(files.map((f) => new TextDecoder().decode(f.bytes))).toEqual([text(F001), text(F002)]);
  });

  it('a frame left out keeps its row as 9s; a correction writes its 1s and keeps the 9s it does not touch', () => {
    // Frame 2 dropped; frame 6 (AU23, AU24 given as 9) gains AU1; frame 3 loses its AUs; frame 1 not coded.
    const labels = corrected(imported, { 5: '1+4+7+17', 2: '', 0: null });
    const kept = [0, 2, 3, 4, 5, 6, 7, 8, 9];
    const [f001] = written(imported, labels, kept);
    expect(new TextDecoder().decode(f001?.bytes)).toBe(
      [
        'frame,1,2,4,6,7,10,12,14,15,17,23,24',
        '1,9,9,9,9,9,9,9,9,9,9,9,9',
        '2,9,9,9,9,9,9,9,9,9,9,9,9',
        '3,0,0,0,0,0,0,0,0,0,0,0,0',
        '4,9,9,9,9,9,9,9,9,9,9,9,9',
        '5,0,0,1,0,1,0,0,0,0,1,1,9',
        '6,1,0,1,0,1,0,0,0,0,1,9,9',
        '',
      ].join('\n'),
    );
  });

  it('labels for no source file: a file per video with BP4D’s AUs', () => {
    const files = BP4D_FORMAT.write({
      format: 'bp4d',
      table: imported.table,
      labels: imported.table,
      kept: Int32Array.of(1, 6),
      scheme: imported.scheme,
      splitNames: {},
      sourceFiles: [],
    });
    expect(files.map((f) => [f.path, new TextDecoder().decode(f.bytes)])).toEqual([
      [
        'F001_T1.csv',
        'frame,1,2,4,6,7,10,12,14,15,17,23,24\n1,9,9,9,9,9,9,9,9,9,9,9,9\n2,1,1,0,0,0,0,0,0,0,0,0,0\n3,9,9,9,9,9,9,9,9,9,9,9,9\n4,9,9,9,9,9,9,9,9,9,9,9,9\n5,9,9,9,9,9,9,9,9,9,9,9,9\n6,9,9,9,9,9,9,9,9,9,9,9,9\n',
      ],
      [
        'F002_T3.csv',
        'frame,1,2,4,6,7,10,12,14,15,17,23,24\n2440,0,0,0,1,0,1,1,0,0,0,0,0\n2441,9,9,9,9,9,9,9,9,9,9,9,9\n2442,9,9,9,9,9,9,9,9,9,9,9,9\n2443,9,9,9,9,9,9,9,9,9,9,9,9\n',
      ],
    ]);
  });
});

/** A BP4D file as people write them: any header spelling, frames rising with gaps, 0/1/9 cells. */
const bp4dFile = fc
  .record({
    aus: fc.uniqueArray(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 14 }),
    frameCell: fc.constantFrom('frame', '', 'Frame'),
    spelling: fc.constantFrom('', 'AU', 'AU0'),
    start: fc.nat({ max: 3000 }),
    rows: fc.array(
      fc.record({
        gap: fc.integer({ min: 1, max: 3 }),
        cells: fc.array(fc.constantFrom('0', '0', '1', '9'), { minLength: 14, maxLength: 14 }),
        notCoded: fc.boolean(),
      }),
      { maxLength: 12 },
    ),
    eol: fc.constantFrom('\n', '\r\n'),
    finalNewline: fc.boolean(),
    bom: fc.boolean(),
    encoding: fc.constantFrom('utf-8' as const, 'utf-16le' as const),
    video: fc.constantFrom('F001_T1', 'M012_T8', 'F080_T10'),
  })
  .map(({ aus, frameCell, spelling, start, rows, eol, finalNewline, bom, encoding, video }) => {
    const header = [
      frameCell,
      ...aus.map(
        (au) =>
          `${spelling === 'AU0' && au < 10 ? 'AU0' : spelling === 'AU0' ? 'AU' : spelling}${au}`,
      ),
    ].join(',');
    let frame = start;
    const lines = [header];
    for (const row of rows) {
      frame += row.gap;
      const cells = row.notCoded ? aus.map(() => '9') : row.cells.slice(0, aus.length);
      lines.push([String(frame), ...cells].join(','));
    }
    const content = lines.join(eol) + (finalNewline ? eol : '');
    return {
      name: `${video}.csv`,
      bytes: encodeLike(content, { bom: bom || encoding !== 'utf-8', encoding }),
    };
  });

describe('BP4D round trips', () => {
  it('bytes -> read -> write gives the same bytes, whatever the file', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(bp4dFile, { selector: (f) => f.name, minLength: 1, maxLength: 3 }),
        (files) => {
          const imported = importLabelFiles(files);
          expect(imported.format).toBe('bp4d');
          expect(imported.problems.filter((p) => p.severity === 'error')).toEqual([]);
          const out = written(imported);
          for (const file of files) {
            const back = out.find((f) => f.path === file.name);
            expect(back && Buffer.from(back.bytes).equals(Buffer.from(file.bytes))).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a frame left out reads back as not coded, the others as they were', () => {
    fc.assert(
      fc.property(
        bp4dFile,
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        (file, keep) => {
          const imported = importLabelFiles([file]);
          const count = imported.table.count;
          const kept = [...Array(count).keys()].filter((i) => keep[i] !== false);
          const again = importLabelFiles(
            written(imported, imported.table, kept).map((f) => ({ name: f.path, bytes: f.bytes })),
          );
          const before = rowsOf(imported);
          expect(rowsOf(again)).toEqual(
            before.map((row, i) => (kept.includes(i) ? row : [row[0], null, []])),
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
