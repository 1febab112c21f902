import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type AuReviewDb, DB_SCHEMA_VERSION } from './db';
import { createDatasetStore, type DatasetStore } from './datasets';
import { linkImageFolder } from './folders';
import { makeImages, makeMeta, makeTable, tableDifference } from './testing';
import {
  THUMBNAIL_RECORD_VERSION,
  createThumbnailStore,
  type ThumbnailRecord,
  type ThumbnailStore,
  type ThumbnailStoreOptions,
} from './thumbnails';

let name: string;
let db: AuReviewDb;
let datasets: DatasetStore;
let clock: number;
const now = () => clock;

beforeEach(() => {
  name = `au-review-test-${crypto.randomUUID()}`;
  db = openDb(name);
  datasets = createDatasetStore(db);
  clock = 1_000_000;
});

afterEach(async () => {
  db.close();
  await Dexie.delete(name);
});

function thumbnails(options: ThumbnailStoreOptions = {}): ThumbnailStore {
  return createThumbnailStore(db, { now, ...options });
}

async function dataset(label = 'faces', keys: string[] = []): Promise<string> {
  const meta = await datasets.saveImportedDataset({
    meta: makeMeta(label, 3),
    table: makeTable(3),
    images: makeImages(keys),
  });
  return meta.id;
}

const jpeg = (text: string) => new Blob([text], { type: 'image/jpeg' });

async function text(blob: Blob | undefined): Promise<string | undefined> {
  return blob === undefined ? undefined : blob.text();
}

async function storedKeys(): Promise<string[]> {
  const keys = await db.thumbnails.toCollection().primaryKeys();
  return keys.map(([, key]) => key).sort();
}

describe('thumbnails: put and get', () => {
  it('round-trips a thumbnail by dataset and image key', async () => {
    const store = thumbnails();
    const a = await dataset('a');
    const b = await dataset('b');
    await store.put(a, '0001', jpeg('small a'));
    await store.put(b, '0001', jpeg('small b'));

    const got = await store.get(a, '0001');
    expect(got).toBeInstanceOf(Blob);
    expect(got?.type).toBe('image/jpeg');
    expect(await text(got)).toBe('small a');
    expect(await text(await store.get(b, '0001'))).toBe('small b');
    expect(await store.get(a, '0002')).toBeUndefined();
    expect(await store.get('no-such-dataset', '0001')).toBeUndefined();
  });

  it('replaces the thumbnail of the same image', async () => {
    const store = thumbnails();
    const a = await dataset();
    await store.put(a, 'k', jpeg('old'));
    await store.put(a, 'k', jpeg('new'));
    expect(await text(await store.get(a, 'k'))).toBe('new');
    expect(await db.thumbnails.count()).toBe(1);
  });

  it('stores nothing for a dataset that is not (or no longer) there', async () => {
    const store = thumbnails();
    await store.put('gone', 'k', jpeg('x'));
    expect(await db.thumbnails.count()).toBe(0);
  });

  it.each<[string, Blob]>([
    ['an empty blob', new Blob([])],
    ['no blob at all', 'not a blob' as unknown as Blob],
  ])('refuses to store %s', async (_, blob) => {
    const store = thumbnails();
    const a = await dataset();
    await expect(store.put(a, 'k', blob)).rejects.toThrow();
    expect(await db.thumbnails.count()).toBe(0);
  });

  it.each<[string, (r: ThumbnailRecord) => unknown]>([
    ['a missing blob', ({ blob: _, ...r }) => r],
    ['a blob that is a string', (r) => ({ ...r, blob: 'jpeg bytes' })],
    ['an empty blob', (r) => ({ ...r, blob: new Blob([]) })],
    ['a newer record version', (r) => ({ ...r, version: THUMBNAIL_RECORD_VERSION + 1 })],
    ['no last-used time', ({ usedAt: _, ...r }) => r],
    ['a negative last-used time', (r) => ({ ...r, usedAt: -5 })],
  ])('treats a record with %s as a miss, and a new put repairs it', async (_, spoil) => {
    const store = thumbnails();
    const a = await dataset();
    await store.put(a, 'k', jpeg('good'));
    const record = (await db.thumbnails.get([a, 'k'])) as ThumbnailRecord;
    await db.thumbnails.put(spoil(record) as ThumbnailRecord);

    await expect(store.get(a, 'k')).resolves.toBeUndefined();
    await store.put(a, 'k', jpeg('again'));
    expect(await text(await store.get(a, 'k'))).toBe('again');
  });
});

describe('thumbnails: last used', () => {
  const usedAt = async (datasetId: string, key: string) =>
    (await db.thumbnails.get([datasetId, key]))?.usedAt;

  it('refreshes the last-used time only when older than a minute, in one batch', async () => {
    const store = thumbnails({ touchDelayMs: 60_000 });
    const a = await dataset();
    await store.put(a, 'x', jpeg('x'));
    await store.put(a, 'y', jpeg('y'));
    const put = clock;

    clock += 59_999;
    await store.get(a, 'x');
    await store.flush();
    expect(await usedAt(a, 'x')).toBe(put);

    clock += 1;
    const writes: string[] = [];
    db.thumbnails.hook('updating', (_changes, key) => {
      writes.push(String(key));
    });
    await store.get(a, 'x');
    await store.get(a, 'y');
    await store.get(a, 'x');
    // Nothing is written until the batch goes out.
    expect(await usedAt(a, 'x')).toBe(put);
    await store.flush();
    expect(await usedAt(a, 'x')).toBe(clock);
    expect(await usedAt(a, 'y')).toBe(clock);
    expect(writes.sort()).toEqual([`${a},x`, `${a},y`]);
  });

  it('writes queued last-used times by itself after a short delay', async () => {
    const store = thumbnails({ touchDelayMs: 1 });
    const a = await dataset();
    await store.put(a, 'x', jpeg('x'));
    clock += 120_000;
    await store.get(a, 'x');
    await expect.poll(() => usedAt(a, 'x')).toBe(clock);
  });

  it('ignores a refresh of a thumbnail deleted in the meantime', async () => {
    const store = thumbnails();
    const a = await dataset();
    await store.put(a, 'x', jpeg('x'));
    clock += 120_000;
    await store.get(a, 'x');
    await db.thumbnails.clear();
    await store.flush();
    expect(await db.thumbnails.count()).toBe(0);
  });
});

describe('thumbnails: bounded size', () => {
  it('keeps at most maxEntries, evicting the least recently used in batches', async () => {
    const store = thumbnails({ maxEntries: 5, evictBatch: 2, touchAfterMs: 0 });
    const a = await dataset();
    const deletes: number[] = [];
    db.thumbnails.hook('deleting', () => {
      deletes.push(clock);
    });
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) {
      clock += 10;
      await store.put(a, key, jpeg(key));
    }
    expect(await db.thumbnails.count()).toBe(5);
    // k1 is looked at again: k2 becomes the least recently used.
    clock += 10;
    await store.get(a, 'k1');
    await store.flush();

    clock += 10;
    await store.put(a, 'k6', jpeg('k6'));
    // Over the bound: down to maxEntries - evictBatch in one go.
    expect(await storedKeys()).toEqual(['k1', 'k5', 'k6']);
    expect(deletes).toHaveLength(3);

    // Room for a batch of puts before the next eviction.
    clock += 10;
    await store.put(a, 'k7', jpeg('k7'));
    clock += 10;
    await store.put(a, 'k8', jpeg('k8'));
    expect(await db.thumbnails.count()).toBe(5);
    expect(deletes).toHaveLength(3);
    clock += 10;
    await store.put(a, 'k9', jpeg('k9'));
    // k5, k1 and k6 were the least recently used by then.
    expect(await storedKeys()).toEqual(['k7', 'k8', 'k9']);
  });

  it('bounds all datasets together, and counts what an earlier visit left', async () => {
    const a = await dataset('a');
    const b = await dataset('b');
    const first = thumbnails({ maxEntries: 4, evictBatch: 1 });
    for (const key of ['a1', 'a2', 'a3']) {
      clock += 10;
      await first.put(a, key, jpeg(key));
    }
    // A new page: its store has not counted yet.
    const second = thumbnails({ maxEntries: 4, evictBatch: 1 });
    for (const key of ['b1', 'b2']) {
      clock += 10;
      await second.put(b, key, jpeg(key));
    }
    // b1 made 4 (no eviction yet); b2 made 5: down to 4 - 1, the oldest first.
    expect(await storedKeys()).toEqual(['a3', 'b1', 'b2']);
  });
});

describe('thumbnails and datasets', () => {
  it('are deleted with their dataset, and only theirs', async () => {
    const store = thumbnails();
    const a = await dataset('a', ['k']);
    const b = await dataset('b', ['k']);
    await store.put(a, 'k', jpeg('a'));
    await store.put(a, 'j', jpeg('a'));
    await store.put(b, 'k', jpeg('b'));

    await datasets.deleteDataset(a);
    expect(await store.get(a, 'k')).toBeUndefined();
    expect(await db.thumbnails.where('datasetId').equals(a).count()).toBe(0);
    expect(await text(await store.get(b, 'k'))).toBe('b');
  });

  it('go when another image folder is linked to their dataset', async () => {
    const store = thumbnails();
    const a = await dataset('a');
    const b = await dataset('b');
    await store.put(a, 'k', jpeg('from the old folder'));
    await store.put(b, 'k', jpeg('b'));
    // A stand-in for a FileSystemDirectoryHandle that Node's IndexedDB can clone.
    const handle = { name: 'faces', getDirectoryHandle: null };
    await linkImageFolder(
      {
        datasetId: a,
        name: 'faces',
        handle: handle as unknown as FileSystemDirectoryHandle,
        keys: 'k',
        paths: 'k.jpg',
      },
      db,
    );
    expect(await db.imageFolders.get(a)).toMatchObject({ datasetId: a, paths: 'k.jpg' });
    expect(await store.get(a, 'k')).toBeUndefined();
    expect(await text(await store.get(b, 'k'))).toBe('b');
  });
});

/** The shipped version-5 schema, exactly as db.ts declares it (versions 1-5 never change). */
const VERSION_5 = {
  datasets: 'id',
  pages: '[datasetId+index], datasetId',
  images: '[datasetId+key], datasetId',
  ruleSets: 'datasetId',
  savedFilters: '++id, datasetId',
  decisions: 'id, datasetId, [datasetId+sample]',
  history: '++seq, datasetId',
  reviewSets: 'id, datasetId',
  settings: 'key',
  evidence: 'id, datasetId, [datasetId+sample]',
  teamSessions: 'id, datasetId',
  teamBundles: '[sessionId+reviewer], sessionId',
  assignments: 'sessionId',
  imageFolders: 'datasetId',
};

describe('schema version 6', () => {
  it('adds the thumbnails table with its indexes', () => {
    expect(db.verno).toBe(DB_SCHEMA_VERSION);
    const table = db.tables.find((t) => t.name === 'thumbnails');
    expect(table?.schema.primKey.src).toBe('[datasetId+key]');
    expect(table?.schema.indexes.map((i) => i.src).sort()).toEqual(['datasetId', 'usedAt']);
  });

  it('opens a database created at version 5 without losing anything', async () => {
    db.close();
    await Dexie.delete(name);
    const old = new Dexie(name);
    old.version(5).stores(VERSION_5);
    // The dataset store uses only tables that version 5 already had.
    const oldDatasets = createDatasetStore(old as unknown as AuReviewDb);
    const table = makeTable(12_345, 3);
    const meta = await oldDatasets.saveImportedDataset({
      meta: makeMeta('before the upgrade', table.count),
      table,
      images: makeImages(['0001', 'b/c']),
    });
    await old.table('settings').put({ key: 'keymap', value: { version: 1 } });
    await old.table('decisions').put({ id: 'd1', datasetId: meta.id, sample: 4 });
    const before = {
      datasets: await old.table('datasets').toArray(),
      images: await old.table('images').count(),
      settings: await old.table('settings').toArray(),
      decisions: await old.table('decisions').toArray(),
    };
    expect(old.verno).toBe(5);
    old.close();

    db = openDb(name);
    datasets = createDatasetStore(db);
    await db.open();
    expect(db.verno).toBe(DB_SCHEMA_VERSION);
    expect(await db.datasets.toArray()).toEqual(before.datasets);
    expect(await db.images.count()).toBe(before.images);
    expect(await db.settings.toArray()).toEqual(before.settings);
    expect(await db.decisions.toArray()).toEqual(before.decisions);
    expect(tableDifference(await datasets.loadSampleTable(meta.id), table)).toBeNull();
    expect(await text(await datasets.getImage(meta.id, 'b/c'))).toBe('image b/c');

    // And the new table works on the upgraded database.
    const store = thumbnails();
    await store.put(meta.id, '0001', jpeg('small'));
    expect(await text(await store.get(meta.id, '0001'))).toBe('small');
  });
});
