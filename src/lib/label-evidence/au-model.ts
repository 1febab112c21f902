import { seededRandom } from '../random/seeded-random';
import { buildAuDesign, type AuColumns, type AuDesign, type AuDesignOptions } from './au-design';
import { likeliestOfRows, type ClassOpinions } from './opinion';
import { DEFAULT_FIT_OPTIONS, fitSoftmax, predictRow, type FitOptions } from './softmax-regression';

/**
 * The dataset's own AU labels as evidence for its emotion labels: a multinomial logistic
 * regression from the AU presence vector (and which AUs are coded on one side only) to the
 * class, fitted strictly out of fold. Each sample's distribution comes from the model
 * fitted on the other folds, so a sample's own label never votes for itself (confident
 * learning needs exactly that).
 *
 * A pattern seen often in the training folds also speaks for itself: its prediction is
 * the regression's, shrunk towards the labels the training folds give that exact pattern
 * (a Dirichlet prior of `patternSmoothing` samples centred on the regression), which lets
 * frequent AU combinations mean more than the sum of their AUs.
 */

export interface AuModelOptions {
  folds: number;
  seed: number;
  /** Weight, in samples, of the regression against a pattern's own training labels; Infinity = the regression alone. */
  patternSmoothing: number;
  /**
   * At most this many training samples per fold (a seeded, class-stratified draw): a few
   * hundred weights are well estimated from 100k samples, and a million would only cost time.
   */
  maxTrainSamples: number;
  design: AuDesignOptions;
  fit: FitOptions;
}

export const DEFAULT_AU_MODEL_OPTIONS: AuModelOptions = {
  folds: 5,
  seed: 1,
  patternSmoothing: 30,
  maxTrainSamples: 100_000,
  design: { minAuSamples: 5, minPairSamples: 0 },
  fit: DEFAULT_FIT_OPTIONS,
};

export interface AuModelResult {
  opinions: ClassOpinions;
  /** Per sample, its fold; -1 when the sample is not used. */
  foldOf: Int8Array;
  /** Out-of-fold accuracy: the share of used samples whose likeliest class is their label. */
  accuracy: number;
  used: number;
  design: Pick<AuDesign, 'vocabulary' | 'oneSided' | 'pairs' | 'featureCount'>;
}

function shuffleInPlace(items: number[], random: () => number): void {
  for (let j = items.length - 1; j > 0; j--) {
    const k = Math.floor(random() * (j + 1));
    const t = items[j] as number;
    items[j] = items[k] as number;
    items[k] = t;
  }
}

/**
 * Folds stratified by class: each class's samples are shuffled with the seed and dealt
 * round-robin, so every fold holds about 1/k of every class.
 */
export function stratifiedFolds(
  labelOf: Int16Array,
  classes: number,
  folds: number,
  seed: number,
): Int8Array {
  const n = labelOf.length;
  const foldOf = new Int8Array(n).fill(-1);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < n; i++) {
    const c = labelOf[i] as number;
    if (c >= 0) (byClass[c] as number[]).push(i);
  }
  const random = seededRandom(seed);
  let dealt = 0;
  for (const members of byClass) {
    shuffleInPlace(members, random);
    // Each class starts where the last one stopped, so small classes do not pile into fold 0.
    for (const i of members) foldOf[i] = dealt++ % folds;
  }
  return foldOf;
}

/**
 * Fits one model per fold on the other folds and gives every used sample the prediction
 * of the model that did not see it. `labels` (class column per sample, -1 = unused)
 * defaults to the table's classes; pass others to fit, say, a copy with swaps injected.
 */
export function fitAuModelOutOfFold(
  table: AuColumns,
  classIds: readonly number[],
  options: AuModelOptions = DEFAULT_AU_MODEL_OPTIONS,
  labels?: Int16Array,
): AuModelResult {
  const k = classIds.length;
  const design = buildAuDesign(table, classIds, options.design);
  const labelOf = labels ?? design.labelOf;
  const folds = Math.max(2, options.folds);
  const foldOf = stratifiedFolds(labelOf, k, folds, options.seed);
  const rows = design.rows;
  const n = table.count;

  // Which samples train: all, or a stratified draw when there are too many.
  let usedCount = 0;
  for (let i = 0; i < n; i++)
    if ((labelOf[i] as number) >= 0 && (design.rowOf[i] as number) >= 0) usedCount++;
  const trainShare = Math.min(
    1,
    options.maxTrainSamples / Math.max(1, (usedCount * (folds - 1)) / folds),
  );
  const trains = new Uint8Array(n);
  const draw = seededRandom(options.seed ^ 0x5bd1e995);
  for (let i = 0; i < n; i++) trains[i] = trainShare >= 1 || draw() < trainShare ? 1 : 0;

  const foldCounts = Array.from({ length: folds }, () => new Float64Array(rows.count * k));
  const heldRows = Array.from({ length: folds }, () => new Uint8Array(rows.count));
  for (let i = 0; i < n; i++) {
    const c = labelOf[i] as number;
    const r = design.rowOf[i] as number;
    if (c < 0 || r < 0) continue;
    const f = foldOf[i] as number;
    (heldRows[f] as Uint8Array)[r] = 1;
    if (!trains[i]) continue;
    const counts = foldCounts[f] as Float64Array;
    counts[r * k + c] = (counts[r * k + c] as number) + 1;
  }
  const total = new Float64Array(rows.count * k);
  for (const counts of foldCounts)
    for (let j = 0; j < total.length; j++) total[j] = (total[j] as number) + (counts[j] as number);

  // Only the rows a fold holds need its model's prediction.
  const probsByFold: Float32Array[] = [];
  const prediction = new Float64Array(k);
  const alpha = options.patternSmoothing;
  for (let f = 0; f < folds; f++) {
    const held = foldCounts[f] as Float64Array;
    const train = new Float64Array(total.length);
    for (let j = 0; j < total.length; j++) train[j] = (total[j] as number) - (held[j] as number);
    const model = fitSoftmax(rows, train, k, design.featureCount, options.fit);
    const probs = new Float32Array(rows.count * k);
    const holds = heldRows[f] as Uint8Array;
    for (let r = 0; r < rows.count; r++) {
      if (!holds[r]) continue;
      predictRow(model, rows, r, prediction);
      let seen = 0;
      if (Number.isFinite(alpha)) for (let c = 0; c < k; c++) seen += train[r * k + c] as number;
      for (let c = 0; c < k; c++) {
        const p = prediction[c] as number;
        probs[r * k + c] =
          seen > 0 ? ((train[r * k + c] as number) + alpha * p) / (seen + alpha) : p;
      }
    }
    probsByFold.push(probs);
  }

  // One opinion row per (fold, pattern) that holds samples.
  const rowIndex = new Int32Array(folds * rows.count).fill(-1);
  let opinionRows = 0;
  const rowOf = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const r = design.rowOf[i] as number;
    if (r < 0 || (labelOf[i] as number) < 0) continue;
    const key = (foldOf[i] as number) * rows.count + r;
    if ((rowIndex[key] as number) < 0) rowIndex[key] = opinionRows++;
    rowOf[i] = rowIndex[key] as number;
  }
  const probs = new Float32Array(opinionRows * k);
  for (let key = 0; key < rowIndex.length; key++) {
    const at = rowIndex[key] as number;
    if (at < 0) continue;
    const f = Math.floor(key / rows.count);
    const r = key % rows.count;
    probs.set((probsByFold[f] as Float32Array).subarray(r * k, r * k + k), at * k);
  }

  const bestOfRow = likeliestOfRows(probs, k);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const row = rowOf[i] as number;
    if (row >= 0 && bestOfRow[row] === labelOf[i]) correct++;
  }
  const accuracy = usedCount > 0 ? correct / usedCount : 0;

  return {
    opinions: {
      kind: 'au-model',
      name: `AU model (logistic regression, ${folds}-fold, out of fold)`,
      quality: {
        measure: `out-of-fold accuracy on ${usedCount.toLocaleString('en')} coded samples`,
        value: usedCount > 0 ? accuracy : null,
        samples: usedCount,
      },
      classIds: [...classIds],
      rowOf,
      probs,
    },
    foldOf,
    accuracy,
    used: usedCount,
    design: {
      vocabulary: design.vocabulary,
      oneSided: design.oneSided,
      pairs: design.pairs,
      featureCount: design.featureCount,
    },
  };
}
