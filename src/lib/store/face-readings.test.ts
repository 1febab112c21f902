import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readingOf } from '../face-reading/test-support';
import { openDb, type AuReviewDb } from './db';
import { createDatasetStore, type DatasetStore } from './datasets';
import { DatasetNotFoundError } from './errors';
import {
  deleteFaceReadings,
  faceOpinionOff,
  listFaceReadings,
  readImageKeys,
  saveFaceReadings,
  setFaceOpinionOff,
} from './face-readings';
import { makeImages, makeMeta, makeTable } from './testing';

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

async function dataset(label: string): Promise<string> {
  const meta = await datasets.saveImportedDataset({
    meta: makeMeta(label, 3),
    table: makeTable(3),
    images: makeImages([]),
  });
  return meta.id;
}

describe('face readings', () => {
  it('stores, lists and replaces readings per dataset, meshes intact', async () => {
    const id = await dataset('one');
    const other = await dataset('two');
    const a = readingOf({ datasetId: id, imageKey: 'a' });
    await saveFaceReadings(
      id,
      [a, readingOf({ datasetId: id, imageKey: 'b', faces: [], mesh: null, expression: null })],
      db,
    );
    await saveFaceReadings(other, [readingOf({ datasetId: other, imageKey: 'a' })], db);
    await saveFaceReadings(
      id,
      [readingOf({ datasetId: id, imageKey: 'a', width: 60, height: 60 })],
      db,
    );
    const { readings, unreadable } = await listFaceReadings(id, db);
    expect(unreadable).toEqual([]);
    expect(readings.map((r) => [r.imageKey, r.width])).toEqual([
      ['a', 60],
      ['b', 100],
    ]);
    expect(readings[0]?.mesh).toEqual(a.mesh);
    expect(await readImageKeys(id, a.model, db)).toEqual(new Set(['a', 'b']));
    expect(await readImageKeys(id, 'another model', db)).toEqual(new Set());
  });

  it('refuses a reading of an unknown dataset, and a bad reading, storing nothing', async () => {
    const id = await dataset('one');
    await expect(
      saveFaceReadings('gone', [readingOf({ datasetId: 'gone' })], db),
    ).rejects.toBeInstanceOf(DatasetNotFoundError);
    const bad = { ...readingOf({ datasetId: id, imageKey: 'x' }), mesh: new Float32Array(3) };
    await expect(
      saveFaceReadings(id, [readingOf({ datasetId: id, imageKey: 'ok' }), bad], db),
    ).rejects.toThrow(/468/);
    expect((await listFaceReadings(id, db)).readings).toEqual([]);
  });

  it('says which stored records cannot be read instead of failing the rest', async () => {
    const id = await dataset('one');
    await saveFaceReadings(id, [readingOf({ datasetId: id, imageKey: 'a' })], db);
    await db.faceReadings.put({
      ...readingOf({ datasetId: id, imageKey: 'z' }),
      version: 7,
    } as never);
    const { readings, unreadable } = await listFaceReadings(id, db);
    expect(readings.map((r) => r.imageKey)).toEqual(['a']);
    expect(unreadable).toEqual([{ imageKey: 'z', message: expect.stringContaining('newer') }]);
  });

  it('goes with its dataset, and the opinion switch is per dataset', async () => {
    const id = await dataset('one');
    const other = await dataset('two');
    await saveFaceReadings(id, [readingOf({ datasetId: id })], db);
    expect(await faceOpinionOff(id, db)).toBe(false);
    await setFaceOpinionOff(id, true, db);
    expect(await faceOpinionOff(id, db)).toBe(true);
    expect(await faceOpinionOff(other, db)).toBe(false);
    await datasets.deleteDataset(id);
    expect(await db.faceReadings.count()).toBe(0);
    expect(await faceOpinionOff(id, db)).toBe(false);
    await saveFaceReadings(other, [readingOf({ datasetId: other })], db);
    await deleteFaceReadings(other, db);
    expect(await db.faceReadings.count()).toBe(0);
  });
});
