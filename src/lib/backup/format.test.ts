import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BACKUP_TABLES, packBackup, unpackBackup, type BackupTables } from './format';

function emptyTables(): BackupTables {
  return Object.fromEntries(BACKUP_TABLES.map((t) => [t, []])) as unknown as BackupTables;
}

const about = {
  createdAt: 1_700_000_000_000,
  datasetId: 'd1',
  datasetName: 'Faces',
  includesImages: true,
};

async function sample(): Promise<Uint8Array> {
  const tables = emptyTables();
  tables.datasets = [{ id: 'd1', name: 'Faces', nested: { list: [1, 'two', null] } }];
  tables.pages = [
    {
      datasetId: 'd1',
      index: 0,
      classIds: Int16Array.from([-1, 3, 32767]),
      auMask: Uint32Array.from([0xffffffff, 7]),
      shares: Float32Array.from([0.25, 0.5]),
    },
  ];
  tables.images = [
    { datasetId: 'd1', key: 'a.jpg', blob: new Blob(['jpeg bytes'], { type: 'image/jpeg' }) },
  ];
  tables.decisions = [{ id: 'x', note: 'a "quoted" note\nwith a line' }];
  return packBackup(about, tables);
}

/** Rewrites one entry of a packed backup (undefined removes it). */
function tamper(bytes: Uint8Array, name: string, content: string | Uint8Array | undefined) {
  const entries = unzipSync(bytes);
  if (content === undefined) delete entries[name];
  else entries[name] = typeof content === 'string' ? strToU8(content) : new Uint8Array(content);
  return zipSync(entries);
}

describe('packBackup / unpackBackup', () => {
  it('round-trips records with typed arrays, blobs and odd strings', async () => {
    const result = unpackBackup(await sample(), 'faces.aubackup.zip');
    if (!result.ok) throw new Error(result.reason);
    expect(result.manifest).toMatchObject({ ...about, version: 2, binaries: 4 });
    expect(result.manifest.counts.pages).toBe(1);
    expect(result.tables.datasets).toEqual([
      { id: 'd1', name: 'Faces', nested: { list: [1, 'two', null] } },
    ]);
    const page = result.tables.pages[0] as Record<string, unknown>;
    expect(page.classIds).toBeInstanceOf(Int16Array);
    expect(Array.from(page.classIds as Int16Array)).toEqual([-1, 3, 32767]);
    expect(Array.from(page.auMask as Uint32Array)).toEqual([0xffffffff, 7]);
    expect(Array.from(page.shares as Float32Array)).toEqual([0.25, 0.5]);
    const image = result.tables.images[0] as { blob: Blob };
    expect(image.blob).toBeInstanceOf(Blob);
    expect(image.blob.type).toBe('image/jpeg');
    expect(await image.blob.text()).toBe('jpeg bytes');
    expect(result.tables.decisions).toEqual([{ id: 'x', note: 'a "quoted" note\nwith a line' }]);
  });

  const manifestOf = async () =>
    JSON.parse(new TextDecoder().decode(unzipSync(await sample())['manifest.json'])) as Record<
      string,
      unknown
    >;

  /** The sample as version 1 wrote it: without the tables version 2 added. */
  const versionOne = async () => {
    const entries = unzipSync(await sample());
    delete entries['tables/predictionRuns.json'];
    delete entries['tables/loaderChecks.json'];
    const manifest = await manifestOf();
    const counts = { ...(manifest.counts as Record<string, number>) };
    delete counts.predictionRuns;
    delete counts.loaderChecks;
    entries['manifest.json'] = strToU8(JSON.stringify({ ...manifest, version: 1, counts }));
    return zipSync(entries);
  };

  it('reads a version 1 backup, the tables added since empty', async () => {
    const result = unpackBackup(await versionOne(), 'old.zip');
    if (!result.ok) throw new Error(result.reason);
    expect(result.manifest.version).toBe(1);
    expect(result.manifest.counts).toMatchObject({ pages: 1, predictionRuns: 0, loaderChecks: 0 });
    expect(result.tables.predictionRuns).toEqual([]);
    expect(result.tables.loaderChecks).toEqual([]);
    expect(Array.from((result.tables.pages[0] as { auMask: Uint32Array }).auMask)).toEqual([
      0xffffffff, 7,
    ]);
  });

  it('round-trips typed arrays of a prediction run as binary entries', async () => {
    const tables = emptyTables();
    tables.predictionRuns = [
      { id: 'r', rowOf: Int32Array.from([0, -1, 1]), classProbs: Float32Array.from([0.5, 1]) },
    ];
    const bytes = await packBackup(about, tables);
    expect(new TextDecoder().decode(unzipSync(bytes)['tables/predictionRuns.json'])).toBe(
      '[{"id":"r","rowOf":{"$binary":0,"kind":"Int32Array"},"classProbs":{"$binary":1,"kind":"Float32Array"}}]',
    );
    const result = unpackBackup(bytes, 'runs.zip');
    if (!result.ok) throw new Error(result.reason);
    const run = result.tables.predictionRuns[0] as { rowOf: Int32Array; classProbs: Float32Array };
    expect(run.rowOf).toEqual(Int32Array.from([0, -1, 1]));
    expect(run.classProbs).toEqual(Float32Array.from([0.5, 1]));
  });

  const refusals: [string, () => Promise<Uint8Array>, RegExp][] = [
    [
      'a version 1 backup holding a table version 2 added',
      async () => tamper(await versionOne(), 'tables/loaderChecks.json', '[]'),
      /unexpected entry tables\/loaderChecks.json/,
    ],
    [
      'a version 2 manifest without the count of a table',
      async () => {
        const manifest = await manifestOf();
        const counts = { ...(manifest.counts as Record<string, number>) };
        delete counts.loaderChecks;
        return tamper(await sample(), 'manifest.json', JSON.stringify({ ...manifest, counts }));
      },
      /counts.loaderChecks/,
    ],
    [
      'a version 2 backup without a table version 2 added',
      async () => tamper(await sample(), 'tables/predictionRuns.json', undefined),
      /tables\/predictionRuns.json is missing/,
    ],
    [
      'a version 0',
      async () =>
        tamper(
          await sample(),
          'manifest.json',
          JSON.stringify({ ...(await manifestOf()), version: 0 }),
        ),
      /version/,
    ],
    ['not a zip', async () => strToU8('hello, I am text'), /not a readable zip/],
    ['an empty file', async () => new Uint8Array(0), /not a readable zip|manifest.json is missing/],
    [
      'a zip of something else',
      async () => zipSync({ 'a.txt': strToU8('a') }),
      /manifest.json is missing/,
    ],
    [
      'a manifest that is not JSON',
      async () => tamper(await sample(), 'manifest.json', '{'),
      /not valid JSON/,
    ],
    [
      'another format',
      async () =>
        tamper(
          await sample(),
          'manifest.json',
          JSON.stringify({ ...(await manifestOf()), format: 'x' }),
        ),
      /format/,
    ],
    [
      'a newer version',
      async () =>
        tamper(
          await sample(),
          'manifest.json',
          JSON.stringify({ ...(await manifestOf()), version: 3 }),
        ),
      /version 3 backup.*reads up to version 2.*update the app/,
    ],
    [
      'a missing table',
      async () => tamper(await sample(), 'tables/decisions.json', undefined),
      /tables\/decisions.json is missing/,
    ],
    [
      'a truncated table',
      async () => tamper(await sample(), 'tables/decisions.json', '[]'),
      /holds 0 records, the manifest says 1/,
    ],
    [
      'a table that is not a list',
      async () => tamper(await sample(), 'tables/decisions.json', '{}'),
      /not hold a list/,
    ],
    [
      'a missing binary',
      async () => tamper(await sample(), 'binary/0', undefined),
      /binary\/0 is missing/,
    ],
    [
      'a column of the wrong length',
      async () => tamper(await sample(), 'binary/0', new Uint8Array(3)),
      /not a whole Int16Array/,
    ],
    [
      'a stray entry',
      async () => tamper(await sample(), 'evil.js', 'alert(1)'),
      /unexpected entry evil.js/,
    ],
  ];

  it.each(refusals)('refuses %s with the file and a reason', async (_, make, reason) => {
    const result = unpackBackup(await make(), 'backup.zip');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.file).toBe('backup.zip');
    expect(result.reason).toMatch(reason);
  });
});
