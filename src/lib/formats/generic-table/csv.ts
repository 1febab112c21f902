import Papa from 'papaparse';
import { z } from 'zod';
import {
  baseName,
  ImagesSeen,
  isCanonicalInteger,
  isDuplicateImage,
  makeProblem,
  nonCanonicalIdMessage,
  parseInteger,
  auValueReader,
  sourceFileOf,
} from '../../labels/records';
import {
  columnsFromRecords,
  emptyLabelColumns,
  type LabelRecord,
  type ReadResult,
} from '../../labels/records';
import { hasClass, schemeFromClassNames } from '../../labels/schemes';
import {
  decodeText,
  longLineProblem,
  loneCrProblem,
  MAX_LINE_BYTES,
  utf8Length,
  type DecodedText,
} from '../../labels/text';
import type { InputFile, LabelScheme, Problem, SplitNames } from '../../labels/types';

/**
 * Generic CSV/TSV with a header row. papaparse does the field splitting, because
 * quoted fields (`"a, b.jpg"`, quotes doubled inside, newlines inside) are where
 * hand-written splitters go wrong.
 */

export const CsvMappingSchema = z.object({
  image: z.string().nullable(),
  emotion: z.string().nullable(),
  au: z.string().nullable(),
  split: z.string().nullable(),
});
/** Header column name for each role; null = not in the file. */
export type CsvMapping = z.infer<typeof CsvMappingSchema>;
export type CsvRole = keyof CsvMapping;

const CSV_ROLES: readonly CsvRole[] = ['image', 'emotion', 'au', 'split'];

/** Column names (normalised: lower-case, runs of other characters as `_`) taken as each role. */
const EXACT_NAMES: Readonly<Record<CsvRole, readonly string[]>> = {
  image: [
    'image',
    'images',
    'img',
    'file',
    'filename',
    'file_name',
    'name',
    'path',
    'filepath',
    'file_path',
    'image_name',
    'imagename',
    'image_path',
    'image_id',
    'img_name',
    'img_path',
    'image_file',
  ],
  emotion: [
    'emotion',
    'emotions',
    'label',
    'labels',
    'class',
    'class_id',
    'classid',
    'class_name',
    'expression',
    'emotion_label',
    'emotion_id',
    'emotion_class',
    'expression_label',
    'category',
    'emo',
  ],
  au: [
    'au',
    'aus',
    'action_units',
    'action_unit',
    'actionunits',
    'facs',
    'au_label',
    'au_labels',
    'au_string',
    'facs_code',
    'facs_codes',
  ],
  split: ['split', 'partition', 'set', 'subset', 'fold', 'usage', 'phase'],
};

/** Looser second pass; AU is left out so per-AU columns such as `AU01_r` are not taken for it. */
const NAME_PARTS: Readonly<Record<CsvRole, readonly string[]>> = {
  image: ['image', 'img', 'file', 'path'],
  emotion: ['emotion', 'expression', 'label', 'class'],
  au: ['facs', 'action_unit'],
  split: ['split', 'partition'],
};

function normaliseColumn(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

export function guessCsvMapping(columns: readonly string[]): CsvMapping {
  const mapping: CsvMapping = { image: null, emotion: null, au: null, split: null };
  const taken = new Set<string>();
  const normalised = columns.map(normaliseColumn);
  const pass = (matches: (column: string, role: CsvRole) => boolean) => {
    for (const role of CSV_ROLES) {
      if (mapping[role] !== null) continue;
      const index = normalised.findIndex(
        (column, i) => !taken.has(columns[i] as string) && matches(column, role),
      );
      if (index >= 0) {
        mapping[role] = columns[index] as string;
        taken.add(columns[index] as string);
      }
    }
  };
  pass((column, role) => EXACT_NAMES[role].includes(column));
  pass((column, role) => NAME_PARTS[role].some((part) => column.includes(part)));
  return mapping;
}

export interface CsvRow {
  line: number;
  cells: string[];
  errors: Papa.ParseError[];
}

const NO_ERRORS: Papa.ParseError[] = [];

/** 1-based line of each character offset, by binary search over the line starts. */
function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

const DELIMITERS = [',', '\t', ';', '|'] as const;

/**
 * The separator the header row uses most (quotes skipped). papaparse can guess too,
 * but its guess on a small file is thrown off by a final empty line.
 */
/** The first line that is not blank ('' when none), without splitting the whole text. */
function firstNonBlankLine(text: string): string {
  for (let start = 0; start < text.length;) {
    const lf = text.indexOf('\n', start);
    const line = text.slice(start, lf < 0 ? text.length : lf);
    if (line.trim() !== '') return line;
    if (lf < 0) break;
    start = lf + 1;
  }
  return '';
}

export function guessDelimiter(text: string, fileName = ''): string {
  if (/\.tsv$/i.test(fileName)) return '\t';
  const headerLine = firstNonBlankLine(text);
  const unquoted = headerLine.replace(/"[^"]*"/g, '');
  let best: string = DELIMITERS[0];
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = unquoted.split(delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

/** Where the line `lines` ends (after its line feed), or the text's end when it has fewer. */
function endOfLine(text: string, lines: number): number {
  let at = -1;
  for (let k = 0; k < lines; k++) {
    at = text.indexOf('\n', at + 1);
    if (at < 0) return text.length;
  }
  return at + 1;
}

export function parseRows(
  text: string,
  fileName: string,
  maxRows = 0,
  /** 'papa' always uses papaparse (the tests compare the two ways). */
  way: 'fastest' | 'papa' = 'fastest',
): { rows: CsvRow[]; delimiter: string } {
  const delimiter = guessDelimiter(text, fileName);
  // Only the first rows wanted (the header): the lines after them are not split. A
  // quote further on cannot change the rows before it.
  if (maxRows > 0) text = text.slice(0, endOfLine(text, maxRows));
  // Without quotes or carriage returns, a row is a line and a cell what lies between
  // delimiters: native splits give papaparse's rows several times faster.
  if (way === 'fastest' && !text.includes('"') && !text.includes('\r')) {
    const lines = text.split('\n');
    // A final line feed ends the last row; it does not start an empty one.
    if (lines[lines.length - 1] === '') lines.pop();
    const count = maxRows > 0 ? Math.min(maxRows, lines.length) : lines.length;
    const rows = new Array<CsvRow>(count);
    for (let i = 0; i < count; i++)
      rows[i] = { line: i + 1, cells: (lines[i] as string).split(delimiter), errors: NO_ERRORS };
    return { rows, delimiter };
  }
  const rows: CsvRow[] = [];
  const lineOf = lineLocator(text);
  let rowStart = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: false,
    preview: maxRows,
    step: (result) => {
      // papaparse yields an empty row after a final newline: not a line of the file.
      if (rowStart < text.length) {
        rows.push({ line: lineOf(rowStart), cells: result.data, errors: result.errors });
      }
      rowStart = result.meta.cursor;
    },
  });
  return { rows, delimiter };
}

const isBlankRow = (row: CsvRow) => row.cells.every((cell) => cell.trim() === '');

/**
 * Columns a header may have. Each is an option in four menus of the mapping form, and
 * every row is split into as many cells: 20,000 columns froze the page for seconds.
 */
export const MAX_CSV_COLUMNS = 1000;

const numberFormat = new Intl.NumberFormat('en');

/**
 * Column names as the mapping form lists them: each once (a repeat gets ` (2)`, ` (3)`...)
 * and none empty (`(column 3)`), since a menu tells columns apart by name.
 */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name, i) => {
    const base = name === '' ? `(column ${i + 1})` : name;
    let unique = base;
    for (let n = 2; used.has(unique); n++) unique = `${base} (${n})`;
    used.add(unique);
    return unique;
  });
}

export interface CsvHeader {
  /** The names as the mapping uses them: made unique, see uniqueColumnNames. */
  columns: string[];
  mapping: CsvMapping;
  delimiter: string;
  /** 1-based line of the header row. */
  headerLine: number;
  problems: Problem[];
  /** What a read reports besides its rows' problems: renamed columns, long lines above the header. */
  notes: Problem[];
}

/** A file that looks like a CSV but is not read at all: its problems say why. */
export interface CsvRefused {
  problems: Problem[];
  refused: true;
}

/**
 * The data rows of a file, visited in order. A file without quotes or carriage returns
 * hands out each row as its line is split, and keeps none: a million rows held at once
 * cost most of a large CSV's time in garbage collection.
 */
interface CsvRows {
  count: number;
  forEach(visit: (row: CsvRow, index: number) => void): void;
}

function rowsOfArray(rows: readonly CsvRow[]): CsvRows {
  return { count: rows.length, forEach: (visit) => rows.forEach(visit) };
}

/** The rows of text's lines from the one at `from` (0-based) on, split at delimiter. */
function rowsOfLines(text: string, from: number, delimiter: string): CsvRows {
  const start = from === 0 ? 0 : endOfLine(text, from);
  // A final line feed ends the last row; it does not start an empty one.
  const end = text.endsWith('\n') ? text.length - 1 : text.length;
  let count = 0;
  if (start <= end && start < text.length) {
    count = 1;
    for (let at = text.indexOf('\n', start); at >= 0 && at < end; at = text.indexOf('\n', at + 1))
      count++;
  }
  return {
    count,
    forEach(visit) {
      let at = start;
      for (let index = 0; index < count; index++) {
        const lf = text.indexOf('\n', at);
        const stop = lf < 0 || lf > end ? end : lf;
        visit(
          {
            line: from + index + 1,
            cells: text.slice(at, stop).split(delimiter),
            errors: NO_ERRORS,
          },
          index,
        );
        at = stop + 1;
      }
    },
  };
}

/** 'whole' splits every row before reading any (a file the lazy read cannot start on). */
type CsvReadWay = 'fastest' | 'whole';

interface ParsedCsv {
  decoded: DecodedText;
  header: CsvHeader;
  rows: CsvRows;
  /** Lines too long to read, by line: blank in the text, reported in their place. */
  longLines: ReadonlyMap<number, Problem>;
}

/** The line that holds a text offset (1-based). */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/**
 * Blanks the lines longer than MAX_LINE_BYTES (a file read whole has them cut short,
 * see LongLineFilter) and reports each. A line of fewer characters than a third of the
 * limit cannot be too long in bytes: the text is stepped through by that much, so a
 * file of short lines costs a few searches.
 */
function blankLongLines(
  text: string,
  fileName: string,
): { text: string; longLines: Map<number, Problem> } {
  const longLines = new Map<number, Problem>();
  const step = Math.floor(MAX_LINE_BYTES / 3);
  const kept: string[] = [];
  let keptUpTo = 0;
  for (let start = 0; start + step < text.length;) {
    const lf = text.lastIndexOf('\n', start + step);
    if (lf >= start) {
      start = lf + 1;
      continue;
    }
    const next = text.indexOf('\n', start);
    const end = next < 0 ? text.length : next;
    const line = text.slice(start, end > start && text[end - 1] === '\r' ? end - 1 : end);
    if (utf8Length(line) > MAX_LINE_BYTES) {
      longLines.set(lineAt(text, start), longLineProblem(fileName, lineAt(text, start), line));
      kept.push(text.slice(keptUpTo, start));
      keptUpTo = end;
    }
    start = end + 1;
  }
  if (longLines.size === 0) return { text, longLines };
  kept.push(text.slice(keptUpTo));
  return { text: kept.join(''), longLines };
}

/** A carriage return that no line feed follows (a last one at the end of the text aside). */
const LONE_CR = /\r(?!\n|$)/;

function parseCsv(
  file: InputFile,
  maxRows = 0,
  way: CsvReadWay = 'fastest',
): ParsedCsv | CsvRefused | { problems: Problem[] } {
  const decoded = decodeText(file);
  if ('problem' in decoded) return { problems: [decoded.problem] };
  const loneCr = decoded.text.includes('\r') ? LONE_CR.exec(decoded.text) : null;
  if (loneCr) {
    const line = lineAt(decoded.text, loneCr.index);
    const lineStart = decoded.text.lastIndexOf('\n', loneCr.index) + 1;
    const lineText = decoded.text.slice(lineStart, lineStart + 200);
    return {
      problems: [loneCrProblem(file.name, line, lineText, 'the file is not read')],
      refused: true,
    };
  }
  const { text, longLines } = blankLongLines(decoded.text, file.name);
  // Files without quotes or carriage returns are split lazily, a line at a time (see
  // parseRows): their header is found among the first rows alone.
  const lazy = way === 'fastest' && maxRows === 0 && !text.includes('"') && !text.includes('\r');
  const { rows, delimiter } = parseRows(text, file.name, lazy ? HEADER_SCAN_ROWS : maxRows);
  const headerIndex = rows.findIndex((row) => !isBlankRow(row));
  const headerRow = rows[headerIndex];
  if (!headerRow) {
    // More blank rows than the scan reads: read the whole file (a rare file).
    if (lazy && rows.length === HEADER_SCAN_ROWS) return parseCsv(file, 0, 'whole');
    return {
      problems: [
        // A file of long lines only: each is said, not just that no row is left.
        ...longLines.values(),
        makeProblem(
          file.name,
          0,
          'header',
          'error',
          'header',
          '',
          'no header row: every row is empty',
        ),
      ],
      // A file of long lines only is a CSV still: its problems say why nothing is read.
      ...(longLines.size > 0 ? { refused: true as const } : {}),
    };
  }
  if (headerRow.cells.length > MAX_CSV_COLUMNS) {
    return {
      problems: [
        makeProblem(
          file.name,
          headerRow.line,
          'header',
          'error',
          'header',
          `${headerRow.cells.slice(0, 5).join(delimiter)}${delimiter}…`,
          `the header has ${numberFormat.format(headerRow.cells.length)} columns, more than the ` +
            `${numberFormat.format(MAX_CSV_COLUMNS)} this importer reads; the file is not read ` +
            '(save a copy with only the columns you need)',
        ),
      ],
      refused: true,
    };
  }
  const header = csvHeader(file, headerRow, delimiter);
  for (const [line, problem] of longLines) if (line < header.headerLine) header.notes.push(problem);
  header.problems.unshift(...header.notes);
  return {
    longLines,
    decoded,
    header,
    rows: lazy
      ? rowsOfLines(text, headerRow.line, delimiter)
      : rowsOfArray(rows.slice(headerIndex + 1)),
  };
}

function csvHeader(file: InputFile, headerRow: CsvRow, delimiter: string): CsvHeader {
  const written = headerRow.cells.map((cell) => cell.trim());
  const columns = uniqueColumnNames(written);
  const mapping = guessCsvMapping(columns);
  const problems: Problem[] = [];
  const notes: Problem[] = [];
  const renamed = columns.flatMap((column, i) =>
    column === written[i] ? [] : [`'${written[i]}' as '${column}'`],
  );
  if (renamed.length > 0) {
    notes.push(
      makeProblem(
        file.name,
        headerRow.line,
        'header',
        'warning',
        'header',
        written.join(delimiter).slice(0, 200),
        `column names repeated or empty in the header; shown as ${renamed.slice(0, 10).join(', ')}` +
          (renamed.length > 10 ? ` and ${renamed.length - 10} more` : ''),
      ),
    );
  }
  if (mapping.image === null) {
    problems.push(
      makeProblem(
        file.name,
        headerRow.line,
        'header',
        'error',
        'image',
        columns.join(delimiter),
        `no image column found in the header (looked for ${EXACT_NAMES.image.slice(0, 6).join(', ')} ...); choose one`,
      ),
    );
  }
  return { columns, mapping, delimiter, headerLine: headerRow.line, problems, notes };
}

/** Rows read to find the header (blank lines before it included); the rest is not parsed. */
const HEADER_SCAN_ROWS = 50;

/** Read only what is needed to choose a column mapping. */
export function readCsvHeader(file: InputFile): CsvHeader | CsvRefused | { problems: Problem[] } {
  const parsed = parseCsv(file, HEADER_SCAN_ROWS);
  return 'header' in parsed ? parsed.header : parsed;
}

export interface CsvReadResult extends ReadResult {
  /** The scheme given, or one built from the file (null when no emotion column is mapped). */
  scheme: LabelScheme | null;
  splitNames: SplitNames;
  columns: string[];
}

/** How a column's values are read: integers as ids, or names numbered by first appearance. */
interface ValueCoding {
  idOf(value: string): number | null;
  names: string[];
  byIds: boolean;
}

/**
 * A column is read as ids when most of its values are integers: one typo in an id
 * column should reject that row, not turn every id into a class name. counts: how
 * many rows hold each distinct value, in the order the values first appear.
 */
function codeValues(counts: ReadonlyMap<string, number>): ValueCoding {
  let present = 0;
  let integers = 0;
  for (const [value, count] of counts) {
    const trimmed = value.trim();
    if (trimmed === '') continue;
    present += count;
    if (parseInteger(trimmed) !== null) integers += count;
  }
  const byIds = present > 0 && integers * 2 > present;
  const names: string[] = [];
  const idByName = new Map<string, number>();
  if (!byIds) {
    for (const value of counts.keys()) {
      const trimmed = value.trim();
      if (trimmed === '') continue;
      const key = trimmed.toLowerCase();
      if (!idByName.has(key)) {
        idByName.set(key, names.length);
        names.push(trimmed);
      }
    }
  }
  return {
    byIds,
    names,
    idOf: (value) =>
      byIds ? parseInteger(value.trim()) : (idByName.get(value.trim().toLowerCase()) ?? null),
  };
}

/** An integer not written as it would be written back (`03`, `+3`). */
function isWrittenOtherwise(value: string): boolean {
  return parseInteger(value) !== null && !isCanonicalInteger(value);
}

/** Largest split id the Int8Array column can hold. */
const MAX_SPLIT_ID = 127;

/** Rows checked between two calls of readGenericCsv's onRows. */
const ROWS_PER_PROGRESS = 16_384;

/**
 * Read a generic CSV/TSV with the given column mapping. Emotion values may be ids
 * or class names (matched case-insensitively against the scheme; without a scheme
 * one is built from the file); split values may be ids or names.
 */
export function readGenericCsv(
  file: InputFile,
  mapping: CsvMapping,
  scheme?: LabelScheme,
  /** Told how many of the data rows are checked, now and then (a million take seconds). */
  onRows?: (done: number, total: number) => void,
): CsvReadResult {
  return readCsv(file, mapping, scheme, onRows, 'fastest');
}

/**
 * readGenericCsv with every row split before any is read: slower, and the reference
 * its lazy read is held to.
 */
export function readGenericCsvWhole(
  file: InputFile,
  mapping: CsvMapping,
  scheme?: LabelScheme,
): CsvReadResult {
  return readCsv(file, mapping, scheme, undefined, 'whole');
}

function readCsv(
  file: InputFile,
  mapping: CsvMapping,
  scheme: LabelScheme | undefined,
  onRows: ((done: number, total: number) => void) | undefined,
  way: CsvReadWay,
): CsvReadResult {
  const empty = (problems: Problem[], columns: string[] = []): CsvReadResult => ({
    rows: emptyLabelColumns(),
    problems,
    rowsRead: 0,
    source: null,
    scheme: scheme ?? null,
    splitNames: {},
    columns,
  });
  const parsed = parseCsv(file, 0, way);
  if (!('header' in parsed)) return empty(parsed.problems);
  const { decoded, header, rows, longLines } = parsed;
  const problems: Problem[] = [...header.notes];
  const indexOf = {} as Record<CsvRole, number>;
  for (const role of CSV_ROLES) {
    const column = mapping[role];
    indexOf[role] = column === null ? -1 : header.columns.indexOf(column);
    if (column !== null && indexOf[role] < 0) {
      problems.push(
        makeProblem(
          file.name,
          header.headerLine,
          'header',
          'error',
          role,
          column,
          `the ${role} column '${column}' is not in the header (${header.columns.join(', ')})`,
        ),
      );
    }
  }
  if (mapping.image === null) {
    problems.push(
      makeProblem(
        file.name,
        header.headerLine,
        'header',
        'error',
        'image',
        header.columns.join(header.delimiter),
        'no column is mapped to the image name; no row can be read',
      ),
    );
  }
  if (problems.length > header.notes.length) return empty(problems, header.columns);

  const cell = (row: CsvRow, role: CsvRole): string | null =>
    indexOf[role] < 0 ? null : (row.cells[indexOf[role]] ?? '');
  // Names are numbered from well-formed rows only, so a broken row cannot invent a class.
  // Each distinct value is counted once, in the order it first appears.
  const emotionCounts = new Map<string, number>();
  const splitCounts = new Map<string, number>();
  rows.forEach((row) => {
    if (row.cells.length !== header.columns.length || isBlankRow(row)) return;
    const emotion = cell(row, 'emotion') ?? '';
    const split = cell(row, 'split') ?? '';
    emotionCounts.set(emotion, (emotionCounts.get(emotion) ?? 0) + 1);
    splitCounts.set(split, (splitCounts.get(split) ?? 0) + 1);
  });
  const splitCoding = codeValues(splitCounts);

  let chosenScheme: LabelScheme | null = scheme ?? null;
  let emotionIdOf: (value: string) => number | null = () => null;
  /** Whether emotion values are read as ids (then `03` is refused, as in the other formats). */
  let emotionByIds = scheme !== undefined;
  if (indexOf.emotion >= 0) {
    if (scheme) {
      emotionIdOf = (value) => {
        const id = parseInteger(value.trim());
        if (id !== null) return hasClass(scheme, id) ? id : null;
        const key = value.trim().toLowerCase();
        return scheme.classes.find((c) => c.name.toLowerCase() === key)?.id ?? null;
      };
    } else {
      const coding = codeValues(emotionCounts);
      const ids = coding.byIds
        ? [...new Set([...emotionCounts.keys()].map((v) => parseInteger(v.trim())))]
            .filter((id): id is number => id !== null)
            .sort((a, b) => a - b)
        : [];
      if (coding.byIds && ids.length > 0) {
        chosenScheme = {
          id: 'generic',
          name: `${baseName(file.name)} classes`,
          classes: ids.map((id) => ({ id, name: `class ${id}`, components: [] })),
        };
      } else if (coding.names.length > 0) {
        chosenScheme = schemeFromClassNames(
          'generic',
          `${baseName(file.name)} classes`,
          coding.names,
        );
      }
      emotionIdOf = coding.idOf;
      emotionByIds = coding.byIds;
    }
  }

  const records: LabelRecord[] = [];
  const seen = new ImagesSeen();
  const readAu = auValueReader(file.name);
  let rowsRead = 0;
  // Made once, not per row: a million rows would otherwise allocate two closures each.
  let line = 0;
  const reject = (kind: Problem['kind'], field: string, raw: string, message: string) =>
    problems.push(
      makeProblem(file.name, line, kind, 'error', field, raw, `${message}; row rejected`),
    );
  const warn = (kind: Problem['kind'], field: string, raw: string, message: string) =>
    problems.push(makeProblem(file.name, line, kind, 'warning', field, raw, message));
  const textOf = (row: CsvRow) => row.cells.join(header.delimiter);
  rows.forEach((row, r) => {
    if (onRows && r % ROWS_PER_PROGRESS === 0) onRows(r, rows.count);
    line = row.line;
    const longLine = isBlankRow(row) ? longLines.get(line) : undefined;
    if (longLine) {
      rowsRead++;
      problems.push(longLine);
      return;
    }
    if (isBlankRow(row)) {
      problems.push(
        makeProblem(
          file.name,
          line,
          'missing-value',
          'warning',
          'line',
          textOf(row),
          'blank line skipped',
        ),
      );
      return;
    }
    rowsRead++;

    if (row.cells.length !== header.columns.length) {
      const quoteError = row.errors[0];
      reject(
        'column-count',
        'line',
        textOf(row),
        `expected ${header.columns.length} fields, found ${row.cells.length}` +
          (quoteError ? ` (${quoteError.message})` : ''),
      );
      return;
    }
    for (const error of row.errors)
      warn('column-count', 'line', textOf(row), `CSV: ${error.message}`);

    const image = (cell(row, 'image') ?? '').trim();
    if (image === '') {
      reject('missing-value', 'image', '', 'empty image name');
      return;
    }
    // A quoted cell may hold a line break: no file name has one, and neither may the
    // stored columns, which keep a page's names one per line.
    const broken = (['image', 'au'] as const).find((field) =>
      /[\r\n]/.test(cell(row, field) ?? ''),
    );
    if (broken) {
      reject(
        'column-count',
        broken,
        cell(row, broken) ?? '',
        `a line break inside the ${broken} cell`,
      );
      return;
    }
    const record: LabelRecord = { line, image };

    const emotion = cell(row, 'emotion');
    if (emotion !== null) {
      if (emotion.trim() === '') {
        warn('missing-value', 'emotion', emotion, 'empty emotion; kept without a class (-1)');
        record.classId = -1;
      } else if (emotionByIds && isWrittenOtherwise(emotion.trim())) {
        reject(
          'unknown-class',
          'emotion',
          emotion,
          nonCanonicalIdMessage('class id', emotion.trim()),
        );
        return;
      } else {
        const classId = emotionIdOf(emotion);
        if (classId === null) {
          reject(
            'unknown-class',
            'emotion',
            emotion,
            `class '${emotion.trim()}' is not in ${chosenScheme?.name ?? 'the scheme'}`,
          );
          return;
        }
        record.classId = classId;
      }
    }

    const split = cell(row, 'split');
    if (split !== null) {
      if (split.trim() === '') {
        warn('missing-value', 'split', split, 'empty split; kept without a split (-1)');
        record.split = -1;
      } else if (splitCoding.byIds && isWrittenOtherwise(split.trim())) {
        reject('bad-split', 'split', split, nonCanonicalIdMessage('split id', split.trim()));
        return;
      } else {
        const splitId = splitCoding.idOf(split);
        if (splitId === null || splitId < 0 || splitId > MAX_SPLIT_ID) {
          reject(
            'bad-split',
            'split',
            split,
            `split '${split.trim()}' is not an id 0-${MAX_SPLIT_ID}`,
          );
          return;
        }
        record.split = splitId;
      }
    }

    if (isDuplicateImage(seen, file.name, line, image, problems)) return;

    const au = cell(row, 'au');
    if (au !== null) {
      if (au.trim() === '') {
        warn(
          'missing-value',
          'au',
          au,
          "empty AU cell: read as not given (absent), not as 'no AU'",
        );
      } else {
        record.au = readAu(line, au, problems);
      }
    }
    records.push(record);
  });

  onRows?.(rows.count, rows.count);

  const splitNames: SplitNames = {};
  if (splitCoding.byIds) {
    for (const record of records) {
      if (record.split !== undefined && record.split >= 0) {
        splitNames[String(record.split)] = `split ${record.split}`;
      }
    }
  } else {
    splitCoding.names.forEach((name, id) => (splitNames[String(id)] = name));
  }

  const source = { ...sourceFileOf(file.name, 'combined', decoded), delimiter: header.delimiter };
  return {
    rows: columnsFromRecords(records),
    problems,
    rowsRead,
    source,
    scheme: chosenScheme,
    splitNames,
    columns: header.columns,
  };
}
