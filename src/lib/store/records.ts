import { z } from 'zod';
import {
  LabelSchemeSchema,
  ParseReportSchema,
  SourceFileSchema,
  SourceFormatSchema,
  SplitNamesSchema,
} from '../labels/types';
import { NewerRecordError, StoreCorruptionError } from './errors';
import { CsvMappingSchema } from '../formats/generic-table/csv';
import { MIGRATIONS, readVersioned, type RecordFormat } from './migrations';

/**
 * Shapes of the records in IndexedDB. Every record is validated on the way in and on
 * the way out. `schemaVersion` versions the record shape (not the Dexie schema);
 * older versions are migrated on the way out (see migrations.ts).
 */

export const RECORD_SCHEMA_VERSION = 1;

/** A dataset's display name: trimmed, non-empty. */
export const DatasetNameSchema = z.string().trim().min(1, 'a dataset name must not be empty');

const datasetMetaShape = z.object({
  id: z.string().min(1),
  name: DatasetNameSchema,
  /** ms since the epoch. */
  createdAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
  format: SourceFormatSchema,
  scheme: LabelSchemeSchema,
  splitNames: SplitNamesSchema,
  sourceFiles: z.array(SourceFileSchema),
  report: ParseReportSchema,
  sampleCount: z.number().int().nonnegative(),
  pageSize: z.number().int().positive(),
  pageCount: z.number().int().nonnegative(),
  imageCount: z.number().int().nonnegative(),
  isDemo: z.boolean(),
  /** For a generic CSV: its columns and the mapping used, so an export writes it back alike. */
  csv: z
    .object({
      file: z.string(),
      columns: z.array(z.string()),
      mapping: CsvMappingSchema,
    })
    .nullable()
    .optional(),
  schemaVersion: z.literal(RECORD_SCHEMA_VERSION),
});

export const DatasetMetaSchema = datasetMetaShape.refine(
  (m) => m.pageCount === Math.ceil(m.sampleCount / m.pageSize),
  { message: 'pageCount does not match sampleCount / pageSize', path: ['pageCount'] },
);
export type DatasetMeta = z.infer<typeof DatasetMetaSchema>;

/** What an importer supplies; the store fills in the rest. */
export const NewDatasetMetaSchema = datasetMetaShape.omit({
  id: true,
  createdAt: true,
  updatedAt: true,
  pageCount: true,
  pageSize: true,
  schemaVersion: true,
  imageCount: true,
});
export type NewDatasetMeta = z.infer<typeof NewDatasetMetaSchema>;

/** What updateDatasetMeta may change. */
export const DatasetMetaPatchSchema = z
  .object({
    name: DatasetNameSchema.optional(),
    scheme: LabelSchemeSchema.optional(),
    splitNames: SplitNamesSchema.optional(),
  })
  .strict();
export type DatasetMetaPatch = Partial<Pick<DatasetMeta, 'scheme' | 'splitNames' | 'name'>>;

/**
 * A page of up to pageSize consecutive samples, as columns. Strings are joined with
 * '\n' (names and AU texts never contain a newline). Typed arrays own their buffers.
 */
export interface SamplePage {
  datasetId: string;
  index: number;
  count: number;
  names: string;
  classIds: Int16Array;
  splits: Int8Array;
  auStatus: Uint8Array;
  auRaw: string;
  auMask: Uint32Array;
  flags: Uint8Array;
}

/** Number of '\n'-separated entries in a joined string (never less than 1). */
export function countJoined(joined: string): number {
  let n = 1;
  for (let i = joined.indexOf('\n'); i !== -1; i = joined.indexOf('\n', i + 1)) n++;
  return n;
}

const typed = <T>(ctor: abstract new (...args: never[]) => T, name: string) =>
  z.custom<T>((v) => v instanceof ctor, { message: `expected ${name}` });

/** Checks shapes and lengths, not every element: cheap enough for 100 pages of 10,000. */
export const SamplePageSchema = z
  .object({
    datasetId: z.string().min(1),
    index: z.number().int().nonnegative(),
    count: z.number().int().positive(),
    names: z.string(),
    classIds: typed(Int16Array, 'Int16Array'),
    splits: typed(Int8Array, 'Int8Array'),
    auStatus: typed(Uint8Array, 'Uint8Array'),
    auRaw: z.string(),
    auMask: typed(Uint32Array, 'Uint32Array'),
    flags: typed(Uint8Array, 'Uint8Array'),
  })
  .superRefine((p, ctx) => {
    const expect = (path: string, actual: number, expected: number) => {
      if (actual !== expected)
        ctx.addIssue({
          code: 'custom',
          path: [path],
          message: `has ${actual} entries, expected ${expected}`,
        });
    };
    expect('names', countJoined(p.names), p.count);
    expect('auRaw', countJoined(p.auRaw), p.count);
    expect('classIds', p.classIds.length, p.count);
    expect('splits', p.splits.length, p.count);
    expect('auStatus', p.auStatus.length, p.count);
    expect('auMask', p.auMask.length, 2 * p.count);
    expect('flags', p.flags.length, p.count);
  }) satisfies z.ZodType<SamplePage>;

export interface ImageRecord {
  datasetId: string;
  key: string;
  name: string;
  type: string;
  blob: Blob;
}

export const ImageRecordSchema = z.object({
  datasetId: z.string().min(1),
  key: z.string(),
  name: z.string(),
  type: z.string(),
  blob: z.instanceof(Blob),
}) satisfies z.ZodType<ImageRecord>;

/** One line per issue, e.g. `classIds: has 5 entries, expected 10000`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Validates records read from the database; the first bad one throws StoreCorruptionError naming it. */
export function readAll<T>(
  datasetId: string,
  what: string,
  records: readonly unknown[],
  schema: z.ZodType<T>,
): T[] {
  return records.map((record, i) => {
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      throw new StoreCorruptionError(
        datasetId,
        null,
        `${what} ${i} is corrupt: ${parsed.error.message}`,
      );
    }
    return parsed.data;
  });
}

export const DATASET_META_FORMAT: RecordFormat<DatasetMeta> = {
  what: 'dataset record',
  versionField: 'schemaVersion',
  current: RECORD_SCHEMA_VERSION,
  schema: DatasetMetaSchema,
  steps: MIGRATIONS.dataset,
};

/** A versioned read that failed, as the error the store throws. */
function readError(
  datasetId: string,
  what: string,
  read: Extract<ReturnType<typeof readVersioned>, { ok: false }>,
  known: number,
): Error {
  return read.problem === 'newer'
    ? new NewerRecordError(datasetId, what, read.version, known)
    : new StoreCorruptionError(datasetId, null, read.message);
}

/**
 * Validates records read from the database, migrating older versions. The first bad
 * one throws StoreCorruptionError naming it, or NewerRecordError when a newer app
 * wrote it. `migrated` lists the records that were older, for the caller to write back.
 */
export function readAllVersioned<T>(
  datasetId: string,
  records: readonly unknown[],
  format: RecordFormat<T>,
): { records: T[]; migrated: T[] } {
  const migrated: T[] = [];
  const read = records.map((stored, i) => {
    const result = readVersioned(format, stored);
    if (!result.ok) {
      const what = `${format.what} ${i}`;
      throw readError(
        datasetId,
        what,
        result.problem === 'corrupt'
          ? { ...result, message: `${what} is corrupt: ${result.message}` }
          : result,
        format.current,
      );
    }
    if (result.migratedFrom !== null) migrated.push(result.record);
    return result.record;
  });
  return { records: read, migrated };
}

/**
 * Validates a dataset's meta read from the database, migrated to the current version
 * when it is older; throws StoreCorruptionError naming it, or NewerRecordError.
 */
export function readMeta(
  value: unknown,
  datasetId: string,
  format: RecordFormat<DatasetMeta> = DATASET_META_FORMAT,
): DatasetMeta {
  const r = readVersioned(format, value);
  if (!r.ok) throw readError(datasetId, format.what, r, format.current);
  if (r.record.id !== datasetId)
    throw new StoreCorruptionError(datasetId, null, `record has id "${r.record.id}"`);
  return r.record;
}

export function readPage(value: unknown, datasetId: string, index: number): SamplePage {
  const r = SamplePageSchema.safeParse(value);
  if (!r.success) throw new StoreCorruptionError(datasetId, index, describeIssues(r.error));
  if (r.data.datasetId !== datasetId || r.data.index !== index)
    throw new StoreCorruptionError(
      datasetId,
      index,
      `record is keyed as dataset "${r.data.datasetId}" page ${r.data.index}`,
    );
  return r.data;
}
