import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDb } from './db';
import { createDatasetStore } from './datasets';
import { NewerRecordError, StoreCorruptionError } from './errors';
import { readVersioned, type RecordFormat } from './migrations';
import { DATASET_META_FORMAT, DatasetMetaSchema, readMeta, type DatasetMeta } from './records';
import { makeImages, makeMeta, makeTable } from './testing';

/** A record kind at version 3: v1 had `name`, v2 split it into `first`/`last`, v3 added `tags`. */
const person: RecordFormat<{ v: 3; first: string; last: string; tags: string[] }> = {
  what: 'person',
  versionField: 'version',
  current: 3,
  schema: z
    .object({
      version: z.literal(3),
      first: z.string(),
      last: z.string(),
      tags: z.array(z.string()),
    })
    .transform(({ first, last, tags }) => ({ v: 3 as const, first, last, tags })),
  steps: {
    1: ({ name, ...rest }) => {
      const [first = '', last = ''] = String(name).split(' ');
      return { ...rest, version: 2, first, last };
    },
    2: (r) => ({ ...r, version: 3, tags: [] }),
  },
};

describe('readVersioned', () => {
  it.each([
    ['a current record', { version: 3, first: 'Ada', last: 'L', tags: ['x'] }, null, ['x']],
    ['a version 2 record, one step', { version: 2, first: 'Ada', last: 'L' }, 2, []],
    ['a version 1 record, two steps in order', { version: 1, name: 'Ada L' }, 1, []],
  ])('reads %s', (_, stored, from, tags) => {
    const read = readVersioned(person, stored);
    expect(read).toEqual({
      ok: true,
      record: { v: 3, first: 'Ada', last: 'L', tags },
      migratedFrom: from,
    });
  });

  it.each([
    [
      'a newer record',
      { version: 4, first: 'Ada' },
      'newer',
      /written by a newer AU Review \(record version 4; this one reads up to 3\)/,
    ],
    ['no version', { first: 'Ada' }, 'corrupt', /has no valid version/],
    ['a version 0', { version: 0 }, 'corrupt', /has no valid version/],
    ['a fractional version', { version: 1.5 }, 'corrupt', /has no valid version/],
    ['not a record', 'text', 'corrupt', /is not a record/],
    ['an array', [1], 'corrupt', /is not a record/],
    ['a current record of the wrong shape', { version: 3, first: 'Ada' }, 'corrupt', /last/],
  ])('reports %s', (_, stored, problem, message) => {
    const read = readVersioned(person, stored);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problem).toBe(problem);
    expect(read.message).toMatch(message);
  });

  it('reports a version with no step up from it, and a step that throws', () => {
    const gap = { ...person, steps: { 2: person.steps[2] } } as typeof person;
    const noStep = readVersioned(gap, { version: 1, name: 'Ada L' });
    expect(noStep.ok ? '' : noStep.message).toMatch(/no migration of a person from version 1/);
    const throwing = {
      ...person,
      steps: {
        ...person.steps,
        1: () => {
          throw new Error('boom');
        },
      },
    } as typeof person;
    const failed = readVersioned(throwing, { version: 1, name: 'Ada L' });
    expect(failed.ok ? '' : failed.message).toMatch(/from version 1 failed: boom/);
  });

  it('sets the next version itself when a step forgets to', () => {
    const forgetful = {
      ...person,
      steps: { ...person.steps, 2: (r: object) => ({ ...r, tags: [] }) },
    };
    expect(readVersioned(forgetful, { version: 2, first: 'A', last: 'B' }).ok).toBe(true);
  });
});

describe('a dataset stored by this version, read after a simulated format change', () => {
  /** Version 2 of the dataset record as a later release would define it: a description. */
  const metaV2: RecordFormat<DatasetMeta & { description: string }> = {
    ...DATASET_META_FORMAT,
    current: 2,
    // The refinements of version 1 stay (safeExtend keeps them); only the type cannot follow.
    schema: (DatasetMetaSchema as unknown as z.ZodObject).safeExtend({
      schemaVersion: z.literal(2),
      description: z.string(),
    }) as unknown as z.ZodType<DatasetMeta & { description: string }>,
    steps: { 1: (meta) => ({ ...meta, schemaVersion: 2, description: '' }) },
  };

  it('migrates the stored meta to version 2, and version 1 then reports it as newer', async () => {
    const name = `migrations-test-${crypto.randomUUID()}`;
    const db = openDb(name);
    try {
      const saved = await createDatasetStore(db).saveImportedDataset({
        meta: makeMeta('Faces', 12),
        table: makeTable(12),
        images: makeImages([]),
      });
      const stored = await db.datasets.get(saved.id);
      expect(stored?.schemaVersion).toBe(1);

      const migrated = readMeta(stored, saved.id, metaV2);
      expect(migrated).toMatchObject({
        id: saved.id,
        name: 'Faces',
        schemaVersion: 2,
        description: '',
      });
      expect(migrated.sampleCount).toBe(12);

      // Written back by the later release; this release must not call it corrupt.
      await db.datasets.put(migrated as unknown as DatasetMeta);
      const again = await db.datasets.get(saved.id);
      expect(() => readMeta(again, saved.id)).toThrow(NewerRecordError);
      expect(() => readMeta(again, saved.id)).toThrow(/written by a newer AU Review/);
      expect(() => readMeta({ ...again, schemaVersion: 'x' }, saved.id)).toThrow(
        StoreCorruptionError,
      );
    } finally {
      db.close();
      await Dexie.delete(name);
    }
  });
});
