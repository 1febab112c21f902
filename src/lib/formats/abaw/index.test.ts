import { describe, expect, it } from 'vitest';
import { sampleRow } from '../../labels/table';
import { textFile } from '../../labels/test-fixtures';
import { ParseReportSchema, type InputFile } from '../../labels/types';
import { fileHead, type Confidence } from '../format';
import { importLabelFiles } from '../import';
import { detectFile, formatOf } from '../registry';
import { ABAW_FORMAT, abawSubject } from './index';
import { ABAW_AU_HEADER, ABAW_EXPR_HEADER, ABAW_EXPR_SCHEME } from './scheme';
import { abawFixture } from './test-fixtures';

const FIXTURE_PATHS = [
  'AU_Set/Train_Set/1-30-1280x720.txt',
  'AU_Set/Validation_Set/video10-1.txt',
  'AU_Set/Train_Set/118-30-640x480_right.txt',
  'EXPR_Set/Train_Set/1-30-1280x720.txt',
  'EXPR_Set/Validation_Set/video10-1.txt',
  'EXPR_Set/Train_Set/118-30-640x480_right.txt',
];

const renamed = (file: InputFile, name: string): InputFile => ({ ...file, name });

describe('detect, by content alone', () => {
  it.each<[string, string, 'au' | 'emotion', Confidence]>([
    ['AU_Set/Train_Set/1-30-1280x720.txt', 'labels.csv', 'au', 'certain'],
    ['AU_Set/Validation_Set/video10-1.txt', 'a', 'au', 'certain'],
    ['EXPR_Set/Train_Set/1-30-1280x720.txt', 'RAFCE_emolabel.dat', 'emotion', 'certain'],
    ['EXPR_Set/Train_Set/118-30-640x480_right.txt', 'x.tsv', 'emotion', 'certain'],
  ])('%s renamed %s: %s, %s', (path, name, role, confidence) => {
    const [best] = detectFile(fileHead(renamed(abawFixture(path), name)));
    expect(best).toMatchObject({ format: 'abaw', role, confidence });
  });

  it.each<[string, string, 'au' | 'emotion' | null, Confidence | null]>([
    [
      'a reordered subset of AUs with 0/1/-1 lines',
      'AU12,AU1,AU25\n1,0,1\n-1,-1,-1\n',
      'au',
      'likely',
    ],
    ['a subset of AUs with other values', 'AU12,AU1\n0.5,2\n', 'au', 'possible'],
    [
      'the class names spelled in lower case',
      `${ABAW_EXPR_HEADER.toLowerCase()}\n3\n`,
      'emotion',
      'likely',
    ],
    ['OpenFace columns', 'frame,AU01_r,AU01_c\n1,0.5,1\n', null, null],
    ['an image value list', '0001.jpg 4\n0002.jpg 5\n', null, null],
    ['a header with a column that is no AU', 'AU1,Smile\n0,1\n', null, null],
  ])('%s', (_, text, role, confidence) => {
    const abaw = detectFile(fileHead(textFile('file.txt', text))).find((d) => d.format === 'abaw');
    expect(abaw?.role ?? null).toBe(role);
    expect(abaw?.confidence ?? null).toBe(confidence);
  });

  it('detects a file whose head cuts its lines, with a BOM and CRLF', () => {
    const body = `${'0,1,0,0,0,0,1,0,0,0,1,0\r\n'.repeat(5000)}`;
    const file = textFile('v.txt', `\uFEFF${ABAW_AU_HEADER}\r\n${body}`);
    expect(detectFile(fileHead(file))[0]).toMatchObject({ format: 'abaw', confidence: 'certain' });
  });
});

describe('abawSubject', () => {
  it.each<[string, string | null]>([
    ['1-30-1280x720', '1-30-1280x720'],
    ['video10-1', 'video10-1'],
    ['118-30-640x480_right', '118-30-640x480'],
    ['118-30-640x480_left', '118-30-640x480'],
    ['46-30-484x360_Left', '46-30-484x360'],
    ['left_right_x', 'left_right_x'],
    ['_left', null],
  ])('%s -> %s', (video, subject) => {
    expect(abawSubject(video)).toBe(subject);
  });

  it('is the format subjectOf, with the AU set as its vocabulary', () => {
    expect(ABAW_FORMAT.subjectOf).toBe(abawSubject);
    expect(ABAW_FORMAT.auVocabulary).toEqual([1, 2, 4, 6, 7, 10, 12, 15, 23, 24, 25, 26]);
    expect(formatOf('abaw')).toBe(ABAW_FORMAT);
  });
});

describe('importLabelFiles on an ABAW set (3 videos, AU and expression, two splits)', () => {
  // Expression files first: the videos come in the order they first appear.
  const files = [...FIXTURE_PATHS].reverse().map(abawFixture);
  const result = importLabelFiles(files);
  const { table, report } = result;

  it('picks the ABAW format, its scheme and splits, with no problem', () => {
    expect(result.format).toBe('abaw');
    expect(result.detection.unsure).toBeNull();
    expect(result.scheme).toBe(ABAW_EXPR_SCHEME);
    expect(result.splitNames).toEqual({ 0: 'train', 1: 'validation' });
    expect(result.problems).toEqual([]);
    expect(ParseReportSchema.parse(report)).toEqual(report);
  });

  it('joins the sets frame by frame', () => {
    expect(table.count).toBe(10);
    const rows = Array.from({ length: table.count }, (_, i) =>
      sampleRow(table, i, ABAW_EXPR_SCHEME, result.splitNames),
    );
    expect(
      rows.map((r) => [r.name, r.className, r.splitName, r.auStatus, r.aus.join('+')]),
    ).toEqual([
      ['118-30-640x480_right/00001.jpg', 'Surprise', 'train', 'coded', '1+2+25+26'],
      ['118-30-640x480_right/00002.jpg', 'Disgust', 'train', 'null', ''],
      ['video10-1/00001.jpg', 'Other', 'validation', 'coded', '6+10+12+25+26'],
      ['video10-1/00002.jpg', 'Other', 'validation', 'coded', '6+10+12+25+26'],
      ['video10-1/00003.jpg', 'Surprise', 'validation', 'coded', ''],
      ['1-30-1280x720/00001.jpg', 'Happiness', 'train', 'coded', '1+12+25'],
      ['1-30-1280x720/00002.jpg', 'Happiness', 'train', 'coded', '1+12+25'],
      ['1-30-1280x720/00003.jpg', 'Neutral', 'train', 'coded', ''],
      ['1-30-1280x720/00004.jpg', '(no emotion label)', 'train', 'null', ''],
      ['1-30-1280x720/00005.jpg', 'Anger', 'train', 'coded', '4+7'],
    ]);
  });

  it('reports every file and the counts of the whole set', () => {
    expect(report.files.map((f) => [f.name, f.role, f.lines, f.accepted, f.rejected])).toEqual(
      files.map((f) => [
        f.name,
        f.name.startsWith('AU') ? 'au' : 'emotion',
        ...({
          'video10-1': [3, 3],
          '1-30-1280x720': [5, 5],
          '118-30-640x480_right': [2, 2],
        }[f.name.replace(/^.*\/|\.txt$/g, '')] as number[]),
        0,
      ]),
    );
    expect(report.rowsRead).toBe(20);
    expect([report.codedCount, report.nullCount, report.absentCount]).toEqual([8, 2, 0]);
    expect(report.splitCounts.map((s) => [s.name, s.count])).toEqual([
      ['train', 7],
      ['validation', 3],
    ]);
    expect(report.auTokens.find((t) => t.token === '25')?.count).toBe(5);
    expect(result.sourceFiles.map((s) => s.name).sort()).toEqual([...FIXTURE_PATHS].sort());
  });

  it('takes AU-only sets without an emotion scheme', () => {
    const auOnly = importLabelFiles(FIXTURE_PATHS.slice(0, 3).map(abawFixture));
    expect(auOnly.format).toBe('abaw');
    expect(auOnly.table.count).toBe(10);
    expect(auOnly.report.classCounts.map((c) => c.classId)).toEqual([-1]);
    expect(auOnly.report.splitCounts.map((s) => s.count)).toEqual([7, 3]);
  });
});

describe('importLabelFiles on a partly broken ABAW set', () => {
  it('reads what it can and says where each problem is', () => {
    const result = importLabelFiles([
      abawFixture('AU_Set/Train_Set/1-30-1280x720.txt'),
      renamed(
        abawFixture('AU_Set/Validation_Set/video10-1.txt'),
        'AU_Set/Train_Set/1-30-1280x720 (copy)/1-30-1280x720.txt',
      ),
      abawFixture('broken/bad-au-values.txt'),
      textFile('EXPR_Set/Train_Set/1-30-1280x720.txt', `${ABAW_EXPR_HEADER}\n4\n4\n`),
    ]);
    expect(result.format).toBe('abaw');
    expect(result.problems.map((p) => [p.file, p.line, p.kind, p.field])).toEqual([
      ['AU_Set/Train_Set/1-30-1280x720 (copy)/1-30-1280x720.txt', 0, 'unknown-file', 'file'],
      ['EXPR_Set/Train_Set/1-30-1280x720.txt', 0, 'conflict', 'frames'],
      ['broken/bad-au-values.txt', 3, 'bad-au-token', 'AU12'],
      ['broken/bad-au-values.txt', 4, 'column-count', 'line'],
      ['broken/bad-au-values.txt', 5, 'missing-value', 'line'],
      ['broken/bad-au-values.txt', 8, 'bad-au-token', 'AU26'],
      ['broken/bad-au-values.txt', 6, 'missing-value', 'au'],
    ]);
    expect(result.table.count).toBe(5 + 3);
  });
});
