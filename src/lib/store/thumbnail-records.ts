import { z } from 'zod';

/** The stored shape of a grid thumbnail (see thumbnails.ts). */

export const THUMBNAIL_RECORD_VERSION = 1;

export const ThumbnailRecordSchema = z.object({
  version: z.literal(THUMBNAIL_RECORD_VERSION),
  datasetId: z.string().min(1),
  /** The image key (labels/images imageKey) within the dataset. */
  key: z.string(),
  blob: z.instanceof(Blob).refine((b) => b.size > 0, 'the thumbnail is empty'),
  /** When it was last shown (ms since the epoch), refreshed at most once per touchAfterMs. */
  usedAt: z.number().int().nonnegative(),
});
export type ThumbnailRecord = z.infer<typeof ThumbnailRecordSchema>;
