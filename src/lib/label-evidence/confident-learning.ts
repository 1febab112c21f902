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
  /** Per sample, its probabilities (classes values); only read where given >= 0. */
  probabilityOf: (i: number) => ArrayLike<number>;
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
  const { classes: k, given, probabilityOf } = input;
  const n = given.length;
  const sums = new Float64Array(k);
  const classCounts = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const y = given[i] as number;
    if (y < 0) continue;
    const p = probabilityOf(i);
    classCounts[y] = (classCounts[y] as number) + 1;
    // t_y sums only the given class's own probability.
    sums[y] = (sums[y] as number) + (p[y] as number);
  }
  const thresholds = classCounts.map((count, j) => (count > 0 ? (sums[j] as number) / count : NaN));

  const confidentJoint = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const confidentClass = new Int16Array(n).fill(-1);
  const margin = new Float32Array(n).fill(NaN);
  const likeliestOther = new Int16Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const y = given[i] as number;
    if (y < 0) continue;
    const p = probabilityOf(i);
    let best = -1;
    let other = -1;
    for (let j = 0; j < k; j++) {
      const pj = p[j] as number;
      // A class nobody is labelled with has no threshold and cannot be confident.
      const t = thresholds[j] as number;
      if (!Number.isNaN(t) && pj >= t && (best < 0 || pj > (p[best] as number))) best = j;
      if (j !== y && (other < 0 || pj > (p[other] as number))) other = j;
    }
    confidentClass[i] = best;
    likeliestOther[i] = other;
    margin[i] = other >= 0 ? (p[other] as number) - (p[y] as number) : NaN;
    if (best >= 0)
      (confidentJoint[y] as number[])[best] = ((confidentJoint[y] as number[])[best] as number) + 1;
  }

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
  const issue = new Uint8Array(n);
  const candidates = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const y = given[i] as number;
    const j = likeliestOther[i] as number;
    if (y < 0 || j < 0) continue;
    const key = y * k + j;
    let list = candidates.get(key);
    if (!list) candidates.set(key, (list = []));
    list.push(i);
  }
  for (const [key, list] of candidates) {
    const y = Math.floor(key / k);
    const j = key % k;
    const take = Math.round((calibratedJoint[y] as number[])[j] as number);
    if (take <= 0) continue;
    list.sort((a, b) => (margin[b] as number) - (margin[a] as number) || a - b);
    for (let t = 0; t < Math.min(take, list.length); t++) issue[list[t] as number] = 1;
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
