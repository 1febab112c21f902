import { describe, expect, it } from 'vitest';
import { parseAuString } from './au';
import { columnsFromRecords, makeProblem, type LabelRecord } from './records';
import {
  MAX_REPORT_EXAMPLES,
  MAX_REPORT_PROBLEMS,
  buildParseReport,
  countAuTokens,
  type ParseReportInput,
} from './report';
import { RAFCE_SCHEME, RAFCE_SPLIT_NAMES } from './schemes';
import { describeRealRafCe, realRafCeFile } from './test-fixtures';
import { buildSampleTable } from './table';
import { ParseReportSchema, type Problem } from './types';

function tableOf(rows: [string, number, number, string | null][]) {
  const records: LabelRecord[] = rows.map(([image, classId, split, au], i) => ({
    line: i + 1,
    image,
    classId,
    split,
    ...(au === null ? {} : { au: { raw: au, parsed: parseAuString(au) } }),
  }));
  return buildSampleTable([
    { file: 'labels.csv', role: 'combined', rows: columnsFromRecords(records) },
  ]).table;
}

const table = tableOf([
  ['a', 0, 0, '1+2+L12'],
  ['b', 0, 1, 'null'],
  ['c', 3, 0, '4+15+RB18'],
  ['d', 3, 2, '12+t23+12'],
  ['e', 20, 0, null],
  ['f', -1, -1, '25'],
]);

const input = (over: Partial<ParseReportInput> = {}): ParseReportInput => ({
  format: 'raf-ce',
  scheme: RAFCE_SCHEME,
  splitNames: RAFCE_SPLIT_NAMES,
  table,
  files: [{ name: 'labels.csv', role: 'combined', lines: 7, accepted: 6 }],
  problems: [],
  ...over,
});

describe('countAuTokens', () => {
  it('counts each token as written, most frequent first, unknown ones marked', () => {
    expect(countAuTokens(table)).toEqual([
      {
        token: '12',
        count: 2,
        au: 12,
        kind: 'AU',
        side: null,
        intensity: null,
        name: 'Lip Corner Puller',
        known: true,
      },
      {
        token: '1',
        count: 1,
        au: 1,
        kind: 'AU',
        side: null,
        intensity: null,
        name: 'Inner Brow Raiser',
        known: true,
      },
      {
        token: '15',
        count: 1,
        au: 15,
        kind: 'AU',
        side: null,
        intensity: null,
        name: 'Lip Corner Depressor',
        known: true,
      },
      {
        token: '2',
        count: 1,
        au: 2,
        kind: 'AU',
        side: null,
        intensity: null,
        name: 'Outer Brow Raiser',
        known: true,
      },
      {
        token: '25',
        count: 1,
        au: 25,
        kind: 'AU',
        side: null,
        intensity: null,
        name: 'Lips Part',
        known: true,
      },
      {
        token: '4',
        count: 1,
        au: 4,
        kind: 'AU',
        side: null,
        intensity: null,
        name: 'Brow Lowerer',
        known: true,
      },
      {
        token: 'L12',
        count: 1,
        au: 12,
        kind: 'AU',
        side: 'L',
        intensity: null,
        name: 'Lip Corner Puller',
        known: true,
      },
      {
        token: 'RB18',
        count: 1,
        au: null,
        kind: null,
        side: null,
        intensity: null,
        name: null,
        known: false,
      },
      {
        token: 't23',
        count: 1,
        au: 23,
        kind: 'AU',
        side: 'T',
        intensity: null,
        name: 'Lip Tightener',
        known: true,
      },
    ]);
  });
});

describe('buildParseReport', () => {
  it('summarises samples, AU status, classes and splits', () => {
    const report = buildParseReport(input());
    expect(ParseReportSchema.parse(report)).toEqual(report);
    expect(report).toMatchObject({
      version: 1,
      format: 'raf-ce',
      files: [{ name: 'labels.csv', role: 'combined', lines: 7, accepted: 6, rejected: 1 }],
      rowsRead: 7,
      samples: 6,
      nullCount: 1,
      codedCount: 4,
      absentCount: 1,
      problems: [],
      problemsTruncated: false,
      problemCounts: {},
      imagesGiven: 0,
      imagesWithoutLabels: { count: 0, examples: [] },
      labelsWithoutImages: { count: 0, examples: [] },
    });
    expect(report.classCounts.map((c) => [c.classId, c.name, c.count, c.nullCount])).toEqual([
      [0, 'Happily surprised', 2, 1],
      [1, 'Happily disgusted', 0, 0],
      [2, 'Sadly fearful', 0, 0],
      [3, 'Sadly angry', 2, 0],
      ...RAFCE_SCHEME.classes.slice(4).map((c) => [c.id, c.name, 0, 0]),
      [20, 'class 20 (not in RAF-CE (14 compound classes, 0-based))', 1, 0],
      [-1, '(no emotion label)', 1, 0],
    ]);
    expect(report.splitCounts).toEqual([
      { split: 0, name: 'train', count: 3, nullCount: 0 },
      { split: 1, name: 'test', count: 1, nullCount: 1 },
      { split: 2, name: 'validation', count: 1, nullCount: 0 },
      { split: -1, name: '(no split)', count: 1, nullCount: 0 },
    ]);
  });

  it('without a scheme, lists only the classes seen', () => {
    const report = buildParseReport(input({ scheme: null, splitNames: {} }));
    expect(report.classCounts.map((c) => [c.classId, c.name])).toEqual([
      [0, 'class 0'],
      [3, 'class 3'],
      [20, 'class 20'],
      [-1, '(no emotion label)'],
    ]);
    expect(report.splitCounts.map((s) => s.name)).toEqual([
      'split 0',
      'split 1',
      'split 2',
      '(no split)',
    ]);
  });

  it(`keeps ${MAX_REPORT_PROBLEMS} problems, errors first, and counts them all`, () => {
    const warnings: Problem[] = Array.from({ length: 600 }, (_, i) =>
      makeProblem('f', i + 1, 'bad-au-token', 'warning', 'au', 'x', 'w'),
    );
    const errors: Problem[] = Array.from({ length: 3 }, (_, i) =>
      makeProblem('f', 700 + i, 'unknown-class', 'error', 'emotion', '99', 'e'),
    );
    const report = buildParseReport(input({ problems: [...warnings, ...errors] }));
    expect(report.problems).toHaveLength(MAX_REPORT_PROBLEMS);
    expect(report.problems.slice(0, 3).map((p) => p.line)).toEqual([700, 701, 702]);
    expect(report.problems[3]?.line).toBe(1);
    expect(report.problemsTruncated).toBe(true);
    expect(report.problemCounts).toEqual({ 'bad-au-token': 600, 'unknown-class': 3 });
  });

  it(`lists up to ${MAX_REPORT_EXAMPLES} unmatched names on each side`, () => {
    const names = Array.from({ length: 25 }, (_, i) => `img${i}.jpg`);
    const report = buildParseReport(
      input({
        images: { given: 30, imagesWithoutLabels: names, labelsWithoutImages: [1, 3] },
      }),
    );
    expect(report.imagesGiven).toBe(30);
    expect(report.imagesWithoutLabels).toEqual({ count: 25, examples: names.slice(0, 20) });
    expect(report.labelsWithoutImages).toEqual({ count: 2, examples: ['b', 'd'] });
  });
});

describe('buildParseReport: AUs coded twice', () => {
  // Sides and intensities aside, one AU written twice is coded twice (SampleFlag.duplicateAuToken).
  it.each<[string, boolean]>([
    ['26+26', true],
    ['4+9+25+43+43', true],
    ['L12+12', true],
    ['12+L12', true],
    ['12+12B', true],
    ['L12+R12', true],
    ['AD19+AD19', true],
    ['1+2+L12', false],
    ['9+AD19+24', false],
    ['AD19+19', false],
    ['L12L+12', false],
    ['null', false],
  ])('%s: counted %s', (au, duplicated) => {
    const report = buildParseReport(
      input({
        table: tableOf([
          ['x.jpg', 0, 0, '1'],
          ['y.jpg', 0, 0, au],
        ]),
      }),
    );
    expect(ParseReportSchema.parse(report)).toEqual(report);
    expect(report.duplicateAuTokens).toEqual(
      duplicated ? { count: 1, examples: [{ image: 'y.jpg', au }] } : { count: 0, examples: [] },
    );
  });

  it(`counts every sample and lists the first ${MAX_REPORT_EXAMPLES}, in sample order`, () => {
    const rows = Array.from({ length: 30 }, (_, i): [string, number, number, string] => [
      `img${i}.jpg`,
      0,
      0,
      i % 3 === 0 ? '1' : `${i}+${i}`,
    ]);
    const report = buildParseReport(input({ table: tableOf(rows) }));
    const duplicated = rows.filter(([, , , au]) => au.includes('+'));
    expect(report.duplicateAuTokens?.count).toBe(duplicated.length);
    expect(report.duplicateAuTokens?.examples).toEqual(
      duplicated.slice(0, MAX_REPORT_EXAMPLES).map(([image, , , au]) => ({ image, au })),
    );
  });

  it('a report stored before the count still validates (the field is optional)', () => {
    const { duplicateAuTokens: _dropped, ...older } = buildParseReport(input());
    expect(ParseReportSchema.parse(older)).toEqual(older);
  });
});

describeRealRafCe('buildParseReport on the real RAF-CE AU file', () => {
  it('finds the two samples that code an AU twice', () => {
    const text = new TextDecoder().decode(realRafCeFile('RAFCE_AUlabel.txt').bytes);
    const rows = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line): [string, number, number, string] => {
        const [image = '', au = ''] = line.trim().split(/\s+/);
        return [image, 0, 0, au];
      });
    const report = buildParseReport(input({ table: tableOf(rows) }));
    expect(report.duplicateAuTokens).toEqual({
      count: 2,
      examples: [
        { image: '0540.jpg', au: '1+2+5+26+26' },
        { image: '0941.jpg', au: '4+9+25+43+43' },
      ],
    });
  });
});
