import { z } from 'zod';
import { ProblemSchema } from '../labels/types';
import { LoaderCheckSchema } from '../loader-check/check';
import { PREDICTION_RUN_VERSION, PredictionRunMetaSchema } from '../predictions/run';

/**
 * A model's prediction run beside a dataset: one record per run holding its meta and
 * its arrays (a million predictions are three buffers, not a million records).
 *
 * Two shapes. PredictionRunRecordSchema holds the arrays as typed arrays: what a
 * backup file carries and what every run is checked against, whole. The stored
 * record (StoredPredictionRunSchema, version 2) holds the same bytes as Blobs:
 * IndexedDB writes a Blob as a file of its own instead of serialising it into the
 * record, so storing a run of a million rows is faster, and listing runs reads their
 * metas without deserialising a hundred megabytes on the page's thread. Version 1
 * stored the typed arrays themselves; it is migrated on reading (migrations.ts).
 */

export const PREDICTION_RUN_RECORD_VERSION = PREDICTION_RUN_VERSION;
export const STORED_PREDICTION_RUN_VERSION = 2;

// z.custom, not z.instanceof: instanceof infers Float32Array<ArrayBuffer>, which a
// view of a shared or resizable buffer does not satisfy in TypeScript.
const Int32ArraySchema = z.custom<Int32Array>(
  (v) => v instanceof Int32Array,
  'expected an Int32Array',
);
const Float32ArraySchema = z.custom<Float32Array>(
  (v) => v instanceof Float32Array,
  'expected a Float32Array',
);

export const PredictionRunRecordSchema = PredictionRunMetaSchema.safeExtend({
  rowOf: Int32ArraySchema,
  classProbs: Float32ArraySchema.nullable(),
  auProbs: Float32ArraySchema.nullable(),
}).superRefine((record, ctx) => {
  // A record whose arrays disagree with its meta would be read out of step with the
  // samples, silently: refuse it on the way in and out.
  let rows = 0;
  for (let i = 0; i < record.rowOf.length; i++) if ((record.rowOf[i] as number) >= 0) rows++;
  if (rows !== record.predicted)
    ctx.addIssue({
      code: 'custom',
      path: ['predicted'],
      message: `the run says ${record.predicted} samples have a prediction, rowOf gives ${rows}`,
    });
  const check = (
    field: 'classProbs' | 'auProbs',
    array: Float32Array | null,
    columns: number | null,
  ) => {
    if ((array === null) !== (columns === null)) {
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message:
          array === null ? `${field} is missing` : `${field} is given without its column names`,
      });
      return;
    }
    if (array !== null && columns !== null && array.length !== rows * columns)
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `${field} holds ${array.length} values, not ${rows} rows x ${columns} columns`,
      });
  };
  check('classProbs', record.classProbs, record.emotion?.classIds.length ?? null);
  check('auProbs', record.auProbs, record.au?.aus.length ?? null);
});
export type PredictionRunRecord = z.infer<typeof PredictionRunRecordSchema>;

export const LOADER_CHECK_RECORD_VERSION = 1;

/** The last check of a training loader's AU targets against a dataset's labels. */
export const LoaderCheckRecordSchema = z.object({
  version: z.literal(LOADER_CHECK_RECORD_VERSION),
  datasetId: z.string().min(1),
  /** When the dump was checked (ms since the epoch). */
  checkedAt: z.number().int().nonnegative(),
  fileNames: z.array(z.string()),
  report: LoaderCheckSchema,
  /** What reading the dump reported (the first few hundred), shown beside the findings. */
  problems: z.array(ProblemSchema),
});
export type LoaderCheckRecord = z.infer<typeof LoaderCheckRecordSchema>;

const BlobSchema = z.custom<Blob>((v) => v instanceof Blob, 'expected a Blob');

/** What IndexedDB holds for a run: its meta and its arrays' bytes, checked whole on reading. */
export const StoredPredictionRunSchema = PredictionRunMetaSchema.omit({ version: true })
  .safeExtend({
    version: z.literal(STORED_PREDICTION_RUN_VERSION),
    rowOf: BlobSchema,
    classProbs: BlobSchema.nullable(),
    auProbs: BlobSchema.nullable(),
  })
  .superRefine((record, ctx) => {
    // Sizes only: the values are checked with the typed arrays once read.
    for (const field of ['rowOf', 'classProbs', 'auProbs'] as const) {
      const blob = record[field];
      if (blob !== null && blob.size % 4 !== 0)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} holds ${blob.size} bytes, not a whole number of 4-byte values`,
        });
    }
  });
export type StoredPredictionRun = z.infer<typeof StoredPredictionRunSchema>;
