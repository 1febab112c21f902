import { describe, expect, it } from 'vitest';
import { openDb } from './db';
import {
  deleteRuleSet,
  getRuleSet,
  getSetting,
  listSavedFilters,
  putSetting,
  saveFilter,
  saveRuleSet,
} from './annotations';
import { RAFCE_RULE_SET } from '../rules/builtin';
import { SampleFilterSchema, type SampleFilter } from '../rules/filter';
import { createDatasetStore } from './datasets';

let dbCount = 0;
const freshDb = () => openDb(`annotations-test-${++dbCount}-${Date.now()}`);

describe('rule sets', () => {
  it('are stored per dataset and reset by deleting', async () => {
    const db = freshDb();
    expect(await getRuleSet('a', db)).toBeUndefined();
    const edited = { ...RAFCE_RULE_SET, name: 'Edited' };
    await saveRuleSet('a', edited, db);
    expect((await getRuleSet('a', db))?.name).toBe('Edited');
    expect(await getRuleSet('b', db)).toBeUndefined();
    await deleteRuleSet('a', db);
    expect(await getRuleSet('a', db)).toBeUndefined();
  });

  it('refuses to store an invalid rule set', async () => {
    const db = freshDb();
    await expect(saveRuleSet('a', { ...RAFCE_RULE_SET, version: 2 as 1 }, db)).rejects.toThrow();
    expect(await getRuleSet('a', db)).toBeUndefined();
  });
});

describe('saved filters', () => {
  it('are listed by name, and saving a name again replaces it', async () => {
    const db = freshDb();
    const nullOnly = SampleFilterSchema.parse({ version: 1, nullOnly: true });
    const broken = SampleFilterSchema.parse({ version: 1, verdicts: ['breaks-facs'] });
    await saveFilter('a', 'null labels', nullOnly, db);
    await saveFilter('a', 'broken', broken, db);
    await saveFilter('a', 'null labels', broken, db);
    await saveFilter('b', 'other dataset', nullOnly, db);
    const saved = await listSavedFilters('a', db);
    expect(saved.map((s) => s.name)).toEqual(['broken', 'null labels']);
    expect(saved[1]?.filter.verdicts).toEqual(['breaks-facs']);
  });

  it("reads a filter stored with the old verdicts 'fails' and 'suspect' as atypical", async () => {
    const db = freshDb();
    // As an earlier version stored it, before the check's verdicts were renamed.
    const old = { version: 1, verdicts: ['fails', 'suspect'], splits: [0] };
    await db.savedFilters.add({
      datasetId: 'a',
      name: 'failing train',
      filter: old as unknown as SampleFilter,
      createdAt: 1,
    });
    const [saved] = await listSavedFilters('a', db);
    expect(saved?.filter.verdicts).toEqual(['atypical']);
    expect(saved?.filter.splits).toEqual([0]);
  });

  it('reads a filter stored before videos and subjects, and stores one with them', async () => {
    const db = freshDb();
    // As stored before frame datasets: no videos or subjects fields at all.
    await db.savedFilters.add({
      datasetId: 'a',
      name: 'train',
      filter: { version: 1, splits: [0] } as unknown as SampleFilter,
      createdAt: 1,
    });
    const frames = SampleFilterSchema.parse({
      version: 1,
      videos: ['F001_T1'],
      subjects: ['F001'],
    });
    await saveFilter('a', 'one video', frames, db);
    const [video, train] = await listSavedFilters('a', db);
    expect(train?.filter).toMatchObject({ splits: [0], videos: [], subjects: [] });
    expect(video?.filter).toMatchObject({ videos: ['F001_T1'], subjects: ['F001'] });
  });
});

describe('settings', () => {
  it.each([
    ['reviewer', 'Ada'],
    ['keymap', { version: 1, bindings: { accept: ['a'] } }],
  ])('round-trip %s', async (key, value) => {
    const db = freshDb();
    await putSetting(key, value, db);
    expect(await getSetting(key, db)).toEqual(value);
  });
});

describe('deleting a dataset', () => {
  it('removes its rule set and saved filters, not those of others', async () => {
    const db = freshDb();
    await saveRuleSet('a', RAFCE_RULE_SET, db);
    await saveRuleSet('b', RAFCE_RULE_SET, db);
    await saveFilter('a', 'x', SampleFilterSchema.parse({ version: 1 }), db);
    await createDatasetStore(db).deleteDataset('a');
    expect(await getRuleSet('a', db)).toBeUndefined();
    expect(await getRuleSet('b', db)).toBeDefined();
    expect(await listSavedFilters('a', db)).toEqual([]);
  });
});
