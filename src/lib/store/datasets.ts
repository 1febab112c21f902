import { Dexie } from 'dexie';
import { z } from 'zod';
import type { SampleTable } from '../labels/types';
import { pathSuffixKeys } from '../labels/images';
import {
  allocateTable,
  copyPageInto,
  DEFAULT_PAGE_SIZE,
  finishTable,
  tableToPages,
} from './columns';

/** Pages asked for at once when a dataset opens (5 pages: 50,000 samples). */
const PAGES_PER_READ = 5;
/** Pages written per request when a dataset is saved (100,000 samples). */
const PAGE_CHUNK = 10;
import { getDb, type AuReviewDb } from './db';
import {
  DatasetNotFoundError,
  StorageFullError,
  StoreCorruptionError,
  describeWriteError,
  isStorageFullError,
} from './errors';
import {
  DatasetMetaPatchSchema,
  DatasetMetaSchema,
  DatasetNameSchema,
  ImageRecordSchema,
  NewDatasetMetaSchema,
  RECORD_SCHEMA_VERSION,
  SamplePageSchema,
  describeIssues,
  readMeta,
  readPage,
  type DatasetMeta,
  type DatasetMetaPatch,
  type ImageRecord,
  type NewDatasetMeta,
} from './records';

export interface ImageInput {
  key: string;
  name: string;
  blob: Blob;
}

export interface SaveDatasetInput {
  meta: NewDatasetMeta;
  table: SampleTable;
  images: ImageInput[];
}

export interface SaveDatasetOptions {
  signal?: AbortSignal;
  /** Called with records written so far (pages + images + the meta) and their total. */
  onProgress?: (done: number, total: number) => void;
}

/** Images of a dataset that were meant to be stored and are not (a batch failed, or the tab closed). */
export interface MissingImages {
  datasetId: string;
  /** Images the import meant to store. */
  wanted: number;
  /** Keys of those not stored, in the order they were given. */
  missing: string[];
  /** Why the last batch failed, in plain words; null when the save was interrupted. */
  error: string | null;
}

/** What became of the images handed to addImages. */
export interface AddImagesResult {
  /** Images written now. */
  saved: number;
  /** Images given that the dataset did not need (stored already, or not among its images). */
  skipped: number;
  /** Images the dataset still lacks afterwards. */
  stillMissing: number;
  error: string | null;
}

/** The dataset API, bound to one database (the app: getDb(); tests: openDb(name)). */
export interface DatasetStore {
  saveImportedDataset(input: SaveDatasetInput, options?: SaveDatasetOptions): Promise<DatasetMeta>;
  listDatasets(): Promise<DatasetMeta[]>;
  getDataset(id: string): Promise<DatasetMeta | undefined>;
  loadSampleTable(id: string): Promise<SampleTable>;
  renameDataset(id: string, name: string): Promise<DatasetMeta>;
  updateDatasetMeta(id: string, patch: DatasetMetaPatch): Promise<DatasetMeta>;
  deleteDataset(id: string): Promise<void>;
  getImage(datasetId: string, key: string): Promise<Blob | undefined>;
  listImageKeys(datasetId: string): Promise<string[]>;
  countDatasets(): Promise<number>;
  /** Datasets whose images were not all stored, with the keys still missing. */
  listMissingImages(): Promise<MissingImages[]>;
  /** Stores those of `images` that the dataset still lacks, in batches; never overwrites. */
  addImages(
    datasetId: string,
    images: ImageInput[],
    options?: SaveDatasetOptions,
  ): Promise<AddImagesResult>;
}

/**
 * Images are written in batches, each its own transaction, after the labels: one
 * transaction for 20,000 images failed about half the time ("Failed to write blobs
 * (IOError)"), and a failed batch now costs only that batch, which can be retried.
 */
export const IMAGE_BATCH_COUNT = 500;
export const IMAGE_BATCH_BYTES = 64 * 1024 * 1024;

/** Records in the settings table that list the images an import still has to store. */
const PENDING_IMAGES_PREFIX = 'pending-images:';
const PendingImagesSchema = z.object({
  version: z.literal(1),
  /** In the order given; one record even for 20,000 keys. */
  keys: z.array(z.string()),
  error: z.string().nullable(),
});
type PendingImages = z.infer<typeof PendingImagesSchema>;

/** Splits images into batches of at most IMAGE_BATCH_COUNT images and about IMAGE_BATCH_BYTES. */
export function imageBatches<T extends { blob: Blob }>(
  images: readonly T[],
  maxCount = IMAGE_BATCH_COUNT,
  maxBytes = IMAGE_BATCH_BYTES,
): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const image of images) {
    if (batch.length > 0 && (batch.length >= maxCount || bytes + image.blob.size > maxBytes)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(image);
    bytes += image.blob.size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

function invalid(what: string, detail: string): Error {
  return new Error(`${what}: ${detail}`);
}

function validName(name: string): string {
  const r = DatasetNameSchema.safeParse(name);
  if (!r.success) throw invalid('Invalid dataset name', describeIssues(r.error));
  return r.data;
}

export function createDatasetStore(db: AuReviewDb): DatasetStore {
  /** Reads, patches and writes one meta record in a readwrite transaction. */
  async function modifyMeta(
    id: string,
    change: (meta: DatasetMeta) => DatasetMeta,
  ): Promise<DatasetMeta> {
    return db.transaction('rw', db.datasets, async () => {
      const stored = await db.datasets.get(id);
      if (stored === undefined) throw new DatasetNotFoundError(id);
      const next = DatasetMetaSchema.parse({
        ...change(readMeta(stored, id)),
        updatedAt: Date.now(),
      });
      await db.datasets.put(next);
      return next;
    });
  }

  /**
   * Writes images in batches, one transaction each, that each check the dataset is still
   * there and count the images into its meta. A failed batch is tried once more (the
   * blob IOError is sometimes passing), then the write stops: what follows is missing.
   */
  async function writeImageBatches(
    datasetId: string,
    images: ImageRecord[],
    step: (n: number) => void,
    signal: AbortSignal | undefined,
  ): Promise<{ saved: number; error: unknown }> {
    let saved = 0;
    for (const batch of imageBatches(images)) {
      for (let attempt = 1; ; attempt++) {
        try {
          await db.transaction('rw', db.datasets, db.images, async () => {
            const stored = await db.datasets.get(datasetId);
            if (stored === undefined) throw new DatasetNotFoundError(datasetId);
            const meta = readMeta(stored, datasetId);
            await db.images.bulkAdd(batch);
            await db.datasets.put({
              ...meta,
              imageCount: meta.imageCount + batch.length,
              updatedAt: Date.now(),
            });
          });
          break;
        } catch (error) {
          const final = attempt >= 2 || error instanceof DatasetNotFoundError || signal?.aborted;
          if (final) return { saved, error };
        }
      }
      saved += batch.length;
      step(batch.length);
    }
    return { saved, error: null };
  }

  /** After the batches: forget the pending list when all are in, else note why not. */
  async function settlePending(
    datasetId: string,
    pending: PendingImages,
    attempted: readonly ImageRecord[],
    outcome: { saved: number; error: unknown },
  ): Promise<void> {
    const key = PENDING_IMAGES_PREFIX + datasetId;
    if (outcome.error === null) {
      const stored = new Set(await listKeys(datasetId));
      if (pending.keys.every((k) => stored.has(k))) await db.settings.delete(key);
      return;
    }
    if (outcome.error instanceof DatasetNotFoundError) throw outcome.error;
    const first = attempted[outcome.saved];
    const error = describeWriteError(
      outcome.error,
      first ? `the images from ${first.name} on` : 'the remaining images',
    );
    // On a full disk this note may not be stored either: the pending list still is.
    await db.settings.put({ key, value: { ...pending, error } }).catch(() => undefined);
  }

  async function readPending(datasetId: string): Promise<PendingImages | undefined> {
    const record = await db.settings.get(PENDING_IMAGES_PREFIX + datasetId);
    if (record === undefined) return undefined;
    const parsed = PendingImagesSchema.safeParse(record.value);
    if (!parsed.success)
      throw new StoreCorruptionError(
        datasetId,
        null,
        `pending images: ${describeIssues(parsed.error)}`,
      );
    return parsed.data;
  }

  async function listKeys(datasetId: string): Promise<string[]> {
    const keys = await db.images
      .where('[datasetId+key]')
      .between([datasetId, Dexie.minKey], [datasetId, Dexie.maxKey], true, true)
      .primaryKeys();
    return keys.map(([, key]) => key);
  }

  async function missingOf(datasetId: string, pending: PendingImages): Promise<MissingImages> {
    const stored = new Set(await listKeys(datasetId));
    return {
      datasetId,
      wanted: pending.keys.length,
      missing: pending.keys.filter((k) => !stored.has(k)),
      error: pending.error,
    };
  }

  async function removeDataset(id: string): Promise<void> {
    await db.transaction('rw', datasetTables(db), () => deleteDatasetRecords(db, id));
  }

  return {
    async saveImportedDataset(input, options = {}) {
      const { signal, onProgress } = options;
      signal?.throwIfAborted();

      // Validate and prepare everything before the transaction: inside it, only
      // IndexedDB operations may be awaited or the browser commits it early.
      const parsed = NewDatasetMetaSchema.safeParse(input.meta);
      if (!parsed.success) throw invalid('Invalid dataset meta', describeIssues(parsed.error));
      if (parsed.data.sampleCount !== input.table.count)
        throw invalid(
          'Invalid dataset',
          `meta.sampleCount is ${parsed.data.sampleCount} but the table holds ${input.table.count} samples`,
        );
      const id = crypto.randomUUID();
      const pages = tableToPages(id, input.table, DEFAULT_PAGE_SIZE);
      for (const page of pages) {
        const r = SamplePageSchema.safeParse(page);
        if (!r.success) throw invalid(`Invalid page ${page.index}`, describeIssues(r.error));
      }
      const seen = new Set<string>();
      const images = input.images.map((image, i): ImageRecord => {
        if (seen.has(image.key))
          throw invalid('Invalid images', `key ${JSON.stringify(image.key)} given twice`);
        seen.add(image.key);
        if (!(image.blob instanceof Blob))
          throw invalid('Invalid images', `image ${i} (${JSON.stringify(image.key)}) has no Blob`);
        const record = { datasetId: id, ...image, type: image.blob.type };
        const r = ImageRecordSchema.safeParse(record);
        if (!r.success) throw invalid(`Invalid image ${i}`, describeIssues(r.error));
        return {
          datasetId: id,
          key: image.key,
          name: image.name,
          type: record.type,
          blob: image.blob,
        };
      });
      const now = Date.now();
      const meta = DatasetMetaSchema.parse({
        ...parsed.data,
        id,
        createdAt: now,
        updatedAt: now,
        pageSize: DEFAULT_PAGE_SIZE,
        pageCount: pages.length,
        imageCount: images.length,
        schemaVersion: RECORD_SCHEMA_VERSION,
      } satisfies DatasetMeta);

      const total = pages.length + images.length + 1;
      let done = 0;
      const advance = (n: number) => {
        done += n;
        onProgress?.(done, total);
        // Throwing inside the transaction scope aborts it: nothing is stored.
        signal?.throwIfAborted();
      };

      // The labels, all or nothing. The images follow in batches; until the last one is
      // stored, a pending record lists them, so a crash or a failed batch is known.
      const pending: PendingImages = { version: 1, keys: images.map((i) => i.key), error: null };
      try {
        await db.transaction('rw', [db.datasets, db.pages, db.settings], async () => {
          onProgress?.(0, total);
          // Every page is asked for at once, ten per request, as a raw bulk write would;
          // progress follows the answers.
          const writes: Promise<unknown>[] = [];
          for (let i = 0; i < pages.length; i += PAGE_CHUNK) {
            const chunk = pages.slice(i, i + PAGE_CHUNK);
            writes.push(db.pages.bulkAdd(chunk).then(() => advance(chunk.length)));
          }
          await Promise.all(writes);
          if (images.length > 0)
            await db.settings.put({ key: PENDING_IMAGES_PREFIX + id, value: pending });
          await db.datasets.add({ ...meta, imageCount: 0 });
          advance(1);
        });
      } catch (error) {
        if (isStorageFullError(error))
          throw new StorageFullError(`“${meta.name}”`, { cause: error });
        throw error;
      }
      if (images.length === 0) return meta;

      try {
        const outcome = await writeImageBatches(id, images, advance, signal);
        await settlePending(id, pending, images, outcome);
      } catch (error) {
        // A cancel (or a failing progress callback) takes the whole import back: the
        // user asked for nothing to be stored.
        await removeDataset(id).catch(() => undefined);
        throw error;
      }
      const stored = await db.datasets.get(id);
      if (stored === undefined) throw new DatasetNotFoundError(id);
      return readMeta(stored, id);
    },

    async listDatasets() {
      const records = await db.datasets.toArray();
      return records
        .map((r) => readMeta(r, typeof r?.id === 'string' ? r.id : '(no id)'))
        .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    async getDataset(id) {
      const record = await db.datasets.get(id);
      return record === undefined ? undefined : readMeta(record, id);
    },

    async loadSampleTable(id) {
      // A few pages per request: each answer is copied in before the next is asked
      // for, so opening a large dataset never holds the page in one long task.
      return db.transaction('r', db.datasets, db.pages, async () => {
        const record = await db.datasets.get(id);
        if (record === undefined) throw new DatasetNotFoundError(id);
        const meta = readMeta(record, id);
        const table = allocateTable(meta.sampleCount);
        for (let from = 0; from < meta.pageCount; from += PAGES_PER_READ) {
          const records = await db.pages
            .where('[datasetId+index]')
            .between([id, from], [id, from + PAGES_PER_READ], true, false)
            .toArray();
          records.forEach((r, k) => {
            const i = from + k;
            const index = (r as { index?: unknown }).index;
            if (index !== i) throw new StoreCorruptionError(id, i, 'page is missing');
            const page = readPage(r, id, i);
            const expected = Math.min(meta.pageSize, meta.sampleCount - i * meta.pageSize);
            if (page.count !== expected)
              throw new StoreCorruptionError(
                id,
                i,
                `holds ${page.count} samples, expected ${expected}`,
              );
            copyPageInto(table, page, i * meta.pageSize);
          });
          const expectedHere = Math.max(0, Math.min(PAGES_PER_READ, meta.pageCount - from));
          if (records.length !== expectedHere) {
            const found = from + records.length;
            throw new StoreCorruptionError(
              id,
              found,
              `page is missing (dataset has ${meta.pageCount} pages, found ${found})`,
            );
          }
        }
        return finishTable(table);
      });
    },

    async renameDataset(id, name) {
      const trimmed = validName(name);
      return modifyMeta(id, (meta) => ({ ...meta, name: trimmed }));
    },

    async updateDatasetMeta(id, patch) {
      const r = DatasetMetaPatchSchema.safeParse(patch);
      if (!r.success) throw invalid('Invalid dataset meta patch', describeIssues(r.error));
      const clean = Object.fromEntries(
        Object.entries(r.data).filter(([, v]) => v !== undefined),
      ) as DatasetMetaPatch;
      return modifyMeta(id, (meta) => ({ ...meta, ...clean }));
    },

    async deleteDataset(id) {
      await removeDataset(id);
    },

    async getImage(datasetId, key) {
      const record = await db.images.get([datasetId, key]);
      if (record === undefined) return undefined;
      if (!(record.blob instanceof Blob))
        throw new StoreCorruptionError(datasetId, null, `image ${JSON.stringify(key)} has no Blob`);
      return record.blob;
    },

    listImageKeys(datasetId) {
      return listKeys(datasetId);
    },

    countDatasets() {
      return db.datasets.count();
    },

    async listMissingImages() {
      const records = await db.settings.where('key').startsWith(PENDING_IMAGES_PREFIX).toArray();
      const result: MissingImages[] = [];
      for (const record of records) {
        const datasetId = record.key.slice(PENDING_IMAGES_PREFIX.length);
        if ((await db.datasets.get(datasetId)) === undefined) continue;
        const pending = await readPending(datasetId);
        if (!pending) continue;
        const missing = await missingOf(datasetId, pending);
        if (missing.missing.length > 0) result.push(missing);
      }
      return result;
    },

    async addImages(datasetId, images, options = {}) {
      const { signal, onProgress } = options;
      signal?.throwIfAborted();
      if ((await db.datasets.get(datasetId)) === undefined)
        throw new DatasetNotFoundError(datasetId);
      const pending = await readPending(datasetId);
      const before = pending ? await missingOf(datasetId, pending) : null;
      const needed = new Set(before?.missing ?? []);
      const records: ImageRecord[] = [];
      for (const image of images) {
        if (!(image.blob instanceof Blob)) continue;
        // A missing frame's key keeps its video's folder (`f001_t1/00012`): an image
        // picked again is found by its path's end, not only by the key it was given.
        const key = [image.key, ...pathSuffixKeys(image.name)].find((k) => needed.has(k));
        if (key === undefined) continue;
        needed.delete(key);
        records.push({
          datasetId,
          key,
          name: image.name,
          type: image.blob.type,
          blob: image.blob,
        });
      }
      let done = 0;
      onProgress?.(0, records.length);
      const outcome = await writeImageBatches(
        datasetId,
        records,
        (n) => {
          done += n;
          onProgress?.(done, records.length);
          signal?.throwIfAborted();
        },
        signal,
      );
      if (pending) await settlePending(datasetId, pending, records, outcome);
      const after = pending ? await missingOf(datasetId, pending) : null;
      return {
        saved: outcome.saved,
        skipped: images.length - records.length,
        stillMissing: after?.missing.length ?? 0,
        error:
          outcome.error === null
            ? null
            : describeWriteError(
                outcome.error,
                `the images from ${records[outcome.saved]?.name ?? '?'} on`,
              ),
      };
    },
  };
}

/** Every table that holds records of a dataset. */
function datasetTables(db: AuReviewDb) {
  return [
    db.datasets,
    db.ruleSets,
    db.imageFolders,
    db.crowd,
    db.loaderChecks,
    db.predictionRuns,
    db.pages,
    db.images,
    db.savedFilters,
    db.decisions,
    db.history,
    db.reviewSets,
    db.evidence,
    db.thumbnails,
    db.settings,
    db.teamSessions,
    db.teamBundles,
    db.assignments,
    db.faceReadings,
  ];
}

/**
 * Deletes a dataset and everything stored about it. Call inside a readwrite
 * transaction over datasetTables(db) (the restore of a backup replaces a dataset
 * in the same transaction that writes the new one).
 */
export async function deleteDatasetRecords(db: AuReviewDb, id: string): Promise<void> {
  for (const table of [db.datasets, db.ruleSets, db.imageFolders, db.crowd, db.loaderChecks])
    await table.delete(id);
  for (const table of [
    db.pages,
    db.images,
    db.savedFilters,
    db.decisions,
    db.history,
    db.reviewSets,
    db.evidence,
    db.thumbnails,
    db.predictionRuns,
    db.faceReadings,
  ])
    await table.where('datasetId').equals(id).delete();
  await db.settings.delete(PENDING_IMAGES_PREFIX + id);
  await db.settings.delete('face-opinion-off:' + id);
  // Team sessions of the dataset and their bundles; assignments made from it.
  const sessions = await db.teamSessions.where('datasetId').equals(id).primaryKeys();
  await db.teamBundles.where('sessionId').anyOf(sessions).delete();
  await db.teamSessions.bulkDelete(sessions);
  await db.assignments.filter((a) => a.datasetId === id).delete();
}

export { datasetTables };

let defaultStore: DatasetStore | undefined;
const store = (): DatasetStore => (defaultStore ??= createDatasetStore(getDb()));

/**
 * Stores an imported dataset (meta, pages of columns, images) in ONE readwrite
 * transaction: if anything fails or `signal` aborts, nothing is stored.
 */
export const saveImportedDataset: DatasetStore['saveImportedDataset'] = (input, options) =>
  store().saveImportedDataset(input, options);
/** All datasets' meta, newest first. Never loads pages. */
export const listDatasets: DatasetStore['listDatasets'] = () => store().listDatasets();
export const getDataset: DatasetStore['getDataset'] = (id) => store().getDataset(id);
/** The dataset's samples, pages read in order; throws DatasetNotFoundError / StoreCorruptionError. */
export const loadSampleTable: DatasetStore['loadSampleTable'] = (id) => store().loadSampleTable(id);
/** Throws an Error when the trimmed name is empty (a caller bug: validate in the UI). */
export const renameDataset: DatasetStore['renameDataset'] = (id, name) =>
  store().renameDataset(id, name);
export const updateDatasetMeta: DatasetStore['updateDatasetMeta'] = (id, patch) =>
  store().updateDatasetMeta(id, patch);
/** Deletes a dataset and everything stored about it in one transaction. Idempotent. */
export const deleteDataset: DatasetStore['deleteDataset'] = (id) => store().deleteDataset(id);
export const getImage: DatasetStore['getImage'] = (datasetId, key) =>
  store().getImage(datasetId, key);
/** Image keys of a dataset in IndexedDB key order; never loads the blobs. */
export const listImageKeys: DatasetStore['listImageKeys'] = (datasetId) =>
  store().listImageKeys(datasetId);
export const countDatasets: DatasetStore['countDatasets'] = () => store().countDatasets();

/**
 * Asks the browser not to evict our data under storage pressure. Resolves true when
 * storage is persistent; false when refused or unavailable (Node, old browsers).
 */
export async function requestPersistentStorage(): Promise<boolean> {
  const storage = (globalThis as { navigator?: Partial<Navigator> }).navigator?.storage;
  if (typeof storage?.persist !== 'function') return false;
  try {
    if (typeof storage.persisted === 'function' && (await storage.persisted())) return true;
    return await storage.persist();
  } catch {
    return false;
  }
}

/** Datasets whose images were not all stored (a failed batch, a closed tab), with the missing keys. */
export const listMissingImages: DatasetStore['listMissingImages'] = () =>
  store().listMissingImages();
/** Fills in a dataset's missing images from those given (others are skipped), in batches. */
export const addImages: DatasetStore['addImages'] = (datasetId, images, options) =>
  store().addImages(datasetId, images, options);

export interface StorageInfo {
  /** Bytes this site uses, and may use, as the browser estimates them. */
  usage: number;
  quota: number;
  /** Whether the browser promised not to evict this site's data under storage pressure. */
  persisted: boolean;
}

/** The browser's estimate of this site's storage; null where the browser gives none. */
export async function readStorageInfo(): Promise<StorageInfo | null> {
  const storage = (globalThis as { navigator?: Partial<Navigator> }).navigator?.storage;
  if (typeof storage?.estimate !== 'function') return null;
  try {
    const { usage = 0, quota = 0 } = await storage.estimate();
    const persisted = typeof storage.persisted === 'function' ? await storage.persisted() : false;
    return { usage, quota, persisted };
  } catch {
    return null;
  }
}
