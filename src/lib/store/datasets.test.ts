import { startOf, textColumnOf } from '../labels/text-column';
import type { Decision } from '../review/decision';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DB_NAME, getDb, openDb, type AuReviewDb, DB_SCHEMA_VERSION } from './db';
import {
  IMAGE_BATCH_COUNT,
  createDatasetStore,
  imageBatches,
  requestPersistentStorage,
  type DatasetStore,
  type SaveDatasetInput,
} from './datasets';
import { DatasetNotFoundError, StoreCorruptionError } from './errors';
import type { SamplePage } from './records';
import { makeImages, makeMeta, makeTable, tableDifference } from './testing';

let db: AuReviewDb;
let store: DatasetStore;

beforeEach(() => {
  db = openDb(`au-review-test-${crypto.randomUUID()}`);
  store = createDatasetStore(db);
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  await db.delete();
});

function input(name: string, n: number, imageKeys: string[] = []): SaveDatasetInput {
  return {
    meta: makeMeta(name, n),
    table: makeTable(n, name.length),
    images: makeImages(imageKeys),
  };
}

function decisionFor(datasetId: string, sample: number): Decision {
  return {
    version: 1,
    id: `${datasetId}-${sample}`,
    datasetId,
    sample,
    sampleName: `${sample}.jpg`,
    kind: 'accept',
    reviewer: 'r',
    at: 1,
  };
}

/** Everything stored, for before/after comparisons. */
async function snapshot() {
  return {
    datasets: await db.datasets.toArray(),
    pageKeys: await db.pages.toCollection().primaryKeys(),
    imageKeys: await db.images.toCollection().primaryKeys(),
    decisions: await db.decisions.toArray(),
    settings: await db.settings.toArray(),
    count: await store.countDatasets(),
  };
}

describe('db schema', () => {
  it('declares the latest version with its tables and their keys', () => {
    expect(db.verno).toBe(DB_SCHEMA_VERSION);
    const spec = Object.fromEntries(
      db.tables.map((t) => [
        t.name,
        [t.schema.primKey.src, ...t.schema.indexes.map((i) => i.src)].join(', '),
      ]),
    );
    expect(spec).toEqual({
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
      thumbnails: '[datasetId+key], datasetId, usedAt',
      crowd: 'datasetId',
      predictionRuns: 'id, datasetId',
      loaderChecks: 'datasetId',
      faceReadings: '[datasetId+imageKey], datasetId',
    });
  });

  it('getDb() is one shared connection to au-review', () => {
    expect(getDb()).toBe(getDb());
    expect(getDb().name).toBe(DB_NAME);
  });
});

describe('saveImportedDataset + loadSampleTable', () => {
  it('round-trips a 25,000-sample table in 3 pages, column by column', async () => {
    const data = input('Big one', 25_000, ['0000001.jpg', 'b/c.png']);
    const progress: [number, number][] = [];
    const meta = await store.saveImportedDataset(data, {
      onProgress: (d, t) => progress.push([d, t]),
    });

    expect(meta).toMatchObject({
      name: 'Big one',
      sampleCount: 25_000,
      pageSize: 10_000,
      pageCount: 3,
      imageCount: 2,
      schemaVersion: 1,
    });
    expect(meta.id).toMatch(/^[0-9a-f-]{36}$/);
    const pages = await db.pages.where('datasetId').equals(meta.id).toArray();
    expect(pages.map((p) => [p.index, p.count])).toEqual([
      [0, 10_000],
      [1, 10_000],
      [2, 5_000],
    ]);
    expect(progress[0]).toEqual([0, 6]);
    expect(progress.at(-1)).toEqual([6, 6]);

    const table = await store.loadSampleTable(meta.id);
    expect(table.classIds).toBeInstanceOf(Int16Array);
    expect(table.auMask).toBeInstanceOf(Uint32Array);
    expect(tableDifference(table, data.table)).toBeNull();
    expect(await store.getDataset(meta.id)).toEqual(meta);
  });

  it('reads a dataset of more pages than one request asks for (12 pages, read 5 at a time)', async () => {
    const data = input('Twelve pages', 115_000);
    const meta = await store.saveImportedDataset(data);
    expect(meta.pageCount).toBe(12);
    expect(tableDifference(await store.loadSampleTable(meta.id), data.table)).toBeNull();
  });

  it.each([
    ['spaces', ['a b.jpg', '  two  spaces  .png', ' ']],
    ['accents', ['é.jpg', 'Ñandú.png', 'Zoë/ü.jpg']],
    ['CJK and emoji', ['日本語 顔.jpg', '😀.png', '👩🏽‍🔬 x.jpg']],
    ['empty and control characters', ['', '\t', '\r', 'a\u0000b']],
  ])('round-trips names with %s', async (_, names) => {
    const table = {
      ...makeTable(names.length),
      names: textColumnOf(names),
      auRaw: [...names].reverse(),
    };
    const meta = await store.saveImportedDataset({
      meta: makeMeta('names', names.length),
      table,
      images: [],
    });
    expect(tableDifference(await store.loadSampleTable(meta.id), table)).toBeNull();
  });

  it('stores an empty dataset (no pages)', async () => {
    const meta = await store.saveImportedDataset(input('empty', 0));
    expect(meta.pageCount).toBe(0);
    expect((await store.loadSampleTable(meta.id)).count).toBe(0);
  });

  it('stores images as Blobs with their type, keyed per dataset', async () => {
    const a = await store.saveImportedDataset(input('a', 3, ['x/1.jpg', 'é 2.jpg']));
    const b = await store.saveImportedDataset(input('b', 3, ['x/1.jpg']));
    const blob = await store.getImage(a.id, 'é 2.jpg');
    expect(blob).toBeInstanceOf(Blob);
    expect(blob?.type).toBe('image/jpeg');
    expect(await blob?.text()).toBe('image é 2.jpg');
    expect(await store.getImage(a.id, 'missing.jpg')).toBeUndefined();
    expect(await store.listImageKeys(a.id)).toEqual(['x/1.jpg', 'é 2.jpg']);
    expect(await store.listImageKeys(b.id)).toEqual(['x/1.jpg']);
  });

  it.each([
    [
      'sampleCount disagreeing with the table',
      { ...input('x', 3), meta: makeMeta('x', 4) },
      /sampleCount is 4/,
    ],
    ['an empty name', { ...input('x', 3), meta: makeMeta('  ', 3) }, /Invalid dataset meta: name/],
    ['a duplicate image key', input('x', 3, ['a.jpg', 'a.jpg']), /"a.jpg" given twice/],
    [
      'a name with a newline',
      {
        ...input('x', 2),
        // A column whose second entry holds a line feed (textColumnOf would refuse it).
        table: { ...makeTable(2), names: { text: 'a\nb\nc', ends: new Uint32Array([1, 5]) } },
      },
      /Invalid page 0: names: has 3 entries, expected 2/,
    ],
  ])('rejects %s before writing anything', async (_, bad, error) => {
    const before = await snapshot();
    await expect(store.saveImportedDataset(bad as SaveDatasetInput)).rejects.toThrow(error);
    expect(await snapshot()).toEqual(before);
  });

  it('stores no page of a large dataset when a late page fails its check', async () => {
    // A dataset of eleven pages whose page 10 fails its check: not one of pages 0-9
    // may be stored.
    const n = 110_001;
    const table = makeTable(n);
    const bad = 10_000 * 11 - 5;
    const at = startOf(table.names, bad) + 1;
    const names = {
      text: table.names.text.slice(0, at) + '\n' + table.names.text.slice(at + 1),
      ends: table.names.ends,
    };
    const before = await snapshot();
    await expect(
      store.saveImportedDataset({ ...input('x', n), table: { ...table, names } }),
    ).rejects.toThrow(/Invalid page 10: names: has 10001 entries, expected 10000/);
    expect(await snapshot()).toEqual(before);
    expect(await db.pages.count()).toBe(0);
  });

  it('lists newest first without loading pages, and counts', async () => {
    const now = vi.spyOn(Date, 'now');
    now.mockReturnValue(1_000);
    const old = await store.saveImportedDataset(input('old', 5));
    now.mockReturnValue(2_000);
    const recent = await store.saveImportedDataset(input('recent', 5));
    now.mockRestore();
    const pageReads = vi.spyOn(db.pages, 'toArray');
    expect((await store.listDatasets()).map((d) => d.id)).toEqual([recent.id, old.id]);
    expect(pageReads).not.toHaveBeenCalled();
    expect(await store.countDatasets()).toBe(2);
  });

  it('round-trips a million samples', { timeout: 60_000 }, async () => {
    const data = input('million', 1_000_000);
    const meta = await store.saveImportedDataset(data);
    expect(meta.pageCount).toBe(100);
    expect(tableDifference(await store.loadSampleTable(meta.id), data.table)).toBeNull();
  });
});

describe('atomicity: a failed or aborted import stores nothing', () => {
  const cases: [
    string,
    (d: SaveDatasetInput) => Parameters<DatasetStore['saveImportedDataset']>[1],
    RegExp,
  ][] = [
    [
      'an abort signal triggered from onProgress',
      () => {
        const controller = new AbortController();
        return { signal: controller.signal, onProgress: (done) => done >= 2 && controller.abort() };
      },
      /abort/i,
    ],
    [
      'an abort signal triggered after the last image batch (labels and images stored)',
      (d) => {
        const controller = new AbortController();
        const lastImage = 3 + 1 + d.images.length;
        return {
          signal: controller.signal,
          onProgress: (done) => done === lastImage && controller.abort(new Error('user cancelled')),
        };
      },
      /user cancelled/,
    ],
    [
      'an onProgress callback that throws',
      () => ({
        onProgress: (done) => {
          if (done === 3) throw new Error('progress exploded');
        },
      }),
      /progress exploded/,
    ],
    ['a signal aborted before the call', () => ({ signal: AbortSignal.abort() }), /abort/i],
  ];

  it.each(cases)('%s', async (_, arrange, error) => {
    const earlier = input('earlier', 12_345, ['e1.jpg', 'e2.jpg']);
    const kept = await store.saveImportedDataset(earlier);
    await db.decisions.add(decisionFor(kept.id, 3));
    const before = await snapshot();

    const data = input(
      'doomed',
      25_000,
      Array.from({ length: 600 }, (_, i) => `img${i}.jpg`),
    );
    const options = arrange(data);
    await expect(store.saveImportedDataset(data, options)).rejects.toThrow(error);

    expect(await snapshot()).toEqual(before);
    expect(before.count).toBe(1);
    expect(tableDifference(await store.loadSampleTable(kept.id), earlier.table)).toBeNull();
    expect(await (await store.getImage(kept.id, 'e2.jpg'))?.text()).toBe('image e2.jpg');
  });
});

describe('deleteDataset', () => {
  it('removes meta, pages, images and decisions of that dataset only', async () => {
    const a = await store.saveImportedDataset(input('a', 15_000, ['1.jpg', '2.jpg']));
    const bInput = input('b', 15_000, ['1.jpg', '3.jpg']);
    const b = await store.saveImportedDataset(bInput);
    for (const [datasetId, sample] of [
      [a.id, 1],
      [a.id, 2],
      [b.id, 1],
    ] as const)
      await db.decisions.add(decisionFor(datasetId, sample));

    await store.deleteDataset(a.id);

    expect(await store.getDataset(a.id)).toBeUndefined();
    await expect(store.loadSampleTable(a.id)).rejects.toThrow(DatasetNotFoundError);
    expect(await db.pages.where('datasetId').equals(a.id).count()).toBe(0);
    expect(await db.images.where('datasetId').equals(a.id).count()).toBe(0);
    expect(await db.decisions.where('datasetId').equals(a.id).count()).toBe(0);

    expect((await store.listDatasets()).map((d) => d.id)).toEqual([b.id]);
    expect(tableDifference(await store.loadSampleTable(b.id), bInput.table)).toBeNull();
    expect(await store.listImageKeys(b.id)).toEqual(['1.jpg', '3.jpg']);
    expect(await db.decisions.where('datasetId').equals(b.id).count()).toBe(1);

    await expect(store.deleteDataset(a.id)).resolves.toBeUndefined();
  });
});

describe('renameDataset / updateDatasetMeta', () => {
  it.each([[''], ['   '], ['\n\t ']])('rejects the name %j with a clear error', async (name) => {
    const meta = await store.saveImportedDataset(input('keep', 2));
    await expect(store.renameDataset(meta.id, name)).rejects.toThrow(
      /Invalid dataset name: a dataset name must not be empty/,
    );
    expect((await store.getDataset(meta.id))?.name).toBe('keep');
  });

  it.each([
    ['  New name  ', 'New name'],
    ['Ünïcode 顔 😀', 'Ünïcode 顔 😀'],
  ])('renames to %j (stored as %j) and bumps updatedAt', async (name, stored) => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_000);
    const meta = await store.saveImportedDataset(input('old', 2));
    now.mockReturnValue(5_000);
    const renamed = await store.renameDataset(meta.id, name);
    expect(renamed).toEqual({ ...meta, name: stored, updatedAt: 5_000 });
    expect(await store.getDataset(meta.id)).toEqual(renamed);
  });

  it('throws DatasetNotFoundError for an unknown id', async () => {
    await expect(store.renameDataset('nope', 'x')).rejects.toThrow(DatasetNotFoundError);
    await expect(store.updateDatasetMeta('nope', { name: 'x' })).rejects.toThrow(
      /"nope" not found/,
    );
  });

  it('updates split names, scheme and name, keeping the rest', async () => {
    const meta = await store.saveImportedDataset(input('m', 2));
    const scheme = {
      id: 's',
      name: 'S',
      classes: [{ id: 1, name: 'Happy', components: ['happy' as const] }],
    };
    const updated = await store.updateDatasetMeta(meta.id, {
      splitNames: { '0': 'training', '2': 'validation' },
      scheme,
      name: ' renamed ',
    });
    expect(updated).toMatchObject({
      splitNames: { '0': 'training', '2': 'validation' },
      scheme,
      name: 'renamed',
    });
    expect(updated.report).toEqual(meta.report);
    expect(await store.getDataset(meta.id)).toEqual(updated);
  });

  it.each([
    ['a scheme without classes', { scheme: { id: 's', name: 'S', classes: [] } }],
    ['an unknown field', { sampleCount: 3 }],
    ['an empty name', { name: ' ' }],
  ])('rejects a patch with %s', async (_, patch) => {
    const meta = await store.saveImportedDataset(input('m', 2));
    await expect(store.updateDatasetMeta(meta.id, patch as never)).rejects.toThrow(
      /Invalid dataset meta patch/,
    );
    expect(await store.getDataset(meta.id)).toEqual(meta);
  });
});

describe('corrupt records give a clear error naming dataset and page', () => {
  const corruptions: [string, (p: SamplePage) => unknown, RegExp][] = [
    [
      'a short column',
      (p) => ({ ...p, classIds: p.classIds.slice(1) }),
      /classIds: has 9999 entries, expected 10000/,
    ],
    [
      'a column of the wrong type',
      (p) => ({ ...p, splits: Array.from(p.splits) }),
      /splits: expected Int8Array/,
    ],
    [
      'names missing a line',
      (p) => ({ ...p, names: p.names.slice(0, p.names.lastIndexOf('\n')) }),
      /names: has 9999 entries/,
    ],
    [
      'a wrong count',
      (p) => ({ ...p, count: 5_000 }),
      /classIds: has 10000 entries, expected 5000/,
    ],
    ['a missing field', ({ auRaw: _, ...p }) => p, /auRaw/],
  ];

  it.each(corruptions)('%s', async (_, corrupt, detail) => {
    const meta = await store.saveImportedDataset(input('c', 25_000));
    const page = (await db.pages.get([meta.id, 1]))!;
    await db.pages.put(corrupt(page) as SamplePage);
    const error = await store.loadSampleTable(meta.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptionError);
    expect(error).toMatchObject({ datasetId: meta.id, page: 1 });
    expect((error as Error).message).toMatch(`Dataset "${meta.id}" page 1 is corrupt`);
    expect((error as Error).message).toMatch(detail);
  });

  it('a missing page', async () => {
    const meta = await store.saveImportedDataset(input('c', 25_000));
    await db.pages.delete([meta.id, 1]);
    await expect(store.loadSampleTable(meta.id)).rejects.toThrow(
      `Dataset "${meta.id}" page 1 is corrupt`,
    );
    await db.pages.delete([meta.id, 2]);
    await expect(store.loadSampleTable(meta.id)).rejects.toThrow(/page 1 is corrupt.*missing/);
  });

  it('a corrupt meta record', async () => {
    const meta = await store.saveImportedDataset(input('c', 10));
    await db.datasets.put({ ...meta, sampleCount: -1 });
    await expect(store.getDataset(meta.id)).rejects.toThrow(
      new RegExp(`Dataset "${meta.id}" is corrupt.*sampleCount`),
    );
    await expect(store.listDatasets()).rejects.toThrow(StoreCorruptionError);
  });

  it('a corrupt image record', async () => {
    const meta = await store.saveImportedDataset(input('c', 1, ['a.jpg']));
    await db.images.put({
      datasetId: meta.id,
      key: 'a.jpg',
      name: 'a.jpg',
      type: '',
      blob: 'x' as never,
    });
    await expect(store.getImage(meta.id, 'a.jpg')).rejects.toThrow(/image "a.jpg" has no Blob/);
  });
});

describe('requestPersistentStorage', () => {
  it('resolves false where navigator.storage is missing (Node)', async () => {
    vi.stubGlobal('navigator', undefined);
    expect(await requestPersistentStorage()).toBe(false);
  });

  it.each([
    ['already persisted', { persisted: async () => true, persist: async () => false }, true],
    ['granted', { persisted: async () => false, persist: async () => true }, true],
    ['refused', { persisted: async () => false, persist: async () => false }, false],
    ['throwing', { persist: () => Promise.reject(new Error('no')) }, false],
  ])('asks the browser: %s', async (_, storage, expected) => {
    vi.stubGlobal('navigator', { storage });
    expect(await requestPersistentStorage()).toBe(expected);
  });
});

describe('imageBatches', () => {
  const sized = (...sizes: number[]) =>
    sizes.map((n, i) => ({ key: `${i}`, blob: new Blob([new Uint8Array(n)]) }));
  it.each([
    ['nothing', [], 3, 100, []],
    ['by count', [1, 1, 1, 1, 1], 2, 100, [2, 2, 1]],
    ['by bytes', [40, 40, 40, 40], 10, 100, [2, 2]],
    ['an image larger than a batch goes alone', [10, 500, 10], 10, 100, [1, 1, 1]],
    ['exactly the byte limit fits', [50, 50, 1], 10, 100, [2, 1]],
  ] as const)('%s', (_, sizes, count, bytes, expected) => {
    const batches = imageBatches(sized(...sizes), count, bytes);
    expect(batches.map((b) => b.length)).toEqual(expected);
    expect(batches.flat().map((i) => i.key)).toEqual(sizes.map((_, i) => `${i}`));
  });
});

describe('images are saved in batches after the labels, and can be retried', () => {
  const keys = Array.from({ length: 1200 }, (_, i) => `img${String(i).padStart(4, '0')}.jpg`);

  it('a failing batch keeps the labels and earlier batches, lists the rest, and re-adding fills only those', async () => {
    const data = input('big', 25_000, keys);
    const real = db.images.bulkAdd.bind(db.images);
    const failing = vi
      .spyOn(db.images, 'bulkAdd')
      .mockImplementation(((records: { key: string }[]) =>
        records.some((r) => r.key === keys[700])
          ? Promise.reject(new DOMException('Failed to write blobs (IOError)', 'DataError'))
          : real(records as never)) as never);
    const meta = await store.saveImportedDataset(data);

    expect(tableDifference(await store.loadSampleTable(meta.id), data.table)).toBeNull();
    expect(meta.imageCount).toBe(IMAGE_BATCH_COUNT);
    expect((await store.listImageKeys(meta.id)).length).toBe(IMAGE_BATCH_COUNT);
    const [missing, ...others] = await store.listMissingImages();
    expect(others).toEqual([]);
    expect(missing?.datasetId).toBe(meta.id);
    expect(missing?.wanted).toBe(1200);
    expect(missing?.missing).toEqual(keys.slice(IMAGE_BATCH_COUNT));
    expect(missing?.error).toMatch(/img0500\.jpg/);

    // The user adds the whole image set again: only the missing ones are written.
    failing.mockRestore();
    const bulkAdd = vi.spyOn(db.images, 'bulkAdd');
    const again = await store.addImages(meta.id, makeImages(['stranger.jpg', ...keys]));
    expect(again).toEqual({ saved: 700, skipped: 501, stillMissing: 0, error: null });
    expect(bulkAdd.mock.calls.flatMap(([batch]) => batch.map((r) => r.key))).toEqual(
      keys.slice(IMAGE_BATCH_COUNT),
    );
    expect(await store.listMissingImages()).toEqual([]);
    expect((await store.getDataset(meta.id))?.imageCount).toBe(1200);
    expect(await (await store.getImage(meta.id, keys[700]!))?.text()).toBe(`image ${keys[700]}`);
    expect(await store.getImage(meta.id, 'stranger.jpg')).toBeUndefined();
    expect(await db.settings.toArray()).toEqual([]);
  });

  it('a passing failure of one batch is retried once and leaves nothing missing', async () => {
    const real = db.images.bulkAdd.bind(db.images);
    let calls = 0;
    vi.spyOn(db.images, 'bulkAdd').mockImplementation(((records: never[]) => {
      calls++;
      if (calls === 2)
        return Promise.reject(new DOMException('Failed to write blobs (IOError)', 'DataError'));
      return real(records);
    }) as never);
    const meta = await store.saveImportedDataset(input('flaky', 10, keys));
    expect(calls).toBe(4);
    expect(meta.imageCount).toBe(1200);
    expect(await store.listMissingImages()).toEqual([]);
    expect(await db.settings.toArray()).toEqual([]);
  });

  it('a full disk on an image batch says so in plain words and names the first image not saved', async () => {
    const real = db.images.bulkAdd.bind(db.images);
    vi.spyOn(db.images, 'bulkAdd').mockImplementation(((records: { key: string }[]) =>
      records[0]?.key === keys[IMAGE_BATCH_COUNT]
        ? Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))
        : real(records as never)) as never);
    const meta = await store.saveImportedDataset(input('full', 10, keys));
    const [missing] = await store.listMissingImages();
    expect(missing?.missing.length).toBe(700);
    expect(missing?.error).toBe(
      `The disk (or the browser's storage quota) is full: nothing of the images from ${keys[500]} on was saved. Free space or delete a dataset, then retry.`,
    );
    expect(meta.imageCount).toBe(IMAGE_BATCH_COUNT);
  });

  it('a full disk while the labels are written stores nothing and says the disk is full', async () => {
    const before = await snapshot();
    const bulkError = Object.assign(new Error('pages.bulkAdd(): 2 of 3 operations failed'), {
      name: 'BulkError',
      failures: [new DOMException('quota', 'QuotaExceededError')],
    });
    vi.spyOn(db.pages, 'bulkAdd').mockRejectedValue(bulkError);
    await expect(store.saveImportedDataset(input('labels', 25_000, keys))).rejects.toThrow(
      `The disk (or the browser's storage quota) is full: nothing of “labels” was saved. Free space or delete a dataset, then retry.`,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('frames missing after a failed batch are found again by their paths, though two videos share a frame number', async () => {
    const frameKeys = ['f001_t1/00001', 'f002_t1/00001'];
    const real = db.images.bulkAdd.bind(db.images);
    const failing = vi
      .spyOn(db.images, 'bulkAdd')
      .mockImplementation(((records: { key: string }[]) =>
        records.some((r) => r.key === 'f002_t1/00001')
          ? Promise.reject(new DOMException('Failed to write blobs (IOError)', 'DataError'))
          : real(records as never)) as never);
    const meta = await store.saveImportedDataset(input('frames', 10, frameKeys));
    failing.mockRestore();
    const picked = ['F001_T1', 'F002_T1'].map((video) => ({
      key: '00001',
      name: `cropped_aligned/${video}/00001.jpg`,
      blob: new Blob([`frame of ${video}`], { type: 'image/jpeg' }),
    }));
    const again = await store.addImages(meta.id, picked);
    // Both frames were in the failed batch; each goes back under its own video's key.
    expect(again).toEqual({ saved: 2, skipped: 0, stillMissing: 0, error: null });
    expect(await (await store.getImage(meta.id, 'f002_t1/00001'))?.text()).toBe('frame of F002_T1');
    expect(await (await store.getImage(meta.id, 'f001_t1/00001'))?.text()).toBe('frame of F001_T1');
  });

  it('adding images to a dataset deleted meanwhile (another tab) says it is gone', async () => {
    const meta = await store.saveImportedDataset(input('gone', 10, []));
    await store.deleteDataset(meta.id);
    await expect(store.addImages(meta.id, makeImages(keys))).rejects.toThrow(DatasetNotFoundError);
    expect(await db.images.count()).toBe(0);
  });
});
