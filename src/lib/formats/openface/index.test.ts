import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPENFACE_FORMAT } from './index';
import { OPENFACE_AUS, openFaceAuName } from './read';
import { OPENFACE_LABELS_FILE } from './write';
import { openFaceFixture } from './test-support';
import { fileHead, type LabelWriterInput } from '../format';
import { importLabelFiles, type ImportResult } from '../import';
import { detectFile } from '../registry';
import { NO_EMOTION_SCHEME } from '../../labels/schemes';
import { textColumnToArray } from '../../labels/text-column';
import { textFile } from '../../labels/test-fixtures';
import { AuStatus, type InputFile } from '../../labels/types';

const GOOD = [
  'video/clip01.csv',
  'images/0001_aligned.csv',
  'images/0002_aligned.csv',
  'intensity-only/clip02.csv',
];

function writeAll(result: ImportResult, labels = result.table): string {
  const input: LabelWriterInput = {
    format: result.format,
    table: result.table,
    labels,
    kept: Int32Array.from({ length: result.table.count }, (_, i) => i),
    scheme: NO_EMOTION_SCHEME,
    splitNames: {},
    sourceFiles: result.sourceFiles,
  };
  const files = OPENFACE_FORMAT.write(input);
  expect(files.map((f) => f.path)).toEqual([OPENFACE_LABELS_FILE]);
  return new TextDecoder().decode(files[0]?.bytes);
}

describe('OpenFace detection', () => {
  it.each(
    GOOD.flatMap((path) =>
      ['results.txt', 'faces.tsv', 'no-extension', 'x.json'].map((name) => [path, name]),
    ),
  )('%s renamed %s: certain, by its header alone', (path, name) => {
    const detections = detectFile(fileHead(openFaceFixture(path, name)));
    expect(detections[0]).toMatchObject({ format: 'openface', role: 'au', confidence: 'certain' });
    expect(detections[0]?.why).toMatch(/OpenFace's AU columns \(AU01_r, /);
  });

  it.each<[string, string, string | null]>([
    [
      'a header of some AUs, AU01 not among them',
      'frame, success, AU12_r, AU12_c\n1, 1, 0, 0\n',
      'likely',
    ],
    ['a generic label table', 'image,emotion,aus\n0001.jpg,3,1+2\n', null],
    ['AU columns without a frame or face column', 'image,AU01_r,AU01_c\n0001.jpg,2.1,1\n', null],
    ['a header naming no FACS AU', 'frame, AU03_r\n1, 0\n', null],
    ['RAF-CE lines', '0001.jpg 1+2+25\n0002.jpg 4\n', null],
  ])('%s: %s', (_label, text, confidence) => {
    const detection = OPENFACE_FORMAT.detect(fileHead(textFile('labels.csv', text)));
    expect(detection?.confidence ?? null).toBe(confidence);
  });

  it('wins over the generic table for a .csv, which the table reader could not map', () => {
    const detections = detectFile(fileHead(openFaceFixture('video/clip01.csv', 'clip01.csv')));
    expect(detections.map((d) => d.format)).toEqual(['openface', 'generic-table']);
  });
});

describe('importLabelFiles with OpenFace files', () => {
  const files = GOOD.map((path) => openFaceFixture(path, path.replace(/^.*\//, 'openface/')));
  const result = importLabelFiles(files);

  it('picks OpenFace over the generic table, sure of it', () => {
    expect(result.format).toBe('openface');
    expect(result.detection.format).toBe('openface');
    expect(result.detection.unsure).toBeNull();
    expect(result.csv).toBeNull();
  });

  it('joins every file into one set of samples', () => {
    const { table } = result;
    expect(textColumnToArray(table.names)).toEqual([
      'clip01/00001.jpg',
      'clip01/00002.jpg',
      'clip01/00003.jpg',
      'clip01/00004.jpg',
      '0001_aligned.jpg',
      '0002_aligned.jpg',
      'clip02/00001.jpg',
      'clip02/00002.jpg',
      'clip02/00003.jpg',
    ]);
    expect(Array.from(table.auStatus)).toEqual([2, 2, 1, 2, 2, 2, 2, 2, 2]);
    expect(table.auRaw).toEqual([
      '1+2+5+26',
      '6+12+25+28',
      'null',
      '0',
      '4+7+9+10',
      '12+14+45',
      '2+4',
      '1+12',
      '1',
    ]);
    // A tracked face showing no AU is coded, with nothing unknown in it.
    expect(table.flags[3]).toBe(0);
    expect(result.report.codedCount).toBe(8);
    expect(result.report.nullCount).toBe(1);
  });

  it('lists every file in the report and for the writer', () => {
    expect(
      result.report.files.map((f) => [f.name, f.role, f.lines, f.accepted, f.rejected]),
    ).toEqual([
      ['openface/clip01.csv', 'au', 5, 4, 1],
      ['openface/0001_aligned.csv', 'au', 2, 1, 1],
      ['openface/0002_aligned.csv', 'au', 1, 1, 0],
      ['openface/clip02.csv', 'au', 3, 3, 0],
    ]);
    expect(result.sourceFiles.map((f) => [f.name, f.role, f.header?.slice(0, 12)])).toEqual([
      ['openface/clip01.csv', 'au', 'frame, face_'],
      ['openface/0001_aligned.csv', 'au', 'face, confid'],
      ['openface/0002_aligned.csv', 'au', 'face, confid'],
      ['openface/clip02.csv', 'au', 'frame, face_'],
    ]);
    expect(result.problems.map((p) => [p.file, p.line, p.field])).toEqual([
      ['openface/clip01.csv', 6, 'face_id'],
      ['openface/clip01.csv', 4, 'success'],
      ['openface/0001_aligned.csv', 3, 'face'],
    ]);
  });

  it('reads the presence threshold from the settings', () => {
    const read = OPENFACE_FORMAT.read({
      files: [{ file: openFaceFixture('intensity-only/clip02.csv'), role: 'au' }],
      settings: { presenceThreshold: 2 },
    });
    const values = read.reads[0]?.read.rows.auValues.map((v) => v.raw);
    expect(values).toEqual(['4', '12', '1']);
  });

  it('says a video is its own subject (OpenFace names say nothing of people)', () => {
    expect(OPENFACE_FORMAT.subjectOf?.('clip01')).toBe('clip01');
  });
});

describe('a table of AU columns named after OpenFace, without its frame or face column', () => {
  it('is left to the generic table reader', () => {
    const result = importLabelFiles([
      textFile('labels.csv', 'image,AU01_r,AU12_c\n0001.jpg,2.1,1\n0002.jpg,0,0\n'),
    ]);
    expect(result.format).toBe('generic-csv');
  });
});

describe('writing OpenFace labels', () => {
  const header = `image,${OPENFACE_AUS.map(openFaceAuName).join(',')}`;

  it('an untouched import: 1 present, 0 absent, -1 not coded, the AUs of the headers', () => {
    const result = importLabelFiles([openFaceFixture('video/clip01.csv')]);
    expect(writeAll(result)).toBe(
      [
        header,
        'clip01/00001.jpg,1,1,0,1,0,0,0,0,0,0,0,0,0,0,0,1,0,0',
        'clip01/00002.jpg,0,0,0,0,1,0,0,0,1,0,0,0,0,0,1,0,1,0',
        'clip01/00003.jpg,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1',
        'clip01/00004.jpg,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0',
        '',
      ].join('\n'),
    );
  });

  it('only the AUs the files measured, and any AU a reviewer added', () => {
    const result = importLabelFiles([openFaceFixture('intensity-only/clip02.csv')]);
    expect(writeAll(result).split('\n')[0]).toBe('image,AU01,AU02,AU04,AU12');
    const labels = { ...result.table, auMask: result.table.auMask.slice() };
    labels.auMask[0] = (labels.auMask[0] as number) | (1 << 23); // AU24 on the first frame
    expect(writeAll(result, labels).split('\n').slice(0, 3)).toEqual([
      'image,AU01,AU02,AU04,AU12,AU24',
      'clip02/00001.jpg,0,1,1,0,1',
      'clip02/00002.jpg,1,0,0,1,0',
    ]);
  });

  it('with no source files: the AUs OpenFace 2 estimates', () => {
    const result = importLabelFiles([openFaceFixture('video/clip01.csv')]);
    expect(writeAll({ ...result, sourceFiles: [] }).split('\n')[0]).toBe(header);
  });

  it('names what it writes in the README', () => {
    expect(OPENFACE_FORMAT.readmeName('openface')).toContain(OPENFACE_LABELS_FILE);
  });
});

describe('reader -> writer round trip', () => {
  /** A frame: tracked or not, its AUs, and whether a second face shows. */
  const frame = fc.record({
    tracked: fc.boolean(),
    aus: fc.subarray([...OPENFACE_AUS]),
    secondFace: fc.boolean(),
  });
  const video = fc.array(frame, { minLength: 1, maxLength: 6 });
  const style = fc.record({
    spaced: fc.boolean(),
    crlf: fc.boolean(),
    presenceText: fc.constantFrom(['0', '1'], ['0.00', '1.00']),
  });

  /** The FeatureExtraction file of a video, as OpenFace writes it. */
  type Frame = { tracked: boolean; aus: number[]; secondFace: boolean };
  type Style = { spaced: boolean; crlf: boolean; presenceText: readonly string[] };

  function videoFile(name: string, frames: readonly Frame[], s: Style): InputFile {
    const sep = s.spaced ? ', ' : ',';
    const intensityAus = OPENFACE_AUS.filter((au) => au !== 28);
    const lines = [
      [
        'frame',
        'face_id',
        'timestamp',
        'confidence',
        'success',
        ...intensityAus.map((au) => `${openFaceAuName(au)}_r`),
        ...OPENFACE_AUS.map((au) => `${openFaceAuName(au)}_c`),
      ].join(sep),
    ];
    frames.forEach((f, k) => {
      const faces = f.secondFace ? [0, 1] : [0];
      for (const face of faces) {
        const present = new Set(face === 0 ? f.aus : []);
        lines.push(
          [
            String(k + 1),
            String(face),
            (k / 30).toFixed(3),
            '0.97',
            f.tracked ? '1' : '0',
            ...intensityAus.map((au) => (f.tracked && present.has(au) ? '3.10' : '0.00')),
            ...OPENFACE_AUS.map((au) => s.presenceText[f.tracked && present.has(au) ? 1 : 0]),
          ].join(sep),
        );
      }
    });
    return textFile(name, lines.join(s.crlf ? '\r\n' : '\n') + (s.crlf ? '\r\n' : '\n'));
  }

  it('every frame written back as read: its AUs, or -1 where OpenFace lost the face', () => {
    fc.assert(
      fc.property(fc.array(video, { minLength: 1, maxLength: 3 }), style, (videos, s) => {
        const files = videos.map((frames, v) => videoFile(`run/video${v}.csv`, frames, s));
        const result = importLabelFiles(files);
        expect(result.format).toBe('openface');
        const [head, ...rows] = writeAll(result).trimEnd().split('\n');
        expect(head).toBe(`image,${OPENFACE_AUS.map(openFaceAuName).join(',')}`);
        const expected = videos.flatMap((frames, v) =>
          frames.map((f, k) =>
            [
              `video${v}/${String(k + 1).padStart(5, '0')}.jpg`,
              ...OPENFACE_AUS.map((au) => (!f.tracked ? '-1' : f.aus.includes(au) ? '1' : '0')),
            ].join(','),
          ),
        );
        expect(rows).toEqual(expected);
        const untracked = videos.flat().filter((f) => !f.tracked).length;
        expect(result.report.nullCount).toBe(untracked);
        expect(
          Array.from(result.table.auStatus).filter((st) => st === AuStatus.coded),
        ).toHaveLength(result.table.count - untracked);
      }),
      { numRuns: 60 },
    );
  });
});
