import { z } from 'zod';
import { getDb, type AuReviewDb } from './db';

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

export async function linkImageFolder(
  record: ImageFolderRecord,
  db: AuReviewDb = getDb(),
): Promise<void> {
  await db.imageFolders.put(ImageFolderRecordSchema.parse(record));
}

export async function getImageFolder(
  datasetId: string,
  db: AuReviewDb = getDb(),
): Promise<ImageFolderRecord | undefined> {
  const record = await db.imageFolders.get(datasetId);
  return record ? ImageFolderRecordSchema.parse(record) : undefined;
}
