import { describe, expect, it } from 'vitest';
import { readingOf } from '../face-reading/test-support';
import { textColumnOf } from '../labels/text-column';
import type { SampleTable } from '../labels/types';
import { saveImportedDataset } from '../store/datasets';
import { listFaceReadings } from '../store/face-readings';
import { makeMeta, makeTable } from '../store/testing';
import type { FaceReaderPool } from '../workers/faces-client';
import { FaceState } from './faces.svelte';

/** A pool that "reads" each image as a face, or as no face when its key says so. */
function fakePool(log: string[][], options: { failOn?: string; gate?: Promise<void> } = {}) {
  return async (size: number): Promise<FaceReaderPool> => ({
    backend: 'fake',
    size,
    async read(datasetId, images) {
      await options.gate;
      log.push(images.map((i) => i.key));
      if (images.some((i) => i.key === options.failOn)) throw new Error('the worker crashed');
      return images.map((i) =>
        readingOf({
          datasetId,
          imageKey: i.key,
          ...(i.key.includes('empty') ? { faces: [], mesh: null, expression: null } : {}),
        }),
      );
    },
    close() {},
  });
}

async function datasetWith(names: string[]): Promise<{ id: string; table: SampleTable }> {
  const table = { ...makeTable(names.length), names: textColumnOf(names) };
  const meta = await saveImportedDataset({
    meta: makeMeta('faces', names.length),
    table,
    images: [],
  });
  return { id: meta.id, table };
}

function stateFor(
  id: string,
  table: SampleTable,
  pool: ReturnType<typeof fakePool>,
  missing: string[] = [],
) {
  let changed = 0;
  const faces = new FaceState({
    datasetId: () => id,
    table: () => table,
    loadImage: async (key) => (missing.includes(key) ? undefined : new Blob([key])),
    changed: async () => {
      changed++;
    },
    startReaders: pool,
    poolSize: 1,
  });
  return { faces, changed: () => changed };
}

describe('FaceState', () => {
  it('reads each image once, stores the readings, reports findings and progress', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `${String(i).padStart(4, '0')}.jpg`);
    names.push('0000.jpg', 'empty.jpg', 'gone.jpg');
    const { id, table } = await datasetWith(names);
    const log: string[][] = [];
    const { faces, changed } = stateFor(id, table, fakePool(log), ['gone']);
    await faces.read(Array.from({ length: table.count }, (_, i) => i));

    expect(faces.status).toBe('finished');
    expect(log.flat().sort()).toEqual(
      [...names.slice(0, 20), 'empty.jpg'].map((n) => n.replace('.jpg', '')).sort(),
    );
    expect(log.every((batch) => batch.length <= 8)).toBe(true);
    expect(faces.progress).toMatchObject({ done: 21, total: 22, missing: 1, reused: 0 });
    expect(faces.counts.counts['no-face']).toBe(1);
    expect(faces.readingOf('0003.jpg')?.faces).toHaveLength(1);
    expect((await listFaceReadings(id)).readings).toHaveLength(21);
    expect(changed()).toBe(1);

    // A second run reads nothing again; a new state loads what was stored.
    const again: string[][] = [];
    const second = stateFor(id, table, fakePool(again)).faces;
    await second.load(id);
    expect(second.readings.size).toBe(21);
    await second.read([0, 1, 2, 21]);
    expect(again).toEqual([]);
    expect(second.progress).toMatchObject({ total: 0, reused: 4 });
  });

  it('stops after the batches in flight when cancelled, keeping what was read', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `${i}.jpg`);
    const { id, table } = await datasetWith(names);
    const log: string[][] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { faces } = stateFor(id, table, fakePool(log, { gate }));
    const run = faces.read(names.map((_, i) => i));
    await new Promise((resolve) => setTimeout(resolve, 0));
    faces.cancel();
    open();
    await run;
    expect(faces.status).toBe('cancelled');
    const read = log.flat().length;
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(40);
    expect((await listFaceReadings(id)).readings).toHaveLength(read);
  });

  it('says when the reader fails, and keeps the batches stored before', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `${i}.jpg`);
    const { id, table } = await datasetWith(names);
    const { faces } = stateFor(id, table, fakePool([], { failOn: '20' }));
    await faces.read(names.map((_, i) => i));
    expect(faces.status).toBe('failed');
    expect(faces.error).toMatch(/the worker crashed.*kept/);
    expect((await listFaceReadings(id)).readings.length).toBeGreaterThanOrEqual(8);
  });

  it('says when the model cannot start', async () => {
    const { id, table } = await datasetWith(['a.jpg']);
    const faces = new FaceState({
      datasetId: () => id,
      table: () => table,
      loadImage: async () => new Blob(['x']),
      changed: async () => {},
      startReaders: async () => {
        throw new Error('no WebAssembly');
      },
    });
    await faces.read([0]);
    expect(faces.status).toBe('failed');
    expect(faces.error).toBe('The face model could not start: no WebAssembly');
  });
});
