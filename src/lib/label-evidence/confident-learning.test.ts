import { describe, expect, it } from 'vitest';
import { confidentLearning } from './confident-learning';

/**
 * A worked example computed by hand. Three classes, seven samples:
 *
 *   i  given  p(0)  p(1)  p(2)
 *   0    0    0.8   0.1   0.1
 *   1    0    0.6   0.3   0.1
 *   2    0    0.2   0.7   0.1   <- labelled 0, looks like 1
 *   3    1    0.1   0.8   0.1
 *   4    1    0.2   0.6   0.2
 *   5    2    0.1   0.1   0.8
 *   6    2    0.3   0.1   0.6
 *
 * Thresholds: t0 = (0.8+0.6+0.2)/3 = 0.5333; t1 = (0.8+0.6)/2 = 0.7; t2 = (0.8+0.6)/2 = 0.7.
 * Confident class: i0 -> 0 (0.8 >= t0); i1 -> 0 (0.6; 0.3 < t1); i2 -> 1 (0.7 >= t1, 0.2 < t0);
 * i3 -> 1; i4 -> none (0.6 < t1, 0.2 < t0, 0.2 < t2); i5 -> 2; i6 -> none (0.6 < t2, 0.3 < t0).
 * Confident joint: row 0 = [2, 1, 0], row 1 = [0, 1, 0], row 2 = [0, 0, 1].
 * Calibrated to the class counts (3, 2, 2): row 0 = [2, 1, 0], row 1 = [0, 2, 0], row 2 = [0, 0, 2].
 * Estimated issues: 1 (given 0, really 1); pruned: the labelled-0 sample whose likeliest
 * other class is 1 with the largest margin p(1) - p(0): i2 (0.5), ahead of i1 (-0.3).
 */
const probs = [
  [0.8, 0.1, 0.1],
  [0.6, 0.3, 0.1],
  [0.2, 0.7, 0.1],
  [0.1, 0.8, 0.1],
  [0.2, 0.6, 0.2],
  [0.1, 0.1, 0.8],
  [0.3, 0.1, 0.6],
];
const given = Int16Array.from([0, 0, 0, 1, 1, 2, 2]);
/** One row per sample, as a source with no two samples alike gives them. */
const dictionary = {
  rowOf: Int32Array.from(probs, (_, i) => i),
  probs: Float64Array.from(probs.flat()),
};

describe('confidentLearning on a worked example', () => {
  const result = confidentLearning({
    classes: 3,
    given,
    ...dictionary,
  });

  it.each([
    ['class 0', 0, 1.6 / 3],
    ['class 1', 1, 0.7],
    ['class 2', 2, 0.7],
  ])('threshold of %s', (_, j, expected) => {
    expect(result.thresholds[j]).toBeCloseTo(expected, 10);
  });

  it('counts the confident joint', () => {
    expect(result.confidentJoint).toEqual([
      [2, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(result.offDiagonalCount).toBe(1);
  });

  it('calibrates rows to the class counts', () => {
    expect(
      result.calibratedJoint.map((row) => row.map((x) => Math.round(x * 1000) / 1000)),
    ).toEqual([
      [2, 1, 0],
      [0, 2, 0],
      [0, 0, 2],
    ]);
    expect(result.estimatedIssues).toBe(1);
  });

  it.each([
    [0, 0, 0, 0],
    [1, 0, 0, 0],
    [2, 1, 1, 1],
    [3, 1, 0, 0],
    [4, -1, 0, 0],
    [5, 2, 0, 0],
    [6, -1, 0, 0],
  ])('sample %i: confident class %i, issue %i', (i, confident, issue) => {
    expect(result.confidentClass[i]).toBe(confident);
    expect(result.issue[i]).toBe(issue);
  });

  it('gives margins against the likeliest other class', () => {
    expect(result.margin[2]).toBeCloseTo(0.5, 6);
    expect(result.likeliestOther[2]).toBe(1);
    expect(result.margin[0]).toBeCloseTo(-0.7, 6);
  });

  it('leaves unscored samples out', () => {
    const partial = confidentLearning({
      classes: 3,
      given: Int16Array.from([0, -1, 0, 1, 1, 2, 2]),
      ...dictionary,
    });
    expect(partial.confidentClass[1]).toBe(-1);
    expect(Number.isNaN(partial.margin[1] as number)).toBe(true);
    expect(partial.thresholds[0]).toBeCloseTo(0.5, 10);
  });
});
