import { getDb, type AuReviewDb } from './db';
import { StoreCorruptionError } from './errors';
import {
  RuleSetRecordSchema,
  SavedFilterRecordSchema,
  SettingRecordSchema,
  type SavedFilterRecord,
} from './annotation-records';
import type { RuleSet } from '../rules/schema';
import type { SampleFilter } from '../rules/filter';

/** A dataset's edited rule set, or undefined when it uses the built-in one. */
export async function getRuleSet(
  datasetId: string,
  db: AuReviewDb = getDb(),
): Promise<RuleSet | undefined> {
  const record = await db.ruleSets.get(datasetId);
  if (!record) return undefined;
  const parsed = RuleSetRecordSchema.safeParse(record);
  if (!parsed.success) {
    throw new StoreCorruptionError(
      datasetId,
      null,
      `its rule set is corrupt: ${parsed.error.message}`,
    );
  }
  return parsed.data.ruleSet;
}

export async function saveRuleSet(
  datasetId: string,
  ruleSet: RuleSet,
  db: AuReviewDb = getDb(),
): Promise<void> {
  await db.ruleSets.put(RuleSetRecordSchema.parse({ datasetId, ruleSet, updatedAt: Date.now() }));
}

/** Back to the built-in rule set. */
export async function deleteRuleSet(datasetId: string, db: AuReviewDb = getDb()): Promise<void> {
  await db.ruleSets.delete(datasetId);
}

export async function listSavedFilters(
  datasetId: string,
  db: AuReviewDb = getDb(),
): Promise<SavedFilterRecord[]> {
  const records = await db.savedFilters.where('datasetId').equals(datasetId).toArray();
  return records
    .map((record) => SavedFilterRecordSchema.parse(record))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Saves a filter under a name; a filter of the same name is replaced. */
export async function saveFilter(
  datasetId: string,
  name: string,
  filter: SampleFilter,
  db: AuReviewDb = getDb(),
): Promise<void> {
  const record = SavedFilterRecordSchema.parse({ datasetId, name, filter, createdAt: Date.now() });
  await db.transaction('rw', db.savedFilters, async () => {
    const same = await db.savedFilters
      .where('datasetId')
      .equals(datasetId)
      .filter((r) => r.name === record.name)
      .primaryKeys();
    await db.savedFilters.bulkDelete(same);
    await db.savedFilters.add(record);
  });
}

export async function deleteSavedFilter(id: number, db: AuReviewDb = getDb()): Promise<void> {
  await db.savedFilters.delete(id);
}

export async function getSetting<T>(key: string, db: AuReviewDb = getDb()): Promise<T | undefined> {
  const record = await db.settings.get(key);
  return record ? (SettingRecordSchema.parse(record).value as T) : undefined;
}

export async function putSetting(
  key: string,
  value: unknown,
  db: AuReviewDb = getDb(),
): Promise<void> {
  await db.settings.put(SettingRecordSchema.parse({ key, value }));
}
