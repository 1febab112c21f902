import { describe, expect, it } from 'vitest';
import { guessRafDbScheme, isRafDbFileName, rafDbSplitOf, readRafDb } from './read';
import { RAFDB_BASIC_SCHEME, RAFDB_COMPOUND_SCHEME } from '../../labels/schemes';
import { fixture, textFile, recordsOf } from '../../labels/test-fixtures';

const BASIC = 'raf-db/basic/EmoLabel/list_patition_label.txt';
const COMPOUND = 'raf-db/compound/EmoLabel/list_patition_label.txt';

describe('RAF-DB names', () => {
  it.each<[string, boolean]>([
    ['list_patition_label.txt', true],
    ['EmoLabel/list_patition_label.txt', true],
    ['compound/EmoLabel/list_patition_label.txt', true],
    ['list_partition_label.txt', true],
    ['RAFCE_partition.txt', false],
  ])('%s is a RAF-DB list: %s', (name, expected) => {
    expect(isRafDbFileName(name)).toBe(expected);
  });

  it.each<[string, number | null]>([
    ['train_00001.jpg', 0],
    ['test_0001.jpg', 1],
    ['Train_00001_aligned.jpg', 0],
    ['aligned/test_0001_aligned.jpg', 1],
    ['val_0001.jpg', null],
    ['00001.jpg', null],
  ])('split of %s', (image, split) => {
    expect(rafDbSplitOf(image)).toBe(split);
  });

  it.each<[string, number[], string, string]>([
    ['ids up to 7', [1, 7, 3], 'EmoLabel/list_patition_label.txt', 'raf-db-basic'],
    ['an id above 7', [1, 8], 'EmoLabel/list_patition_label.txt', 'raf-db-compound'],
    [
      'compound in the path',
      [1, 2],
      'compound/EmoLabel/list_patition_label.txt',
      'raf-db-compound',
    ],
    ['no records', [], '', 'raf-db-basic'],
  ])('guessRafDbScheme: %s', (_label, ids, path, schemeId) => {
    expect(
      guessRafDbScheme(
        ids.map((classId) => ({ classId })),
        path,
      ).id,
    ).toBe(schemeId);
  });
});

describe('readRafDb', () => {
  it('basic sample: good rows kept, each bad row reported exactly', () => {
    const read = readRafDb(fixture(BASIC));
    expect(read.scheme).toBe(RAFDB_BASIC_SCHEME);
    expect(recordsOf(read).map((r) => [r.line, r.image, r.classId, r.split])).toEqual([
      [1, 'train_00001.jpg', 5, 0],
      [2, 'train_00002.jpg', 1, 0],
      [3, 'test_0001.jpg', 7, 1],
      [5, 'val_0001.jpg', 4, -1],
    ]);
    expect(read.problems).toEqual([
      {
        kind: 'unknown-class',
        severity: 'error',
        file: BASIC,
        line: 4,
        field: 'emotion',
        raw: '0',
        message: "class id '0' is not in RAF-DB basic (7 classes, 1-based); row rejected",
      },
      {
        kind: 'bad-split',
        severity: 'warning',
        file: BASIC,
        line: 5,
        field: 'split',
        raw: 'val_0001.jpg',
        message:
          "image name 'val_0001.jpg' starts with neither train_ nor test_; kept without a split",
      },
      {
        kind: 'column-count',
        severity: 'error',
        file: BASIC,
        line: 6,
        field: 'emotion',
        raw: 'train_00003.jpg',
        message: "expected 2 fields 'image emotion', found 1; row rejected",
      },
      {
        kind: 'duplicate-image',
        severity: 'error',
        file: BASIC,
        line: 7,
        field: 'image',
        raw: 'train_00001.jpg',
        message: "image 'train_00001.jpg' already given on line 1; this row is rejected",
      },
      {
        kind: 'unknown-class',
        severity: 'error',
        file: BASIC,
        line: 8,
        field: 'emotion',
        raw: 'x',
        message: "class id 'x' is not an integer; row rejected",
      },
    ]);
    expect(read.rowsRead).toBe(8);
    expect(read.source?.role).toBe('combined');
  });

  it('compound sample: scheme from the path, ids checked against it', () => {
    const read = readRafDb(fixture(COMPOUND));
    expect(read.scheme).toBe(RAFDB_COMPOUND_SCHEME);
    expect(recordsOf(read).map((r) => [r.image, r.classId, r.split])).toEqual([
      ['train_0001.jpg', 1, 0],
      ['train_0002.jpg', 11, 0],
      ['test_0001.jpg', 8, 1],
    ]);
    expect(read.problems.map((p) => [p.kind, p.line, p.raw, p.message])).toEqual([
      [
        'unknown-class',
        4,
        '12',
        "class id '12' is not in RAF-DB compound (11 classes, 1-based); row rejected",
      ],
    ]);
  });

  it.each<[string, string, string]>([
    ['ids above 7 without compound in the path', 'list_patition_label.txt', 'raf-db-compound'],
    ['only basic ids', 'EmoLabel/list_patition_label.txt', 'raf-db-basic'],
  ])('guesses the scheme: %s', (_label, name, schemeId) => {
    const text = schemeId === 'raf-db-compound' ? 'train_1.jpg 9\n' : 'train_1.jpg 7\n';
    expect(readRafDb(textFile(name, text)).scheme.id).toBe(schemeId);
  });

  it('a scheme given by the caller wins over the guess', () => {
    const read = readRafDb(fixture(COMPOUND), RAFDB_BASIC_SCHEME);
    expect(read.scheme).toBe(RAFDB_BASIC_SCHEME);
    expect(recordsOf(read).map((r) => r.classId)).toEqual([1]);
    expect(read.problems.map((p) => p.raw)).toEqual(['11', '8', '12']);
  });
});
