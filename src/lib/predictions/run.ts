import { z } from 'zod';

/**
 * A trained model's predictions for one dataset, aligned to its samples on reading:
 * one row of probabilities per predicted sample, not one record per file line, so that
 * a million predictions of two runs stay a few typed arrays.
 */

export const PREDICTION_RUN_VERSION = 1;

/** What the emotion columns of the file held before they were made probabilities. */
export const EmotionOutputSchema = z.enum(['probabilities', 'logits', 'predicted-class']);
export type EmotionOutput = z.infer<typeof EmotionOutputSchema>;

/** What the AU columns of the file held before they were made probabilities. */
export const AuOutputSchema = z.enum(['probabilities', 'logits']);
export type AuOutput = z.infer<typeof AuOutputSchema>;

export const PredictionRunMetaSchema = z.object({
  version: z.literal(PREDICTION_RUN_VERSION),
  id: z.string().min(1),
  datasetId: z.string().min(1),
  /** Chosen by the user, e.g. "baseline", "multi-task". */
  name: z.string().trim().min(1).max(100),
  createdAt: z.number().int().nonnegative(),
  fileNames: z.array(z.string()),
  emotion: z
    .object({
      output: EmotionOutputSchema,
      /** Scheme class ids, in column order. */
      classIds: z.array(z.number().int()),
      /** Softmax was applied to logits; the user is told. */
      convertedFromLogits: z.boolean(),
    })
    .nullable(),
  au: z
    .object({
      output: AuOutputSchema,
      /** AU numbers, in column order. */
      aus: z.array(z.number().int().min(1).max(64)),
      /** The logistic sigmoid was applied to logits; the user is told. */
      convertedFromLogits: z.boolean(),
    })
    .nullable(),
  /** Dataset samples with a prediction. */
  predicted: z.number().int().nonnegative(),
  /** File rows naming no dataset sample. */
  unmatched: z.number().int().nonnegative(),
});
export type PredictionRunMeta = z.infer<typeof PredictionRunMetaSchema>;

export interface PredictionRun {
  meta: PredictionRunMeta;
  /** Per dataset sample: its row in the arrays below, -1 when the run has none. */
  rowOf: Int32Array;
  /** rows x emotion.classIds.length probabilities (a predicted class is one-hot); null without emotion. */
  classProbs: Float32Array | null;
  /** rows x au.aus.length probabilities of presence; null without AUs. */
  auProbs: Float32Array | null;
}
