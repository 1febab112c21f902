import type { z } from 'zod';

/**
 * Record versions and how older ones are brought up to date.
 *
 * Every stored record carries its version (`schemaVersion` on a dataset's meta,
 * `version` on the others). When a record's shape changes, its version goes up by
 * one and a step goes into MIGRATIONS below: a function that turns a record of the
 * old version into one of the next. Reading applies the steps one after the other
 * until the record is current, then validates it with the current schema; readers
 * write migrated records back when they can, so a step runs once per record. A
 * record of a version above the current one was written by a newer app: it is
 * reported as such, never as corrupt, and never rewritten.
 *
 * (This versions the shape of records; the Dexie schema, tables and indexes, has
 * its own append-only versions in db.ts.)
 */

/** Turns a record of version n (the key it is filed under) into one of version n + 1. */
export type MigrationStep = (record: Record<string, unknown>) => Record<string, unknown>;
export type MigrationSteps = Readonly<Record<number, MigrationStep>>;

/**
 * The steps of each kind of record, by the version they start from. To change a format: raise
 * its version constant, make its schema accept only the new version, and add e.g.
 * `decision: { 1: (d) => ({ ...d, version: 2, confidence: null }) }`.
 */
export const MIGRATIONS = {
  dataset: {},
  decision: {},
  historyEntry: {},
  reviewSet: {},
  evidenceBox: {},
  crowd: {},
  predictionRun: {
    // Version 2 stores the arrays as Blobs (see prediction-records.ts). Anything that
    // is not a typed array is left as it is, for the schema to report.
    1: (run) => {
      const asBlob = (value: unknown) =>
        ArrayBuffer.isView(value) ? new Blob([value as Uint8Array<ArrayBuffer>]) : value;
      return {
        ...run,
        version: 2,
        rowOf: asBlob(run.rowOf),
        classProbs: asBlob(run.classProbs),
        auProbs: asBlob(run.auProbs),
      };
    },
  },
  loaderCheck: {},
  faceReading: {},
  teamSession: {},
  teamBundle: {},
  assignment: {},
} satisfies Record<string, MigrationSteps>;

/** How to read one kind of record: its current version and schema, and the steps up to it. */
export interface RecordFormat<T> {
  /** What the record is called in messages: "decision", "dataset record". */
  what: string;
  /** The field holding the version. */
  versionField: 'schemaVersion' | 'version';
  /** The version this app writes. */
  current: number;
  /** The shape of a record of the current version. */
  schema: z.ZodType<T>;
  steps: MigrationSteps;
}

export type VersionedRead<T> =
  | {
      ok: true;
      record: T;
      /** The version the record was stored as, when it was older than the current one. */
      migratedFrom: number | null;
    }
  | { ok: false; problem: 'newer'; version: number; message: string }
  | { ok: false; problem: 'corrupt'; message: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Brings one stored record up to the current version and validates it. Never throws. */
export function readVersioned<T>(format: RecordFormat<T>, stored: unknown): VersionedRead<T> {
  const corrupt = (message: string): VersionedRead<T> => ({
    ok: false,
    problem: 'corrupt',
    message,
  });
  if (!isRecord(stored)) return corrupt(`the ${format.what} is not a record`);
  const version = stored[format.versionField];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return corrupt(`the ${format.what} has no valid ${format.versionField}`);
  }
  if (version > format.current) {
    return {
      ok: false,
      problem: 'newer',
      version,
      message: `the ${format.what} was written by a newer AU Review (record version ${version}; this one reads up to ${format.current})`,
    };
  }
  let record: Record<string, unknown> = stored;
  for (let from = version; from < format.current; from++) {
    const step = format.steps[from];
    if (!step) return corrupt(`no migration of a ${format.what} from version ${from}`);
    try {
      // Steps set the new version themselves; it is forced here so a forgetful step
      // cannot make the loop read the same record twice.
      record = { ...step(record), [format.versionField]: from + 1 };
    } catch (error) {
      return corrupt(
        `migrating a ${format.what} from version ${from} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const parsed = format.schema.safeParse(record);
  if (!parsed.success) {
    return corrupt(
      parsed.error.issues
        .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
        .join('; '),
    );
  }
  return { ok: true, record: parsed.data, migratedFrom: version < format.current ? version : null };
}
