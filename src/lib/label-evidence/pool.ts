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
 * samples (the caller lists those every candidate source covers). Samples that share
 * their rows in every weighted source share their pool, which is computed once.
 */
export function meanLogLikelihood(
  sources: readonly WeightedSource[],
  given: Int16Array,
  samples: ArrayLike<number>,
  scratch: Float64Array,
): number {
  const k = scratch.length;
  const weighted = sources.filter((s) => s.weight !== 0);
  const keys = tupleKeys(weighted, k);
  const pooledAt = new Map<number, number>();
  let pooled = new Float64Array(Math.min(samples.length, 1024) * k);
  let rows = 0;
  let sum = 0;
  let count = 0;
  for (let j = 0; j < samples.length; j++) {
    const i = samples[j] as number;
    const y = given[i] as number;
    if (y < 0) continue;
    let p: number;
    if (keys) {
      const key = keys(i);
      let row = pooledAt.get(key);
      if (row === undefined) {
        row = poolAt(weighted, i, scratch) ? rows++ : -1;
        if (row >= 0) {
          if (rows * k > pooled.length) {
            const grown = new Float64Array(pooled.length * 2);
            grown.set(pooled);
            pooled = grown;
          }
          pooled.set(scratch, row * k);
        }
        pooledAt.set(key, row);
      }
      if (row < 0) continue;
      p = pooled[row * k + y] as number;
    } else {
      if (!poolAt(weighted, i, scratch)) continue;
      p = scratch[y] as number;
    }
    sum += Math.log(Math.max(1e-12, p));
    count++;
  }
  return count > 0 ? sum / count : -Infinity;
}

/**
 * A number per sample that is the same exactly when the sample has the same row in every
 * source (its rows in mixed radix); null when the numbers would not stay exact.
 */
function tupleKeys(
  weighted: readonly WeightedSource[],
  classes: number,
): ((i: number) => number) | null {
  const radices = weighted.map((s) => s.opinions.probs.length / classes + 1);
  if (radices.reduce((a, b) => a * b, 1) >= 2 ** 52) return null;
  return (i) => {
    let key = 0;
    for (let s = 0; s < weighted.length; s++)
      key =
        key * (radices[s] as number) +
        ((weighted[s] as WeightedSource).opinions.rowOf[i] as number) +
        1;
    return key;
  };
}

/**
 * The pool of every sample, dictionary-encoded like a source: samples whose weighted
 * sources give the same rows share one pooled row, so a million samples with a hundred
 * thousand distinct (AU pattern, fold) rows are pooled a hundred thousand times. With one
 * weighted source (the usual case: the AU model alone), its rows are the pool's rows.
 */
export function poolAll(
  sources: readonly WeightedSource[],
  count: number,
  classes: number,
): { rowOf: Int32Array; probs: Float32Array } {
  const weighted = sources.filter((s) => s.weight !== 0);
  const only = weighted.length === 1 ? (weighted[0] as WeightedSource) : null;
  if (only && only.opinions.rowOf.length === count) return poolOneSource(only, classes);
  const keys = tupleKeys(weighted, classes);
  const rowOf = new Int32Array(count).fill(-1);
  const rowOfKey = new Map<number, number>();
  let probs = new Float32Array(Math.min(count, 1024) * classes);
  let rows = 0;
  const scratch = new Float64Array(classes);
  for (let i = 0; i < count; i++) {
    const key = keys ? keys(i) : 0;
    if (keys) {
      const known = rowOfKey.get(key);
      if (known !== undefined) {
        rowOf[i] = known;
        continue;
      }
    }
    if (!poolAt(weighted, i, scratch)) {
      if (keys) rowOfKey.set(key, -1);
      continue;
    }
    if ((rows + 1) * classes > probs.length) {
      const grown = new Float32Array(Math.max(probs.length * 2, (rows + 1) * classes));
      grown.set(probs);
      probs = grown;
    }
    probs.set(scratch, rows * classes);
    if (keys) rowOfKey.set(key, rows);
    rowOf[i] = rows++;
  }
  return { rowOf, probs: probs.slice(0, rows * classes) };
}

/** One source's rows pooled alone (floored and normalised as poolAt does), row for row. */
function poolOneSource(
  source: WeightedSource,
  classes: number,
): { rowOf: Int32Array; probs: Float32Array } {
  const { rowOf } = source.opinions;
  const rows = source.opinions.probs.length / classes;
  // poolAt reads a sample's row; a stand-in sample per row reads the same one.
  const sampleOfRow = new Int32Array(rows).fill(-1);
  for (let i = 0; i < rowOf.length; i++) {
    const r = rowOf[i] as number;
    if (r >= 0 && (sampleOfRow[r] as number) < 0) sampleOfRow[r] = i;
  }
  const probs = new Float32Array(rows * classes);
  const scratch = new Float64Array(classes);
  for (let r = 0; r < rows; r++) {
    const i = sampleOfRow[r] as number;
    if (i >= 0 && poolAt([source], i, scratch)) probs.set(scratch, r * classes);
  }
  return { rowOf: rowOf.slice(), probs };
}
