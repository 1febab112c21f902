import { z } from 'zod';

/**
 * A reviewer's decision about one sample. Decisions are kept apart from the
 * original labels, which are never overwritten: the final label of a sample is
 * its original label with its latest decision applied.
 */

export const FlagReasonSchema = z.enum([
  'au-wrong',
  'emotion-wrong',
  'bad-crop', // not a face, or a bad crop
  'occluded',
  'ambiguous',
  'other',
]);
export type FlagReason = z.infer<typeof FlagReasonSchema>;

export const FLAG_REASON_LABELS: Record<FlagReason, string> = {
  'au-wrong': 'AU label wrong',
  'emotion-wrong': 'Emotion label wrong',
  'bad-crop': 'Not a face or bad crop',
  occluded: 'Occluded',
  ambiguous: 'Ambiguous',
  other: 'Other',
};

/** The AU label a correction sets: a coded AU string, or "not coded" (`null`). */
export const AuLabelSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('coded'), raw: z.string() }),
  z.object({ status: z.literal('null') }),
]);
export type AuLabel = z.infer<typeof AuLabelSchema>;

export const DecisionSchema = z.object({
  version: z.literal(1),
  /** Unique id (crypto.randomUUID()). */
  id: z.string().min(1),
  datasetId: z.string().min(1),
  /** Index of the sample in the dataset's table. */
  sample: z.number().int().min(0),
  /** The sample's image name, so a decision still means something outside this browser. */
  sampleName: z.string(),
  kind: z.enum(['accept', 'correct', 'flag', 'discard']),
  reviewer: z.string().min(1),
  /** Milliseconds since the epoch. */
  at: z.number(),
  /** For 'correct': what changes. A field left out keeps the original. */
  correction: z
    .object({
      classId: z.number().int().optional(),
      au: AuLabelSchema.optional(),
    })
    .optional(),
  /** For 'flag'. */
  flagReason: FlagReasonSchema.optional(),
  note: z.string().optional(),
  /** The review set it was made in, if any. */
  reviewSetId: z.string().optional(),
});
export type Decision = z.infer<typeof DecisionSchema>;

/** What the latest decision made of a sample, as a column code. */
export const SampleState = {
  untouched: 0,
  accepted: 1,
  corrected: 2,
  flagged: 3,
  discarded: 4,
} as const;
export type SampleStateCode = (typeof SampleState)[keyof typeof SampleState];

/**
 * Final labels of a whole dataset, as columns beside the original SampleTable:
 * original labels with each sample's current decision applied.
 */
export interface FinalLabels {
  count: number;
  state: Uint8Array; // SampleStateCode
  classIds: Int16Array;
  auStatus: Uint8Array; // AuStatus codes from labels/types
  /** Final AU value text: the original raw text when unchanged (so an export keeps it byte for byte). */
  auRaw: string[];
  auMask: Uint32Array;
  /** Index into FlagReasonSchema.options, or 255 for none. */
  flagReason: Uint8Array;
  /** For each sample, its current decision (or undefined). */
  decisionOf: (sample: number) => Decision | undefined;
}
