import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textFile } from '../labels/test-fixtures';
import { textColumnOf } from '../labels/text-column';
import { LabelSchemeSchema, type LabelScheme } from '../labels/types';
import { RAFCE_SCHEME } from '../labels/schemes';
import {
  guessPredictionMapping,
  MAX_LISTED_PROBLEMS,
  readPredictionCsv,
  readPredictionCsvFromText,
  readPredictionCsvHeader,
  readPredictionNpy,
  type PredictionReadResult,
} from './prediction-file';
import { PredictionRunMetaSchema, type PredictionRun } from './run';
import { npyBytes } from './test-support';

const SCHEME: LabelScheme = LabelSchemeSchema.parse({
  id: 'three',
  name: 'Three',
  classes: [
    { id: 0, name: 'Happy', components: ['happy'] },
    { id: 1, name: 'Sad', components: ['sad'] },
    { id: 2, name: 'Angrily surprised', components: ['anger', 'surprise'] },
  ],
});
const NAMES = ['0001.jpg', '0002.jpg', '0003.jpg', '0004.jpg'];
const TARGET = { names: textColumnOf(NAMES), scheme: SCHEME };
const INFO = { id: 'run-1', datasetId: 'ds-1', name: 'baseline', createdAt: 1000 };

function csv(text: string, name = 'pred.csv') {
  return readPredictionCsv(textFile(name, text), TARGET, INFO);
}

function runOf(result: PredictionReadResult): PredictionRun {
  if (!result.run) throw new Error(`no run: ${result.problems.map((p) => p.message).join('; ')}`);
  expect(PredictionRunMetaSchema.safeParse(result.run.meta).success).toBe(true);
  return result.run;
}

/** Sample i's class probabilities, rounded for comparison, or null. */
function probsOf(run: PredictionRun, i: number): number[] | null {
  const row = run.rowOf[i] as number;
  if (row < 0 || !run.classProbs || !run.meta.emotion) return null;
  const k = run.meta.emotion.classIds.length;
  return Array.from(run.classProbs.subarray(row * k, row * k + k), (v) => Number(v.toFixed(4)));
}

function ausOf(run: PredictionRun, i: number): number[] | null {
  const row = run.rowOf[i] as number;
  if (row < 0 || !run.auProbs || !run.meta.au) return null;
  const k = run.meta.au.aus.length;
  return Array.from(run.auProbs.subarray(row * k, row * k + k), (v) => Number(v.toFixed(4)));
}

describe('guessPredictionMapping', () => {
  it.each<[string, string[], Partial<ReturnType<typeof guessPredictionMapping>>]>([
    [
      'class names',
      ['image', 'Happy', 'Sad', 'Angrily surprised'],
      {
        image: 'image',
        classColumns: [
          { column: 'Happy', classId: 0 },
          { column: 'Sad', classId: 1 },
          { column: 'Angrily surprised', classId: 2 },
        ],
        predictedClass: null,
      },
    ],
    [
      'p_ and logit_ prefixes, ids',
      ['file', 'p_happy', 'logit_1', 'prob_angrily_surprised'],
      {
        image: 'file',
        classColumns: [
          { column: 'p_happy', classId: 0 },
          { column: 'logit_1', classId: 1 },
          { column: 'prob_angrily_surprised', classId: 2 },
        ],
      },
    ],
    [
      'synonyms and suffixes',
      ['path', 'happiness_prob', 'sadness', '2'],
      {
        classColumns: [
          { column: 'happiness_prob', classId: 0 },
          { column: 'sadness', classId: 1 },
          { column: '2', classId: 2 },
        ],
      },
    ],
    [
      'a predicted class and AUs',
      [
        'img',
        'label_pred',
        'predicted',
        'AU12',
        'AU06_prob',
        'au_4',
        'AU01_logit',
        'AU12_r',
        'AU99',
      ],
      {
        image: 'img',
        classColumns: [],
        predictedClass: 'predicted',
        auColumns: [
          { column: 'AU12', au: 12 },
          { column: 'AU06_prob', au: 6 },
          { column: 'au_4', au: 4 },
          { column: 'AU01_logit', au: 1 },
        ],
      },
    ],
    ['no image name: the first column', ['x', 'Happy'], { image: 'x' }],
  ])('maps %s', (_, columns, expected) => {
    expect(guessPredictionMapping(columns, SCHEME)).toMatchObject(expected);
  });

  it('maps the RAF-CE class names', () => {
    const columns = ['image', ...RAFCE_SCHEME.classes.map((c) => `p_${c.name.replace(/ /g, '_')}`)];
    const mapping = guessPredictionMapping(columns, RAFCE_SCHEME);
    expect(mapping.classColumns.map((c) => c.classId)).toEqual(
      RAFCE_SCHEME.classes.map((c) => c.id),
    );
  });
});

describe('readPredictionCsvHeader', () => {
  it('gives the columns and the guessed mapping', () => {
    const header = readPredictionCsvHeader(
      textFile('p.tsv', 'image\tHappy\tSad\n0001.jpg\t1\t0\n'),
      SCHEME,
    );
    if ('problems' in header) throw new Error('refused');
    expect(header.delimiter).toBe('\t');
    expect(header.columns).toEqual(['image', 'Happy', 'Sad']);
    expect(header.mapping.classColumns).toHaveLength(2);
  });
});

describe('readPredictionCsv', () => {
  it('reads probabilities, in any row order, with samples missing', () => {
    const result = csv(
      'image,Happy,Sad,Angrily surprised\n0003.jpg,0.2,0.3,0.5\n0001.jpg,0.7,0.2,0.1\n\n0004_aligned.jpg,1,0,0\n',
    );
    const run = runOf(result);
    expect(run.meta.emotion).toEqual({
      output: 'probabilities',
      classIds: [0, 1, 2],
      convertedFromLogits: false,
    });
    expect(run.meta.au).toBeNull();
    expect(run.meta.predicted).toBe(3);
    expect(run.meta.unmatched).toBe(0);
    expect(run.meta.fileNames).toEqual(['pred.csv']);
    expect(probsOf(run, 0)).toEqual([0.7, 0.2, 0.1]);
    expect(probsOf(run, 1)).toBeNull();
    expect(probsOf(run, 2)).toEqual([0.2, 0.3, 0.5]);
    expect(probsOf(run, 3)).toEqual([1, 0, 0]);
    expect(result.rows).toEqual({ read: 3, rejected: 0, unmatched: 0, accepted: 3, missing: 1 });
    expect(result.problems).toEqual([]);
    expect(run.classProbs).toHaveLength(9);
  });

  it('renormalises rows that miss 1 by their rounding', () => {
    const run = runOf(
      csv(
        'image,Happy,Sad,Angrily surprised\n0001.jpg,0.33,0.33,0.33\n0002.jpg,0.3334,0.3333,0.3333\n',
      ),
    );
    expect(probsOf(run, 0)).toEqual([0.3333, 0.3333, 0.3333]);
    expect(probsOf(run, 1)).toEqual([0.3334, 0.3333, 0.3333]);
  });

  it("allows a row's sum to miss 1 by what its written decimals explain", () => {
    // One decimal each: three values may each have been rounded by 0.05.
    expect(
      runOf(csv('image,Happy,Sad,Angrily surprised\n0001.jpg,0.5,0.3,0.1\n')).meta.predicted,
    ).toBe(1);
    expect(
      csv(
        'image,Happy,Sad,Angrily surprised\n0001.jpg,0.5,0.3,0.1\n0002.jpg,0.50,0.30,0.10\n0003.jpg,1,0,0\n',
      ).rows.rejected,
    ).toBe(1);
  });

  it('rejects probability rows that do not sum to 1, keeps the others', () => {
    const result = csv(
      'image,Happy,Sad,Angrily surprised\n0001.jpg,0.500,0.300,0.100\n0002.jpg,0.5,0.3,0.2\n0003.jpg,0.6,0.3,0.1\n0004.jpg,0.500,0.600,0.100\n',
    );
    const run = runOf(result);
    expect(run.meta.emotion?.output).toBe('probabilities');
    expect(run.meta.predicted).toBe(2);
    expect(result.problems.map((p) => [p.line, p.kind, p.raw, p.message])).toEqual([
      [
        2,
        'missing-value',
        '0001.jpg,0.500,0.300,0.100',
        'class probabilities sum to 0.9, not 1; row rejected',
      ],
      [
        5,
        'missing-value',
        '0004.jpg,0.500,0.600,0.100',
        'class probabilities sum to 1.2, not 1; row rejected',
      ],
    ]);
    expect(result.rows.rejected).toBe(2);
  });

  it('takes values outside [0, 1] for logits and applies softmax', () => {
    const result = csv('image,Happy,Sad,Angrily surprised\n0001.jpg,2,1,0\n0002.jpg,0,0,0\n');
    const run = runOf(result);
    expect(run.meta.emotion).toMatchObject({ output: 'logits', convertedFromLogits: true });
    const e = [Math.exp(2), Math.exp(1), 1];
    const total = e[0]! + e[1]! + e[2]!;
    expect(probsOf(run, 0)).toEqual(e.map((v) => Number((v / total).toFixed(4))));
    expect(probsOf(run, 1)).toEqual([0.3333, 0.3333, 0.3333]);
  });

  it('takes rows in [0, 1] of which most do not sum to 1 for logits', () => {
    const run = runOf(
      csv('image,Happy,Sad,Angrily surprised\n0001.jpg,0.9,0.8,0.1\n0002.jpg,0.2,0.1,0.1\n'),
    );
    expect(run.meta.emotion?.output).toBe('logits');
  });

  it('takes columns named logits for logits, and can be told', () => {
    const named = runOf(csv('image,logit_0,logit_1,logit_2\n0001.jpg,0.5,0.3,0.2\n'));
    expect(named.meta.emotion?.output).toBe('logits');
    const told = runOf(
      readPredictionCsv(
        textFile('p.csv', 'image,Happy,Sad,Angrily surprised\n0001.jpg,0.5,0.3,0.2\n'),
        TARGET,
        INFO,
        undefined,
        {
          emotion: 'logits',
        },
      ),
    );
    expect(told.meta.emotion?.output).toBe('logits');
    expect(probsOf(told, 0)?.[0]).not.toBe(0.5);
  });

  it('reads a predicted class by id or name as one-hot', () => {
    const result = csv(
      'image,prediction\n0001.jpg,2\n0002.jpg,sad\n0003.jpg, Happy \n0004.jpg,7\n',
    );
    const run = runOf(result);
    expect(run.meta.emotion).toEqual({
      output: 'predicted-class',
      classIds: [0, 1, 2],
      convertedFromLogits: false,
    });
    expect(probsOf(run, 0)).toEqual([0, 0, 1]);
    expect(probsOf(run, 1)).toEqual([0, 1, 0]);
    expect(probsOf(run, 2)).toEqual([1, 0, 0]);
    expect(probsOf(run, 3)).toBeNull();
    expect(result.problems.map((p) => [p.line, p.kind, p.field, p.raw])).toEqual([
      [5, 'unknown-class', 'prediction', '7'],
    ]);
  });

  it('reads AU probabilities and AU logits', () => {
    const probs = runOf(csv('image,AU12,AU06_prob\n0001.jpg,0.9,0.1\n0002.jpg,0,1\n'));
    expect(probs.meta.emotion).toBeNull();
    expect(probs.meta.au).toEqual({
      output: 'probabilities',
      aus: [12, 6],
      convertedFromLogits: false,
    });
    expect(ausOf(probs, 0)).toEqual([0.9, 0.1]);
    const logits = runOf(csv('image,AU12,AU6\n0001.jpg,0,-2\n0002.jpg,3,0.5\n'));
    expect(logits.meta.au?.output).toBe('logits');
    expect(ausOf(logits, 0)).toEqual([0.5, Number((1 / (1 + Math.exp(2))).toFixed(4))]);
  });

  it('reads classes and AUs of one file, logits told apart per block', () => {
    const run = runOf(
      csv('image,Happy,Sad,Angrily surprised,AU12_logit\n0001.jpg,0.5,0.25,0.25,0.2\n'),
    );
    expect(run.meta.emotion?.output).toBe('probabilities');
    expect(run.meta.au?.output).toBe('logits');
  });

  it('reads quoted cells with papaparse', () => {
    const run = runOf(
      csv('"image","Happy","Sad","Angrily surprised"\n"0002.jpg","0.1","0.8","0.1"\r\n'),
    );
    expect(probsOf(run, 1)).toEqual([0.1, 0.8, 0.1]);
  });

  it('uses the mapping given instead of the guess', () => {
    const file = textFile('p.csv', 'name,a,b,c\n0001.jpg,0.1,0.2,0.7\n');
    const result = readPredictionCsv(file, TARGET, INFO, {
      image: 'name',
      classColumns: [
        { column: 'c', classId: 0 },
        { column: 'a', classId: 2 },
        { column: 'b', classId: 1 },
      ],
      predictedClass: null,
      auColumns: [],
    });
    const run = runOf(result);
    expect(run.meta.emotion?.classIds).toEqual([0, 2, 1]);
    expect(probsOf(run, 0)).toEqual([0.7, 0.1, 0.2]);
  });

  it('reports each bad row and keeps the good ones', () => {
    const result = csv(
      [
        'image,Happy,Sad,Angrily surprised',
        '0001.jpg,0.5,0.5,0',
        '0002.jpg,NaN,0.5,0.5',
        '0003.jpg,inf,0,0',
        '0004.jpg,abc,0,0',
        '0004.jpg,,0,1',
        '9999.jpg,1,0,0',
        '0001.jpg,0,0,1',
        '0002.jpg,1,0',
        ',1,0,0',
        '0003.jpg,1,0,0',
      ].join('\n'),
    );
    const run = runOf(result);
    expect(result.problems.map((p) => [p.line, p.kind, p.severity, p.field, p.raw])).toEqual([
      [3, 'missing-value', 'error', 'Happy', 'NaN'],
      [4, 'missing-value', 'error', 'Happy', 'inf'],
      [5, 'missing-value', 'error', 'Happy', 'abc'],
      [6, 'missing-value', 'error', 'Happy', ''],
      [7, 'unmatched', 'warning', 'image', '9999.jpg'],
      [8, 'duplicate-image', 'error', 'image', '0001.jpg'],
      [9, 'column-count', 'error', 'line', '0002.jpg,1,0'],
      [10, 'missing-value', 'error', 'image', ',1,0,0'],
    ]);
    expect(result.problems.map((p) => p.message)).toEqual([
      "'NaN' is NaN; row rejected",
      "'inf' is infinite; row rejected",
      "'abc' is not a number; row rejected",
      "'' is empty; row rejected",
      "image '9999.jpg' is not in the dataset; row skipped",
      "image '0001.jpg' already has a prediction (line 2); this row is rejected",
      'expected 4 fields as in the header, found 3; row rejected',
      'the image name is empty; row rejected',
    ]);
    expect(result.rows).toEqual({ read: 10, rejected: 7, unmatched: 1, accepted: 2, missing: 2 });
    expect(run.meta.unmatched).toBe(1);
    expect(probsOf(run, 0)).toEqual([0.5, 0.5, 0]);
    expect(probsOf(run, 2)).toEqual([1, 0, 0]);
  });

  it('lists at most MAX_LISTED_PROBLEMS problems and counts them all', () => {
    const lines = ['image,Happy'];
    for (let i = 0; i < MAX_LISTED_PROBLEMS + 5; i++) lines.push(`x${i}.jpg,1`);
    lines.push('0001.jpg,1');
    const result = csv(lines.join('\n'));
    expect(result.problems).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(result.problemCounts.unmatched).toBe(MAX_LISTED_PROBLEMS + 5);
    expect(runOf(result).meta.predicted).toBe(1);
  });

  it.each<[string, string, RegExp]>([
    ['an empty file', '', /empty/],
    ['a header only', 'image,Happy\n', /no rows/],
    ['one column', 'image\n0001.jpg\n', /one column/],
    ['no class or AU column', 'image,foo\n0001.jpg,1\n', /no column is mapped/],
    ['only unknown images', 'image,Happy\nx.jpg,1\n', /none of the file's 1 rows names an image/],
    ['only bad rows', 'image,Happy,Sad\n0001.jpg,nan,1\n', /none of the file's 1 rows is usable/],
    ['binary junk', '\u0000\u0001', /not a text file/],
  ])('makes no run from %s', (_, text, message) => {
    const result = csv(text);
    expect(result.run).toBeNull();
    expect(result.problems.some((p) => p.severity === 'error' && message.test(p.message))).toBe(
      true,
    );
    expect(result.problems.every((p) => p.file === 'pred.csv')).toBe(true);
  });

  it.each([
    [
      {
        image: 'nope',
        classColumns: [],
        predictedClass: null,
        auColumns: [{ column: 'AU12', au: 12 }],
      },
      /no column 'nope'/,
    ],
    [
      {
        image: 'image',
        classColumns: [{ column: 'AU12', classId: 9 }],
        predictedClass: null,
        auColumns: [],
      },
      /class 9 is not a class/,
    ],
    [
      {
        image: 'image',
        classColumns: [],
        predictedClass: null,
        auColumns: [
          { column: 'AU12', au: 12 },
          { column: 'AU12', au: 6 },
        ],
      },
      /mapped twice/,
    ],
  ])('refuses a bad mapping %#', (mapping, message) => {
    const result = readPredictionCsv(
      textFile('p.csv', 'image,AU12\n0001.jpg,1\n'),
      TARGET,
      INFO,
      mapping,
    );
    expect(result.run).toBeNull();
    expect(result.problems[0]?.message).toMatch(message);
  });

  it('refuses an empty run name', () => {
    const result = readPredictionCsv(textFile('p.csv', 'image,AU12\n0001.jpg,1\n'), TARGET, {
      ...INFO,
      name: '  ',
    });
    expect(result.run).toBeNull();
    expect(result.problems[0]?.message).toMatch(/needs a name/);
  });
});

describe('readPredictionNpy', () => {
  const file = (name: string, bytes: Uint8Array) => ({ name, bytes });

  it('reads class logits in the dataset order', () => {
    const values = [2, 1, 0, 0, 0, 0, 0, 5, 0, 1, 1, 1];
    const result = readPredictionNpy(
      { emotion: { file: file('logits.npy', npyBytes(values, [4, 3])) }, imageList: null },
      TARGET,
      INFO,
    );
    const run = runOf(result);
    expect(run.meta.emotion).toEqual({
      output: 'logits',
      classIds: [0, 1, 2],
      convertedFromLogits: true,
    });
    expect(probsOf(run, 1)).toEqual([0.3333, 0.3333, 0.3333]);
    expect(probsOf(run, 2)?.[1]).toBeGreaterThan(0.98);
    expect(run.meta.fileNames).toEqual(['logits.npy']);
  });

  it('reads classes in a given column order and AUs through an image list', () => {
    const classes = file('p.npy', npyBytes([0.2, 0.8, 0, 0.5, 0.5, 0], [2, 3], { dtype: '<f8' }));
    const aus = file('au.npy', npyBytes([0.9, 0.1, 0.3, 0.4], [2, 2]));
    const list = textFile('images.txt', '0004.jpg\n0002_aligned.jpg\n\n');
    const result = readPredictionNpy(
      {
        emotion: { file: classes, classIds: [2, 0, 1] },
        au: { file: aus, aus: [12, 4] },
        imageList: list,
      },
      TARGET,
      INFO,
    );
    const run = runOf(result);
    expect(run.meta.emotion?.classIds).toEqual([2, 0, 1]);
    expect(run.meta.au).toEqual({
      output: 'probabilities',
      aus: [12, 4],
      convertedFromLogits: false,
    });
    expect(probsOf(run, 3)).toEqual([0.2, 0.8, 0]);
    expect(ausOf(run, 1)).toEqual([0.3, 0.4]);
    expect(run.rowOf[0]).toBe(-1);
    expect(result.rows.missing).toBe(2);
    expect(run.meta.fileNames).toEqual(['p.npy', 'au.npy', 'images.txt']);
  });

  it('reads 1-D class indices as predicted classes', () => {
    const result = readPredictionNpy(
      {
        emotion: { file: file('pred.npy', npyBytes([2, 0, 1, 1], [4], { dtype: '<i8' })) },
        imageList: null,
      },
      TARGET,
      INFO,
    );
    const run = runOf(result);
    expect(run.meta.emotion?.output).toBe('predicted-class');
    expect(probsOf(run, 0)).toEqual([0, 0, 1]);
    expect(probsOf(run, 3)).toEqual([0, 1, 0]);
  });

  it('rejects rows with NaN, infinite values, bad indices or unknown images', () => {
    const aus = file('au.npy', npyBytes([0.5, NaN, Infinity, 0.2], [4, 1], { dtype: '<f8' }));
    const list = textFile('images.txt', '0001.jpg\n0002.jpg\n0003.jpg\nnope.jpg\n');
    const result = readPredictionNpy(
      { au: { file: aus, aus: [12] }, imageList: list },
      TARGET,
      INFO,
    );
    expect(result.problems.map((p) => [p.file, p.line, p.kind, p.field, p.message])).toEqual([
      ['au.npy', 2, 'missing-value', 'AU12', 'row 2: AU12 is NaN; row rejected'],
      ['au.npy', 3, 'missing-value', 'AU12', 'row 3: AU12 is infinite; row rejected'],
      [
        'images.txt',
        4,
        'unmatched',
        'image',
        "image 'nope.jpg' is not in the dataset; row skipped",
      ],
    ]);
    expect(runOf(result).meta.predicted).toBe(1);
  });

  it('rejects rows of probabilities that do not sum to 1', () => {
    const values = [0.5, 0.5, 0, 0.5, 0.5, 0, 0.5, 0.2, 0, 0, 0, 1];
    const result = readPredictionNpy(
      { emotion: { file: file('p.npy', npyBytes(values, [4, 3])) }, imageList: null },
      TARGET,
      INFO,
    );
    expect(result.problems.map((p) => [p.line, p.raw, p.message])).toEqual([
      [3, '0.5 0.2 0', 'class probabilities sum to 0.7, not 1; row rejected'],
    ]);
    expect(runOf(result).meta.predicted).toBe(3);
  });

  it.each<[string, () => Parameters<typeof readPredictionNpy>[0], RegExp]>([
    [
      'rows other than the samples',
      () => ({ emotion: { file: file('p.npy', npyBytes([1, 0, 0], [1, 3])) }, imageList: null }),
      /1 rows, the dataset 4 samples/,
    ],
    [
      'columns other than the classes',
      () => ({ emotion: { file: file('p.npy', npyBytes([1, 0, 0, 0], [4, 1])) }, imageList: null }),
      /1 columns, the classes are 3/,
    ],
    [
      'columns other than the AUs',
      () => ({
        au: { file: file('a.npy', npyBytes([1, 0, 0, 0], [2, 2])), aus: [1] },
        imageList: textFile('i.txt', 'a\nb\n'),
      }),
      /2 columns, the AUs named are 1/,
    ],
    [
      'a list of another length',
      () => ({
        au: { file: file('a.npy', npyBytes([1, 0], [2, 1])), aus: [1] },
        imageList: textFile('i.txt', 'a\n'),
      }),
      /names 1 images, the arrays have 2 rows/,
    ],
    [
      'a blank line inside the list',
      () => ({
        au: { file: file('a.npy', npyBytes([1, 0], [2, 1])), aus: [1] },
        imageList: textFile('i.txt', 'a\n\nb\n'),
      }),
      /blank line inside/,
    ],
    [
      'arrays of different lengths',
      () => ({
        emotion: { file: file('p.npy', npyBytes([1, 0, 0, 0], [4])) },
        au: { file: file('a.npy', npyBytes([1, 0], [2, 1])), aus: [1] },
        imageList: null,
      }),
      /AU array has 2 rows, the class array 4/,
    ],
    [
      'a 1-D array of scores',
      () => ({ emotion: { file: file('p.npy', npyBytes([0.5, 0, 0, 0], [4])) }, imageList: null }),
      /predicted class indices/,
    ],
    [
      'an unknown class',
      () => ({
        emotion: { file: file('p.npy', npyBytes([1, 0], [1, 2])), classIds: [0, 7] },
        imageList: null,
      }),
      /class 7 is not a class/,
    ],
    [
      'an AU out of range',
      () => ({ au: { file: file('a.npy', npyBytes([1], [1, 1])), aus: [70] }, imageList: null }),
      /AU 70 is not an AU/,
    ],
    [
      'a truncated array',
      () => ({
        au: { file: file('a.npy', npyBytes([1, 0, 1, 0], [4, 1], { cut: 2 })), aus: [1] },
        imageList: null,
      }),
      /truncated/,
    ],
    [
      'another dtype',
      () => ({
        au: { file: file('a.npy', npyBytes([1, 0, 1, 0], [4, 1], { dtype: '>i4' })), aus: [1] },
        imageList: null,
      }),
      /big-endian/,
    ],
    ['nothing', () => ({ imageList: null }), /no .npy array/],
  ])('makes no run from %s', (_, input, message) => {
    const result = readPredictionNpy(input(), TARGET, INFO);
    expect(result.run).toBeNull();
    expect(result.problems[0]?.message).toMatch(message);
  });
});

describe('numbers read in place', () => {
  it('equal what Number() reads, to float32 precision', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -50, max: 50, noNaN: true }),
            fc.constantFrom(-1, 0, 1, 3, 6, 9, 17),
          ),
          { minLength: 1, maxLength: 20 },
        ),
        (values) => {
          const cells = values.map(([v, d]) => (d < 0 ? String(v) : v.toFixed(d)));
          const names = cells.map((_, i) => `${i}.jpg`);
          const text = ['image,AU1', ...cells.map((cell, i) => `${names[i]}, ${cell} `)].join('\n');
          const result = readPredictionCsv(
            textFile('p.csv', text),
            { names: textColumnOf(names), scheme: SCHEME },
            INFO,
            undefined,
            { au: 'probabilities' },
          );
          const run = runOf(result);
          cells.forEach((cell, i) => {
            const expected = Math.fround(Number(cell));
            const got = run.auProbs?.[run.rowOf[i] as number] as number;
            expect(Math.abs(got - expected)).toBeLessThanOrEqual(Math.abs(expected) * 1.2e-7);
          });
        },
      ),
    );
  });
});

describe('the byte path', () => {
  const nameArb = fc.oneof(
    fc.constantFrom('0001.jpg', 'visage-é.png', '日本/顔.jpg', 'smile 😀.jpg', 'a.jpg', 'b'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).map((t) => `${t}.jpg`),
  );
  const cellArb = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 10000 }).map((q) => (q / 10000).toFixed(4)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '1',
        '.5',
        '1.',
        '-0.25',
        '+0.5',
        '1e-3',
        'nan',
        'inf',
        '',
        ' 0.3',
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'abc',
        '.',
        '-',
        '0.1.2',
        '0,5',
        '３',
        '0.10000000000000000000000000000000001',
      ),
    },
  );
  const rowArb = fc.record({
    image: fc.oneof(
      { weight: 4, arbitrary: fc.nat(7) },
      { weight: 1, arbitrary: nameArb },
      { weight: 1, arbitrary: fc.constantFrom('', '  ', ' 0001.jpg', 'a.JPG') },
    ),
    cells: fc.array(cellArb, { minLength: 5, maxLength: 5 }),
    note: fc.oneof(
      fc.constantFrom('', 'ok', 'déjà vu', 'say "hi"', 'a\u0000b'),
      fc.string({ maxLength: 4 }),
    ),
    cellCount: fc.constantFrom(0, 0, 0, 0, -1, 1),
  });

  it('reads every file exactly as the text path does', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(nameArb, { minLength: 1, maxLength: 8 }),
        fc.array(
          fc.oneof({ weight: 8, arbitrary: rowArb }, { weight: 1, arbitrary: fc.constant(null) }),
          {
            maxLength: 12,
          },
        ),
        fc.record({
          crlf: fc.boolean(),
          bom: fc.boolean(),
          tsv: fc.boolean(),
          finalNewline: fc.boolean(),
          badByteAt: fc.option(fc.nat(40)),
          output: fc.constantFrom<'auto' | 'probabilities' | 'logits'>(
            'auto',
            'probabilities',
            'logits',
          ),
        }),
        (names, rows, options) => {
          const sep = options.tsv ? '\t' : ',';
          const header = ['image', 'p_0', 'p_1', 'p_2', 'note', 'AU1', 'AU2'].join(sep);
          const lines = rows.map((row) => {
            if (row === null) return ' ';
            const image =
              typeof row.image === 'number'
                ? (names[row.image % (names.length + 1)] ?? 'extra.jpg')
                : row.image;
            const note = row.note.replace(/[\n\r\t,]/g, '');
            const cells = [image, ...row.cells.slice(0, 3), note, ...row.cells.slice(3)];
            if (row.cellCount < 0) cells.pop();
            if (row.cellCount > 0) cells.push('0');
            return cells.join(sep);
          });
          const eol = options.crlf ? '\r\n' : '\n';
          const text =
            (options.bom ? '\uFEFF' : '') +
            [header, ...lines].join(eol) +
            (options.finalNewline ? eol : '');
          let bytes = new TextEncoder().encode(text);
          if (options.badByteAt !== null && bytes.length > 0) {
            const at = Math.min(options.badByteAt + header.length + 2, bytes.length - 1);
            bytes = Uint8Array.from([...bytes.subarray(0, at), 0xff, ...bytes.subarray(at)]);
          }
          const file = { name: options.tsv ? 'p.tsv' : 'p.csv', bytes };
          const target = { names: textColumnOf(names), scheme: SCHEME };
          const output = { emotion: options.output, au: options.output };
          expect(readPredictionCsv(file, target, INFO, undefined, output)).toEqual(
            readPredictionCsvFromText(file, target, INFO, undefined, output),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads a plain file from its bytes with the values of the text path', () => {
    const text = [
      'image,p_0,p_1,p_2,AU1',
      '0001.jpg,0.2500,0.2500,0.5000,0.9',
      '0003.jpg,0.1,0.2,0.7,.5',
      '0002.jpg,1,0,0,0',
      '0003.jpg,0.3,0.3,0.3,1',
      'x.jpg,0.3,0.3,0.4,1',
    ].join('\r\n');
    const result = csv(text);
    expect(result).toEqual(readPredictionCsvFromText(textFile('pred.csv', text), TARGET, INFO));
    const run = runOf(result);
    expect(probsOf(run, 0)).toEqual([0.25, 0.25, 0.5]);
    expect(probsOf(run, 2)).toEqual([0.1, 0.2, 0.7]);
    expect(ausOf(run, 2)).toEqual([0.5]);
    expect(result.rows).toEqual({ read: 5, rejected: 1, unmatched: 1, accepted: 3, missing: 1 });
  });
});
