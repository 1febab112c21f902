import { seededRandom } from '../random/seeded-random';
import { sortIndicesByKey } from '../rules/sort-by-key';

/**
 * The protocol that judges a label-issue detector on real data (reference, section 6):
 * swap a known share of the labels to another class at random, then see how well the
 * detector ranks the swapped samples. The app also runs it on a copy of the user's own
 * dataset to calibrate its "likely mislabelled" cut.
 */

export interface InjectedSwaps {
  /** The labels with the swaps applied (class column per sample, -1 = unused, as given). */
  labels: Int16Array;
  /** Indices of the swapped samples, ascending. */
  swapped: Int32Array;
  /** 1 where the sample was swapped. */
  isSwapped: Uint8Array;
}

/**
 * Swaps round(share x used samples) labels, each to a class drawn uniformly among the
 * other classes. Deterministic for a seed.
 */
export function injectSwaps(
  labels: Int16Array,
  classes: number,
  share: number,
  seed: number,
): InjectedSwaps {
  const used: number[] = [];
  for (let i = 0; i < labels.length; i++) if ((labels[i] as number) >= 0) used.push(i);
  const count = Math.min(used.length, Math.round(share * used.length));
  const random = seededRandom(seed);
  for (let j = 0; j < count; j++) {
    const k = j + Math.floor(random() * (used.length - j));
    const t = used[j] as number;
    used[j] = used[k] as number;
    used[k] = t;
  }
  const out = labels.slice();
  const isSwapped = new Uint8Array(labels.length);
  const swapped = Int32Array.from(used.slice(0, count)).sort();
  if (classes < 2) return { labels: out, swapped: new Int32Array(0), isSwapped };
  for (const i of swapped) {
    const given = out[i] as number;
    let other = Math.floor(random() * (classes - 1));
    if (other >= given) other++;
    out[i] = other;
    isSwapped[i] = 1;
  }
  return { labels: out, swapped, isSwapped };
}

export interface RankingQuality {
  /** Area under the ROC curve of the score for the positives (ties count half). */
  auroc: number;
  /** Share of positives among the top `topK` by score. */
  topPrecision: number;
  topK: number;
}

/**
 * How well `score` (higher = more suspicious) ranks the positives among the candidates
 * (samples without a score, NaN, are left out).
 */
export function rankingQuality(
  score: Float32Array | Float64Array,
  positive: Uint8Array,
  candidates: ArrayLike<number>,
  topK = 20,
): RankingQuality {
  const kept: number[] = [];
  for (let j = 0; j < candidates.length; j++) {
    const i = candidates[j] as number;
    if (!Number.isNaN(score[i] as number)) kept.push(i);
  }
  // Most suspicious first, ties by index: the radix sort's order, in O(n) for Float32 scores.
  const items =
    score instanceof Float32Array
      ? sortIndicesByKey(Int32Array.from(kept).sort(), score, -1)
      : Int32Array.from(kept).sort((a, b) => (score[b] as number) - (score[a] as number) || a - b);
  // AUROC by ranks, ties averaged (Mann-Whitney U).
  let positives = 0;
  let rankSum = 0;
  let j = 0;
  while (j < items.length) {
    let end = j + 1;
    while (end < items.length && score[items[end] as number] === score[items[j] as number]) end++;
    // Ranks ascend from the least suspicious: position p from the top has rank n - p.
    const meanRank = items.length - (j + end - 1) / 2;
    for (let t = j; t < end; t++) {
      if (positive[items[t] as number]) {
        positives++;
        rankSum += meanRank;
      }
    }
    j = end;
  }
  const negatives = items.length - positives;
  const auroc =
    positives > 0 && negatives > 0
      ? (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
      : NaN;
  const k = Math.min(topK, items.length);
  let hits = 0;
  for (let t = 0; t < k; t++) if (positive[items[t] as number]) hits++;
  return { auroc, topPrecision: k > 0 ? hits / k : NaN, topK: k };
}
