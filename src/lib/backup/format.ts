import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { z } from 'zod';

/**
 * The backup file of one dataset: a zip holding `manifest.json` (versioned), one JSON
 * file per table of records, and the binary parts of those records (typed-array
 * columns, images) as separate entries, so a million-sample page is not inflated
 * into a JSON array of numbers. Pure: the store gathers the records and validates
 * each one against its own schema when it restores them.
 */

export const BACKUP_FORMAT = 'au-review-backup';
export const BACKUP_VERSION = 2;

/** The tables of a version 1 backup, the first. */
const VERSION_1_TABLES = [
  'datasets',
  'pages',
  'images',
  'ruleSets',
  'savedFilters',
  'decisions',
  'history',
  'reviewSets',
  'evidence',
  'crowd',
  'teamSessions',
  'teamBundles',
  'assignments',
] as const;

/** The tables a backup may hold, in the order they are written. */
export const BACKUP_TABLES = [...VERSION_1_TABLES, 'predictionRuns', 'loaderChecks'] as const;
export type BackupTable = (typeof BACKUP_TABLES)[number];
export type BackupTables = Record<BackupTable, unknown[]>;

/**
 * The tables each version holds. A version adds tables, so an older app refuses a
 * newer backup by its version ("update the app") rather than stumbling on entries it
 * does not know, and a backup of an older version is read with the added tables empty.
 */
const TABLES_OF_VERSION: Readonly<Record<number, readonly BackupTable[]>> = {
  1: VERSION_1_TABLES,
  2: BACKUP_TABLES,
};

function manifestSchema(tables: readonly [BackupTable, ...BackupTable[]]) {
  return z
    .object({
      format: z.literal(BACKUP_FORMAT),
      version: z.number().int().positive(),
      /** ms since the epoch. */
      createdAt: z.number().int().nonnegative(),
      datasetId: z.string().min(1),
      datasetName: z.string(),
      includesImages: z.boolean(),
      /** How many records each table holds: a truncated file is caught by these counts. */
      counts: z.record(z.enum(tables), z.number().int().nonnegative()),
      binaries: z.number().int().nonnegative(),
    })
    .strict();
}

export const BackupManifestSchema = manifestSchema(BACKUP_TABLES);
/** A manifest as read: the counts of tables its version did not hold are 0. */
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

const typedArrays = {
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedArrayName = keyof typeof typedArrays;
type AnyTypedArray = InstanceType<(typeof typedArrays)[TypedArrayName]>;

/** Where a record held binary data: the index of its zip entry and what to rebuild. */
const BinaryRefSchema = z
  .object({
    $binary: z.number().int().nonnegative(),
    kind: z.enum([...(Object.keys(typedArrays) as TypedArrayName[]), 'Blob']),
    type: z.string().optional(),
  })
  .strict();

const MANIFEST = 'manifest.json';
const tableEntry = (table: BackupTable) => `tables/${table}.json`;
const binaryEntry = (index: number) => `binary/${index}`;

function typedArrayName(value: unknown): TypedArrayName | null {
  for (const [name, ctor] of Object.entries(typedArrays))
    if (value instanceof ctor) return name as TypedArrayName;
  return null;
}

/** Records as JSON-ready values, their typed arrays and blobs replaced by references. */
function encode(value: unknown, binaries: (Uint8Array | Blob)[]): unknown {
  if (value instanceof Blob) {
    binaries.push(value);
    return { $binary: binaries.length - 1, kind: 'Blob', type: value.type };
  }
  const typed = typedArrayName(value);
  if (typed) {
    const view = value as AnyTypedArray;
    binaries.push(new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice());
    return { $binary: binaries.length - 1, kind: typed };
  }
  if (Array.isArray(value)) return value.map((v) => encode(v, binaries));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v, binaries)]));
  return value;
}

/** Packs the records of one dataset into a backup file. Throws only for bugs. */
export async function packBackup(
  about: Omit<BackupManifest, 'format' | 'version' | 'counts' | 'binaries'>,
  tables: BackupTables,
): Promise<Uint8Array> {
  const binaries: (Uint8Array | Blob)[] = [];
  const files: Zippable = {};
  const counts = {} as Record<BackupTable, number>;
  for (const table of BACKUP_TABLES) {
    counts[table] = tables[table].length;
    files[tableEntry(table)] = strToU8(JSON.stringify(encode(tables[table], binaries)));
  }
  for (let i = 0; i < binaries.length; i++) {
    const part = binaries[i]!;
    const bytes = part instanceof Blob ? new Uint8Array(await part.arrayBuffer()) : part;
    // Images are compressed already: storing them saves the time of deflating them again.
    files[binaryEntry(i)] = [bytes, { level: part instanceof Blob ? 0 : 6 }];
  }
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    ...about,
    counts,
    binaries: binaries.length,
  };
  files[MANIFEST] = strToU8(JSON.stringify(manifest, null, 2));
  return zipSync(files);
}

export type UnpackedBackup =
  | { ok: true; manifest: BackupManifest; tables: BackupTables }
  | { ok: false; file: string; reason: string };

class BackupProblem extends Error {}

function decode(value: unknown, entries: Record<string, Uint8Array>, where: string): unknown {
  if (Array.isArray(value)) return value.map((v) => decode(v, entries, where));
  if (typeof value !== 'object' || value === null) return value;
  if ('$binary' in value) {
    const ref = BinaryRefSchema.safeParse(value);
    if (!ref.success) throw new BackupProblem(`${where}: a binary reference is malformed`);
    const bytes = entries[binaryEntry(ref.data.$binary)];
    if (!bytes) throw new BackupProblem(`${where}: ${binaryEntry(ref.data.$binary)} is missing`);
    if (ref.data.kind === 'Blob')
      return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: ref.data.type ?? '' });
    const ctor = typedArrays[ref.data.kind];
    if (bytes.byteLength % ctor.BYTES_PER_ELEMENT !== 0)
      throw new BackupProblem(
        `${where}: ${binaryEntry(ref.data.$binary)} holds ${bytes.byteLength} bytes, not a whole ${ref.data.kind}`,
      );
    return new ctor(bytes.slice().buffer);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v, entries, where)]));
}

/**
 * Reads a backup file. Never throws: a file that is not a backup, of an unknown
 * version, truncated or inconsistent comes back as { ok: false, file, reason }.
 */
export function unpackBackup(bytes: Uint8Array, fileName: string): UnpackedBackup {
  const refuse = (reason: string): UnpackedBackup => ({ ok: false, file: fileName, reason });
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    return refuse(`not a readable zip file (${error instanceof Error ? error.message : error})`);
  }
  const manifestBytes = entries[MANIFEST];
  if (!manifestBytes) return refuse(`${MANIFEST} is missing: this is not an AU Review backup`);
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(strFromU8(manifestBytes));
  } catch {
    return refuse(`${MANIFEST} is not valid JSON`);
  }
  const version = (manifestJson as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > BACKUP_VERSION)
    return refuse(
      `it is a version ${version} backup; this app reads up to version ${BACKUP_VERSION} (update the app)`,
    );
  const versionTables = typeof version === 'number' ? TABLES_OF_VERSION[version] : undefined;
  const parsed = manifestSchema(
    (versionTables ?? BACKUP_TABLES) as [BackupTable, ...BackupTable[]],
  ).safeParse(manifestJson);
  if (!parsed.success)
    return refuse(
      `${MANIFEST}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'manifest'}: ${i.message}`).join('; ')}`,
    );
  if (!versionTables) return refuse(`version ${parsed.data.version} is not one this app reads`);
  const held = new Set<BackupTable>(versionTables);
  const manifest: BackupManifest = {
    ...parsed.data,
    counts: Object.fromEntries(
      BACKUP_TABLES.map((table) => [table, parsed.data.counts[table] ?? 0]),
    ) as Record<BackupTable, number>,
  };
  const known = new Set<string>([
    MANIFEST,
    ...versionTables.map(tableEntry),
    ...Array.from({ length: manifest.binaries }, (_, i) => binaryEntry(i)),
  ]);
  const stray = Object.keys(entries).find((name) => !known.has(name));
  if (stray) return refuse(`unexpected entry ${stray}`);
  const tables = {} as BackupTables;
  try {
    for (const table of BACKUP_TABLES) {
      if (!held.has(table)) {
        tables[table] = [];
        continue;
      }
      const entry = tableEntry(table);
      const raw = entries[entry];
      if (!raw) return refuse(`${entry} is missing`);
      let json: unknown;
      try {
        json = JSON.parse(strFromU8(raw));
      } catch {
        return refuse(`${entry} is not valid JSON`);
      }
      if (!Array.isArray(json)) return refuse(`${entry} does not hold a list of records`);
      const expected = manifest.counts[table];
      if (json.length !== expected)
        return refuse(`${entry} holds ${json.length} records, the manifest says ${expected}`);
      tables[table] = json.map((record, i) => decode(record, entries, `${entry} record ${i}`));
    }
  } catch (error) {
    if (error instanceof BackupProblem) return refuse(error.message);
    throw error;
  }
  return { ok: true, manifest, tables };
}
