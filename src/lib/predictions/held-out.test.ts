import { describe, expect, it } from 'vitest';
import { RAFCE_SPLIT_NAMES } from '../labels/schemes';
import { LabelSchemeSchema } from '../labels/types';
import { heldOutOpinions, trainingSplits } from './held-out';
import { PREDICTION_RUN_VERSION, type PredictionRun } from './run';

const SCHEME = LabelSchemeSchema.parse({
  id: 'three',
  name: 'Three',
  classes: [
    { id: 0, name: 'Happy', components: ['happy'] },
    { id: 1, name: 'Sad', components: ['sad'] },
    { id: 2, name: 'Angry', components: ['anger'] },
  ],
});

function run(rows: number[][], output: 'probabilities' | 'predicted-class'): PredictionRun {
  return {
    meta: {
      version: PREDICTION_RUN_VERSION,
      id: 'r',
      datasetId: 'd',
      name: 'baseline',
      createdAt: 0,
      fileNames: [],
      emotion: { output, classIds: [0, 1, 2], convertedFromLogits: false },
      au: null,
      predicted: rows.length,
      unmatched: 0,
    },
    rowOf: Int32Array.from(rows, (_, i) => i),
    classProbs: Float32Array.from(rows.flat()),
    auProbs: null,
  };
}

// Labels 0 1 2 0 1 2; splits train train test test validation none.
const TABLE = {
  count: 6,
  classIds: Int16Array.from([0, 1, 2, 0, 1, 2]),
  splits: Int8Array.from([0, 0, 1, 1, 2, -1]),
};

describe('trainingSplits', () => {
  it.each<[Record<string, string>, number[]]>([
    [RAFCE_SPLIT_NAMES, [0]],
    [{ 0: 'Training', 1: 'test' }, [0]],
    [{ 1: 'train set', 2: 'val' }, [1]],
    [{ 0: 'test', 1: 'validation', 2: 'retrain-holdout' }, []],
  ])('%j -> %j', (names, ids) => {
    expect([...trainingSplits(names)]).toEqual(ids);
  });
});

describe('heldOutOpinions', () => {
  it('gives no opinion on training samples, and measures the run on the others only', () => {
    // Right on both training samples, right on 2 of the 4 held out.
    const rows = [
      [0.8, 0.1, 0.1],
      [0.1, 0.8, 0.1],
      [0.1, 0.1, 0.8],
      [0.1, 0.8, 0.1],
      [0.1, 0.8, 0.1],
      [0.8, 0.1, 0.1],
    ];
    const opinions = heldOutOpinions(run(rows, 'probabilities'), TABLE, SCHEME, RAFCE_SPLIT_NAMES);
    expect(Array.from(opinions?.rowOf ?? [])).toEqual([-1, -1, 2, 3, 4, 5]);
    expect(opinions?.quality.value).toBe(0.5);
    expect(opinions?.quality.samples).toBe(4);
    expect(opinions?.name).toMatch(/held-out samples only, not train/);
    expect(opinions?.kind).toBe('predictions');
  });

  it("turns a predicted class into the run's held-out accuracy, the rest shared", () => {
    const rows = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    const opinions = heldOutOpinions(
      run(rows, 'predicted-class'),
      TABLE,
      SCHEME,
      RAFCE_SPLIT_NAMES,
    );
    // Held out: right on samples 2, 4 and 5 of 2..5: accuracy 0.75.
    expect(opinions?.quality.value).toBe(0.75);
    expect(Array.from(opinions?.probs.subarray(3 * 3, 4 * 3) ?? [])).toEqual([0.125, 0.75, 0.125]);
  });

  it('is null when every predicted sample is a training sample', () => {
    const onlyTrain = { ...TABLE, splits: Int8Array.from([0, 0, 0, 0, 0, 0]) };
    const rows = Array.from({ length: 6 }, () => [1 / 3, 1 / 3, 1 / 3]);
    expect(heldOutOpinions(run(rows, 'probabilities'), onlyTrain, SCHEME, RAFCE_SPLIT_NAMES)).toBe(
      null,
    );
  });

  it('takes every sample as held out when no split is known, and says so', () => {
    const noSplits = { ...TABLE, splits: new Int8Array(6).fill(-1) };
    const rows = Array.from({ length: 6 }, () => [0.5, 0.25, 0.25]);
    const opinions = heldOutOpinions(
      run(rows, 'probabilities'),
      noSplits,
      SCHEME,
      RAFCE_SPLIT_NAMES,
    );
    expect(opinions?.quality.samples).toBe(6);
    expect(opinions?.name).toMatch(/no split known/);
  });
});
