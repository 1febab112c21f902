import { wilsonInterval, type ShareInterval } from '../diagnosis/intervals';
import type { ClassOpinions } from '../label-evidence/opinion';
import { AuStatus, type LabelScheme, type SampleTable } from '../labels/types';
import type { PredictionRun } from './run';

/**
 * How well a run of predictions does against the dataset's labels: accuracy and recall
 * per class with intervals, the confusion matrix, two runs compared sample by sample,
 * and per AU F1, precision, recall and AUROC. Loops over typed arrays only, so that a
 * million samples of two runs score in well under a second.
 */

/** Which samples to score: their indices, or every sample when absent. */
export type SampleSubset = Int32Array | readonly number[] | null | undefined;

/** The samples of one split, for SampleSubset. */
export function samplesOfSplit(
  table: Pick<SampleTable, 'count' | 'splits'>,
  split: number,
): Int32Array {
  let count = 0;
  for (let i = 0; i < table.count; i++) if (table.splits[i] === split) count++;
  const samples = new Int32Array(count);
  for (let i = 0, at = 0; i < table.count; i++) if (table.splits[i] === split) samples[at++] = i;
  return samples;
}

function increment(counts: Int32Array | Uint32Array, at: number): void {
  counts[at] = (counts[at] as number) + 1;
}

function forEachSample(count: number, samples: SampleSubset, visit: (i: number) => void): void {
  if (samples === null || samples === undefined) {
    for (let i = 0; i < count; i++) visit(i);
    return;
  }
  for (let at = 0; at < samples.length; at++) {
    const i = samples[at] as number;
    if (i >= 0 && i < count) visit(i);
  }
}

/** Scheme position of each class id (-1: not in the scheme), as a lookup over the id range. */
function schemeIndexer(scheme: LabelScheme): (id: number) => number {
  const index = new Map(scheme.classes.map((c, at) => [c.id, at]));
  return (id) => index.get(id) ?? -1;
}

/** Argmax per run, kept while the run is: callers must not change the result. */
const predictedCache = new WeakMap<
  PredictionRun,
  { scheme: LabelScheme; probs: Float32Array; predicted: Int32Array }
>();

/**
 * Per row of the run, the scheme position of its most probable class (the first of
 * equals), or -1 without one. Computed once per run: the metrics then read one number
 * per sample.
 */
export function predictedClassIndex(run: PredictionRun, scheme: LabelScheme): Int32Array {
  const emotion = run.meta.emotion;
  const probs = run.classProbs;
  if (!emotion || !probs) return new Int32Array(0);
  // The figures score each run alone and then against the other: one argmax of a
  // million rows each, not two.
  const cached = predictedCache.get(run);
  if (cached?.scheme === scheme && cached.probs === probs) return cached.predicted;
  const k = emotion.classIds.length;
  const indexOf = schemeIndexer(scheme);
  const columnToScheme = emotion.classIds.map(indexOf);
  const rows = k === 0 ? 0 : probs.length / k;
  const predicted = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestValue = probs[r * k] as number;
    for (let c = 1; c < k; c++) {
      const v = probs[r * k + c] as number;
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    predicted[r] = k === 0 ? -1 : (columnToScheme[best] as number);
  }
  predictedCache.set(run, { scheme, probs, predicted });
  return predicted;
}

/** Per sample, the scheme position of its label, or -1. */
function labelIndex(
  table: Pick<SampleTable, 'count' | 'classIds'>,
  scheme: LabelScheme,
): Int32Array {
  const indexOf = schemeIndexer(scheme);
  const cache = new Map<number, number>();
  const labels = new Int32Array(table.count);
  for (let i = 0; i < table.count; i++) {
    const id = table.classIds[i] as number;
    let at = cache.get(id);
    if (at === undefined) {
      at = id < 0 ? -1 : indexOf(id);
      cache.set(id, at);
    }
    labels[i] = at;
  }
  return labels;
}

export interface ClassRecall {
  classId: number;
  /** Samples labelled with the class that the run predicts. */
  n: number;
  correct: number;
  /** Recall with its Wilson 95 % interval; share NaN when n is 0. */
  recall: ShareInterval;
}

export interface EmotionMetrics {
  /** The scheme's class ids, in scheme order: the rows and columns of confusion. */
  classIds: number[];
  /** Samples with a label in the scheme and a prediction. */
  n: number;
  correct: number;
  accuracy: ShareInterval;
  perClass: ClassRecall[];
  /** k x k counts, row = label, column = predicted class (argmax), in scheme order. */
  confusion: Int32Array;
}

function metricsFromConfusion(classIds: number[], confusion: Int32Array): EmotionMetrics {
  const k = classIds.length;
  let n = 0;
  let correct = 0;
  const perClass = classIds.map((classId, c) => {
    let row = 0;
    for (let p = 0; p < k; p++) row += confusion[c * k + p] as number;
    const hits = confusion[c * k + c] as number;
    n += row;
    correct += hits;
    return { classId, n: row, correct: hits, recall: wilsonInterval(hits, row) };
  });
  return { classIds, n, correct, accuracy: wilsonInterval(correct, n), perClass, confusion };
}

/**
 * Accuracy (Wilson 95 % interval), recall per class and the confusion matrix of a run,
 * over the samples that have both a label in the scheme and a prediction (among
 * `samples` when given).
 */
export function emotionMetrics(
  table: Pick<SampleTable, 'count' | 'classIds'>,
  run: PredictionRun,
  scheme: LabelScheme,
  samples?: SampleSubset,
): EmotionMetrics {
  const classIds = scheme.classes.map((c) => c.id);
  const k = classIds.length;
  const confusion = new Int32Array(k * k);
  const predicted = predictedClassIndex(run, scheme);
  const labels = labelIndex(table, scheme);
  const rowOf = run.rowOf;
  forEachSample(Math.min(table.count, rowOf.length), samples, (i) => {
    const label = labels[i] as number;
    const row = rowOf[i] as number;
    if (label < 0 || row < 0) return;
    const p = predicted[row] as number;
    if (p < 0) return;
    increment(confusion, label * k + p);
  });
  return metricsFromConfusion(classIds, confusion);
}

/** Two-sided p of the exact McNemar test: the smaller discordant count under Binomial(n, 1/2). */
export function mcnemarExactP(aOnly: number, bOnly: number): number {
  const n = aOnly + bOnly;
  if (n === 0) return 1;
  const m = Math.min(aOnly, bOnly);
  // log P(X = j), summed from j = 0 up: the terms grow while j < n / 2, so the
  // last is the largest and the sum is taken relative to it.
  const logs = new Float64Array(m + 1);
  let log = -n * Math.LN2;
  for (let j = 0; j <= m; j++) {
    logs[j] = log;
    log += Math.log(n - j) - Math.log(j + 1);
  }
  const top = logs[m] as number;
  let total = 0;
  for (let j = 0; j <= m; j++) total += Math.exp((logs[j] as number) - top);
  return Math.min(1, 2 * Math.exp(top) * total);
}

/** Significance level of the per-class and overall McNemar tests. */
export const SIGNIFICANCE = 0.05;

export interface PairedChange {
  /** Samples run A gets right and run B wrong. */
  aOnly: number;
  bOnly: number;
  /** Exact McNemar test, two-sided. */
  p: number;
  /** p below SIGNIFICANCE. */
  significant: boolean;
}

export interface ClassComparison extends PairedChange {
  classId: number;
  /** Samples of the class that both runs predict. */
  n: number;
  recallA: ShareInterval;
  recallB: ShareInterval;
  /** Recall of B minus recall of A (NaN when n is 0). */
  difference: number;
}

export interface RunComparison {
  classIds: number[];
  /** Samples with a label and a prediction of both runs: every figure here is over them. */
  n: number;
  a: EmotionMetrics;
  b: EmotionMetrics;
  perClass: ClassComparison[];
  /** Accuracy of B minus accuracy of A, and the test over all samples. */
  overall: PairedChange & { difference: number };
  /** b.confusion - a.confusion, row = label, column = predicted. */
  confusionDifference: Int32Array;
  /** Sample indices, ascending. */
  aRightBWrong: Int32Array;
  bRightAWrong: Int32Array;
}

function change(aOnly: number, bOnly: number): PairedChange {
  const p = mcnemarExactP(aOnly, bOnly);
  return { aOnly, bOnly, p, significant: p < SIGNIFICANCE };
}

/**
 * Two runs on the same samples: each one's recall per class, the difference, and
 * whether it is larger than chance (exact McNemar test on the samples one run gets
 * right and the other wrong, per class and overall); the confusion matrices and their
 * difference; the samples that tell the runs apart.
 */
export function compareRuns(
  table: Pick<SampleTable, 'count' | 'classIds'>,
  a: PredictionRun,
  b: PredictionRun,
  scheme: LabelScheme,
  samples?: SampleSubset,
): RunComparison {
  const classIds = scheme.classes.map((c) => c.id);
  const k = classIds.length;
  const confusionA = new Int32Array(k * k);
  const confusionB = new Int32Array(k * k);
  const aOnly = new Int32Array(k);
  const bOnly = new Int32Array(k);
  const predictedA = predictedClassIndex(a, scheme);
  const predictedB = predictedClassIndex(b, scheme);
  const labels = labelIndex(table, scheme);
  const count = Math.min(table.count, a.rowOf.length, b.rowOf.length);
  let aOnlyTotal = 0;
  let bOnlyTotal = 0;
  const aWins: number[] = [];
  const bWins: number[] = [];
  forEachSample(count, samples, (i) => {
    const label = labels[i] as number;
    const rowA = a.rowOf[i] as number;
    const rowB = b.rowOf[i] as number;
    if (label < 0 || rowA < 0 || rowB < 0) return;
    const pa = predictedA[rowA] as number;
    const pb = predictedB[rowB] as number;
    if (pa < 0 || pb < 0) return;
    increment(confusionA, label * k + pa);
    increment(confusionB, label * k + pb);
    const rightA = pa === label;
    const rightB = pb === label;
    if (rightA && !rightB) {
      increment(aOnly, label);
      aOnlyTotal++;
      aWins.push(i);
    } else if (rightB && !rightA) {
      increment(bOnly, label);
      bOnlyTotal++;
      bWins.push(i);
    }
  });
  const metricsA = metricsFromConfusion(classIds, confusionA);
  const metricsB = metricsFromConfusion(classIds, confusionB);
  const confusionDifference = new Int32Array(k * k);
  for (let x = 0; x < k * k; x++)
    confusionDifference[x] = (confusionB[x] as number) - (confusionA[x] as number);
  const perClass = classIds.map((classId, c): ClassComparison => {
    const recallA = metricsA.perClass[c]?.recall as ShareInterval;
    const recallB = metricsB.perClass[c]?.recall as ShareInterval;
    return {
      classId,
      n: metricsA.perClass[c]?.n ?? 0,
      recallA,
      recallB,
      difference: recallB.share - recallA.share,
      ...change(aOnly[c] as number, bOnly[c] as number),
    };
  });
  const sortedIndices = (list: number[]) => Int32Array.from(list).sort();
  return {
    classIds,
    n: metricsA.n,
    a: metricsA,
    b: metricsB,
    perClass,
    overall: {
      difference: metricsB.accuracy.share - metricsA.accuracy.share,
      ...change(aOnlyTotal, bOnlyTotal),
    },
    confusionDifference,
    aRightBWrong: sortedIndices(aWins),
    bRightAWrong: sortedIndices(bWins),
  };
}

export interface AuScore {
  au: number;
  /** Coded samples with a prediction in which the AU is present / absent. */
  positives: number;
  negatives: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** NaN when the run predicts the AU for no sample. */
  precision: number;
  /** NaN when no sample has the AU. */
  recall: number;
  /** 2TP / (2TP + FP + FN); NaN when nothing is present or predicted. */
  f1: number;
  /** Area under the ROC curve, ties counted half; NaN without positives or negatives. */
  auroc: number;
  /** positives / (positives + negatives); NaN without samples. */
  baseRate: number;
  /** Samples the run predicts the AU for at the threshold. */
  predictedPositive: number;
  /** The run gives every sample the same probability, or puts them all on one side of the threshold. */
  constant: boolean;
}

export interface AuMetrics {
  threshold: number;
  /** Samples whose AUs are coded and that the run predicts. `null` and absent AU labels are left out. */
  samples: number;
  aus: AuScore[];
  /** Mean F1 over the AUs whose F1 is defined; NaN when none is. */
  macroF1: number;
}

/**
 * Turns float32 bits (in place) into unsigned keys of the same order: sorting a
 * million keys by radix is several times faster than sorting the floats.
 */
function toSortableKeys(bits: Uint32Array): void {
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i] as number;
    bits[i] = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
  }
}

/** Sorts keys ascending: least significant digit first, two passes of 16 bits. */
function radixSort(keys: Uint32Array, scratch: Uint32Array, counts: Uint32Array): void {
  const n = keys.length;
  let from = keys;
  let to = scratch.subarray(0, n);
  for (let shift = 0; shift < 32; shift += 16) {
    counts.fill(0);
    for (let i = 0; i < n; i++) increment(counts, ((from[i] as number) >>> shift) & 0xffff);
    let total = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d] as number;
      counts[d] = total;
      total += c;
    }
    for (let i = 0; i < n; i++) {
      const key = from[i] as number;
      const digit = (key >>> shift) & 0xffff;
      const at = counts[digit] as number;
      counts[digit] = at + 1;
      to[at] = key;
    }
    [from, to] = [to, from];
  }
  // Two passes: the sorted keys are back in `keys`.
}

/** Mann-Whitney U over two sorted key lists, ties counted half, as a share of all pairs. */
function aurocOfSorted(positives: Uint32Array, negatives: Uint32Array): number {
  const p = positives.length;
  const n = negatives.length;
  if (p === 0 || n === 0) return NaN;
  let below = 0;
  let atOrBelow = 0;
  let wins = 0;
  for (let j = 0; j < p; j++) {
    const score = positives[j] as number;
    while (below < n && (negatives[below] as number) < score) below++;
    if (atOrBelow < below) atOrBelow = below;
    while (atOrBelow < n && (negatives[atOrBelow] as number) <= score) atOrBelow++;
    wins += below + (atOrBelow - below) / 2;
  }
  return wins / (p * n);
}

/**
 * Per AU of the run, at `threshold` (a probability at or above it predicts the AU):
 * F1, precision, recall, AUROC and base rate over the samples whose AU label is coded.
 * A sample whose AUs are `null` or absent is never counted, as a negative or otherwise:
 * counting it as "no AU" is the very error a loader makes.
 */
export function auMetrics(
  table: Pick<SampleTable, 'count' | 'auStatus' | 'auMask'>,
  run: PredictionRun,
  threshold: number,
  samples?: SampleSubset,
): AuMetrics {
  const au = run.meta.au;
  const probs = run.auProbs;
  if (!au || !probs) return { threshold, samples: 0, aus: [], macroF1: NaN };
  const k = au.aus.length;
  const count = Math.min(table.count, run.rowOf.length);
  let m = 0;
  forEachSample(count, samples, (i) => {
    if (table.auStatus[i] === AuStatus.coded && (run.rowOf[i] as number) >= 0) m++;
  });
  const evaluated = new Int32Array(m);
  let filled = 0;
  forEachSample(count, samples, (i) => {
    if (table.auStatus[i] === AuStatus.coded && (run.rowOf[i] as number) >= 0)
      evaluated[filled++] = i;
  });
  const positiveScores = new Float32Array(m);
  const negativeScores = new Float32Array(m);
  const positiveKeys = new Uint32Array(positiveScores.buffer);
  const negativeKeys = new Uint32Array(negativeScores.buffer);
  const scratch = new Uint32Array(m);
  const counts = new Uint32Array(65536);
  const scores = au.aus.map((auNumber, column): AuScore => {
    let tp = 0;
    let fp = 0;
    let pos = 0;
    let neg = 0;
    let min = Infinity;
    let max = -Infinity;
    const { rowOf } = run;
    const { auMask } = table;
    const word = auNumber <= 32 ? 0 : 1;
    const bit = auNumber <= 32 ? auNumber - 1 : auNumber - 33;
    for (let at = 0; at < m; at++) {
      const i = evaluated[at] as number;
      // + 0 makes -0 into 0: equal scores must give equal keys.
      const score = (probs[(rowOf[i] as number) * k + column] as number) + 0;
      if (score < min) min = score;
      if (score > max) max = score;
      // Without branches: presence is a coin toss per sample, and a mispredicted
      // branch per sample and AU cost more than writing the score to both lists.
      const present = ((auMask[2 * i + word] as number) >>> bit) & 1;
      const predicted = score >= threshold ? 1 : 0;
      positiveScores[pos] = score;
      negativeScores[neg] = score;
      pos += present;
      neg += 1 - present;
      tp += present & predicted;
      fp += (1 - present) & predicted;
    }
    const fn = pos - tp;
    const tn = neg - fp;
    const positives = positiveKeys.subarray(0, pos);
    const negatives = negativeKeys.subarray(0, neg);
    toSortableKeys(positives);
    toSortableKeys(negatives);
    radixSort(positives, scratch, counts);
    radixSort(negatives, scratch, counts);
    const auroc = aurocOfSorted(positives, negatives);
    const predictedPositive = tp + fp;
    return {
      au: auNumber,
      positives: pos,
      negatives: neg,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
      trueNegatives: tn,
      precision: predictedPositive > 0 ? tp / predictedPositive : NaN,
      recall: pos > 0 ? tp / pos : NaN,
      f1: 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : NaN,
      auroc,
      baseRate: m > 0 ? pos / m : NaN,
      predictedPositive,
      constant: m > 0 && (min === max || predictedPositive === 0 || predictedPositive === m),
    };
  });
  const defined = scores.filter((s) => !Number.isNaN(s.f1));
  const macroF1 =
    defined.length > 0 ? defined.reduce((sum, s) => sum + s.f1, 0) / defined.length : NaN;
  return { threshold, samples: m, aus: scores, macroF1 };
}

/**
 * The run as a source of the evidence layer: its class probabilities over the scheme's
 * classes in scheme order (a class the run does not score gets 0), with its accuracy
 * on the labelled samples as its quality. null when the run predicts no classes.
 */
export function predictionOpinions(
  run: PredictionRun,
  table: Pick<SampleTable, 'count' | 'classIds'>,
  scheme: LabelScheme,
): ClassOpinions | null {
  const emotion = run.meta.emotion;
  const source = run.classProbs;
  if (!emotion || !source) return null;
  const classIds = scheme.classes.map((c) => c.id);
  const k = classIds.length;
  const width = emotion.classIds.length;
  const indexOf = schemeIndexer(scheme);
  const columnToScheme = emotion.classIds.map(indexOf);
  const rows = width === 0 ? 0 : source.length / width;
  const probs = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let c = 0; c < width; c++) {
      const at = columnToScheme[c] as number;
      if (at < 0) continue;
      const v = source[r * width + c] as number;
      probs[r * k + at] = v;
      total += v;
    }
    // Only a run scoring classes outside the scheme leaves a row short of 1.
    if (total > 0 && total !== 1)
      for (let c = 0; c < k; c++) probs[r * k + c] = (probs[r * k + c] as number) / total;
  }
  const metrics = emotionMetrics(table, run, scheme);
  const output =
    emotion.output === 'predicted-class'
      ? 'predicted classes'
      : emotion.convertedFromLogits
        ? 'softmax of logits'
        : 'probabilities';
  return {
    kind: 'predictions',
    name: `Model predictions: ${run.meta.name} (${output})`,
    quality: {
      measure: `accuracy on ${metrics.n.toLocaleString('en')} labelled samples`,
      value: metrics.n > 0 ? metrics.accuracy.share : null,
      samples: metrics.n,
    },
    classIds,
    rowOf: run.rowOf.slice(),
    probs,
  };
}
