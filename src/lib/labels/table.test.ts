import { describe, expect, it } from 'vitest';
import { textColumnToArray } from './text-column';
import { parseAuString } from './au';
import { columnsFromRecords, type LabelRecord } from './records';
import { RAFCE_SCHEME, RAFCE_SPLIT_NAMES } from './schemes';
import {
  buildSampleTable,
  emptySampleTable,
  hasDuplicateAuToken,
  hasUnknownAuToken,
  sampleRow,
  type LabelSource,
} from './table';
import { AuStatus, SampleFlag } from './types';

const au = (raw: string) => ({ raw, parsed: parseAuString(raw) });
const rec = (line: number, image: string, extra: Omit<LabelRecord, 'line' | 'image'>) => ({
  line,
  image,
  ...extra,
});

const emotion: LabelSource = {
  file: 'RAFCE_emolabel.txt',
  role: 'emotion',
  rows: columnsFromRecords([
    rec(1, '0001.jpg', { classId: 5 }),
    rec(2, '0002.jpg', { classId: 10 }),
  ]),
};
const aus: LabelSource = {
  file: 'RAFCE_AUlabel.txt',
  role: 'au',
  rows: columnsFromRecords([
    rec(1, '0001.jpg', { au: au('1+4+L12') }),
    rec(2, '0003.jpg', { au: au('12+RB18') }),
    rec(3, '0002.jpg', { au: au('null') }),
  ]),
};
const splits: LabelSource = {
  file: 'RAFCE_partition.txt',
  role: 'split',
  rows: columnsFromRecords([
    rec(1, '0001.jpg', { split: 0 }),
    rec(2, '0002.jpg', { split: 1 }),
    rec(3, '0003.jpg', { split: 2 }),
    rec(4, '0004.jpg', { split: 1 }),
  ]),
};

describe('buildSampleTable', () => {
  it('joins by image name in the order emotion, au, split, whatever order the files come in', () => {
    for (const order of [
      [emotion, aus, splits],
      [splits, aus, emotion],
      [aus, splits, emotion],
    ]) {
      const { table, problems } = buildSampleTable(order);
      expect(textColumnToArray(table.names)).toEqual([
        '0001.jpg',
        '0002.jpg',
        '0003.jpg',
        '0004.jpg',
      ]);
      expect([...table.classIds]).toEqual([5, 10, -1, -1]);
      expect([...table.splits]).toEqual([0, 1, 2, 1]);
      expect([...table.auStatus]).toEqual([
        AuStatus.coded,
        AuStatus.null,
        AuStatus.coded,
        AuStatus.absent,
      ]);
      expect(table.auRaw).toEqual(['1+4+L12', 'null', '12+RB18', '']);
      expect([...table.flags]).toEqual([0, 0, SampleFlag.unknownAuToken, 0]);
      expect(problems).toEqual([
        {
          kind: 'conflict',
          severity: 'warning',
          file: 'RAFCE_AUlabel.txt',
          line: 2,
          field: 'image',
          raw: '0003.jpg',
          message:
            "'0003.jpg' is not in RAFCE_emolabel.txt: kept without an emotion label (class -1)",
        },
        {
          kind: 'conflict',
          severity: 'warning',
          file: 'RAFCE_partition.txt',
          line: 4,
          field: 'image',
          raw: '0004.jpg',
          message:
            "'0004.jpg' is not in RAFCE_emolabel.txt: kept without an emotion label (class -1)",
        },
        {
          kind: 'conflict',
          severity: 'warning',
          file: 'RAFCE_partition.txt',
          line: 4,
          field: 'image',
          raw: '0004.jpg',
          message:
            "'0004.jpg' is not in RAFCE_AUlabel.txt: its AUs are absent (neither coded nor null)",
        },
      ]);
    }
  });

  it.each<[string, LabelSource[], number, number]>([
    ['emotion only', [emotion], 2, 0],
    ['AU only', [aus], 3, 0],
    ['split only', [splits], 4, 0],
    ['nothing', [], 0, 0],
  ])('%s', (_label, sources, count, problemCount) => {
    const { table, problems } = buildSampleTable(sources);
    expect(table.count).toBe(count);
    expect(table.auMask).toHaveLength(2 * count);
    expect(problems).toHaveLength(problemCount);
  });

  it('fills the AU mask with AUs 1-64, sides merged, AD tokens left out', () => {
    const { table } = buildSampleTable([
      {
        file: 'a.txt',
        role: 'au',
        rows: columnsFromRecords([rec(1, 'a', { au: au('L12+R12+43+AD19+26+26') })]),
      },
    ]);
    expect([...table.auMask]).toEqual([(1 << 11) | (1 << 25), 1 << 10]);
    // 26+26 (and L12 beside R12) code an AU twice.
    expect(table.flags[0]).toBe(SampleFlag.duplicateAuToken);
  });

  it.each<[string, string, number]>([
    ['a clean value', '1+2+12+25', 0],
    ['an AU coded twice', '26+26', SampleFlag.duplicateAuToken],
    ['once with a side, once without', '12+L12', SampleFlag.duplicateAuToken],
    ['twice at different intensities', '5B+5C', SampleFlag.duplicateAuToken],
    ['an unreadable token', '1+X9', SampleFlag.unknownAuToken],
    ['a number that is no FACS code', '1+3', SampleFlag.unknownAuToken],
    ['both at once', '26+26+X9', SampleFlag.unknownAuToken | SampleFlag.duplicateAuToken],
    ['an unreadable token twice is only unreadable', 'X9+X9', SampleFlag.unknownAuToken],
    ['an AD code beside the AU of its number', 'AD19+19', 0],
    ['null', 'null', 0],
  ])('flags %s: %s', (_, raw, flags) => {
    const { table } = buildSampleTable([
      { file: 'a.txt', role: 'au', rows: columnsFromRecords([rec(1, 'a', { au: au(raw) })]) },
    ]);
    expect(table.flags[0]).toBe(flags);
  });

  it('flags each sample by its own value, whichever samples share a value', () => {
    const { table } = buildSampleTable([
      {
        file: 'a.txt',
        role: 'au',
        rows: columnsFromRecords([
          rec(1, 'a', { au: au('26+26') }),
          rec(2, 'b', { au: au('26') }),
          rec(3, 'c', { au: au('26+26') }),
          rec(4, 'd', { au: au('null') }),
        ]),
      },
    ]);
    expect([...table.flags]).toEqual([
      SampleFlag.duplicateAuToken,
      0,
      SampleFlag.duplicateAuToken,
      0,
    ]);
  });

  it('keeps the first value when two files disagree, and says so', () => {
    const { table, problems } = buildSampleTable([
      {
        file: 'combined.csv',
        role: 'combined',
        rows: columnsFromRecords([rec(2, 'a', { classId: 1, split: 0 })]),
      },
      { file: 'emo.txt', role: 'emotion', rows: columnsFromRecords([rec(7, 'a', { classId: 2 })]) },
    ]);
    expect(table.classIds[0]).toBe(1);
    expect(problems.map((p) => [p.kind, p.file, p.line, p.field, p.message])).toEqual([
      [
        'conflict',
        'emo.txt',
        7,
        'emotion',
        "'a' has emotion 2 here but 1 in combined.csv (line 2); the first is kept",
      ],
    ]);
  });
});

describe('hasDuplicateAuToken', () => {
  it.each<[string, boolean]>([
    ['26+26', true],
    ['12+L12', true],
    ['L12+12', true],
    ['5B+5C', true],
    ['1+2+5+26+26', true],
    ['4+9+25+43+43', true],
    ['AD19+AD19', true],
    ['1+2+12+25', false],
    ['AD19+19', false],
    ['1+X9+X9', false],
    ['26', false],
    ['null', false],
    ['', false],
  ])('%s: %s', (raw, expected) => {
    expect(hasDuplicateAuToken(parseAuString(raw))).toBe(expected);
  });

  it('is independent of hasUnknownAuToken', () => {
    expect(hasUnknownAuToken(parseAuString('26+26'))).toBe(false);
    expect(hasUnknownAuToken(parseAuString('26+26+X9'))).toBe(true);
    expect(hasDuplicateAuToken(parseAuString('26+26+X9'))).toBe(true);
  });
});

describe('sampleRow', () => {
  const { table } = buildSampleTable([emotion, aus, splits]);

  it.each([
    [
      0,
      {
        index: 0,
        name: '0001.jpg',
        classId: 5,
        className: 'Sadly disgusted',
        split: 0,
        splitName: 'train',
        auStatus: 'coded',
        auRaw: '1+4+L12',
        aus: [1, 4, 12],
        unknownAuToken: false,
        hasImage: false,
      },
    ],
    [
      1,
      {
        index: 1,
        name: '0002.jpg',
        classId: 10,
        className: 'Angrily disgusted',
        split: 1,
        splitName: 'test',
        auStatus: 'null',
        auRaw: 'null',
        aus: [],
        unknownAuToken: false,
        hasImage: false,
      },
    ],
    [
      3,
      {
        index: 3,
        name: '0004.jpg',
        classId: -1,
        className: '(no emotion label)',
        split: 1,
        splitName: 'test',
        auStatus: 'absent',
        auRaw: '',
        aus: [],
        unknownAuToken: false,
        hasImage: false,
      },
    ],
  ])('sample %i', (i, row) => {
    expect(sampleRow(table, i, RAFCE_SCHEME, RAFCE_SPLIT_NAMES)).toEqual(row);
  });

  it('leaves names out without a scheme, and throws outside the table', () => {
    expect(sampleRow(table, 2)).toMatchObject({
      className: null,
      splitName: null,
      unknownAuToken: true,
    });
    expect(() => sampleRow(table, 4)).toThrow(RangeError);
    expect(() => sampleRow(emptySampleTable(), 0)).toThrow(RangeError);
  });
});
