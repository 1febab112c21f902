import { sortIndicesByKey } from '../rules/sort-by-key';

/**
 * Confident learning (Northcutt, Jiang & Chuang, JAIR 2021; reference, section 6) over
 * out-of-sample class probabilities.
 *
 *  - Threshold of class j: t_j = mean p(i, j) over the samples labelled j.
 *  - Sample i labelled y counts in the confident joint at (y, j*), where j* is the
 *    likeliest class among those with p(i, j) >= t_j; with no such class it is not counted.
 *  - The joint is calibrated so that each row sums to the number of samples labelled y;
 *    its off-diagonal cells estimate how many labels of y are really j.
 *  - Issues: for each off-diagonal cell (y, j), the estimated number of samples labelled y
 *    with the largest margin p(i, j) - p(i, y) ("prune by noise rate").
 *
 * With a weak model the off-diagonal is large (every uncertain sample lands somewhere):
 * callers show the model's quality beside every count.
 */

export interface ConfidentLearningInput {
  /** Number of classes (columns). */
  classes: number;
  /** Per sample, the given class's column; -1 = not scored. */
  given: Int16Array;
  /**
   * The probabilities, dictionary-encoded as every source is: sample i's are row
   * rowOf[i] of probs (classes values a row). Samples that share a row share everything
   * but their given class, so the per-class work is done once per row.
   */
  rowOf: Int32Array;
  probs: ArrayLike<number>;
}

export interface ConfidentLearningResult {
  /** Per class column, t_j; NaN when no sample is labelled j. */
  thresholds: number[];
  /** classes x classes counts: row = given, column = confident class. */
  confidentJoint: number[][];
  /** The joint calibrated to the given class counts (rows sum to the class sizes). */
  calibratedJoint: number[][];
  /** Samples labelled per class (scored ones). */
  classCounts: number[];
  /** Sum of the calibrated joint's off-diagonal, rounded: the estimated number of label issues. */
  estimatedIssues: number;
  /** Samples off the confident joint's diagonal (its raw count). */
  offDiagonalCount: number;
  /** Per sample: the confident class column j*; -1 when none or not scored. */
  confidentClass: Int16Array;
  /** Per sample: 1 when pruned as a label issue. */
  issue: Uint8Array;
  /** Per sample: p(i, j*) - p(i, y) for the likeliest other class j*; NaN when not scored. */
  margin: Float32Array;
  /** Per sample: the likeliest class column other than the given one; -1 when not scored. */
  likeliestOther: Int16Array;
}

export function confidentLearning(input: ConfidentLearningInput): ConfidentLearningResult {
  const { classes: k, given, rowOf, probs } = input;
  const n = given.length;
  const sums = new Float64Array(k);
  const classCounts = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const y = given[i] as number;
    if (y < 0) continue;
    classCounts[y] = (classCounts[y] as number) + 1;
    // t_y sums only the given class's own probability.
    sums[y] = (sums[y] as number) + (probs[(rowOf[i] as number) * k + y] as number);
  }
  const thresholds = classCounts.map((count, j) => (count > 0 ? (sums[j] as number) / count : NaN));

  // Per row: the confident class (the likeliest of those at or above their threshold; a
  // class nobody is labelled with has no threshold and cannot be confident), and the two
  // likeliest classes (the likeliest other than the given one is one of them).
  const rows = Math.floor(probs.length / k);
  const confidentOfRow = new Int16Array(rows).fill(-1);
  const firstOfRow = new Int16Array(rows);
  const secondOfRow = new Int16Array(rows).fill(-1);
  for (let r = 0; r < rows; r++) {
    const at = r * k;
    let best = -1;
    let first = 0;
    for (let j = 0; j < k; j++) {
      const pj = probs[at + j] as number;
      const t = thresholds[j] as number;
      if (!Number.isNaN(t) && pj >= t && (best < 0 || pj > (probs[at + best] as number))) best = j;
      if (pj > (probs[at + first] as number)) first = j;
    }
    let second = -1;
    for (let j = 0; j < k; j++)
      if (j !== first && (second < 0 || (probs[at + j] as number) > (probs[at + second] as number)))
        second = j;
    confidentOfRow[r] = best;
    firstOfRow[r] = first;
    secondOfRow[r] = second;
  }

  const confidentJoint = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const joint = new Float64Array(k * k);
  const confidentClass = new Int16Array(n).fill(-1);
  const margin = new Float32Array(n).fill(NaN);
  const likeliestOther = new Int16Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const y = given[i] as number;
    if (y < 0) continue;
    const r = rowOf[i] as number;
    const best = confidentOfRow[r] as number;
    const first = firstOfRow[r] as number;
    const other = first !== y ? first : (secondOfRow[r] as number);
    confidentClass[i] = best;
    likeliestOther[i] = other;
    margin[i] = other >= 0 ? (probs[r * k + other] as number) - (probs[r * k + y] as number) : NaN;
    if (best >= 0) joint[y * k + best] = (joint[y * k + best] as number) + 1;
  }
  for (let y = 0; y < k; y++)
    for (let j = 0; j < k; j++) (confidentJoint[y] as number[])[j] = joint[y * k + j] as number;

  const calibratedJoint = confidentJoint.map((row, y) => {
    const rowSum = row.reduce((a, b) => a + b, 0);
    return row.map((count) => (rowSum > 0 ? (count / rowSum) * (classCounts[y] as number) : 0));
  });
  let offDiagonalCount = 0;
  let estimated = 0;
  for (let y = 0; y < k; y++)
    for (let j = 0; j < k; j++) {
      if (y === j) continue;
      offDiagonalCount += (confidentJoint[y] as number[])[j] as number;
      estimated += (calibratedJoint[y] as number[])[j] as number;
    }

  // Prune by noise rate: per (given, other) cell, its estimated count of largest margins.
  // One walk down all the samples by margin (largest first, ties by index) fills every
  // cell's quota: the same samples as sorting each cell on its own.
  const quota = new Float64Array(k * k);
  for (let y = 0; y < k; y++)
    for (let j = 0; j < k; j++)
      if (y !== j) quota[y * k + j] = Math.round((calibratedJoint[y] as number[])[j] as number);
  const issue = new Uint8Array(n);
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = given[i] as number;
    const j = likeliestOther[i] as number;
    if (y >= 0 && j >= 0 && (quota[y * k + j] as number) > 0) candidates.push(i);
  }
  const byMargin = sortIndicesByKey(Int32Array.from(candidates), margin, -1);
  for (let t = 0; t < byMargin.length; t++) {
    const i = byMargin[t] as number;
    const cell = (given[i] as number) * k + (likeliestOther[i] as number);
    if ((quota[cell] as number) <= 0) continue;
    quota[cell] = (quota[cell] as number) - 1;
    issue[i] = 1;
  }

  return {
    thresholds,
    confidentJoint,
    calibratedJoint,
    classCounts,
    estimatedIssues: Math.round(estimated),
    offDiagonalCount,
    confidentClass,
    issue,
    margin,
    likeliestOther,
  };
}
