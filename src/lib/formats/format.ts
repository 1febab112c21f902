import type { CsvMapping } from './generic-table/csv';
import type { SampleLabels } from '../labels/types';
import type { ReadResult } from '../labels/records';
import type { ReportFile } from '../labels/report';
import type {
  InputFile,
  LabelScheme,
  Problem,
  SampleTable,
  SourceFile,
  SourceFormat,
  SplitNames,
} from '../labels/types';

/**
 * What every label format is, behind one interface (in the manner of a well-kept
 * importer registry): how its files are recognised, read, written back for a drop-in
 * export, and described. Each format lives in its own folder with its fixtures and
 * tests; registry.ts lists them, and the importer, the export and the import screen
 * only ever ask the registry. Adding a format is a folder and one line there.
 */

/** The start of a file, enough to tell what it is without reading it all. */
export interface FileHead {
  /** The name as given, folders included (`compound/EmoLabel/list_patition_label.txt`). */
  name: string;
  /** The whole file's size in bytes. */
  size: number;
  /** Its first bytes (at most HEAD_BYTES), cut anywhere. */
  head: Uint8Array;
}

/** Bytes of a file's start that detection looks at. */
export const HEAD_BYTES = 64 * 1024;

export function fileHead(file: InputFile): FileHead {
  return { name: file.name, size: file.bytes.length, head: file.bytes.subarray(0, HEAD_BYTES) };
}

/**
 * How sure a format is that a file is one of its own. 'certain': the content has the
 * format's own marks (a header, a name pattern only it uses) and nothing against;
 * 'likely': the content fits and the name agrees, or only this format fits the
 * content; 'possible': the content fits, but other formats' files look the same.
 */
export type Confidence = 'certain' | 'likely' | 'possible';

export const CONFIDENCE_RANK: Readonly<Record<Confidence, number>> = {
  certain: 3,
  likely: 2,
  possible: 1,
};

/** What a format makes of one file. */
export interface Detection {
  format: FormatId;
  /** What the file holds in the format, e.g. RAF-CE's 'emotion', 'au' or 'split'. */
  role: SourceFile['role'];
  confidence: Confidence;
  /** In plain words, for the import screen: "AU strings after image names". */
  why: string;
}

/** Settings a format may take from the user; each format reads the ones it knows. */
export interface FormatSettings {
  /** A generic table's columns: guessed from the header when absent. */
  csvMapping?: CsvMapping;
  /** An intensity at or above this is a present AU (DISFA: 2 by common use; some use 1). */
  presenceThreshold?: number;
}

export interface FormatReadInput {
  /** The files of this format in the import, each with what detection made of it (or the role the user gave). */
  files: readonly { file: InputFile; role: SourceFile['role'] }[];
  /** A scheme the user chose; otherwise the format's own. */
  scheme?: LabelScheme;
  settings: FormatSettings;
  /** Files already read as they streamed in (streamingReader), by file name. */
  alreadyRead?: ReadonlyMap<string, ReadResult>;
  /** Told how many rows of a file read whole are checked, now and then. */
  onRowsChecked?: (done: number, total: number) => void;
}

export interface FormatRead {
  /** The stored format id (a format may have several, as RAF-DB has basic and compound). */
  format: SourceFormat;
  /** null when nothing gives emotion classes (AU-only files). */
  scheme: LabelScheme | null;
  splitNames: SplitNames;
  /** One read per file, joined by image name into the sample table. */
  reads: { file: InputFile; role: SourceFile['role']; read: ReadResult }[];
  /** Files the format refused as a whole (a second file for one role, say). */
  problems: Problem[];
  /** A generic table's columns and the mapping used, so that it can be edited. */
  csv?: { file: string; columns: string[]; mapping: CsvMapping } | null;
  /**
   * For formats of many files (one per video) read into a few joined reads: every
   * file as the writer needs it back, and as the parse report lists it. Absent: one
   * per read.
   */
  sourceFiles?: SourceFile[];
  reportFiles?: ReportFile[];
}

/** What a drop-in writer is given. */
export interface LabelWriterInput {
  format: SourceFormat;
  table: SampleTable;
  /** The labels to write (corrected or original, see exportLabels). */
  labels: SampleLabels;
  /** Samples to write, in the order to write them. */
  kept: Int32Array;
  scheme: LabelScheme;
  splitNames: SplitNames;
  sourceFiles: readonly SourceFile[];
  /** For a generic CSV: the original header and column mapping (ImportResult.csv). */
  csv?: { columns: readonly string[]; mapping: CsvMapping } | null;
}

export interface ExportFile {
  /** Path inside the export (the bundle puts label files under `labels/`). */
  path: string;
  bytes: Uint8Array;
}

/** A reader fed a file's bytes as they arrive, for formats whose files can be huge. */
export interface StreamingFileReader {
  readonly rowsRead: number;
  /** false: stop reading (the reader has what it needs). */
  push(chunk: Uint8Array): boolean;
  finish(): ReadResult;
}

export interface LabelFormat {
  id: FormatId;
  /** As people call it: "RAF-CE", "Aff-Wild2 / ABAW". */
  name: string;
  /** The files it reads, in a line for the import screen. */
  files: string;
  /** The stored format ids this format reads into (SourceFormat). */
  sourceFormats: readonly SourceFormat[];
  /** What its files can be; with more than one, the import screen lets the user say which a file is. */
  roles?: readonly SourceFile['role'][];
  /** What the format makes of a file, from its content with its name as a hint; null: not one of its files. */
  detect(file: FileHead): Detection | null;
  /** Reads the import's files of this format. Never throws on bad input: problems. */
  read(input: FormatReadInput): FormatRead;
  /**
   * A reader that takes the file as it streams in, never holding it whole: for the
   * formats whose files reach gigabytes. Absent: the file is read whole (up to
   * MAX_WHOLE_FILE_BYTES).
   */
  streamingReader?(
    name: string,
    role: SourceFile['role'],
    options: { scheme?: LabelScheme; alignWith?: ReadResult['rows']['names']; sizeHint: number },
  ): StreamingFileReader | null;
  /** The drop-in label files of an export, in this format's layout. */
  write(input: LabelWriterInput): ExportFile[];
  /** How the export's README names the label files, for a stored format id. */
  readmeName(format: SourceFormat): string;
  /**
   * For video datasets, whose samples are frames: each sample's name is
   * `<video>/<frame>` (the video: everything before the last `/`), and this gives the
   * subject a video shows (`F001_T1` -> `F001`), or null when the video name does not
   * say. Absent: the samples are stills, not frames.
   */
  subjectOf?(video: string): string | null;
  /**
   * The AUs this format codes, in its own order: the AU matrix's columns for its
   * datasets, the same for every export. Absent: the format codes any FACS AU, and the
   * matrix takes the AUs of the whole dataset (see export/matrix.ts).
   */
  auVocabulary?: readonly number[];
}

/** The formats the registry knows (one folder each). */
export type FormatId =
  | 'raf-ce'
  | 'raf-db'
  | 'raf-au'
  | 'abaw'
  | 'bp4d'
  | 'disfa'
  | 'ck-plus'
  | 'openface'
  | 'whitespace-table'
  | 'generic-table';
