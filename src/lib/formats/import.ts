import { matchImages, type ImageMatch } from '../labels/images';
import { makeProblem, type ReadResult } from '../labels/records';
import { buildParseReport } from '../labels/report';
import {
  RAFDB_BASIC_SCHEME,
  RAFDB_COMPOUND_SCHEME,
  NO_EMOTION_SCHEME,
  schemeById,
} from '../labels/schemes';
import { LongLineFilter, concatBytes } from '../labels/text';
import type { TextColumn } from '../labels/text-column';
import type { AuValueIds } from '../labels/records';
import { buildSampleTable, emptySampleTable, type LabelSource } from '../labels/table';
import type {
  InputFile,
  LabelScheme,
  ParseReport,
  Problem,
  SampleTable,
  SourceFile,
  SourceFormat,
  SplitNames,
} from '../labels/types';
import {
  HEAD_BYTES,
  fileHead,
  type FileHead,
  type FormatRead,
  type FormatReadInput,
} from './format';
import type { CsvMapping } from './generic-table/csv';
import { FORMATS, detectImport, formatById, formatOf, type ImportDetection } from './registry';

export type { CsvMapping } from './generic-table/csv';

export interface ImportOptions {
  /** Read the files as this format instead of detecting it from their content and names. */
  format?: SourceFormat;
  /** What each file is in that format, by file name, where the user said so. */
  roles?: Readonly<Record<string, SourceFile['role']>>;
  /** A built-in scheme id (see BUILTIN_SCHEMES); an unknown id is a programming bug and throws. */
  schemeId?: string;
  /** An intensity at or above this is a present AU, for formats coding intensities (DISFA). */
  presenceThreshold?: number;
  /** Column mapping for a generic CSV/TSV; guessed from the header when absent. */
  csvMapping?: CsvMapping;
  /** Image file names (with folders) to match labels against. */
  imageNames?: string[];
}

export interface ImportResult {
  format: SourceFormat;
  /** What detection made of each file, and whether the choice of format was unsure. */
  detection: ImportDetection;
  /** NO_EMOTION_SCHEME when nothing gives emotion classes (a CSV without an emotion column). */
  scheme: LabelScheme;
  splitNames: SplitNames;
  table: SampleTable;
  sourceFiles: SourceFile[];
  report: ParseReport;
  /** Every problem (the report keeps only the first MAX_REPORT_PROBLEMS). */
  problems: Problem[];
  /** null when no image names were given. */
  imageMatch: ImageMatch | null;
  /** For a generic CSV/TSV: its columns and the mapping used (given or guessed), so it can be edited. */
  csv: { file: string; columns: string[]; mapping: CsvMapping } | null;
  /** Each sample's AU value, dictionary-encoded (parsed once per distinct value); undefined when no file gives AUs. */
  auValues?: AuValueIds;
}

function ignoredFile(file: InputFile, message: string): Problem {
  return makeProblem(file.name, 0, 'unknown-file', 'error', 'file', file.name, message);
}

/** What the import screen says the importer knows, when a file is none of it. */
function knownFormats(): string {
  return `it reads ${FORMATS.map((f) => f.name).join(', ')}`;
}

/**
 * The one entry point: detect the format, read each file, join them by image name,
 * match images, and report. Bad input never throws: it becomes problems.
 */
export function importLabelFiles(
  files: readonly InputFile[],
  options: ImportOptions = {},
  /** Files already read as they streamed in (importLabelStreams), by file name. */
  alreadyRead?: ReadonlyMap<string, ReadResult>,
  /** Told how many rows of a CSV file are checked, now and then (its rows are read whole). */
  onRowsChecked?: (done: number, total: number) => void,
  /** Problems found before the files came here (a file too large to read whole). */
  earlierProblems: readonly Problem[] = [],
  /** The files' starts, where their bytes are not all here (they were read as they streamed). */
  heads?: ReadonlyMap<string, FileHead>,
): ImportResult {
  let givenScheme: LabelScheme | undefined;
  if (options.schemeId !== undefined) {
    givenScheme = schemeById(options.schemeId);
    if (!givenScheme) throw new Error(`importLabelFiles: unknown scheme id '${options.schemeId}'`);
  }
  // Told RAF-DB basic or compound, the scheme follows.
  if (!givenScheme && options.format === 'raf-db-basic') givenScheme = RAFDB_BASIC_SCHEME;
  if (!givenScheme && options.format === 'raf-db-compound') givenScheme = RAFDB_COMPOUND_SCHEME;

  const problems: Problem[] = [...earlierProblems];
  /** Files not read, or not all read, each with why: listed in the files' order. */
  const fileProblems: Problem[] = [];
  const detection = detectImport(files.map((file) => heads?.get(file.name) ?? fileHead(file)));
  const forced = options.format ? formatOf(options.format) : null;
  const format = forced ?? (detection.format ? formatById(detection.format) : null);

  const chosen: FormatReadInput['files'][number][] = [];
  files.forEach((file, at) => {
    const detections = (detection.files[at] as ImportDetection['files'][number]).detections;
    const own = format ? detections.find((d) => d.format === format.id) : undefined;
    const role = options.roles?.[file.name] ?? own?.role;
    if (format && role) {
      chosen.push({ file, role });
      return;
    }
    const best = detections[0];
    if (!best) {
      const size = heads?.get(file.name)?.size ?? file.bytes.length;
      fileProblems.push(
        ignoredFile(
          file,
          size === 0
            ? 'the file is empty (0 bytes); ignored'
            : `not a label file this importer knows (${knownFormats()}); ignored`,
        ),
      );
    } else
      fileProblems.push(
        ignoredFile(
          file,
          `a ${formatById(best.format).name} file (${best.why}) in an import read as ${format?.name ?? 'another format'}; ignored`,
        ),
      );
  });

  // What the user said comes first: a role they gave wins over one detection gave.
  const said = options.roles ?? {};
  chosen.sort((a, b) => Number(b.file.name in said) - Number(a.file.name in said));
  const read: FormatRead = format
    ? format.read({
        files: chosen,
        ...(givenScheme ? { scheme: givenScheme } : {}),
        settings: {
          ...(options.csvMapping ? { csvMapping: options.csvMapping } : {}),
          ...(options.presenceThreshold !== undefined
            ? { presenceThreshold: options.presenceThreshold }
            : {}),
        },
        ...(alreadyRead ? { alreadyRead } : {}),
        ...(onRowsChecked ? { onRowsChecked } : {}),
      })
    : {
        format: options.format ?? 'generic-csv',
        scheme: null,
        splitNames: {},
        reads: [],
        problems: [],
      };
  appendAll(fileProblems, read.problems);
  const orderOf = new Map(files.map((file, at) => [file.name, at]));
  fileProblems.sort((a, b) => (orderOf.get(a.file) ?? 0) - (orderOf.get(b.file) ?? 0));
  appendAll(problems, fileProblems);
  const reads = read.reads;
  const scheme = givenScheme ?? read.scheme;
  const splitNames = read.splitNames;
  const csv = read.csv ?? null;
  const sourceFormat = read.format;

  // Loops, not push(...list): a file can hold a problem on each of a million lines.
  for (const { read } of reads) appendAll(problems, read.problems);
  // A file that could not be decoded is no evidence that an image is missing from it.
  const sources: LabelSource[] = reads
    .filter(({ read }) => read.source !== null)
    .map(({ file, role, read }) => ({ file: file.name, role, rows: read.rows }));
  const joined =
    sources.length > 0
      ? buildSampleTable(sources)
      : { table: emptySampleTable(), problems: [], auValues: undefined };
  appendAll(problems, joined.problems);
  const table = joined.table;

  let imageMatch: ImageMatch | null = null;
  if (options.imageNames) {
    imageMatch = matchImages(table, options.imageNames, reads[0]?.file.name ?? 'labels');
    table.flags = imageMatch.flags;
    appendAll(problems, imageMatch.problems);
  }

  const finalScheme = scheme ?? NO_EMOTION_SCHEME;
  const report = buildParseReport({
    auValues: joined.auValues,
    format: sourceFormat,
    // The stand-in scheme's class would only show as an empty row in the report.
    scheme,
    splitNames,
    table,
    files:
      read.reportFiles ??
      reads.map(({ file, role, read }) => ({
        name: file.name,
        role,
        lines: read.rowsRead,
        accepted: read.rows.count,
      })),
    problems,
    ...(imageMatch && options.imageNames
      ? {
          images: {
            given: options.imageNames.length,
            imagesWithoutLabels: imageMatch.imagesWithoutLabels,
            labelsWithoutImages: imageMatch.labelsWithoutImages,
          },
        }
      : {}),
  });

  return {
    format: sourceFormat,
    detection,
    scheme: finalScheme,
    splitNames,
    table,
    sourceFiles:
      read.sourceFiles ?? reads.flatMap(({ read }) => (read.source ? [read.source] : [])),
    report,
    problems,
    imageMatch,
    csv,
    ...(joined.auValues ? { auValues: joined.auValues } : {}),
  };
}

/** A label file to read as a stream: a File or Blob, or bytes already in memory. */
export interface LabelFileSource {
  name: string;
  size: number;
  stream(): ReadableStream<Uint8Array>;
}

export interface ReadProgress {
  bytesRead: number;
  bytesTotal: number;
  /** Non-blank lines read so far, over all files. */
  rowsRead: number;
  /** Files read to their end, of all files (a video dataset has hundreds). */
  filesDone: number;
  filesTotal: number;
}

const NO_BYTES = new Uint8Array(0);

/**
 * The largest file of a format read whole (RAF-DB lists, CSV) that is taken: its bytes,
 * its text and its rows are all held at once, so a bigger one could exhaust the tab.
 * RAF-CE files stream and have no such limit.
 */
export const MAX_WHOLE_FILE_BYTES = 512 * 1024 * 1024;

const formatMiB = (bytes: number) =>
  (bytes / (1024 * 1024)).toLocaleString('en', { maximumFractionDigits: 0 });

/**
 * importLabelFiles for files that arrive as streams. RAF-CE files, the large ones,
 * are read chunk by chunk straight into columns, so a file is never held whole as
 * text; the other formats are read whole, up to
 * MAX_WHOLE_FILE_BYTES. Resolves with null when the signal
 * aborts; nothing is kept then.
 */
export async function importLabelStreams(
  sources: readonly LabelFileSource[],
  options: ImportOptions = {},
  events: {
    onProgress?: (progress: ReadProgress) => void;
    /** After the reading, while the rows of a file read whole (a CSV) are checked. */
    onRowsChecked?: (done: number, total: number) => void;
    signal?: AbortSignal;
  } = {},
): Promise<ImportResult | null> {
  const { onProgress, onRowsChecked, signal } = events;
  const bytesTotal = sources.reduce((sum, source) => sum + source.size, 0);
  let bytesRead = 0;
  let rowsBefore = 0;
  let filesDone = 0;
  const filesTotal = sources.length;
  const scheme = options.schemeId ? schemeById(options.schemeId) : undefined;
  const streamed = new Map<string, ReadResult>();
  const bytesOf = new Map<LabelFileSource, Uint8Array>();
  // Every stream starts at once, so that each file's first bytes are on their way
  // while the files before it are parsed.
  const streams = new Map(sources.map((source) => [source, source.stream().getReader()]));
  const tooLarge: Problem[] = [];
  try {
    // The start of every file first: the format is told by content.
    const peeked = new Map<LabelFileSource, Uint8Array[]>();
    const heads = new Map<string, FileHead>();
    for (const source of sources) {
      const chunks = await peek(streams.get(source) as StreamReader, signal);
      if (chunks === null) return null;
      peeked.set(source, chunks);
      heads.set(source.name, {
        name: source.name,
        size: source.size,
        head: concatBytes(...chunks).subarray(0, HEAD_BYTES),
      });
    }
    const detection = detectImport(sources.map((source) => heads.get(source.name) as FileHead));
    const format = options.format
      ? formatOf(options.format)
      : detection.format
        ? formatById(detection.format)
        : null;
    const roleOf = (source: LabelFileSource, at: number) =>
      options.roles?.[source.name] ??
      (detection.files[at] as ImportDetection['files'][number]).detections.find(
        (d) => d.format === format?.id,
      )?.role;
    const rolesTaken = new Set<string>();
    let alignWith: TextColumn | undefined;
    const ordered = sources
      .map((source, at) => ({ source, role: roleOf(source, at) }))
      .sort((a, b) => readRank(a.role) - readRank(b.role));
    for (const { source, role } of ordered) {
      const stream = streams.get(source) as StreamReader;
      const first = peeked.get(source) as Uint8Array[];
      const reader =
        format?.streamingReader && role && !rolesTaken.has(role)
          ? format.streamingReader(source.name, role, {
              ...(scheme ? { scheme } : {}),
              ...(alignWith ? { alignWith } : {}),
              sizeHint: source.size,
            })
          : null;
      if (reader && role) {
        rolesTaken.add(role);
        const done = await pump(stream, first, signal, (chunk) => {
          bytesRead += chunk.length;
          const more = reader.push(chunk);
          onProgress?.({
            bytesRead,
            bytesTotal,
            rowsRead: rowsBefore + reader.rowsRead,
            filesDone,
            filesTotal,
          });
          return more;
        });
        if (!done) return null;
        const read = reader.finish();
        rowsBefore += read.rowsRead;
        filesDone++;
        // A last line without a line feed is only read at the end.
        onProgress?.({ bytesRead, bytesTotal, rowsRead: rowsBefore, filesDone, filesTotal });
        alignWith ??= read.source ? read.rows.names : undefined;
        streamed.set(source.name, read);
        bytesOf.set(source, NO_BYTES);
        continue;
      }
      // Read whole, but never with a huge line: those are cut short here, and the
      // reader reports them as too long (see LongLineFilter). Nor a huge file: its
      // bytes and its rows would both be held, so past a size it is refused unread.
      if (source.size > MAX_WHOLE_FILE_BYTES) {
        tooLarge.push(
          makeProblem(
            source.name,
            0,
            'file-too-large',
            'error',
            'file',
            source.name,
            `${formatMiB(source.size)} MiB: files in this format are read whole, and at most ` +
              `${formatMiB(MAX_WHOLE_FILE_BYTES)} MiB is taken; split the file, or convert it ` +
              'to the RAF-CE format, which is read as a stream; not read',
          ),
        );
        bytesOf.set(source, NO_BYTES);
        filesDone++;
        continue;
      }
      const filter = new LongLineFilter();
      const done = await pump(stream, first, signal, (chunk) => {
        bytesRead += chunk.length;
        filter.push(chunk);
        rowsBefore += countLineFeeds(chunk);
        onProgress?.({ bytesRead, bytesTotal, rowsRead: rowsBefore, filesDone, filesTotal });
        return true;
      });
      if (!done) return null;
      bytesOf.set(source, filter.bytes());
      filesDone++;
      onProgress?.({ bytesRead, bytesTotal, rowsRead: rowsBefore, filesDone, filesTotal });
    }
    const refused = new Set(tooLarge.map((p) => p.file));
    const files = sources
      .filter((source) => !refused.has(source.name))
      .map((source) => ({ name: source.name, bytes: bytesOf.get(source) ?? NO_BYTES }));
    return importLabelFiles(files, options, streamed, onRowsChecked, tooLarge, heads);
  } finally {
    // A stream not read to its end (a cancel, a failure) lets go of what it read ahead.
    for (const reader of streams.values()) void reader.cancel().catch(() => {});
  }
}

type StreamReader = ReadableStreamDefaultReader<Uint8Array>;

/** Lines in a chunk of a file read whole, for its progress by row (its rows are parsed after). */
function countLineFeeds(chunk: Uint8Array): number {
  let lines = 0;
  for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
  return lines;
}

/** Where a file is read: RAF-CE's roles in the join's order (later files reuse the first one's names), the rest after. */
const READ_ORDER: readonly (SourceFile['role'] | undefined)[] = ['emotion', 'au', 'split'];

function readRank(role: SourceFile['role'] | undefined): number {
  const at = READ_ORDER.indexOf(role);
  return at < 0 ? READ_ORDER.length : at;
}

/** The first chunks of a stream, HEAD_BYTES or more of them, or the whole stream when shorter; null when aborted. */
async function peek(
  reader: StreamReader,
  signal: AbortSignal | undefined,
): Promise<Uint8Array[] | null> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < HEAD_BYTES) {
    if (signal?.aborted) return null;
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  return chunks;
}

/** Feeds the chunks already read, then the rest of the stream, until take says stop (true) or the signal aborts (false). */
async function pump(
  reader: StreamReader,
  first: readonly Uint8Array[],
  signal: AbortSignal | undefined,
  take: (chunk: Uint8Array) => boolean,
): Promise<boolean> {
  for (const chunk of first) {
    if (signal?.aborted) return false;
    if (!take(chunk)) return true;
  }
  for (;;) {
    if (signal?.aborted) return false;
    const { done, value } = await reader.read();
    if (done) return true;
    if (!take(value)) return true;
  }
}

/** Appends items one by one: spreading a long list into push() overflows the call stack. */
function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** The name a dataset of these label files gets when nobody gives one (the import screen's, the command line's). */
export function suggestDatasetName(fileNames: readonly string[]): string {
  const first = fileNames[0] ?? 'Imported labels';
  const names = fileNames.map((name) => name.split('/').pop() ?? name);
  if (names.some((n) => n.startsWith('RAFCE_'))) return 'RAF-CE';
  if (names.some((n) => n === 'list_patition_label.txt')) return 'RAF-DB';
  return (first.split('/').pop() ?? first).replace(/\.[^.]+$/, '');
}
