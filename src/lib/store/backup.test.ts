import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadReviewRecords, recordDecisions } from './review';
import { backupFileName, createBackup, restoreBackup } from './backup';
import { createDatasetStore, type DatasetStore } from './datasets';
import { openDb, type AuReviewDb } from './db';
import { makeImages, makeMeta, makeTable, tableDifference } from './testing';
import type { Decision } from '../review/decision';
import type { HistoryEntry } from '../review/history';
import type { EvidenceBox } from '../review/evidence';

let db: AuReviewDb;
let store: DatasetStore;

beforeEach(() => {
  db = openDb(`au-review-backup-${crypto.randomUUID()}`);
  store = createDatasetStore(db);
});
afterEach(async () => {
  await db.delete();
});

function decision(datasetId: string, sample: number, id = crypto.randomUUID()): Decision {
  return {
    version: 1,
    id,
    datasetId,
    sample,
    sampleName: `${sample}.jpg`,
    kind: 'correct',
    reviewer: 'ana',
    at: 1_700_000_000_000 + sample,
    correction: { classId: 3, au: { status: 'coded', raw: '6+12' } },
    note: 'smile, "not" sad',
  };
}

function decide(datasetId: string, decisions: Decision[]): HistoryEntry {
  return {
    version: 1,
    id: crypto.randomUUID(),
    datasetId,
    at: 1_700_000_000_000,
    reviewer: 'ana',
    kind: 'decide',
    decisionIds: decisions.map((d) => d.id),
  };
}

function box(datasetId: string, sample: number): EvidenceBox {
  return {
    version: 1,
    id: crypto.randomUUID(),
    datasetId,
    sample,
    au: 12,
    x: 0.1,
    y: 0.2,
    w: 0.3,
    h: 0.4,
    createdAt: 1,
    reviewer: 'ana',
  };
}

/** A dataset of 12,345 samples with 2 images, three decisions (one undone), a box and a rule set. */
async function reviewedDataset(name = 'Faces') {
  const table = makeTable(12_345, 3);
  const meta = await store.saveImportedDataset({
    meta: makeMeta(name, 12_345),
    table,
    images: makeImages(['a.jpg', 'b/c.jpg']),
  });
  const first = [decision(meta.id, 1), decision(meta.id, 2)];
  const entry = decide(meta.id, first);
  await recordDecisions(first, entry, db);
  await db.history.add({
    version: 1,
    id: crypto.randomUUID(),
    datasetId: meta.id,
    at: 2,
    reviewer: 'ana',
    kind: 'undo',
    decisionIds: [],
    targets: entry.id,
  });
  await db.evidence.add(box(meta.id, 1));
  return { meta, table };
}

/** Everything the database holds, ids and all (blobs as their text). */
async function everything() {
  const images = await db.images.toArray();
  return {
    datasets: await db.datasets.toArray(),
    pages: await db.pages.toArray(),
    images: await Promise.all(images.map(async (i) => ({ ...i, blob: await i.blob.text() }))),
    decisions: await db.decisions.toArray(),
    history: await db.history.toArray(),
    evidence: await db.evidence.toArray(),
    settings: await db.settings.toArray(),
  };
}

describe('backup and restore', () => {
  it('round-trips labels, decisions, history and evidence of a deleted dataset, images included', async () => {
    const { meta, table } = await reviewedDataset();
    const before = await loadReviewRecords(meta.id, db);
    const file = await createBackup(meta.id, { includeImages: true }, db);
    expect(file.manifest.counts).toMatchObject({ datasets: 1, pages: 2, images: 2, evidence: 1 });
    expect(file.fileName).toMatch(/^Faces \d{4}-\d\d-\d\d\.aureview-backup\.zip$/);

    await store.deleteDataset(meta.id);
    expect(await store.countDatasets()).toBe(0);

    const restored = await restoreBackup(file.bytes, file.fileName, 'replace', db);
    if (!restored.ok) throw new Error(restored.reason);
    expect(restored.meta.id).toBe(meta.id);
    expect(restored.imagesRestored).toBe(2);
    expect(tableDifference(await store.loadSampleTable(meta.id), table)).toBeNull();
    const after = await loadReviewRecords(meta.id, db);
    expect(after.decisions).toEqual(before.decisions);
    expect(after.history).toEqual(before.history);
    expect(after.history.map((h) => h.kind)).toEqual(['decide', 'undo']);
    expect(await db.evidence.where('datasetId').equals(meta.id).count()).toBe(1);
    expect(await (await store.getImage(meta.id, 'b/c.jpg'))?.text()).toBe('image b/c.jpg');
  });

  it('without images restores the labels and the review, and counts no image', async () => {
    const { meta } = await reviewedDataset();
    const file = await createBackup(meta.id, { includeImages: false }, db);
    await store.deleteDataset(meta.id);
    const restored = await restoreBackup(file.bytes, 'x.zip', 'replace', db);
    expect(restored.ok && restored.meta.imageCount).toBe(0);
    expect((await loadReviewRecords(meta.id, db)).decisions).toHaveLength(2);
    expect(await store.listImageKeys(meta.id)).toEqual([]);
  });

  it('replaces the stored dataset of the same id, dropping decisions made after the backup', async () => {
    const { meta } = await reviewedDataset();
    const file = await createBackup(meta.id, { includeImages: true }, db);
    const later = decision(meta.id, 5);
    await recordDecisions([later], decide(meta.id, [later]), db);
    const restored = await restoreBackup(file.bytes, 'x.zip', 'replace', db);
    expect(restored.ok).toBe(true);
    const records = await loadReviewRecords(meta.id, db);
    expect(records.decisions.map((d) => d.sample).sort()).toEqual([1, 2]);
    expect(await store.countDatasets()).toBe(1);
  });

  it('restores a copy beside the original with every id new and the links between them kept', async () => {
    const { meta, table } = await reviewedDataset();
    const file = await createBackup(meta.id, { includeImages: true }, db);
    const restored = await restoreBackup(file.bytes, 'x.zip', 'copy', db);
    if (!restored.ok) throw new Error(restored.reason);
    expect(restored.meta.id).not.toBe(meta.id);
    expect(restored.meta.name).toBe('Faces (restored copy)');
    expect(await store.countDatasets()).toBe(2);
    expect(tableDifference(await store.loadSampleTable(restored.meta.id), table)).toBeNull();
    const original = await loadReviewRecords(meta.id, db);
    const copy = await loadReviewRecords(restored.meta.id, db);
    expect(copy.decisions).toHaveLength(2);
    const originalIds = new Set(original.decisions.map((d) => d.id));
    expect(copy.decisions.some((d) => originalIds.has(d.id))).toBe(false);
    // The history still names the copy's own decisions and entries.
    const copyIds = new Set(copy.decisions.map((d) => d.id));
    expect(copy.history[0]?.decisionIds.every((id) => copyIds.has(id))).toBe(true);
    expect(copy.history[1]?.targets).toBe(copy.history[0]?.id);
  });

  describe('a bad backup file is refused with its name and reason, and nothing changes', () => {
    const edit = (bytes: Uint8Array, name: string, change: (json: unknown) => unknown) => {
      const entries = unzipSync(bytes);
      const json = JSON.parse(new TextDecoder().decode(entries[name])) as unknown;
      entries[name] = strToU8(JSON.stringify(change(json)));
      return zipSync(entries);
    };
    type Records = Record<string, unknown>[];
    const cases: [string, (bytes: Uint8Array) => Uint8Array, RegExp][] = [
      ['random bytes', () => crypto.getRandomValues(new Uint8Array(300)), /not a readable zip/],
      ['cut in half', (b) => b.slice(0, b.length >> 1), /not a readable zip|missing/],
      [
        'a decision with an unknown kind',
        (b) =>
          edit(b, 'tables/decisions.json', (d) =>
            (d as Records).map((x) => ({ ...x, kind: 'approve' })),
          ),
        /decisions record 0: kind/,
      ],
      [
        'a decision of another dataset',
        (b) =>
          edit(b, 'tables/decisions.json', (d) =>
            (d as Records).map((x) => ({ ...x, datasetId: 'other' })),
          ),
        /decisions record 0 belongs to dataset "other"/,
      ],
      [
        'a page missing',
        (b) => {
          const withoutPage = edit(b, 'tables/pages.json', (p) => (p as Records).slice(0, 1));
          return edit(withoutPage, 'manifest.json', (m) => ({
            ...(m as Record<string, unknown>),
            counts: { ...(m as { counts: object }).counts, pages: 1 },
          }));
        },
        /holds 1 pages of samples, the dataset has 2/,
      ],
      [
        'a manifest of a newer version',
        (b) => edit(b, 'manifest.json', (m) => ({ ...(m as object), version: 7 })),
        /version 7 backup/,
      ],
    ];
    it.each(cases)('%s', async (_, damage, reason) => {
      const { meta } = await reviewedDataset();
      const file = await createBackup(meta.id, { includeImages: true }, db);
      const later = decision(meta.id, 5);
      await recordDecisions([later], decide(meta.id, [later]), db);
      const before = await everything();
      for (const mode of ['replace', 'copy'] as const) {
        const result = await restoreBackup(damage(file.bytes), 'damaged.zip', mode, db);
        expect(result).toEqual({
          ok: false,
          file: 'damaged.zip',
          reason: expect.stringMatching(reason),
        });
      }
      expect(await everything()).toEqual(before);
    });

    it('a write that fails midway (a clashing record) leaves the stored dataset as it was', async () => {
      const { meta } = await reviewedDataset();
      const file = await createBackup(meta.id, { includeImages: true }, db);
      // Another dataset holds a decision under the id the backup's decision has.
      const clash = (await loadReviewRecords(meta.id, db)).decisions[0]!;
      const other = await store.saveImportedDataset({
        meta: makeMeta('other', 3),
        table: makeTable(3),
        images: [],
      });
      await store.deleteDataset(meta.id);
      await db.decisions.add({ ...clash, datasetId: other.id });
      const before = await everything();
      const result = await restoreBackup(file.bytes, 'clash.zip', 'replace', db);
      expect(result.ok).toBe(false);
      expect(await everything()).toEqual(before);
    });
  });
});

describe('backupFileName', () => {
  it.each([
    ['Faces', 'Faces 2023-11-14.aureview-backup.zip'],
    ['a/b:c*d', 'a_b_c_d 2023-11-14.aureview-backup.zip'],
    ['顔 😀', '顔 _ 2023-11-14.aureview-backup.zip'],
    ['///', '_ 2023-11-14.aureview-backup.zip'],
  ])('%s', (name, expected) => {
    expect(backupFileName(name, 1_700_000_000_000)).toBe(expected);
  });
});

describe('restoring as a copy when the dataset is gone', () => {
  it('keeps its ids and name', async () => {
    const { meta } = await reviewedDataset();
    const file = await createBackup(meta.id, { includeImages: false }, db);
    await store.deleteDataset(meta.id);
    const restored = await restoreBackup(file.bytes, 'x.zip', 'copy', db);
    expect(restored.ok && restored.meta).toMatchObject({ id: meta.id, name: 'Faces' });
  });
});
