import { describe, expect, it } from 'vitest';
import { textColumnOf } from '../labels/text-column';
import type { InputFile, Problem } from '../labels/types';
import {
  CROWD_EMOTIONS,
  CrowdDistributionSchema,
  crowdSharesOf,
  readCrowdDistribution,
  type CrowdDistribution,
} from './crowd-file';

const FILE = 'RAF-ML/distribution.txt';
const NAMES = textColumnOf(['0001.jpg', '0002.jpg', '0003_aligned.jpg', 'aligned/0004.jpg']);

function file(text: string, name = FILE): InputFile {
  return { name, bytes: new TextEncoder().encode(text) };
}

function bytesFile(bytes: number[]): InputFile {
  return { name: FILE, bytes: new Uint8Array(bytes) };
}

/** Sample i's shares rounded to 4 decimals (float32 holds them to about 7 digits). */
function sharesOf(crowd: CrowdDistribution | null, i: number): number[] {
  if (!crowd) throw new Error('no crowd');
  return Array.from(crowdSharesOf(crowd, i), (v) => (Number.isNaN(v) ? v : Number(v.toFixed(4))));
}

const GOOD_ROW = '0001.jpg 0.05 0.00 0.10 0.70 0.15 0.00';
const NONE = [NaN, NaN, NaN, NaN, NaN, NaN];

describe('readCrowdDistribution: good files', () => {
  it('aligns rows to samples by image key, in the emotions order of the label layer', () => {
    const { crowd, problems } = readCrowdDistribution(
      file(`${GOOD_ROW}\n0003.jpg 0.5 0.5 0 0 0 0\n0004_aligned.jpg 0 0 0 0 0.4 0.6\n`),
      NAMES,
    );
    expect(problems).toEqual([]);
    expect(crowd).toMatchObject({
      version: 1,
      fileName: FILE,
      emotions: ['surprise', 'fear', 'disgust', 'happy', 'sad', 'anger'],
      matched: 3,
    });
    expect(crowd?.emotions).toBe(CROWD_EMOTIONS);
    expect(Array.from(crowd?.has ?? [])).toEqual([1, 0, 1, 1]);
    expect(sharesOf(crowd, 0)).toEqual([0.05, 0, 0.1, 0.7, 0.15, 0]);
    expect(sharesOf(crowd, 1)).toEqual(NONE);
    expect(sharesOf(crowd, 2)).toEqual([0.5, 0.5, 0, 0, 0, 0]);
    expect(sharesOf(crowd, 3)).toEqual([0, 0, 0, 0, 0.4, 0.6]);
    expect(CrowdDistributionSchema.safeParse(crowd).success).toBe(true);
  });

  it.each<[string, string, number[]]>([
    ['sums to 0.99', '0001.jpg 0.33 0 0 0.33 0.33 0', [1 / 3, 0, 0, 1 / 3, 1 / 3, 0]],
    ['sums to 1.02', '0001.jpg 0.52 0 0 0.5 0 0', [0.52 / 1.02, 0, 0, 0.5 / 1.02, 0, 0]],
    ['sums to 0.98', '0001.jpg 0.48 0 0 0.5 0 0', [0.48 / 0.98, 0, 0, 0.5 / 0.98, 0, 0]],
    ['written with exponents', '0001.jpg 5e-1 .5 0 0 0 0', [0.5, 0.5, 0, 0, 0, 0]],
  ])('renormalises a row that %s to sum exactly 1', (_label, row, expected) => {
    const { crowd, problems } = readCrowdDistribution(file(row), NAMES);
    expect(problems).toEqual([]);
    const shares = crowd ? Array.from(crowdSharesOf(crowd, 0)) : [];
    shares.forEach((share, e) => expect(share).toBeCloseTo(expected[e] as number, 6));
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it.each<[string, InputFile]>([
    ['CRLF line ends', file(`${GOOD_ROW}\r\n0002.jpg 1 0 0 0 0 0\r\n`)],
    ['a UTF-8 byte-order mark', file(`\uFEFF${GOOD_ROW}\n0002.jpg 1 0 0 0 0 0`)],
    [
      'tabs and extra spaces',
      file(`  ${GOOD_ROW.replace(/ /g, '\t')}  \n0002.jpg  1 0 0  0 0 0\n`),
    ],
    ['blank lines', file(`\n${GOOD_ROW}\n   \n\n0002.jpg 1 0 0 0 0 0\n\n`)],
    [
      'a header line',
      file(
        `image p_surprise p_fear p_disgust p_happiness p_sadness p_anger\n${GOOD_ROW}\n0002.jpg 1 0 0 0 0 0`,
      ),
    ],
    [
      'a header without the image column, after a BOM and blank lines, CRLF',
      file(
        `\uFEFF\r\nSurprise Fear Disgust Happiness Sadness Anger\r\n${GOOD_ROW}\r\n0002.jpg 1 0 0 0 0 0`,
      ),
    ],
  ])('reads a file with %s, silently', (_label, input) => {
    const { crowd, problems } = readCrowdDistribution(input, NAMES);
    expect(problems).toEqual([]);
    expect(crowd?.matched).toBe(2);
    expect(sharesOf(crowd, 0)).toEqual([0.05, 0, 0.1, 0.7, 0.15, 0]);
    expect(sharesOf(crowd, 1)).toEqual([1, 0, 0, 0, 0, 0]);
  });

  it('reads the columns in the order a header gives them', () => {
    const { crowd, problems } = readCrowdDistribution(
      file('name happiness sadness surprise fear disgust anger\n0001.jpg 0.7 0.15 0.05 0 0.1 0'),
      NAMES,
    );
    expect(problems).toEqual([]);
    expect(sharesOf(crowd, 0)).toEqual([0.05, 0, 0.1, 0.7, 0.15, 0]);
  });

  it('reads a UTF-16 file with a byte-order mark', () => {
    const text = `${GOOD_ROW}\n`;
    const bytes = [0xff, 0xfe];
    for (const ch of text) bytes.push(ch.charCodeAt(0), 0);
    const { crowd, problems } = readCrowdDistribution(bytesFile(bytes), NAMES);
    expect(problems).toEqual([]);
    expect(sharesOf(crowd, 0)).toEqual([0.05, 0, 0.1, 0.7, 0.15, 0]);
  });

  it('gives every sample that shares an image key the image row', () => {
    const names = textColumnOf(['0001.jpg', 'a/0001_aligned.jpg', '0002.jpg']);
    const { crowd, problems } = readCrowdDistribution(file(GOOD_ROW), names);
    expect(problems).toEqual([]);
    expect(crowd?.matched).toBe(2);
    expect(Array.from(crowd?.has ?? [])).toEqual([1, 1, 0]);
    expect(sharesOf(crowd, 1)).toEqual(sharesOf(crowd, 0));
  });
});

type Expected = Pick<Problem, 'kind' | 'severity' | 'line' | 'field' | 'raw' | 'message'>;

const rejected = (
  field: string,
  raw: string,
  message: string,
  kind: Problem['kind'] = 'missing-value',
): Expected => ({
  kind,
  severity: 'error',
  line: 2,
  field,
  raw,
  message,
});

describe('readCrowdDistribution: each bad row is rejected with one problem', () => {
  it.each<[string, string, Expected]>([
    [
      'too few fields',
      '0002.jpg 0.2 0.2 0.2 0.2 0.2',
      rejected(
        'line',
        '0002.jpg 0.2 0.2 0.2 0.2 0.2',
        "expected 7 fields 'image p_surprise p_fear p_disgust p_happiness p_sadness p_anger', found 6; row rejected",
        'column-count',
      ),
    ],
    [
      'too many fields',
      '0002.jpg 0.2 0.2 0.2 0.2 0.1 0.1 0',
      rejected(
        'line',
        '0002.jpg 0.2 0.2 0.2 0.2 0.1 0.1 0',
        "expected 7 fields 'image p_surprise p_fear p_disgust p_happiness p_sadness p_anger', found 8; row rejected",
        'column-count',
      ),
    ],
    [
      'a value that is not a number',
      '0002.jpg 0.2 abc 0.2 0.2 0.2 0.2',
      rejected('p_fear', 'abc', "'abc' is not a number; row rejected"),
    ],
    [
      'NaN',
      '0002.jpg 0.2 0.2 0.2 0.2 0.2 NaN',
      rejected('p_anger', 'NaN', "'NaN' is not a number; row rejected"),
    ],
    [
      'a decimal comma',
      '0002.jpg 0,5 0.5 0 0 0 0',
      rejected('p_surprise', '0,5', "'0,5' is not a number; row rejected"),
    ],
    [
      'a negative value',
      '0002.jpg 0.5 0.5 -0.1 0.1 0 0',
      rejected('p_disgust', '-0.1', 'share -0.1 is negative; row rejected'),
    ],
    [
      'a value above 1',
      '0002.jpg 0 0 0 1.5 0 0',
      rejected('p_happiness', '1.5', 'share 1.5 is above 1; row rejected'),
    ],
    [
      'the first bad value only',
      '0002.jpg 0 0 0 0 x -1',
      rejected('p_sadness', 'x', "'x' is not a number; row rejected"),
    ],
    [
      'a sum below 1 - 0.02',
      '0002.jpg 0.1 0.1 0.1 0.1 0.1 0.1',
      rejected(
        'line',
        '0002.jpg 0.1 0.1 0.1 0.1 0.1 0.1',
        'shares sum to 0.6, not 1 (tolerance 0.02); row rejected',
      ),
    ],
    [
      'a sum above 1 + 0.02',
      '0002.jpg 0.53 0 0 0.5 0 0',
      rejected(
        'line',
        '0002.jpg 0.53 0 0 0.5 0 0',
        'shares sum to 1.03, not 1 (tolerance 0.02); row rejected',
      ),
    ],
    [
      'a row of zeros',
      '0002.jpg 0 0 0 0 0 0',
      rejected(
        'line',
        '0002.jpg 0 0 0 0 0 0',
        'shares sum to 0, not 1 (tolerance 0.02); row rejected',
      ),
    ],
    [
      'the image again',
      '0001.jpg 1 0 0 0 0 0',
      rejected(
        'image',
        '0001.jpg',
        "image '0001.jpg' already given on line 1; this row is rejected",
        'duplicate-image',
      ),
    ],
    [
      'the image again, spelt as its aligned crop',
      '0001_aligned.jpg 1 0 0 0 0 0',
      rejected(
        'image',
        '0001_aligned.jpg',
        "image '0001_aligned.jpg' is the same image as '0001.jpg' on line 1; this row is rejected",
        'duplicate-image',
      ),
    ],
    [
      'a header that is not the first line',
      'image p_surprise p_fear p_disgust p_happiness p_sadness p_anger',
      rejected('p_surprise', 'p_surprise', "'p_surprise' is not a number; row rejected"),
    ],
    [
      'an image not in the dataset (a warning)',
      '0099.jpg 1 0 0 0 0 0',
      {
        kind: 'unmatched',
        severity: 'warning',
        line: 2,
        field: 'image',
        raw: '0099.jpg',
        message: "image '0099.jpg' is not in the dataset; row skipped",
      },
    ],
  ])('%s', (_label, badRow, expected) => {
    const { crowd, problems } = readCrowdDistribution(
      file(`${GOOD_ROW}\n${badRow}\n0003.jpg 0 0 0 0 0 1\n`),
      NAMES,
    );
    expect(problems).toEqual([{ file: FILE, ...expected }]);
    // The rows around it are kept, and the bad row gives no sample a row.
    expect(Array.from(crowd?.has ?? [])).toEqual([1, 0, 1, 0]);
    expect(sharesOf(crowd, 0)).toEqual([0.05, 0, 0.1, 0.7, 0.15, 0]);
    expect(crowd?.matched).toBe(2);
  });

  it('reports bad rows on their own lines, counting blank lines', () => {
    const { problems } = readCrowdDistribution(
      file(`${GOOD_ROW}\r\n\r\n0002.jpg 1 0\r\n\r\n0003.jpg 2 0 0 0 0 0\r\n`),
      NAMES,
    );
    expect(problems.map((p) => [p.line, p.kind, p.field, p.raw])).toEqual([
      [3, 'column-count', 'line', '0002.jpg 1 0'],
      [5, 'missing-value', 'p_surprise', '2'],
    ]);
  });

  it('names the field after the header when the header reorders the columns', () => {
    const { problems } = readCrowdDistribution(
      file(
        'image p_anger p_sadness p_happiness p_disgust p_fear p_surprise\n0001.jpg 0 0 1 0 oops 0',
      ),
      NAMES,
    );
    expect(problems.find((p) => p.line === 2)?.field).toBe('p_fear');
  });
});

describe('readCrowdDistribution: files that give nothing', () => {
  const fileLevel = (kind: Problem['kind'], message: string | RegExp) => ({
    kind,
    severity: 'error',
    file: FILE,
    line: 0,
    field: 'file',
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  });

  it.each<[string, InputFile, object[]]>([
    ['an empty file', bytesFile([]), [fileLevel('empty-file', 'the file is empty (0 bytes)')]],
    [
      'only blank lines',
      file('\n  \r\n\n'),
      [fileLevel('empty-file', 'the file holds no data (only blank lines)')],
    ],
    [
      'a binary file',
      bytesFile([0xff, 0xd8, 0xff, 0xe0, 0x10, 0x4a]),
      [fileLevel('encoding', /^not valid UTF-8/)],
    ],
    [
      'NUL bytes',
      bytesFile([0x30, 0x31, 0, 0x0a]),
      [fileLevel('encoding', /^not a text file: NUL byte/)],
    ],
    [
      'only a header',
      file('image p_surprise p_fear p_disgust p_happiness p_sadness p_anger\n'),
      [fileLevel('unmatched', 'the file holds no rows of shares; nothing imported')],
    ],
    [
      'no row naming a sample',
      file('0098.jpg 1 0 0 0 0 0\n0099.jpg 0 1 0 0 0 0\n0003.jpg 1 1 1 1 1 1\n'),
      [
        { kind: 'unmatched', severity: 'warning', line: 1, raw: '0098.jpg' },
        { kind: 'unmatched', severity: 'warning', line: 2, raw: '0099.jpg' },
        { kind: 'missing-value', severity: 'error', line: 3, field: 'line' },
        fileLevel(
          'unmatched',
          "none of the file's 3 rows names an image of the dataset; nothing imported",
        ),
      ],
    ],
  ])('%s: crowd is null', (_label, input, expected) => {
    const { crowd, problems } = readCrowdDistribution(input, NAMES);
    expect(crowd).toBeNull();
    expect(problems).toEqual(expected.map((p) => expect.objectContaining(p)));
  });

  it('a dataset without samples matches nothing', () => {
    const { crowd, problems } = readCrowdDistribution(file(GOOD_ROW), textColumnOf([]));
    expect(crowd).toBeNull();
    expect(problems.at(-1)?.message).toMatch(/^none of the file's 1 rows/);
  });
});

describe('CrowdDistributionSchema', () => {
  const valid = (): CrowdDistribution => ({
    version: 1,
    fileName: FILE,
    emotions: CROWD_EMOTIONS,
    shares: Float32Array.from([0.5, 0.5, 0, 0, 0, 0, ...NONE]),
    has: Uint8Array.from([1, 0]),
    matched: 1,
  });

  it.each<[string, (c: CrowdDistribution) => unknown, string | null]>([
    ['a valid record', (c) => c, null],
    ['another version', (c) => ({ ...c, version: 2 }), 'version'],
    [
      'emotions in another order',
      (c) => ({ ...c, emotions: [...CROWD_EMOTIONS].reverse() }),
      'emotions',
    ],
    ['shares of the wrong length', (c) => ({ ...c, shares: c.shares.subarray(0, 6) }), 'shares'],
    ['shares as a plain array', (c) => ({ ...c, shares: Array.from(c.shares) }), 'shares'],
    [
      'a row that does not sum to 1',
      (c) => ({ ...c, shares: Float32Array.from([0.5, 0, 0, 0, 0, 0, ...NONE]) }),
      'shares',
    ],
    [
      'a NaN in a row',
      (c) => ({ ...c, shares: Float32Array.from([0.5, NaN, 0.5, 0, 0, 0, ...NONE]) }),
      'shares',
    ],
    ['a has entry of 2', (c) => ({ ...c, has: Uint8Array.from([2, 0]) }), 'has'],
    ['a wrong matched count', (c) => ({ ...c, matched: 2 }), 'matched'],
  ])('%s', (_label, change, badPath) => {
    const parsed = CrowdDistributionSchema.safeParse(change(valid()));
    expect(parsed.success).toBe(badPath === null);
    if (!parsed.success) expect(parsed.error.issues[0]?.path[0]).toBe(badPath);
  });
});

describe('readCrowdDistribution row counts', () => {
  const names = textColumnOf(
    Array.from({ length: 8 }, (_, i) => `${String(i + 1).padStart(4, '0')}.jpg`),
  );
  const file = (text: string): InputFile => ({
    name: 'distribution.txt',
    bytes: new TextEncoder().encode(text),
  });

  it.each<[string, string, { read: number; rejected: number; skipped: number; accepted: number }]>([
    ['an empty file', '', { read: 0, rejected: 0, skipped: 0, accepted: 0 }],
    [
      'a header, a good row and a blank line',
      'image p_surprise p_fear p_disgust p_happiness p_sadness p_anger\n0001.jpg 0.5 0.5 0 0 0 0\n\n',
      { read: 1, rejected: 0, skipped: 0, accepted: 1 },
    ],
    [
      'one of each bad row beside four good ones',
      [
        '0001.jpg 0.10 0.35 0.07 0.05 0.40 0.03',
        '0002.jpg 0.40 0.07 0.05 0.35 0.03 0.10',
        '0003.jpg 0.40 0.35 0.10 0.15',
        '0004.jpg 0.40 0.35 -0.10 0.15 0.10 0.10',
        '0005.jpg 0.40 abc 0.10 0.15 0.20 0.15',
        '0006.jpg 0.20 0.10 0.10 0.10 0.05 0.05',
        '9999.jpg 0.40 0.35 0.10 0.05 0.05 0.05',
        '0001.jpg 0.05 0.05 0.05 0.70 0.10 0.05',
        '0007.jpg 0.35 0.05 0.03 0.40 0.10 0.07',
        '0008.jpg 0.03 0.10 0.07 0.05 0.35 0.40',
      ].join('\n'),
      { read: 10, rejected: 5, skipped: 1, accepted: 4 },
    ],
  ])('%s', (_, text, rows) => {
    expect(readCrowdDistribution(file(text), names).rows).toEqual(rows);
  });
});
