import { z } from 'zod';

/**
 * What one source of evidence thinks of every sample's label: a distribution over the
 * scheme's classes, dictionary-encoded (samples that the source cannot tell apart, such
 * as two samples with the same AU pattern in the same fold, share a row), with the
 * source's name and how good it is. Every source (the rule set, a model fitted to the
 * dataset's AUs, crowd votes, a trained model's predictions, a face model) gives this
 * shape, so the confident learning and the diagnosis read them all alike.
 */

export const SOURCE_KINDS = ['rules', 'au-model', 'crowd', 'predictions', 'face-model'] as const;
export const SourceKindSchema = z.enum(SOURCE_KINDS);
export type SourceKind = z.infer<typeof SourceKindSchema>;

export const SourceQualitySchema = z.object({
  /** What the figure measures, in words: "out-of-fold accuracy on 4,298 coded samples". */
  measure: z.string(),
  /** The figure itself, 0-1; null when the source cannot be measured against the labels. */
  value: z.number().min(0).max(1).nullable(),
  /** Samples the figure was measured on. */
  samples: z.number().int().min(0),
});
export type SourceQuality = z.infer<typeof SourceQualitySchema>;

export interface ClassOpinions {
  kind: SourceKind;
  /** Shown to the user: "AU model (logistic regression, 5-fold)". */
  name: string;
  quality: SourceQuality;
  /** The classes the distributions are over, by scheme class id, in column order. */
  classIds: number[];
  /** Per sample, its row in probs; -1 when the source has no opinion on the sample. */
  rowOf: Int32Array;
  /** rows x classIds.length probabilities, each row summing to 1. */
  probs: Float32Array;
}

/** The distribution a source gives sample i, or null when it gives none. */
export function opinionOf(source: ClassOpinions, i: number): Float32Array | null {
  const row = source.rowOf[i] as number;
  if (row < 0) return null;
  const k = source.classIds.length;
  return source.probs.subarray(row * k, row * k + k);
}

/** The buffers a worker can hand over without copying. */
export function transferablesOf(source: ClassOpinions): ArrayBuffer[] {
  return [source.rowOf.buffer, source.probs.buffer] as ArrayBuffer[];
}

/** Per row of a dictionary-encoded distribution, its likeliest column (the first of a tie). */
export function likeliestOfRows(probs: Float32Array, k: number): Int16Array {
  const best = new Int16Array(probs.length / k);
  for (let r = 0; r < best.length; r++) {
    let b = 0;
    for (let c = 1; c < k; c++)
      if ((probs[r * k + c] as number) > (probs[r * k + b] as number)) b = c;
    best[r] = b;
  }
  return best;
}
