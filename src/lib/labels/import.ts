import { readCsvHeader, readGenericCsv, type CsvMapping } from './csv';

export type { CsvMapping } from './csv';
import { matchImages, type ImageMatch } from './images';
import { emptyLabelColumns, makeProblem, type ReadResult } from './records';
import { rafCeRole, RafCeReader, readRafCe, RAFCE_FILE_NAMES, type RafCeRole } from './rafce';
import { isRafDbFileName, readRafDb } from './rafdb';
import { buildParseReport, type ReportFile } from './report';
import {
  RAFCE_SCHEME,
  RAFDB_BASIC_SCHEME,
  RAFDB_COMPOUND_SCHEME,
  NO_EMOTION_SCHEME,
  defaultSplitNames,
  schemeById,
} from './schemes';
import { LongLineFilter } from './text';
import type { TextColumn } from './text-column';
import { buildSampleTable, emptySampleTable, type LabelSource } from './table';
import type {
  InputFile,
  LabelScheme,
  ParseReport,
  Problem,
  SampleTable,
  SourceFile,
  SourceFormat,
  SplitNames,
} from './types';

export interface ImportOptions {
  /** Read the files as this format instead of detecting it from their names. */
  format?: SourceFormat;
  /** A built-in scheme id (see BUILTIN_SCHEMES); an unknown id is a programming bug and throws. */
  schemeId?: string;
  /** Column mapping for a generic CSV/TSV; guessed from the header when absent. */
  csvMapping?: CsvMapping;
  /** Image file names (with folders) to match labels against. */
  imageNames?: string[];
}

export interface ImportResult {
  format: SourceFormat;
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
}

type FormatFamily = 'raf-ce' | 'raf-db' | 'generic-csv';

export type DetectedFile =
  | { family: 'raf-ce'; role: RafCeRole }
  | { family: 'raf-db'; compound: boolean }
  | { family: 'generic-csv' }
  | { family: null };

const CSV_EXTENSION = /\.(csv|tsv|txt)$/i;

/** What a file is, from its name (and, for CSV/TSV/TXT, its header row). */
export function detectFile(file: InputFile): DetectedFile {
  const role = rafCeRole(file.name);
  if (role) return { family: 'raf-ce', role };
  if (isRafDbFileName(file.name))
    return { family: 'raf-db', compound: /compound/i.test(file.name) };
  if (CSV_EXTENSION.test(file.name)) {
    const header = readCsvHeader(file);
    // A file refused as a CSV (too many columns, lone CR line ends) is one: its
    // problem says why it is not read.
    if ('refused' in header) return { family: 'generic-csv' };
    if ('mapping' in header && header.mapping.image !== null && header.columns.length > 1) {
      return { family: 'generic-csv' };
    }
  }
  return { family: null };
}

function familyOf(format: SourceFormat): FormatFamily {
  return format === 'raf-db-basic' || format === 'raf-db-compound' ? 'raf-db' : format;
}

const FAMILY_NAMES: Readonly<Record<FormatFamily, string>> = {
  'raf-ce': 'RAF-CE',
  'raf-db': 'RAF-DB',
  'generic-csv': 'generic CSV/TSV',
};

function ignoredFile(file: InputFile, message: string): Problem {
  return makeProblem(file.name, 0, 'unknown-file', 'error', 'file', file.name, message);
}

/**
 * The one entry point: detect the format, read each file, join them by image name,
 * match images, and report. Bad input never throws: it becomes problems.
 */
export function importLabelFiles(
  files: readonly InputFile[],
  options: ImportOptions = {},
  /** RAF-CE files already read as they streamed in (importLabelStreams), by file name. */
  alreadyRead?: ReadonlyMap<string, ReadResult>,
  /** Told how many rows of a CSV file are checked, now and then (its rows are read whole). */
  onRowsChecked?: (done: number, total: number) => void,
  /** Problems found before the files came here (a file too large to read whole). */
  earlierProblems: readonly Problem[] = [],
): ImportResult {
  let givenScheme: LabelScheme | undefined;
  if (options.schemeId !== undefined) {
    givenScheme = schemeById(options.schemeId);
    if (!givenScheme) throw new Error(`importLabelFiles: unknown scheme id '${options.schemeId}'`);
  }

  const problems: Problem[] = [...earlierProblems];
  const detected = files.map((file) => {
    const kind = detectFile(file);
    // Told it is a CSV, a CSV whose header names no image column is read, so the
    // header problem is reported and the user can pick the column.
    const forcedCsv =
      kind.family === null && options.format === 'generic-csv' && CSV_EXTENSION.test(file.name);
    return { file, kind: forcedCsv ? ({ family: 'generic-csv' } as const) : kind };
  });
  const family: FormatFamily | null = options.format
    ? familyOf(options.format)
    : (detected.find((d) => d.kind.family !== null)?.kind.family ?? null);

  const chosen: typeof detected = [];
  const rafCeRolesTaken = new Map<RafCeRole, string>();
  for (const entry of detected) {
    const { file, kind } = entry;
    if (kind.family === null) {
      problems.push(
        ignoredFile(
          file,
          `not a label file this importer knows (${Object.values(RAFCE_FILE_NAMES).join(', ')}, ` +
            'list_patition_label.txt, or a CSV/TSV with a header naming an image column); ignored',
        ),
      );
    } else if (kind.family !== family) {
      problems.push(
        ignoredFile(
          file,
          `a ${FAMILY_NAMES[kind.family]} file in a ${FAMILY_NAMES[family as FormatFamily]} import; ignored`,
        ),
      );
    } else if (kind.family === 'raf-ce') {
      const first = rafCeRolesTaken.get(kind.role);
      if (first !== undefined) {
        problems.push(
          ignoredFile(file, `a second RAF-CE ${kind.role} file; only ${first} is read`),
        );
      } else {
        rafCeRolesTaken.set(kind.role, file.name);
        chosen.push(entry);
      }
    } else if (chosen.length > 0) {
      const first = (chosen[0] as (typeof detected)[number]).file.name;
      problems.push(
        ignoredFile(file, `only one ${FAMILY_NAMES[kind.family]} file is read (${first}); ignored`),
      );
    } else {
      chosen.push(entry);
    }
  }

  let format: SourceFormat =
    options.format ?? (family === 'raf-db' ? 'raf-db-basic' : (family ?? 'generic-csv'));
  let scheme: LabelScheme | null = givenScheme ?? (family === 'raf-ce' ? RAFCE_SCHEME : null);
  let splitNames: SplitNames = {};
  let csv: ImportResult['csv'] = null;
  const reads: { file: InputFile; role: ReportFile['role']; read: ReadResult }[] = [];

  if (family === 'raf-ce') {
    const rafCeScheme = scheme ?? RAFCE_SCHEME;
    // Read in the join's order, so that later files can reuse the first one's names.
    const byRole = new Map<InputFile, ReadResult>();
    let alignWith: TextColumn | undefined;
    for (const { file, kind } of sortByRafCeRole(chosen)) {
      const read =
        alreadyRead?.get(file.name) ?? readRafCe(file, kind.role, rafCeScheme, alignWith);
      alignWith ??= read.source ? read.rows.names : undefined;
      byRole.set(file, read);
    }
    for (const { file, kind } of chosen) {
      const read = byRole.get(file);
      if (read && kind.family === 'raf-ce') reads.push({ file, role: kind.role, read });
    }
    splitNames = defaultSplitNames('raf-ce');
  } else if (family === 'raf-db') {
    const forced =
      givenScheme ??
      (options.format === 'raf-db-basic'
        ? RAFDB_BASIC_SCHEME
        : options.format === 'raf-db-compound'
          ? RAFDB_COMPOUND_SCHEME
          : undefined);
    for (const { file } of chosen) {
      const read = readRafDb(file, forced);
      scheme = read.scheme;
      reads.push({ file, role: 'combined', read });
    }
    scheme ??= forced ?? RAFDB_BASIC_SCHEME;
    if (!options.format)
      format = scheme.id === RAFDB_COMPOUND_SCHEME.id ? 'raf-db-compound' : 'raf-db-basic';
    splitNames = defaultSplitNames(format);
  } else if (family === 'generic-csv') {
    for (const { file } of chosen) {
      const header = readCsvHeader(file);
      const mapping = options.csvMapping ?? ('mapping' in header ? header.mapping : null);
      if ('mapping' in header) {
        csv = { file: file.name, columns: header.columns, mapping: mapping ?? header.mapping };
      }
      if (!mapping) {
        const read: ReadResult = {
          rows: emptyLabelColumns(),
          problems: header.problems,
          rowsRead: 0,
          source: null,
        };
        reads.push({ file, role: 'combined', read });
        continue;
      }
      const read = readGenericCsv(file, mapping, givenScheme, onRowsChecked);
      scheme = read.scheme;
      splitNames = read.splitNames;
      reads.push({ file, role: 'combined', read });
    }
  }

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
    format,
    // The stand-in scheme's class would only show as an empty row in the report.
    scheme,
    splitNames,
    table,
    files: reads.map(({ file, role, read }) => ({
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
    format,
    scheme: finalScheme,
    splitNames,
    table,
    sourceFiles: reads.flatMap(({ read }) => (read.source ? [read.source] : [])),
    report,
    problems,
    imageMatch,
    csv,
  };
}

const RAF_CE_READ_ORDER: readonly RafCeRole[] = ['emotion', 'au', 'split'];

/** Where a file is read: the RAF-CE roles in the join's order (so that later files can reuse the first one's names), other files last. */
function readRank(role: RafCeRole | null): number {
  return role ? RAF_CE_READ_ORDER.indexOf(role) : RAF_CE_READ_ORDER.length;
}

function sortByRafCeRole<T extends { kind: DetectedFile }>(
  entries: readonly T[],
): (T & { kind: { family: 'raf-ce'; role: RafCeRole } })[] {
  const rafCe = entries.filter(
    (entry): entry is T & { kind: { family: 'raf-ce'; role: RafCeRole } } =>
      entry.kind.family === 'raf-ce',
  );
  return rafCe.sort((a, b) => readRank(a.kind.role) - readRank(b.kind.role));
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
  const readAsRafCe = options.format === undefined || options.format === 'raf-ce';
  const scheme = (options.schemeId && schemeById(options.schemeId)) || RAFCE_SCHEME;
  const streamed = new Map<string, ReadResult>();
  const bytesOf = new Map<LabelFileSource, Uint8Array>();
  const rolesTaken = new Set<RafCeRole>();
  let alignWith: TextColumn | undefined;

  const ordered = sources
    .map((source) => ({ source, role: readAsRafCe ? rafCeRole(source.name) : null }))
    .sort((a, b) => readRank(a.role) - readRank(b.role));
  // Every stream starts at once, so that each file's first bytes are on their way
  // while the files before it are parsed.
  // A file that will be refused as too large is never opened.
  const streams = new Map(
    ordered
      .filter(({ source, role }) => role || source.size <= MAX_WHOLE_FILE_BYTES)
      .map(({ source }) => [source, source.stream()]),
  );
  const tooLarge: Problem[] = [];
  try {
    for (const { source, role } of ordered) {
      const stream = streams.get(source);
      if (role && !rolesTaken.has(role) && stream) {
        rolesTaken.add(role);
        const reader = new RafCeReader(source.name, role, {
          scheme,
          alignWith,
          sizeHint: source.size,
        });
        const done = await pump(stream, signal, (chunk) => {
          bytesRead += chunk.length;
          const more = reader.push(chunk);
          onProgress?.({ bytesRead, bytesTotal, rowsRead: rowsBefore + reader.rowsRead });
          return more;
        });
        if (!done) return null;
        const read = reader.finish();
        rowsBefore += read.rowsRead;
        // A last line without a line feed is only read at the end.
        onProgress?.({ bytesRead, bytesTotal, rowsRead: rowsBefore });
        alignWith ??= read.source ? read.rows.names : undefined;
        streamed.set(source.name, read);
        bytesOf.set(source, NO_BYTES);
      } else {
        // Read whole, but never with a huge line: those are cut short here, and the
        // reader reports them as too long (see LongLineFilter). Nor a huge file: its
        // bytes and its rows would both be held, so past a size it is refused unread.
        if (source.size > MAX_WHOLE_FILE_BYTES || !stream) {
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
          continue;
        }
        const filter = new LongLineFilter();
        const done = await pump(stream, signal, (chunk) => {
          bytesRead += chunk.length;
          filter.push(chunk);
          onProgress?.({ bytesRead, bytesTotal, rowsRead: rowsBefore });
          return true;
        });
        if (!done) return null;
        bytesOf.set(source, filter.bytes());
      }
    }
  } finally {
    // A stream not read to its end (a cancel, a failure) lets go of what it read ahead.
    for (const stream of streams.values()) if (!stream.locked) void stream.cancel().catch(() => {});
  }
  const refused = new Set(tooLarge.map((p) => p.file));
  const files = sources
    .filter((source) => !refused.has(source.name))
    .map((source) => ({ name: source.name, bytes: bytesOf.get(source) ?? NO_BYTES }));
  return importLabelFiles(files, options, streamed, onRowsChecked, tooLarge);
}

/** Reads a stream to its end, or until take says stop (true) or the signal aborts (false). */
async function pump(
  stream: ReadableStream<Uint8Array>,
  signal: AbortSignal | undefined,
  take: (chunk: Uint8Array) => boolean,
): Promise<boolean> {
  const reader = stream.getReader();
  try {
    for (;;) {
      if (signal?.aborted) return false;
      const { done, value } = await reader.read();
      if (done) return true;
      if (!take(value)) return true;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}

/** Appends items one by one: spreading a long list into push() overflows the call stack. */
function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
