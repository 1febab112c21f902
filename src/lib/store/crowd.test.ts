import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CROWD_EMOTIONS, type CrowdDistribution } from '../label-evidence/crowd-file';
import { deleteCrowd, getCrowd, saveCrowd, type CrowdRecord } from './crowd';
import { openDb, type AuReviewDb, DB_SCHEMA_VERSION } from './db';
import { createDatasetStore, type DatasetStore } from './datasets';
import { DatasetNotFoundError } from './errors';
import { makeImages, makeMeta, makeTable, tableDifference } from './testing';

let name: string;
let db: AuReviewDb;
let datasets: DatasetStore;

beforeEach(() => {
  name = `au-review-test-${crypto.randomUUID()}`;
  db = openDb(name);
  datasets = createDatasetStore(db);
});

afterEach(async () => {
  db.close();
  await Dexie.delete(name);
});

async function dataset(label: string, samples: number): Promise<string> {
  const meta = await datasets.saveImportedDataset({
    meta: makeMeta(label, samples),
    table: makeTable(samples),
    images: makeImages([]),
  });
  return meta.id;
}

/** A crowd over n samples: every third sample without a row, the others all on one emotion. */
function crowdOf(n: number, fileName = 'distribution.txt'): CrowdDistribution {
  const shares = new Float32Array(n * 6).fill(NaN);
  const has = new Uint8Array(n);
  let matched = 0;
  for (let i = 0; i < n; i++) {
    if (i % 3 === 2) continue;
    shares.fill(0, i * 6, i * 6 + 6);
    shares[i * 6 + (i % 6)] = 0.75;
    shares[i * 6 + ((i + 1) % 6)] = 0.25;
    has[i] = 1;
    matched++;
  }
  return { version: 1, fileName, emotions: CROWD_EMOTIONS, shares, has, matched };
}

/** Bitwise, so that NaN rows compare equal. */
function sameBytes(a: Float32Array | Uint8Array, b: Float32Array | Uint8Array): boolean {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function expectSameCrowd(got: CrowdDistribution | undefined, want: CrowdDistribution): void {
  expect(got).toBeDefined();
  if (!got) return;
  const { shares, has, ...meta } = got;
  const { shares: wantShares, has: wantHas, ...wantMeta } = want;
  expect(meta).toEqual(wantMeta);
  expect(shares).toBeInstanceOf(Float32Array);
  expect(has).toBeInstanceOf(Uint8Array);
  expect(sameBytes(shares, wantShares)).toBe(true);
  expect(sameBytes(has, wantHas)).toBe(true);
}

describe('saveCrowd / getCrowd', () => {
  it('round-trips a distribution over 25,000 samples, NaN rows included', async () => {
    const id = await dataset('faces', 25_000);
    const crowd = crowdOf(25_000, 'RAF-ML/distribution.txt');
    await saveCrowd(id, crowd, db);
    expectSameCrowd(await getCrowd(id, db), crowd);
    const stored = await db.crowd.get(id);
    expect(stored?.datasetId).toBe(id);
    expect(stored?.importedAt).toBeGreaterThan(0);
  });

  it('is undefined for a dataset without one', async () => {
    const id = await dataset('faces', 3);
    expect(await getCrowd(id, db)).toBeUndefined();
    expect(await getCrowd('no such dataset', db)).toBeUndefined();
  });

  it('replaces an earlier distribution of the dataset, not those of others', async () => {
    const a = await dataset('a', 6);
    const b = await dataset('b', 6);
    await saveCrowd(a, crowdOf(6, 'first.txt'), db);
    await saveCrowd(b, crowdOf(6, 'other.txt'), db);
    const second = { ...crowdOf(6, 'second.txt'), has: new Uint8Array(6), matched: 0 };
    second.has[0] = 1;
    second.matched = 1;
    second.shares.fill(NaN, 6);
    await saveCrowd(a, second, db);
    expectSameCrowd(await getCrowd(a, db), second);
    expect((await getCrowd(b, db))?.fileName).toBe('other.txt');
    expect(await db.crowd.count()).toBe(2);
  });

  it('stores a view as its own samples only', async () => {
    const id = await dataset('faces', 4);
    const big = crowdOf(10);
    const view: CrowdDistribution = {
      ...big,
      shares: big.shares.subarray(6 * 3, 6 * 7),
      has: big.has.subarray(3, 7),
      matched: Array.from(big.has.subarray(3, 7)).filter((h) => h === 1).length,
    };
    await saveCrowd(id, view, db);
    const stored = await db.crowd.get(id);
    expect(stored?.shares.buffer.byteLength).toBe(4 * 6 * 4);
    expect(stored?.has.buffer.byteLength).toBe(4);
    expectSameCrowd(await getCrowd(id, db), view);
  });

  it.each<[string, (c: CrowdDistribution) => CrowdDistribution]>([
    ['shares of the wrong length', (c) => ({ ...c, shares: c.shares.subarray(6) })],
    ['a wrong matched count', (c) => ({ ...c, matched: c.matched + 1 })],
    ['a share above 1', (c) => ({ ...c, shares: c.shares.map((v) => (v === 0.75 ? 2 : v)) })],
  ])('refuses %s and keeps the earlier one', async (_label, change) => {
    const id = await dataset('faces', 6);
    const earlier = crowdOf(6, 'earlier.txt');
    await saveCrowd(id, earlier, db);
    await expect(saveCrowd(id, change(crowdOf(6)), db)).rejects.toThrow();
    expectSameCrowd(await getCrowd(id, db), earlier);
  });

  it('refuses a distribution aligned to another number of samples', async () => {
    const id = await dataset('faces', 6);
    await expect(saveCrowd(id, crowdOf(7), db)).rejects.toThrow(/has 7 samples.* has 6/);
    expect(await db.crowd.count()).toBe(0);
  });

  it('refuses a dataset that does not exist, storing nothing', async () => {
    await expect(saveCrowd('gone', crowdOf(6), db)).rejects.toThrow(DatasetNotFoundError);
    expect(await db.crowd.count()).toBe(0);
  });
});

describe('getCrowd: a record that fails validation is undefined, not an error', () => {
  const good = (datasetId: string): CrowdRecord => ({
    ...crowdOf(6),
    datasetId,
    importedAt: 1,
  });

  it.each<[string, (r: CrowdRecord) => unknown]>([
    ['a later version', (r) => ({ ...r, version: 2 })],
    ['no file name', (r) => ({ ...r, fileName: undefined })],
    ['emotions in another order', (r) => ({ ...r, emotions: [...CROWD_EMOTIONS].reverse() })],
    ['shares as a plain array', (r) => ({ ...r, shares: Array.from(r.shares) })],
    ['shares as a bare ArrayBuffer', (r) => ({ ...r, shares: r.shares.buffer })],
    ['shares as a Float64Array', (r) => ({ ...r, shares: Float64Array.from(r.shares) })],
    ['has of the wrong length', (r) => ({ ...r, has: new Uint8Array(5) })],
    ['a row that does not sum to 1', (r) => ({ ...r, shares: r.shares.map((v) => v / 2) })],
    ['a wrong matched count', (r) => ({ ...r, matched: 0 })],
    ['no import time', (r) => ({ ...r, importedAt: undefined })],
  ])('%s', async (_label, corrupt) => {
    const id = await dataset('faces', 6);
    await db.crowd.put(good(id));
    expect(await getCrowd(id, db)).toBeDefined();
    await db.crowd.put(corrupt(good(id)) as CrowdRecord);
    await expect(getCrowd(id, db)).resolves.toBeUndefined();
  });
});

describe('deleting', () => {
  it('deleteCrowd removes the dataset distribution only', async () => {
    const a = await dataset('a', 6);
    const b = await dataset('b', 6);
    await saveCrowd(a, crowdOf(6), db);
    await saveCrowd(b, crowdOf(6), db);
    await deleteCrowd(a, db);
    expect(await getCrowd(a, db)).toBeUndefined();
    expect(await getCrowd(b, db)).toBeDefined();
    await expect(deleteCrowd(a, db)).resolves.toBeUndefined();
  });

  it('deleting a dataset deletes its distribution, not those of others', async () => {
    const a = await dataset('a', 6);
    const b = await dataset('b', 6);
    await saveCrowd(a, crowdOf(6), db);
    await saveCrowd(b, crowdOf(6), db);
    await datasets.deleteDataset(a);
    expect(await db.crowd.get(a)).toBeUndefined();
    expect(await getCrowd(b, db)).toBeDefined();
  });
});

/** The shipped version-6 schema, exactly as db.ts declares it (versions 1-6 never change). */
const VERSION_6 = {
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
};

describe('schema version 7', () => {
  it('adds the crowd table keyed by dataset', () => {
    expect(db.verno).toBe(DB_SCHEMA_VERSION);
    const table = db.tables.find((t) => t.name === 'crowd');
    expect(table?.schema.primKey.src).toBe('datasetId');
    expect(table?.schema.indexes).toEqual([]);
  });

  it('opens a database created at version 6 without losing anything', async () => {
    db.close();
    await Dexie.delete(name);
    const old = new Dexie(name);
    old.version(6).stores(VERSION_6);
    const oldDatasets = createDatasetStore(old as unknown as AuReviewDb);
    const table = makeTable(12_345, 3);
    const meta = await oldDatasets.saveImportedDataset({
      meta: makeMeta('before the upgrade', table.count),
      table,
      images: makeImages(['0001']),
    });
    await old.table('settings').put({ key: 'keymap', value: { version: 1 } });
    await old.table('thumbnails').put({ datasetId: meta.id, key: '0001', usedAt: 5 });
    const before = {
      datasets: await old.table('datasets').toArray(),
      settings: await old.table('settings').toArray(),
      thumbnails: await old.table('thumbnails').toArray(),
    };
    expect(old.verno).toBe(6);
    old.close();

    db = openDb(name);
    datasets = createDatasetStore(db);
    await db.open();
    expect(db.verno).toBe(DB_SCHEMA_VERSION);
    expect(await db.datasets.toArray()).toEqual(before.datasets);
    expect(await db.settings.toArray()).toEqual(before.settings);
    expect(await db.thumbnails.toArray()).toEqual(before.thumbnails);
    expect(tableDifference(await datasets.loadSampleTable(meta.id), table)).toBeNull();

    const crowd = crowdOf(table.count);
    await saveCrowd(meta.id, crowd, db);
    expectSameCrowd(await getCrowd(meta.id, db), crowd);
  });
});
