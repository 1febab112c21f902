import { readCsvHeader, readGenericCsv, type CsvMapping } from './csv';

export type { CsvMapping } from './csv';
import { matchImages, type ImageMatch } from './images';
import { makeProblem, type ReadResult } from './records';
import { rafCeRole, readRafCe, RAFCE_FILE_NAMES, type RafCeRole } from './rafce';
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
): ImportResult {
  let givenScheme: LabelScheme | undefined;
  if (options.schemeId !== undefined) {
    givenScheme = schemeById(options.schemeId);
    if (!givenScheme) throw new Error(`importLabelFiles: unknown scheme id '${options.schemeId}'`);
  }

  const problems: Problem[] = [];
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
    for (const { file, kind } of chosen) {
      if (kind.family !== 'raf-ce') continue;
      reads.push({ file, role: kind.role, read: readRafCe(file, kind.role, rafCeScheme) });
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
          records: [],
          problems: header.problems,
          rowsRead: 0,
          source: null,
        };
        reads.push({ file, role: 'combined', read });
        continue;
      }
      const read = readGenericCsv(file, mapping, givenScheme);
      scheme = read.scheme;
      splitNames = read.splitNames;
      reads.push({ file, role: 'combined', read });
    }
  }

  for (const { read } of reads) problems.push(...read.problems);
  // A file that could not be decoded is no evidence that an image is missing from it.
  const sources: LabelSource[] = reads
    .filter(({ read }) => read.source !== null)
    .map(({ file, role, read }) => ({ file: file.name, role, records: read.records }));
  const joined =
    sources.length > 0 ? buildSampleTable(sources) : { table: emptySampleTable(), problems: [] };
  problems.push(...joined.problems);
  const table = joined.table;

  let imageMatch: ImageMatch | null = null;
  if (options.imageNames) {
    imageMatch = matchImages(table, options.imageNames, reads[0]?.file.name ?? 'labels');
    table.flags = imageMatch.flags;
    problems.push(...imageMatch.problems);
  }

  const finalScheme = scheme ?? NO_EMOTION_SCHEME;
  const report = buildParseReport({
    format,
    // The stand-in scheme's class would only show as an empty row in the report.
    scheme,
    splitNames,
    table,
    files: reads.map(({ file, role, read }) => ({
      name: file.name,
      role,
      lines: read.rowsRead,
      accepted: read.records.length,
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
