import { FACE_READING_VERSION, FaceReadingSchema, type FaceReading } from '../face-reading/reading';
import { getDb, type AuReviewDb } from './db';
import { DatasetNotFoundError } from './errors';
import { MIGRATIONS, readVersioned, type RecordFormat } from './migrations';
import { getSetting, putSetting } from './annotations';

/**
 * What the face model read off a dataset's images, one record per image, kept so that
 * a second run reads only the new images. Readings are stored in batches, each batch in
 * one transaction: a cancelled or interrupted run keeps what it finished.
 */

const FACE_READING_FORMAT: RecordFormat<FaceReading> = {
  what: 'face reading',
  versionField: 'version',
  current: FACE_READING_VERSION,
  schema: FaceReadingSchema,
  steps: MIGRATIONS.faceReading,
};

/** Stores readings of one dataset (replacing earlier readings of the same images). */
export async function saveFaceReadings(
  datasetId: string,
  readings: readonly FaceReading[],
  db: AuReviewDb = getDb(),
): Promise<void> {
  const records = readings.map((r) => {
    if (r.datasetId !== datasetId)
      throw new Error(
        `saveFaceReadings: a reading of dataset "${r.datasetId}" given for "${datasetId}"`,
      );
    return FaceReadingSchema.parse(r);
  });
  await db.transaction('rw', db.datasets, db.faceReadings, async () => {
    if ((await db.datasets.get(datasetId)) === undefined) throw new DatasetNotFoundError(datasetId);
    await db.faceReadings.bulkPut(records);
  });
}

export interface StoredFaceReadings {
  readings: FaceReading[];
  /** Records that could not be read (corrupt, or written by a newer version): left out, said. */
  unreadable: { imageKey: string; message: string }[];
}

export async function listFaceReadings(
  datasetId: string,
  db: AuReviewDb = getDb(),
): Promise<StoredFaceReadings> {
  const stored = await db.faceReadings.where('datasetId').equals(datasetId).toArray();
  const readings: FaceReading[] = [];
  const unreadable: StoredFaceReadings['unreadable'] = [];
  for (const record of stored) {
    const read = readVersioned(FACE_READING_FORMAT, record);
    if (read.ok) readings.push(read.record);
    else unreadable.push({ imageKey: String(record.imageKey), message: read.message });
  }
  return { readings, unreadable };
}

/** The image keys of a dataset read by `model` (others are read again). */
export async function readImageKeys(
  datasetId: string,
  model: string,
  db: AuReviewDb = getDb(),
): Promise<Set<string>> {
  const keys = new Set<string>();
  await db.faceReadings
    .where('datasetId')
    .equals(datasetId)
    .each((r) => {
      if (r.model === model) keys.add(r.imageKey);
    });
  return keys;
}

export async function deleteFaceReadings(
  datasetId: string,
  db: AuReviewDb = getDb(),
): Promise<void> {
  await db.faceReadings.where('datasetId').equals(datasetId).delete();
}

const OPINION_SETTING = 'face-opinion-off:';

/** Whether the face model's opinion is switched off for a dataset (it is on unless the user says). */
export async function faceOpinionOff(
  datasetId: string,
  db: AuReviewDb = getDb(),
): Promise<boolean> {
  return (await getSetting<boolean>(OPINION_SETTING + datasetId, db)) === true;
}

export async function setFaceOpinionOff(
  datasetId: string,
  off: boolean,
  db: AuReviewDb = getDb(),
): Promise<void> {
  await putSetting(OPINION_SETTING + datasetId, off, db);
}
