import { describe, expect, it } from 'vitest';
import { LabelSchemeSchema } from '../labels/types';
import { PREDICTION_RUN_VERSION, type PredictionRun } from './run';
import { runCorrectness, samplePrediction } from './sample-prediction';

const SCHEME = LabelSchemeSchema.parse({
  id: 'three',
  name: 'Three',
  classes: [
    { id: 0, name: 'Happy', components: ['happy'] },
    { id: 1, name: 'Sad', components: ['sad'] },
    { id: 2, name: 'Angry', components: ['anger'] },
  ],
});

// Columns in another order than the scheme's (2, 0, 1), and one class (7) outside it.
const RUN: PredictionRun = {
  meta: {
    version: PREDICTION_RUN_VERSION,
    id: 'r',
    datasetId: 'd',
    name: 'multi-task',
    createdAt: 0,
    fileNames: [],
    emotion: { output: 'probabilities', classIds: [2, 0, 1, 7], convertedFromLogits: false },
    au: { output: 'probabilities', aus: [12, 1, 25], convertedFromLogits: false },
    predicted: 2,
    unmatched: 0,
  },
  rowOf: Int32Array.from([1, -1, 0]),
  classProbs: Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.6, 0.25, 0.15, 0]),
  auProbs: Float32Array.from([0.2, 0.9, 0.5, 0.7, 0.1, 0.49]),
};

describe('samplePrediction', () => {
  it.each<[number, number, ReturnType<typeof samplePrediction>]>([
    // Row 1: class 2 at 0.6 leads; the label 0 gets 0.25; AU12 at 0.7.
    [0, 0, { run: 'multi-task', classId: 2, probability: 0.6, givenProbability: 0.25, aus: [12] }],
    // Row 0: class 7 (0.4) is not in the scheme: class 1 (0.3) leads; AU1 0.9 and AU25 0.5.
    [
      2,
      2,
      { run: 'multi-task', classId: 1, probability: 0.3, givenProbability: 0.1, aus: [1, 25] },
    ],
    [1, 0, null],
  ])('sample %i labelled %i', (index, given, expected) => {
    const got = samplePrediction(RUN, index, given, SCHEME);
    if (expected === null) return expect(got).toBeNull();
    expect(got?.classId).toBe(expected.classId);
    expect(got?.probability).toBeCloseTo(expected.probability, 6);
    expect(got?.givenProbability).toBeCloseTo(expected.givenProbability, 6);
    expect(got?.aus).toEqual(expected.aus);
  });

  it('moves AUs with the threshold', () => {
    expect(samplePrediction(RUN, 2, 2, SCHEME, 0.2)?.aus).toEqual([1, 12, 25]);
    expect(samplePrediction(RUN, 2, 2, SCHEME, 0.95)?.aus).toEqual([]);
  });
});

describe('runCorrectness', () => {
  it.each<[string, number[], number[]]>([
    // Sample 0 -> row 1 (class 2 leads), sample 1 none, sample 2 -> row 0 (class 1 leads in the scheme).
    ['labels 2, 0, 1', [2, 0, 1], [1, 2, 1]],
    ['labels 0, 0, 2', [0, 0, 2], [0, 2, 0]],
    ['no labels', [-1, -1, -1], [2, 2, 2]],
  ])('%s', (_, labels, expected) => {
    const table = { count: 3, classIds: Int16Array.from(labels) };
    expect(Array.from(runCorrectness(RUN, table, SCHEME))).toEqual(expected);
  });
});
