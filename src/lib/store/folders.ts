import { getDb, type AuReviewDb } from './db';
import { ImageFolderRecordSchema, type ImageFolderRecord } from './annotation-records';

export { ImageFolderRecordSchema, type ImageFolderRecord };

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
