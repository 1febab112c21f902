import type { ClassOpinions } from './opinion';

/**
 * Sources combined by a weighted geometric pool (a product of experts): log p(c) =
 * sum over sources of weight x log p_source(c), normalised. A source with no opinion on
 * a sample is left out for that sample; independent evidence multiplies, and a weight
 * below 1 tempers a source that is overconfident or partly redundant.
 */

export interface WeightedSource {
  opinions: ClassOpinions;
  weight: number;
}

/** A floor under each probability so that one source's zero cannot veto a class. */
const PROBABILITY_FLOOR = 1e-4;

/**
 * A source's floored log-probabilities, computed once per source: the pool reads each
 * row many times (once per sample that has it, and again for every weight tried).
 * Sources with a row per sample (crowd votes, predictions) are not cached: they are read
 * about once a row, and their logs would double their memory.
 */
const logCache = new WeakMap<ClassOpinions, Float64Array>();
const LOG_CACHE_LIMIT = 4_000_000;

function logsOf(opinions: ClassOpinions): Float64Array | null {
  let logs = logCache.get(opinions);
  if (logs) return logs;
  if (opinions.probs.length > LOG_CACHE_LIMIT) return null;
  logs = new Float64Array(opinions.probs.length);
  for (let j = 0; j < logs.length; j++)
    logs[j] = Math.log(Math.max(PROBABILITY_FLOOR, opinions.probs[j] as number));
  logCache.set(opinions, logs);
  return logs;
}

/** Writes the pooled distribution of sample i into out; false when no source has an opinion. */
export function poolAt(sources: readonly WeightedSource[], i: number, out: Float64Array): boolean {
  const k = out.length;
  out.fill(0);
  let any = false;
  for (const { opinions, weight } of sources) {
    if (weight === 0) continue;
    const row = opinions.rowOf[i] as number;
    if (row < 0) continue;
    any = true;
    const logs = logsOf(opinions);
    const at = row * k;
    if (logs) {
      for (let c = 0; c < k; c++) out[c] = (out[c] as number) + weight * (logs[at + c] as number);
    } else {
      for (let c = 0; c < k; c++) {
        const p = Math.max(PROBABILITY_FLOOR, opinions.probs[at + c] as number);
        out[c] = (out[c] as number) + weight * Math.log(p);
      }
    }
  }
  if (!any) return false;
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, out[c] as number);
  let total = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp((out[c] as number) - max);
    out[c] = e;
    total += e;
  }
  for (let c = 0; c < k; c++) out[c] = (out[c] as number) / total;
  return true;
}

/**
 * Mean log-probability of the given labels under the pool (higher is better), over the
 * listed samples: used to choose weights from the data itself. Every source must be out
 * of sample for this to be fair, and every weight compared must be judged on the same
 * samples (the caller lists those every candidate source covers).
 */
export function meanLogLikelihood(
  sources: readonly WeightedSource[],
  given: Int16Array,
  samples: ArrayLike<number>,
  scratch: Float64Array,
): number {
  let sum = 0;
  let count = 0;
  for (let j = 0; j < samples.length; j++) {
    const i = samples[j] as number;
    const y = given[i] as number;
    if (y < 0 || !poolAt(sources, i, scratch)) continue;
    sum += Math.log(Math.max(1e-12, scratch[y] as number));
    count++;
  }
  return count > 0 ? sum / count : -Infinity;
}

/**
 * The pool of every sample, dictionary-encoded like a source: samples whose weighted
 * sources give the same rows share one pooled row, so a million samples with a hundred
 * thousand distinct (AU pattern, fold) rows are pooled a hundred thousand times.
 */
export function poolAll(
  sources: readonly WeightedSource[],
  count: number,
  classes: number,
): { rowOf: Int32Array; probs: Float32Array } {
  const weighted = sources.filter((s) => s.weight !== 0);
  const radices = weighted.map((s) => s.opinions.probs.length / classes + 1);
  const keySpace = radices.reduce((a, b) => a * b, 1);
  const shared = keySpace < 2 ** 52;
  const rowOf = new Int32Array(count).fill(-1);
  const rowOfKey = new Map<number, number>();
  let probs = new Float32Array(Math.min(count, 1024) * classes);
  let rows = 0;
  const scratch = new Float64Array(classes);
  for (let i = 0; i < count; i++) {
    let key = 0;
    if (shared) {
      for (let s = 0; s < weighted.length; s++) {
        key =
          key * (radices[s] as number) +
          ((weighted[s] as WeightedSource).opinions.rowOf[i] as number) +
          1;
      }
      const known = rowOfKey.get(key);
      if (known !== undefined) {
        rowOf[i] = known;
        continue;
      }
    }
    if (!poolAt(weighted, i, scratch)) {
      if (shared) rowOfKey.set(key, -1);
      continue;
    }
    if ((rows + 1) * classes > probs.length) {
      const grown = new Float32Array(Math.max(probs.length * 2, (rows + 1) * classes));
      grown.set(probs);
      probs = grown;
    }
    probs.set(scratch, rows * classes);
    if (shared) rowOfKey.set(key, rows);
    rowOf[i] = rows++;
  }
  return { rowOf, probs: probs.slice(0, rows * classes) };
}
