import { z } from 'zod';
import type { TextColumn } from './text-column';

/**
 * Shared shapes of the label layer. zod schemas are the source of truth; the
 * TypeScript types are inferred from them.
 */

/** Where a value came from: every problem names its file, line and field. */
export const ProblemKindSchema = z.enum([
  'encoding', // not decodable as text (binary junk, bad UTF-8)
  'empty-file',
  'column-count', // wrong number of fields on a line
  'missing-value',
  'unknown-class', // class id not in the label scheme
  'bad-split', // split id not understood
  'bad-au-token', // AU token outside the grammar (row kept, token kept raw)
  'duplicate-image', // same image twice in one file (later row rejected)
  'conflict', // two files disagree about one image
  'header', // CSV header missing or unmapped
  'unmatched', // a label without an image, or an image without a label
  'unknown-file', // a file the importer does not recognise
  'line-too-long', // a line over MAX_LINE_BYTES (skipped, never held whole)
  'line-end', // a carriage return without a line feed (classic Mac OS line ends)
  'file-too-large', // a file of a format read whole, over MAX_WHOLE_FILE_BYTES (not read)
  'separator', // lines differ in the whitespace between their fields (an export writes one kind)
]);
export type ProblemKind = z.infer<typeof ProblemKindSchema>;

export const ProblemSchema = z.object({
  kind: ProblemKindSchema,
  /** 'error': the row was rejected. 'warning': the row was kept, the issue is reported. */
  severity: z.enum(['error', 'warning']),
  file: z.string(),
  /** 1-based line number; 0 when the problem concerns the whole file. */
  line: z.number().int().min(0),
  field: z.string(),
  raw: z.string(),
  message: z.string(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const SideSchema = z.enum(['L', 'R', 'B', 'T']);
export const IntensitySchema = z.enum(['A', 'B', 'C', 'D', 'E']);

/** One token of an AU string, normalised, with its raw text kept for export. */
export const AuTokenSchema = z.object({
  raw: z.string(),
  /** AU number (1-99); for an action descriptor such as AD19, the descriptor number. */
  au: z.number().int().min(0),
  kind: z.enum(['AU', 'AD']),
  side: SideSchema.nullable(),
  intensity: IntensitySchema.nullable(),
});
export type AuToken = z.infer<typeof AuTokenSchema>;

/**
 * How a sample's AUs are known. 'absent': no AU file gave this sample a value.
 * 'null': the AU file says `null`, i.e. not coded (never the same as "no AU").
 * 'coded': an AU string was given.
 */
export const AuStatus = { absent: 0, null: 1, coded: 2 } as const;
export type AuStatusCode = (typeof AuStatus)[keyof typeof AuStatus];

/** Bits of SampleTable.flags. */
export const SampleFlag = { unknownAuToken: 1, hasImage: 2, duplicateAuToken: 4 } as const;

/**
 * The samples of a dataset as columns: one entry per sample, in the input's order.
 * Columns keep a million samples in tens of megabytes and write to IndexedDB in
 * pages; row objects would cost several times that.
 */
export interface SampleTable {
  count: number;
  /** Image name exactly as the label file writes it, e.g. `0001.jpg` (textAt(names, i)). */
  names: TextColumn;
  /** Class id as the file writes it (0-based or 1-based per scheme); -1 = none. */
  classIds: Int16Array;
  /** Split id; -1 = none. */
  splits: Int8Array;
  auStatus: Uint8Array;
  /** The AU value text exactly as in the file ('' when absent, 'null' when not coded). */
  auRaw: string[];
  /** AUs present, two 32-bit words per sample: bit (au-1) of word 2i for AU 1-32, bit (au-33) of word 2i+1 for AU 33-64. */
  auMask: Uint32Array;
  flags: Uint8Array;
}

/** A sample table's labels alone: what a writer writes, original or corrected. */
export type SampleLabels = Pick<SampleTable, 'classIds' | 'auStatus' | 'auRaw' | 'auMask'>;

export const BasicEmotionSchema = z.enum([
  'happy',
  'sad',
  'fear',
  'anger',
  'surprise',
  'disgust',
  'neutral',
  'contempt',
]);
export type BasicEmotion = z.infer<typeof BasicEmotionSchema>;

export const LabelClassSchema = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  /** The basic emotions a (compound) class is made of. */
  components: z.array(BasicEmotionSchema),
});
export type LabelClass = z.infer<typeof LabelClassSchema>;

export const LabelSchemeSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  classes: z.array(LabelClassSchema).min(1),
});
export type LabelScheme = z.infer<typeof LabelSchemeSchema>;

export const SplitNamesSchema = z.record(z.string(), z.string());
/** Split id (as a string key) to its display name, e.g. { "0": "train" }. Editable. */
export type SplitNames = z.infer<typeof SplitNamesSchema>;

/** A dataset's format as stored (formats/registry.ts maps each to its format). Only ever added to. */
export const SourceFormatSchema = z.enum([
  'raf-ce',
  'raf-db-basic',
  'raf-db-compound',
  'generic-csv',
  'raf-au',
  'abaw',
  'bp4d',
  'disfa',
  'ck-plus',
  'openface',
  'whitespace-table',
]);
export type SourceFormat = z.infer<typeof SourceFormatSchema>;

/** How one input file was written, so that an export can reproduce it byte for byte. */
export const SourceFileSchema = z.object({
  name: z.string(),
  role: z.enum(['emotion', 'au', 'split', 'combined']),
  eol: z.enum(['\n', '\r\n']),
  finalNewline: z.boolean(),
  bom: z.boolean(),
  lines: z.number().int().min(0),
  /** How the bytes were decoded; absent means UTF-8. UTF-16 files are rare but must round-trip. */
  encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be']).optional(),
  /** Field separator of a generic CSV/TSV file; absent for the whitespace-separated formats. */
  delimiter: z.string().optional(),
  /** The header line exactly as written, for formats whose files start with one (ABAW, BP4D). */
  header: z.string().optional(),
  /**
   * The whitespace between the fields of a whitespace-separated file, when its lines
   * all use the same and it is not one space (two spaces, a tab); absent: one space.
   */
  separator: z.string().optional(),
  /**
   * What a file holds that its samples' AU strings cannot, in its format's own short
   * notation, so that an untouched export gives the file back (BP4D: the 9s of frames
   * coded in part; DISFA: intensities below the presence threshold).
   */
  sideValues: z.string().optional(),
});
export type SourceFile = z.infer<typeof SourceFileSchema>;

/** A file handed to the importer. */
export interface InputFile {
  name: string;
  bytes: Uint8Array;
}

export const AuTokenCountSchema = z.object({
  /** The token as written (case kept), e.g. `L12`, `5B`, `AD19`, `12L`. */
  token: z.string(),
  count: z.number().int().min(0),
  /** Parsed meaning; null when the token is outside the grammar. */
  au: z.number().int().nullable(),
  kind: z.enum(['AU', 'AD']).nullable(),
  side: SideSchema.nullable(),
  intensity: IntensitySchema.nullable(),
  /** FACS name, e.g. "Lip Corner Puller"; null when unknown. */
  name: z.string().nullable(),
  /** false: outside the grammar or not a FACS code: highlighted in the report. */
  known: z.boolean(),
});
export type AuTokenCount = z.infer<typeof AuTokenCountSchema>;

export const ParseReportSchema = z.object({
  version: z.literal(1),
  format: SourceFormatSchema,
  files: z.array(
    z.object({
      name: z.string(),
      role: SourceFileSchema.shape.role,
      lines: z.number().int(),
      accepted: z.number().int(),
      rejected: z.number().int(),
    }),
  ),
  /** Non-blank data lines read over all files. */
  rowsRead: z.number().int(),
  /** Samples accepted after joining files by image name. */
  samples: z.number().int(),
  /** Problems, capped (see problemsTruncated); problemCounts counts them all. */
  problems: z.array(ProblemSchema),
  problemsTruncated: z.boolean(),
  problemCounts: z.record(z.string(), z.number().int()),
  auTokens: z.array(AuTokenCountSchema),
  nullCount: z.number().int(),
  codedCount: z.number().int(),
  absentCount: z.number().int(),
  classCounts: z.array(
    z.object({
      classId: z.number().int(),
      name: z.string(),
      count: z.number().int(),
      nullCount: z.number().int(),
    }),
  ),
  splitCounts: z.array(
    z.object({
      split: z.number().int(),
      name: z.string(),
      count: z.number().int(),
      nullCount: z.number().int(),
    }),
  ),
  /** Image files given that no label names. */
  imagesWithoutLabels: z.object({ count: z.number().int(), examples: z.array(z.string()) }),
  /** Samples whose image was not given (only meaningful when images were given). */
  labelsWithoutImages: z.object({ count: z.number().int(), examples: z.array(z.string()) }),
  imagesGiven: z.number().int(),
  /**
   * Samples whose AU label codes one AU (or action descriptor) twice, sides and
   * intensities aside (`26+26`, `L12+12`): SampleFlag.duplicateAuToken. Absent in
   * reports made before it was counted.
   */
  duplicateAuTokens: z
    .object({
      count: z.number().int(),
      examples: z.array(z.object({ image: z.string(), au: z.string() })),
    })
    .optional(),
});
export type ParseReport = z.infer<typeof ParseReportSchema>;
