import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auMaskWords, parseAuString } from '../../labels/au';
import { textColumnToArray } from '../../labels/text-column';
import { AuStatus, type InputFile, type SampleLabels } from '../../labels/types';
import { fileHead, type LabelWriterInput } from '../format';
import { importLabelFiles, type ImportResult } from '../import';
import { detectFile, detectImport } from '../registry';
import { CK_PLUS_FORMAT } from './index';
import { ckNumber, ckSampleOf } from './read';
import { CK_PLUS_SCHEME } from './scheme';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

function fixture(path: string, name = path): InputFile {
  return { name, bytes: new Uint8Array(readFileSync(join(FIXTURES, path))) };
}

function textFile(name: string, text: string): InputFile {
  return { name, bytes: new TextEncoder().encode(text) };
}

const FACS_S005 = 'FACS/S005/001/S005_001_00000011_facs.txt';
const EMOTION_S005 = 'Emotion/S005/001/S005_001_00000011_emotion.txt';
const FACS_S010 = 'FACS/S010/002/S010_002_00000014_facs.txt';
const GOOD = [FACS_S005, EMOTION_S005, FACS_S010];

function writerInput(
  imported: ImportResult,
  labels: SampleLabels = imported.table,
): LabelWriterInput {
  return {
    format: imported.format,
    table: imported.table,
    labels,
    kept: Int32Array.from({ length: imported.table.count }, (_, i) => i),
    scheme: imported.scheme,
    splitNames: imported.splitNames,
    sourceFiles: imported.sourceFiles,
    csv: imported.csv,
  };
}

const decode = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describe('CK+ numbers', () => {
  it.each<[number, string]>([
    [0, '   0.0000000e+00'],
    [1, '   1.0000000e+00'],
    [5, '   5.0000000e+00'],
    [12, '   1.2000000e+01'],
    [64, '   6.4000000e+01'],
    [100, '   1.0000000e+02'],
  ])('%i is written %j', (value, text) => {
    expect(ckNumber(value)).toBe(text);
    expect(ckNumber(value)).toHaveLength(16);
  });
});

describe('CK+ sample names', () => {
  it.each<[string, string]>([
    [FACS_S005, 'S005/001/S005_001_00000011.png'],
    [EMOTION_S005, 'S005/001/S005_001_00000011.png'],
    ['C:\\CK+\\FACS\\S999\\010\\S999_010_00000020_facs.txt', 'S999/010/S999_010_00000020.png'],
    ['renamed_facs.txt', 'renamed.png'],
    ['peak.txt', 'peak.png'],
  ])('%s is about %s', (path, image) => {
    expect(ckSampleOf(path).image).toBe(image);
  });
});

describe('CK+ detection', () => {
  const FACS = `${ckNumber(1)}${ckNumber(0)}\n${ckNumber(12)}${ckNumber(3)}\n`;
  const EMOTION = `${ckNumber(5)}\n`;
  it.each<[string, string, string | null, string | null]>([
    ['S005_001_00000011_facs.txt', FACS, 'au', 'certain'],
    ['S005_001_00000011_emotion.txt', EMOTION, 'emotion', 'certain'],
    // Renamed: CK+'s number spelling is its own mark; plain numbers are anyone's.
    ['peak.txt', FACS, 'au', 'likely'],
    ['code.txt', EMOTION, 'emotion', 'likely'],
    ['peak.txt', '1 0\n12 3\n', 'au', 'possible'],
    ['code.txt', '5\n', 'emotion', 'possible'],
    // Named so, read as CK+ whatever it holds (UNBC's pain scores share the name).
    ['S001_001_00000001_facs.txt', `${ckNumber(2)}\n`, 'au', 'likely'],
    ['S005_001_00000011_emotion.txt', FACS, 'emotion', 'likely'],
    ['peak.txt', `${ckNumber(1.5)}${ckNumber(0)}\n`, null, null],
    ['peak.txt', `${ckNumber(1)}${ckNumber(6)}\n`, null, null],
    ['code.txt', `${ckNumber(8)}\n`, null, null],
    ['code.txt', `${ckNumber(3)}\n${ckNumber(3)}\n`, null, null],
    ['pairs.txt', '0001.jpg 1\n', null, null],
  ])('%s: %j -> %s, %s', (name, text, role, confidence) => {
    const found = detectFile(fileHead(textFile(name, text))).find((d) => d.format === 'ck-plus');
    expect(found?.role ?? null).toBe(role);
    expect(found?.confidence ?? null).toBe(confidence);
  });
});

describe('importLabelFiles with CK+ files', () => {
  it('picks CK+ by the files, one sample per peak frame', () => {
    const result = importLabelFiles(GOOD.map((path) => fixture(path)));
    expect(result.detection.format).toBe('ck-plus');
    expect(result.detection.unsure).toBeNull();
    expect(result.format).toBe('ck-plus');
    expect(result.scheme).toBe(CK_PLUS_SCHEME);
    expect(result.problems).toEqual([]);
    expect(textColumnToArray(result.table.names)).toEqual([
      'S005/001/S005_001_00000011.png',
      'S010/002/S010_002_00000014.png',
    ]);
    expect(result.table.auRaw).toEqual(['9+14+15C+17B', '1E+2C+5B+25+27']);
    expect(Array.from(result.table.classIds)).toEqual([3, -1]);
    expect(result.report.files.map((f) => [f.name, f.role, f.lines, f.accepted])).toEqual([
      [FACS_S005, 'au', 4, 4],
      [EMOTION_S005, 'emotion', 1, 1],
      [FACS_S010, 'au', 5, 5],
    ]);
    expect(result.sourceFiles.map((s) => [s.name, s.role, s.eol, s.finalNewline])).toEqual([
      [FACS_S005, 'au', '\n', true],
      [EMOTION_S005, 'emotion', '\n', true],
      [FACS_S010, 'au', '\r\n', false],
    ]);
  });

  it('reads FACS files alone as an AU-only dataset', () => {
    const result = importLabelFiles([fixture(FACS_S010)]);
    expect(result.format).toBe('ck-plus');
    expect(result.scheme.id).toBe('none');
    expect(result.table.auRaw).toEqual(['1E+2C+5B+25+27']);
  });

  it('reads renamed files by their content, pairing them by name', () => {
    const result = importLabelFiles([
      fixture(FACS_S005, 'peak_facs.dat'),
      fixture(EMOTION_S005, 'peak_emotion.dat'),
    ]);
    expect(result.format).toBe('ck-plus');
    expect(textColumnToArray(result.table.names)).toEqual(['peak.png']);
    expect(Array.from(result.table.classIds)).toEqual([3]);
    expect(result.table.auRaw).toEqual(['9+14+15C+17B']);
  });
});

describe('CK+ broken files', () => {
  const BROKEN = [
    'broken/S999_001_00000001_facs.txt',
    'broken/S999_001_00000001_emotion.txt',
    'broken/S999_002_00000001_emotion.txt',
    'broken/S999_003_00000001_facs.txt',
  ];

  it('names the file, line and field of every bad value, and reads the rest', () => {
    const result = importLabelFiles(BROKEN.map((path) => fixture(path)));
    expect(result.format).toBe('ck-plus');
    expect(
      result.problems.map((p) => [
        p.file.split('/').pop(),
        p.line,
        p.kind,
        p.severity,
        p.field,
        p.raw,
      ]),
    ).toEqual([
      ['S999_001_00000001_facs.txt', 1, 'column-count', 'error', 'line', '   1.0000000e+00'],
      ['S999_001_00000001_facs.txt', 2, 'bad-au-token', 'error', 'au', '1.5000000e+00'],
      ['S999_001_00000001_facs.txt', 3, 'bad-au-token', 'error', 'intensity', '7.0000000e+00'],
      ['S999_001_00000001_facs.txt', 4, 'bad-au-token', 'error', 'au', 'abc'],
      ['S999_001_00000001_facs.txt', 6, 'bad-au-token', 'warning', 'au', '50'],
      ['S999_001_00000001_emotion.txt', 1, 'unknown-class', 'error', 'emotion', '9.0000000e+00'],
      [
        'S999_002_00000001_emotion.txt',
        1,
        'column-count',
        'error',
        'line',
        '   3.0000000e+00   1.0000000e+00',
      ],
      ['S999_003_00000001_facs.txt', 1, 'bad-au-token', 'warning', 'line', '1 0'],
    ]);
    expect(result.problems.map((p) => p.message)).toEqual([
      "expected 2 fields 'AU intensity', found 1; row rejected",
      "AU number '1.5000000e+00' is not a whole number 1-999; row rejected",
      "intensity '7.0000000e+00' is not 0 (not coded) or 1-5 (A-E); row rejected",
      "AU number 'abc' is not a number; row rejected",
      "AU token '50': AU50 is not a FACS code; kept raw",
      "emotion code '9.0000000e+00' (9) is not in CK+ (8 classes, 0-based); row rejected",
      "expected 1 field 'emotion', found 2; row rejected",
      "not written as CK+ writes its numbers ('   1.0000000e+00   0.0000000e+00'); read, but an export writes CK+'s spelling",
    ]);
    expect(textColumnToArray(result.table.names)).toEqual([
      'S999/001/S999_001_00000001.png',
      'S999/003/S999_003_00000001.png',
    ]);
    expect(result.table.auRaw).toEqual(['4+50', '1+4B']);
    expect(Array.from(result.table.classIds)).toEqual([-1, -1]);
  });

  it('reads one FACS file per sample, and says which it left', () => {
    const result = importLabelFiles([
      fixture(FACS_S005),
      fixture(FACS_S010, `copy/${FACS_S005.split('/').pop() as string}`),
    ]);
    expect(result.table.auRaw).toEqual(['9+14+15C+17B']);
    expect(result.problems.map((p) => [p.file, p.line, p.kind, p.field, p.message])).toEqual([
      [
        'copy/S005_001_00000011_facs.txt',
        0,
        'duplicate-image',
        'file',
        `sample 'S005/001/S005_001_00000011.png' already has a FACS file (${FACS_S005}); not read`,
      ],
    ]);
  });

  it.each<[string, Uint8Array]>([
    ['empty', new Uint8Array(0)],
    ['binary', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])],
    [
      'lone carriage returns',
      new TextEncoder().encode(`${ckNumber(1)}${ckNumber(0)}\r${ckNumber(2)}${ckNumber(0)}\n`),
    ],
  ])('never throws on a FACS file that is %s', (_label, bytes) => {
    const result = importLabelFiles([{ name: 'S001_001_00000001_facs.txt', bytes }]);
    expect(result.format).toBe('ck-plus');
    expect(result.table.count).toBe(0);
    expect(result.problems.map((p) => [p.file, p.severity])).toEqual([
      ['S001_001_00000001_facs.txt', 'error'],
    ]);
  });
});

describe('CK+ export', () => {
  it("gives every file back byte for byte, in CK+'s folders", () => {
    const files = GOOD.map((path) => fixture(path, `CK+/${path}`));
    const imported = importLabelFiles(files);
    const written = CK_PLUS_FORMAT.write(writerInput(imported));
    expect(written.map((f) => f.path)).toEqual([FACS_S005, EMOTION_S005, FACS_S010]);
    for (const out of written) {
      const source = files.find((f) => f.name === `CK+/${out.path}`) as InputFile;
      expect(Buffer.from(out.bytes).equals(Buffer.from(source.bytes)), out.path).toBe(true);
    }
  });

  it('writes corrections in CK+ terms: no sides, no file for uncoded AUs, a new emotion file', () => {
    const imported = importLabelFiles(GOOD.map((path) => fixture(path)));
    const { table } = imported;
    const corrected = ['L12+5b', 'null'];
    const labels: SampleLabels = {
      classIds: Int16Array.from([3, 7]),
      auRaw: corrected,
      auStatus: Uint8Array.from([AuStatus.coded, AuStatus.null]),
      auMask: new Uint32Array(table.count * 2),
    };
    corrected.forEach((raw, i) => {
      const [lo, hi] = auMaskWords(parseAuString(raw).tokens);
      labels.auMask[2 * i] = lo;
      labels.auMask[2 * i + 1] = hi;
    });
    const written = CK_PLUS_FORMAT.write(writerInput(imported, labels));
    expect(written.map((f) => [f.path, decode(f.bytes)])).toEqual([
      [FACS_S005, `${ckNumber(12)}${ckNumber(0)}\n${ckNumber(5)}${ckNumber(2)}\n`],
      [EMOTION_S005, `${ckNumber(3)}\n`],
      // S010 had no emotion file: one is made, written as its FACS file was (CR LF, no final newline).
      ['Emotion/S010/002/S010_002_00000014_emotion.txt', ckNumber(7)],
    ]);
  });

  const sampleName = fc
    .tuple(
      fc.integer({ min: 5, max: 999 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 60 }),
    )
    .map(
      ([subject, sequence, frame]) =>
        `S${String(subject).padStart(3, '0')}_${String(sequence).padStart(3, '0')}_${String(frame).padStart(8, '0')}`,
    );
  const facsLine = fc.tuple(
    fc.constantFrom(1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 17, 20, 23, 24, 25, 26, 27, 43, 64),
    fc.integer({ min: 0, max: 5 }),
  );
  const sample = fc.record({
    facs: fc.array(facsLine, { minLength: 1, maxLength: 8 }),
    emotion: fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }),
    eol: fc.constantFrom('\n', '\r\n'),
    finalNewline: fc.boolean(),
  });

  it('reads any CK+ files into their AU strings and emotions, and writes them back byte for byte', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(sampleName, { minLength: 1, maxLength: 12 }),
        fc.array(sample, { minLength: 12, maxLength: 12 }),
        (names, samples) => {
          const files: InputFile[] = [];
          names.forEach((stem, k) => {
            const s = samples[k] as (typeof samples)[number];
            const [subject, sequence] = stem.split('_') as [string, string];
            const end = (lines: string[]) => lines.join(s.eol) + (s.finalNewline ? s.eol : '');
            files.push(
              textFile(
                `FACS/${subject}/${sequence}/${stem}_facs.txt`,
                end(s.facs.map(([au, intensity]) => ckNumber(au) + ckNumber(intensity))),
              ),
            );
            if (s.emotion !== undefined)
              files.push(
                textFile(
                  `Emotion/${subject}/${sequence}/${stem}_emotion.txt`,
                  end([ckNumber(s.emotion)]),
                ),
              );
          });
          const imported = importLabelFiles(files);
          expect(imported.format).toBe('ck-plus');
          expect(imported.problems).toEqual([]);
          const names_ = textColumnToArray(imported.table.names);
          names.forEach((stem, k) => {
            const s = samples[k] as (typeof samples)[number];
            const [subject, sequence] = stem.split('_') as [string, string];
            const i = names_.indexOf(`${subject}/${sequence}/${stem}.png`);
            expect(imported.table.auRaw[i]).toBe(
              s.facs
                .map(([au, intensity]) => `${au}${' ABCDE'[intensity]?.trim() ?? ''}`)
                .join('+'),
            );
            expect(imported.table.classIds[i]).toBe(s.emotion ?? -1);
          });
          const written = CK_PLUS_FORMAT.write(writerInput(imported));
          expect(written.map((f) => f.path).sort()).toEqual(files.map((f) => f.name).sort());
          for (const out of written) {
            const source = files.find((f) => f.name === out.path) as InputFile;
            expect(decode(out.bytes)).toBe(decode(source.bytes));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('CK+ import detection over a mixed drop', () => {
  it('is not unsure when CK+ names are there', () => {
    const detection = detectImport(GOOD.map((path) => fileHead(fixture(path))));
    expect(detection).toMatchObject({ format: 'ck-plus', unsure: null });
  });
});
