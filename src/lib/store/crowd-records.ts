import { z } from 'zod';
import { CrowdDistributionSchema } from '../label-evidence/crowd-file';

/**
 * The stored shape of a dataset's crowd label distribution (RAF-ML `distribution.txt`,
 * see label-evidence/crowd-file.ts): one record per dataset, its per-sample shares as
 * one Float32Array (samples x 6) and its rows as one Uint8Array, so that a million
 * samples are two buffers, not a million records. The typed arrays own their buffers.
 */

export const CROWD_RECORD_VERSION = 1;

export const CrowdRecordSchema = CrowdDistributionSchema.safeExtend({
  datasetId: z.string().min(1),
  /** When the file was imported (ms since the epoch). */
  importedAt: z.number().int().nonnegative(),
});
export type CrowdRecord = z.infer<typeof CrowdRecordSchema>;
