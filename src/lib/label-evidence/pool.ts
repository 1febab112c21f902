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
    for (let c = 0; c < k; c++) {
      const p = Math.max(PROBABILITY_FLOOR, opinions.probs[row * k + c] as number);
      out[c] = (out[c] as number) + weight * Math.log(p);
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
 * samples where every source with a non-zero weight has an opinion: used to choose
 * weights from the data itself. Every source must be out of sample for this to be fair.
 */
export function meanLogLikelihood(
  sources: readonly WeightedSource[],
  given: Int16Array,
  scratch: Float64Array,
): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < given.length; i++) {
    const y = given[i] as number;
    if (y < 0) continue;
    if (sources.some((s) => s.weight !== 0 && (s.opinions.rowOf[i] as number) < 0)) continue;
    if (!poolAt(sources, i, scratch)) continue;
    sum += Math.log(Math.max(1e-12, scratch[y] as number));
    count++;
  }
  return count > 0 ? sum / count : -Infinity;
}
