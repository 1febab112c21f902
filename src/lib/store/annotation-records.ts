import { z } from 'zod';
import { DecisionSchema } from '../review/decision';
import { RuleSetSchema } from '../rules/schema';
import { SampleFilterSchema } from '../rules/filter';

/**
 * Records that reviewers create about a dataset: its rule set, saved filters,
 * decisions and their history. Validated on the way in and out like the dataset records.
 */

export const RuleSetRecordSchema = z.object({
  datasetId: z.string().min(1),
  ruleSet: RuleSetSchema,
  updatedAt: z.number(),
});
export type RuleSetRecord = z.infer<typeof RuleSetRecordSchema>;

export const SavedFilterRecordSchema = z.object({
  id: z.number().int().optional(),
  datasetId: z.string().min(1),
  name: z.string().trim().min(1),
  filter: SampleFilterSchema,
  createdAt: z.number(),
});
export type SavedFilterRecord = z.infer<typeof SavedFilterRecordSchema>;

export const DecisionRecordSchema = DecisionSchema;
export type DecisionRecord = z.infer<typeof DecisionRecordSchema>;

/** Opaque here: the review layer owns the shape of history entries and validates them. */
export const HistoryRecordSchema = z
  .object({ seq: z.number().int().optional(), datasetId: z.string().min(1) })
  .passthrough();
export type HistoryRecord = z.infer<typeof HistoryRecordSchema>;

export const ReviewSetRecordSchema = z
  .object({ id: z.string().min(1), datasetId: z.string().min(1) })
  .passthrough();
export type ReviewSetRecord = z.infer<typeof ReviewSetRecordSchema>;

export const SettingRecordSchema = z.object({ key: z.string().min(1), value: z.unknown() });
export type SettingRecord = z.infer<typeof SettingRecordSchema>;

/**
 * An image folder linked to a dataset instead of copied into it: the directory
 * handle (which browsers let a page keep across reloads, asking the user again for
 * access) and the index of its image files by match key.
 */
export const ImageFolderRecordSchema = z.object({
  datasetId: z.string().min(1),
  name: z.string(),
  handle: z.custom<FileSystemDirectoryHandle>(
    (value) => typeof value === 'object' && value !== null && 'getDirectoryHandle' in value,
    'not a directory handle',
  ),
  /** Match keys and relative paths, each joined with '\n' (a million entries stay one record). */
  keys: z.string(),
  paths: z.string(),
});
export type ImageFolderRecord = z.infer<typeof ImageFolderRecordSchema>;
