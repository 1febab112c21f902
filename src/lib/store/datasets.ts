import { Dexie } from 'dexie';
import type { SampleTable } from '../labels/types';
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
import { DatasetNotFoundError, StoreCorruptionError } from './errors';
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
}

/** Images written per bulkAdd inside the import transaction (one progress step each). */
const IMAGE_CHUNK = 256;

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

      await db.transaction('rw', db.datasets, db.pages, db.images, async () => {
        onProgress?.(0, total);
        // Every page is asked for at once, ten per request, as a raw bulk write would;
        // progress follows the answers.
        const writes: Promise<unknown>[] = [];
        for (let i = 0; i < pages.length; i += PAGE_CHUNK) {
          const chunk = pages.slice(i, i + PAGE_CHUNK);
          writes.push(db.pages.bulkAdd(chunk).then(() => advance(chunk.length)));
        }
        await Promise.all(writes);
        for (let i = 0; i < images.length; i += IMAGE_CHUNK) {
          const chunk = images.slice(i, i + IMAGE_CHUNK);
          await db.images.bulkAdd(chunk);
          advance(chunk.length);
        }
        await db.datasets.add(meta);
        advance(1);
      });
      return meta;
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
      const perDataset = [
        db.pages,
        db.images,
        db.savedFilters,
        db.decisions,
        db.history,
        db.reviewSets,
        db.evidence,
        db.thumbnails,
      ] as const;
      const team = [db.teamSessions, db.teamBundles, db.assignments] as const;
      const byDatasetId = [db.datasets, db.ruleSets, db.imageFolders, db.crowd] as const;
      await db.transaction('rw', [...byDatasetId, ...perDataset, ...team], async () => {
        for (const table of byDatasetId) await table.delete(id);
        for (const table of perDataset) await table.where('datasetId').equals(id).delete();
        // Team sessions of the dataset and their bundles; assignments made from it.
        const sessions = await db.teamSessions.where('datasetId').equals(id).primaryKeys();
        await db.teamBundles.where('sessionId').anyOf(sessions).delete();
        await db.teamSessions.bulkDelete(sessions);
        await db.assignments.filter((a) => a.datasetId === id).delete();
      });
    },

    async getImage(datasetId, key) {
      const record = await db.images.get([datasetId, key]);
      if (record === undefined) return undefined;
      if (!(record.blob instanceof Blob))
        throw new StoreCorruptionError(datasetId, null, `image ${JSON.stringify(key)} has no Blob`);
      return record.blob;
    },

    async listImageKeys(datasetId) {
      const keys = await db.images
        .where('[datasetId+key]')
        .between([datasetId, Dexie.minKey], [datasetId, Dexie.maxKey], true, true)
        .primaryKeys();
      return keys.map(([, key]) => key);
    },

    countDatasets() {
      return db.datasets.count();
    },
  };
}

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
