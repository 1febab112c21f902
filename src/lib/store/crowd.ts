import type { CrowdDistribution } from '../label-evidence/crowd-file';
import { getDb, type AuReviewDb } from './db';
import { DatasetNotFoundError } from './errors';
import { CROWD_RECORD_VERSION, CrowdRecordSchema, type CrowdRecord } from './crowd-records';
import { MIGRATIONS, readVersioned, type RecordFormat } from './migrations';

export { CROWD_RECORD_VERSION, CrowdRecordSchema, type CrowdRecord };

/**
 * A copy that owns its buffer when the array is a view of a larger one: IndexedDB
 * stores a view's whole buffer, so a view of a bigger read would be stored whole.
 */
function owned<T extends Float32Array | Uint8Array>(array: T): T {
  return array.byteOffset === 0 && array.byteLength === array.buffer.byteLength
    ? array
    : (array.slice() as T);
}

/**
 * Stores a dataset's crowd distribution, replacing any earlier one. Throws when the
 * dataset does not exist (deleted, perhaps in another tab), so that no record outlives
 * it, and when the distribution was aligned to another number of samples (a bug).
 */
export async function saveCrowd(
  datasetId: string,
  crowd: CrowdDistribution,
  db: AuReviewDb = getDb(),
): Promise<void> {
  const record = CrowdRecordSchema.parse({
    version: CROWD_RECORD_VERSION,
    datasetId,
    fileName: crowd.fileName,
    emotions: crowd.emotions,
    shares: owned(crowd.shares),
    has: owned(crowd.has),
    matched: crowd.matched,
    importedAt: Date.now(),
  } satisfies CrowdRecord);
  await db.transaction('rw', db.datasets, db.crowd, async () => {
    const meta = await db.datasets.get(datasetId);
    if (meta === undefined) throw new DatasetNotFoundError(datasetId);
    if (meta.sampleCount !== record.has.length)
      throw new Error(
        `saveCrowd: the distribution has ${record.has.length} samples, dataset "${datasetId}" has ${meta.sampleCount}`,
      );
    await db.crowd.put(record);
  });
}

const CROWD_FORMAT: RecordFormat<CrowdRecord> = {
  what: 'crowd distribution',
  versionField: 'version',
  current: CROWD_RECORD_VERSION,
  schema: CrowdRecordSchema,
  steps: MIGRATIONS.crowd,
};

/**
 * The dataset's crowd distribution, or undefined when there is none. An older record
 * is migrated (see migrations.ts). A record that fails validation, or that a newer
 * app wrote, also gives undefined: it is evidence the user can import again, and it
 * must not stop the dataset from opening.
 */
export async function getCrowd(
  datasetId: string,
  db: AuReviewDb = getDb(),
): Promise<CrowdDistribution | undefined> {
  const stored: unknown = await db.crowd.get(datasetId);
  if (stored === undefined) return undefined;
  const read = readVersioned(CROWD_FORMAT, stored);
  if (!read.ok || read.record.datasetId !== datasetId) return undefined;
  const { version, fileName, emotions, shares, has, matched } = read.record;
  return { version, fileName, emotions, shares, has, matched };
}

export async function deleteCrowd(datasetId: string, db: AuReviewDb = getDb()): Promise<void> {
  await db.crowd.delete(datasetId);
}
