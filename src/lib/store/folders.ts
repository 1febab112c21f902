import { getDb, type AuReviewDb } from './db';
import { ImageFolderRecordSchema, type ImageFolderRecord } from './annotation-records';

export { ImageFolderRecordSchema, type ImageFolderRecord };

/** Links a folder to a dataset; thumbnails made from an earlier folder's images go. */
export async function linkImageFolder(
  record: ImageFolderRecord,
  db: AuReviewDb = getDb(),
): Promise<void> {
  const valid = ImageFolderRecordSchema.parse(record);
  await db.transaction('rw', db.imageFolders, db.thumbnails, async () => {
    await db.thumbnails.where('datasetId').equals(valid.datasetId).delete();
    await db.imageFolders.put(valid);
  });
}

export async function getImageFolder(
  datasetId: string,
  db: AuReviewDb = getDb(),
): Promise<ImageFolderRecord | undefined> {
  const record = await db.imageFolders.get(datasetId);
  return record ? ImageFolderRecordSchema.parse(record) : undefined;
}
