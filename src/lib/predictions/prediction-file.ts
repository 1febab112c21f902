import { z } from 'zod';
import {
  guessCsvMapping,
  guessDelimiter,
  MAX_CSV_COLUMNS,
  parseRows,
  uniqueColumnNames,
} from '../formats/generic-table/csv';
import { imageKey } from '../labels/images';
import { makeProblem } from '../labels/records';
import { decodeText, splitLines } from '../labels/text';
import { columnLength, entryEquals, startOf, textAt, type TextColumn } from '../labels/text-column';
import type { InputFile, LabelScheme, Problem, ProblemKind } from '../labels/types';
import { readNpy, type NpyArray } from './npy';
import {
  PREDICTION_RUN_VERSION,
  PredictionRunMetaSchema,
  type AuOutput,
  type EmotionOutput,
  type PredictionRun,
  type PredictionRunMeta,
} from './run';

/**
 * Readers that turn a model's predictions file into a PredictionRun aligned to a stored
 * dataset: a CSV/TSV with a header, or `.npy` arrays with an image list or in the
 * dataset's row order. Values are made probabilities on reading (softmax over class
 * logits, the logistic sigmoid over AU logits) and the run says so, so that every metric
 * downstream reads one kind of number.
 */

/** Which columns of a predictions CSV hold what. */
export const PredictionCsvMappingSchema = z.object({
  image: z.string().nullable(),
  /** Class probability or logit columns, each with the scheme class it scores. */
  classColumns: z.array(z.object({ column: z.string(), classId: z.number().int() })),
  /** One column naming the predicted class (id or name); used only without class columns. */
  predictedClass: z.string().nullable(),
  auColumns: z.array(z.object({ column: z.string(), au: z.number().int().min(1).max(64) })),
});
export type PredictionCsvMapping = z.infer<typeof PredictionCsvMappingSchema>;

/** What the run is stored under; chosen by the caller. */
export interface PredictionRunInfo {
  id: string;
  datasetId: string;
  name: string;
  createdAt: number;
}

/** Scores that are either probabilities or logits (a predicted class is told by its column). */
export type ScoreOutput = AuOutput;

/** How the values were written; 'auto' looks at them (see decideEmotionOutput). */
export interface PredictionOutputChoice {
  emotion?: ScoreOutput | 'auto';
  au?: ScoreOutput | 'auto';
}

export interface PredictionRowCounts {
  /** Data rows of the file (blank lines and the header not counted). */
  read: number;
  /** Rows rejected with an error (bad values, bad sums, repeated images). */
  rejected: number;
  /** Well-formed rows naming no sample of the dataset. */
  unmatched: number;
  /** Rows that gave a sample its prediction. */
  accepted: number;
  /** Dataset samples the file gives no prediction (not an error: a file may cover one split). */
  missing: number;
}

export interface PredictionReadResult {
  /** null when nothing usable is left: the problems say why. */
  run: PredictionRun | null;
  /** The first MAX_LISTED_PROBLEMS problems, by line; problemCounts counts them all. */
  problems: Problem[];
  problemCounts: Partial<Record<ProblemKind, number>>;
  rows: PredictionRowCounts;
}

/** Problems listed per read; a million bad rows are counted, not listed. */
export const MAX_LISTED_PROBLEMS = 1000;

/** A row of probabilities may miss 1 by this much beyond what its written decimals explain. */
export const PROBABILITY_SUM_TOLERANCE = 1e-3;

const EMPTY_COUNTS: PredictionRowCounts = {
  read: 0,
  rejected: 0,
  unmatched: 0,
  accepted: 0,
  missing: 0,
};

function normaliseName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** Words that name a basic emotion in column headers, by the scheme's component name. */
const EMOTION_WORDS: Readonly<Record<string, readonly string[]>> = {
  happy: ['happy', 'happiness', 'happily', 'joy'],
  sad: ['sad', 'sadness', 'sadly'],
  fear: ['fear', 'fearful', 'fearfully', 'afraid', 'scared'],
  anger: ['anger', 'angry', 'angrily'],
  surprise: ['surprise', 'surprised'],
  disgust: ['disgust', 'disgusted'],
  neutral: ['neutral', 'neutrality'],
  contempt: ['contempt', 'contemptuous'],
};

const CLASS_PREFIXES = [
  'p_',
  'prob_',
  'probs_',
  'proba_',
  'probability_',
  'logit_',
  'logits_',
  'score_',
  'scores_',
  'class_',
  'pred_',
];
const CLASS_SUFFIXES = ['_prob', '_proba', '_probability', '_p', '_logit', '_logits', '_score'];

/** The scheme class a column scores (`p_happily_surprised`, `logit_3`, `Happiness`), or null. */
function classOfColumn(column: string, scheme: LabelScheme): number | null {
  let name = normaliseName(column);
  const prefix = CLASS_PREFIXES.find((p) => name.startsWith(p) && name.length > p.length);
  if (prefix) name = name.slice(prefix.length);
  const suffix = CLASS_SUFFIXES.find((s) => name.endsWith(s) && name.length > s.length);
  if (suffix) name = name.slice(0, -suffix.length);
  if (/^\d+$/.test(name)) {
    const id = Number(name);
    return scheme.classes.some((c) => c.id === id) ? id : null;
  }
  const byName = scheme.classes.find((c) => normaliseName(c.name) === name);
  if (byName) return byName.id;
  const single = scheme.classes.filter(
    (c) => c.components.length === 1 && EMOTION_WORDS[c.components[0] as string]?.includes(name),
  );
  return single.length === 1 ? (single[0]?.id ?? null) : null;
}

const AU_COLUMN =
  /^au[_ -]?0*([1-9]\d?)(?:[_ -]?(?:prob|probs|proba|probability|p|logit|logits|score|pred|c|presence))?$/;

/** The AU a column scores (`AU12`, `AU12_prob`, `au_12`, `AU06_c`), or null; `AU12_r` (intensity) is not one. */
function auOfColumn(column: string): number | null {
  const match = AU_COLUMN.exec(column.trim().toLowerCase());
  if (!match) return null;
  const au = Number(match[1]);
  return au >= 1 && au <= 64 ? au : null;
}

const PREDICTED_CLASS_NAMES = [
  'pred',
  'preds',
  'prediction',
  'predicted',
  'predicted_class',
  'predicted_label',
  'predicted_emotion',
  'pred_class',
  'pred_label',
  'pred_emotion',
  'y_pred',
  'argmax',
];

/**
 * The mapping a header suggests: the image column as the CSV import finds it (else the
 * first column), every column naming a scheme class or an AU, and a predicted-class
 * column only when no class has a column of its own. A guess: the user may change it.
 */
export function guessPredictionMapping(
  columns: readonly string[],
  scheme: LabelScheme,
): PredictionCsvMapping {
  const image = guessCsvMapping(columns).image ?? columns[0] ?? null;
  const classColumns: PredictionCsvMapping['classColumns'] = [];
  const auColumns: PredictionCsvMapping['auColumns'] = [];
  for (const column of columns) {
    if (column === image) continue;
    const au = auOfColumn(column);
    if (au !== null) {
      if (!auColumns.some((c) => c.au === au)) auColumns.push({ column, au });
      continue;
    }
    const classId = classOfColumn(column, scheme);
    if (classId !== null && !classColumns.some((c) => c.classId === classId))
      classColumns.push({ column, classId });
  }
  const predictedClass =
    classColumns.length > 0
      ? null
      : (columns.find((c) => c !== image && PREDICTED_CLASS_NAMES.includes(normaliseName(c))) ??
        null);
  return { image, classColumns, predictedClass, auColumns };
}

/** Every mapped column holds logits by its name (`logit_3`, `AU12_logit`). */
function namedLogits(columns: readonly string[]): boolean {
  return columns.length > 0 && columns.every((c) => /logit/i.test(c));
}

export interface PredictionCsvHeader {
  /** Column names, made unique as the CSV import does (see uniqueColumnNames). */
  columns: string[];
  delimiter: string;
  mapping: PredictionCsvMapping;
}

/**
 * One data row as cell boundaries in a text: no string per cell, since a million rows
 * of 27 cells cut into strings and read by Number() took over ten seconds, and
 * reading the digits in place takes under two. Reused from row to row.
 */
class CsvRowView {
  line = 0;
  source = '';
  lineStart = 0;
  lineEnd = 0;
  /** Cells in the row (may exceed the header's; only the first `capacity` are located). */
  count = 0;
  readonly starts: Int32Array;
  readonly ends: Int32Array;

  constructor(readonly capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  cell(c: number): string {
    return this.source.slice(this.starts[c], this.ends[c]);
  }

  raw(): string {
    return this.source.slice(this.lineStart, this.lineEnd);
  }
}

/**
 * Takes a whole data line as bytes (line feed and carriage return off) when it can
 * read it without text; returns false to have the line decoded and given to the visitor.
 */
type ByteRowReader = (bytes: Uint8Array, from: number, to: number, line: number) => boolean;

interface CsvSplit {
  header: PredictionCsvHeader;
  /**
   * Visits the data rows in order; the view is only valid during the call. On the byte
   * path `fast` is offered each line first. False when a line turned out to be one the
   * byte path cannot read exactly (bad UTF-8, a quote, a NUL): nothing is complete,
   * and the text path must read the file.
   */
  forEachRow(visit: (row: CsvRowView) => void, fast?: ByteRowReader): boolean;
  rowCapacity: number;
}

/** Where the cells of text[lineStart, end) are, in the view (the first `capacity` only). */
function locateCells(
  view: CsvRowView,
  text: string,
  lineStart: number,
  end: number,
  delimiter: string,
): void {
  // indexOf finds the separators several times faster than a loop over the characters.
  let count = 0;
  let cellStart = lineStart;
  for (;;) {
    let stop = text.indexOf(delimiter, cellStart);
    if (stop < 0 || stop > end) stop = end;
    if (count < view.capacity) {
      view.starts[count] = cellStart;
      view.ends[count] = stop;
    }
    count++;
    if (stop === end) break;
    cellStart = stop + 1;
  }
  view.lineStart = lineStart;
  view.lineEnd = end;
  view.count = count;
}

/** Whether bytes[from, to) holds only spaces, tabs and carriage returns. */
function isBlankBytes(bytes: Uint8Array, from: number, to: number): boolean {
  for (let at = from; at < to; at++) {
    const b = bytes[at] as number;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  }
  return true;
}

const QUOTE_BYTE = 0x22;
const LINE_FEED_BYTE = 0x0a;

/**
 * A line the byte path leaves to the text path: a quote anywhere makes papaparse split
 * the whole file, a NUL makes it no text file. Checked line by line as the rows are
 * read, not by a scan of the whole file first.
 */
function refusedText(line: string): boolean {
  return line.includes('"') || line.includes('\u0000');
}

/**
 * The split of an unquoted UTF-8 file read from its bytes: only the lines up to the
 * header are decoded. A million rows decoded to one string and cut into cells cost more
 * than reading their digits from the bytes; a line is decoded only when the byte reader
 * declines it. Null when the start of the file already shows it is not one this path
 * reads exactly as the text path (UTF-16; bad UTF-8, a quote or a NUL up to the
 * header; no header); later lines are checked as they are visited.
 */
function splitCsvBytes(
  file: InputFile,
  scheme: LabelScheme,
): CsvSplit | { problems: Problem[] } | null {
  const bytes = file.bytes;
  if (bytes.length === 0) return null;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return null;
  const bodyStart = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const decode = (from: number, to: number): string | null => {
    try {
      return decoder.decode(bytes.subarray(from, to));
    } catch {
      return null;
    }
  };
  let start = bodyStart;
  let line = 0;
  let headerText: string | null = null;
  while (start < bytes.length && headerText === null) {
    const lf = bytes.indexOf(LINE_FEED_BYTE, start);
    const end = lf < 0 ? bytes.length : lf;
    line++;
    const lineText = decode(start, end);
    if (lineText === null || refusedText(lineText)) return null;
    start = end + 1;
    if (lineText.replace(/\r$/, '').trim() !== '') headerText = lineText;
  }
  if (headerText === null) return null;
  const headerLine = line;
  const headText = decode(bodyStart, Math.min(start, bytes.length));
  if (headText === null) return null;
  const delimiter = guessDelimiter(headText, file.name);
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) >= 0x80) return null;
  const headerCells = headerText.replace(/\r$/, '').split(delimiter);
  const dataStart = Math.min(start, bytes.length);
  // The line feeds are found once: to size the rows, then to visit them.
  let lineFeeds = new Int32Array(1024);
  let rowCapacity = 0;
  for (let at = dataStart; at < bytes.length; rowCapacity++) {
    const lf = bytes.indexOf(LINE_FEED_BYTE, at);
    if (rowCapacity === lineFeeds.length) {
      const grown = new Int32Array(lineFeeds.length * 2);
      grown.set(lineFeeds);
      lineFeeds = grown;
    }
    lineFeeds[rowCapacity] = lf;
    if (lf < 0) {
      rowCapacity++;
      break;
    }
    at = lf + 1;
  }
  const forEachRow: CsvSplit['forEachRow'] = (visit, fast) => {
    const view = new CsvRowView(headerCells.length);
    let at = dataStart;
    let lineNo = headerLine;
    for (let r = 0; at < bytes.length; r++) {
      const lf = lineFeeds[r] as number;
      let end = lf < 0 ? bytes.length : lf;
      if (end > at && bytes[end - 1] === 0x0d) end--;
      lineNo++;
      const lineStart = at;
      at = (lf < 0 ? bytes.length : lf) + 1;
      if (isBlankBytes(bytes, lineStart, end)) continue;
      if (fast?.(bytes, lineStart, end, lineNo)) continue;
      const text = decode(lineStart, end);
      if (text === null || refusedText(text)) return false;
      view.source = text;
      locateCells(view, text, 0, text.length, delimiter);
      view.line = lineNo;
      visit(view);
    }
    return true;
  };
  return finishSplit(file.name, headerCells, delimiter, forEachRow, rowCapacity, scheme);
}

/** The split, once its header passes the checks every path makes. */
function finishSplit(
  fileName: string,
  headerCells: string[] | null,
  delimiter: string,
  forEachRow: CsvSplit['forEachRow'],
  rowCapacity: number,
  scheme: LabelScheme,
): CsvSplit | { problems: Problem[] } {
  const refuse = (message: string, raw = ''): { problems: Problem[] } => ({
    problems: [makeProblem(fileName, 1, 'header', 'error', 'header', raw, message)],
  });
  if (headerCells === null) return refuse('the file has no header row');
  if (headerCells.length > MAX_CSV_COLUMNS)
    return refuse(
      `the header has ${headerCells.length} columns; at most ${MAX_CSV_COLUMNS} are read`,
      headerCells.slice(0, 10).join(delimiter),
    );
  if (headerCells.length < 2)
    return refuse(
      'the header has one column; expected an image column, then class or AU columns',
      headerCells.join(delimiter),
    );
  const columns = uniqueColumnNames(headerCells.map((cell) => cell.trim()));
  return {
    header: { columns, delimiter, mapping: guessPredictionMapping(columns, scheme) },
    forEachRow,
    rowCapacity,
  };
}

/** Whether text[from, to) holds only spaces and tabs. */
function isBlank(text: string, from: number, to: number): boolean {
  for (let at = from; at < to; at++) {
    const code = text.charCodeAt(at);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0d) return false;
  }
  return true;
}

function splitCsv(file: InputFile, scheme: LabelScheme): CsvSplit | { problems: Problem[] } {
  const decoded = decodeText(file);
  if ('problem' in decoded) return { problems: [decoded.problem] };
  const text = decoded.text;
  const delimiter = guessDelimiter(text, file.name);

  // Without quotes a row is a line, located cell by cell as the loop reaches it and
  // nothing kept. With quotes papaparse splits (quoted separators, doubled quotes).
  let headerCells: string[] | null = null;
  let headerLine = 0;
  let forEachRow: CsvSplit['forEachRow'];
  let rowCapacity = 0;
  if (!text.includes('"') && delimiter.length === 1) {
    let start = 0;
    let line = 0;
    for (; start < text.length && headerCells === null;) {
      const lf = text.indexOf('\n', start);
      const end = lf < 0 ? text.length : lf;
      line++;
      const lineText = text.slice(start, end).replace(/\r$/, '');
      start = end + 1;
      if (lineText.trim() !== '') {
        headerCells = lineText.split(delimiter);
        headerLine = line;
      }
    }
    const dataStart = start;
    for (let at = dataStart; at < text.length; rowCapacity++) {
      const lf = text.indexOf('\n', at);
      if (lf < 0) {
        rowCapacity++;
        break;
      }
      at = lf + 1;
    }
    const width = headerCells?.length ?? 0;
    forEachRow = (visit) => {
      const view = new CsvRowView(width);
      view.source = text;
      let at = dataStart;
      let lineNo = headerLine;
      while (at < text.length) {
        const lf = text.indexOf('\n', at);
        let end = lf < 0 ? text.length : lf;
        if (end > at && text.charCodeAt(end - 1) === 0x0d) end--;
        lineNo++;
        const lineStart = at;
        at = (lf < 0 ? text.length : lf) + 1;
        if (isBlank(text, lineStart, end)) continue;
        locateCells(view, text, lineStart, end, delimiter);
        view.line = lineNo;
        visit(view);
      }
      return true;
    };
  } else {
    const { rows } = parseRows(text, file.name, 0, 'papa');
    const headerIndex = rows.findIndex((row) => row.cells.some((cell) => cell.trim() !== ''));
    if (headerIndex >= 0) {
      headerCells = rows[headerIndex]?.cells ?? null;
      headerLine = rows[headerIndex]?.line ?? 0;
    }
    rowCapacity = rows.length;
    const width = headerCells?.length ?? 0;
    forEachRow = (visit) => {
      const view = new CsvRowView(width);
      for (let r = headerIndex + 1; r < rows.length; r++) {
        const row = rows[r];
        if (!row || row.cells.every((cell) => cell.trim() === '')) continue;
        // The cells joined, located by their lengths: a delimiter inside a quoted cell
        // cannot move a boundary.
        view.source = row.cells.join(delimiter);
        let offset = 0;
        row.cells.forEach((cell, c) => {
          if (c < width) {
            view.starts[c] = offset;
            view.ends[c] = offset + cell.length;
          }
          offset += cell.length + delimiter.length;
        });
        view.line = row.line;
        view.lineStart = 0;
        view.lineEnd = view.source.length;
        view.count = row.cells.length;
        visit(view);
      }
      return true;
    };
  }
  return finishSplit(file.name, headerCells, delimiter, forEachRow, rowCapacity, scheme);
}

/** The header of a predictions CSV and the mapping it suggests, for the mapping form. */
export function readPredictionCsvHeader(
  file: InputFile,
  scheme: LabelScheme,
): PredictionCsvHeader | { problems: Problem[] } {
  const split = splitCsv(file, scheme);
  return 'problems' in split ? split : split.header;
}

/** The dataset's samples by image name: in order first, then by imageKey (`0001.jpg` finds `0001_aligned.jpg`). */
class SampleMatcher {
  private byKey: Map<string, number> | null = null;
  /** Names of samples whose key another sample shares, looked up exactly. */
  private byName: Map<string, number> | null = null;
  private next = 0;

  constructor(private readonly names: TextColumn) {}

  match(image: string): number {
    // Predictions are usually written in the dataset's order: no map is needed then.
    if (entryEquals(this.names, this.next, image)) return this.next++;
    if (this.byKey === null) this.buildMaps();
    const key = imageKey(image);
    let sample = this.byKey?.get(key);
    if (sample === -2) sample = this.byName?.get(image);
    if (sample === undefined || sample < 0) return -1;
    this.next = sample + 1;
    return sample;
  }

  /**
   * The next sample in order when its name is the ASCII bytes[from, to), without a
   * string for the name; -1 otherwise, and nothing changes (match() then decides).
   */
  matchNextBytes(bytes: Uint8Array, from: number, to: number): number {
    const i = this.next;
    if (i >= this.names.ends.length) return -1;
    const start = startOf(this.names, i);
    if ((this.names.ends[i] as number) - start !== to - from) return -1;
    const text = this.names.text;
    for (let k = 0; k < to - from; k++)
      if (text.charCodeAt(start + k) !== bytes[from + k]) return -1;
    this.next++;
    return i;
  }

  private buildMaps(): void {
    const byKey = new Map<string, number>();
    const n = columnLength(this.names);
    let shared: number[] | null = null;
    for (let i = 0; i < n; i++) {
      const key = imageKey(textAt(this.names, i));
      const seen = byKey.get(key);
      if (seen === undefined) byKey.set(key, i);
      else {
        (shared ??= []).push(i);
        if (seen >= 0) shared.push(seen);
        byKey.set(key, -2);
      }
    }
    if (shared) {
      this.byName = new Map();
      for (const i of shared) this.byName.set(textAt(this.names, i), i);
    }
    this.byKey = byKey;
  }
}

/** Why a cell is not a usable number, or null when it is. */
function badNumber(cell: string, value: number): string | null {
  if (Number.isFinite(value)) {
    return value === 0 && cell.trim() === '' ? 'is empty' : null;
  }
  const trimmed = cell.trim().toLowerCase();
  if (Number.isNaN(value) && (trimmed === 'nan' || trimmed === '-nan')) return 'is NaN';
  if (!Number.isNaN(value) || /^[+-]?inf(inity)?$/.test(trimmed)) return 'is infinite';
  return trimmed === '' ? 'is empty' : 'is not a number';
}

/** What readNumber found besides the value. */
interface NumberRead {
  /** Why the cell is not a usable number; null when it is. */
  why: string | null;
  /** Half a unit in the last written decimal place: how far rounding may have moved the value. */
  rounding: number;
}

const HALF_UNITS = Array.from({ length: 32 }, (_, d) => 0.5 * 10 ** -d);
const POWERS_OF_TEN = Array.from({ length: 32 }, (_, d) => 10 ** d);

/**
 * The number in text[from, to), read digit by digit for plain decimals (`-0.25`, `1`,
 * `.5`); anything else (exponents, `nan`, `inf`, junk) goes through Number() and
 * badNumber. Digits past the fifteenth may round differently from Number() in the last
 * bit of a double, far below the float32 the run keeps.
 */
function readNumber(text: string, from: number, to: number, out: NumberRead): number {
  while (from < to && text.charCodeAt(from) === 0x20) from++;
  while (to > from && text.charCodeAt(to - 1) === 0x20) to--;
  let at = from;
  let negative = false;
  const first = text.charCodeAt(at);
  if (first === 0x2d || first === 0x2b) {
    negative = first === 0x2d;
    at++;
  }
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (; at < to; at++) {
    const code = text.charCodeAt(at);
    if (code >= 0x30 && code <= 0x39) {
      mantissa = mantissa * 10 + (code - 0x30);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (code === 0x2e && decimals < 0) decimals = 0;
    else break;
  }
  if (at === to && digits > 0 && decimals < HALF_UNITS.length) {
    out.why = null;
    out.rounding = decimals > 0 ? (HALF_UNITS[decimals] as number) : 0;
    const value = decimals > 0 ? mantissa / (POWERS_OF_TEN[decimals] as number) : mantissa;
    return negative ? -value : value;
  }
  const cell = text.slice(from, to);
  const value = Number(cell);
  out.why = badNumber(cell, value);
  out.rounding = 5e-8;
  return value;
}

interface Collector {
  problems: Problem[];
  counts: Partial<Record<ProblemKind, number>>;
  add(problem: Problem): void;
}

function collector(): Collector {
  const problems: Problem[] = [];
  const counts: Partial<Record<ProblemKind, number>> = {};
  return {
    problems,
    counts,
    add(problem) {
      counts[problem.kind] = (counts[problem.kind] ?? 0) + 1;
      if (problems.length < MAX_LISTED_PROBLEMS) problems.push(problem);
    },
  };
}

/**
 * Rows read so far, in file order, before the file-wide decisions (logits or
 * probabilities) are taken: their values as read, the sample each names, where the
 * row was.
 */
class PendingRows {
  count = 0;
  readonly sampleOf: Int32Array;
  readonly lineOf: Int32Array;
  readonly classValues: Float32Array | null;
  readonly classSums: Float64Array | null;
  readonly classSlack: Float32Array | null;
  readonly auValues: Float32Array | null;
  /** The text of rows whose sum may be reported (first MAX_LISTED_PROBLEMS only). */
  readonly offSumText = new Map<number, string>();
  /** Over every row with usable values, matched or not: for the file-wide decisions. */
  classOutside = false;
  classSumOk = 0;
  classRows = 0;
  auOutside = false;
  unmatched = 0;

  constructor(
    capacity: number,
    readonly classWidth: number,
    readonly auWidth: number,
  ) {
    this.sampleOf = new Int32Array(capacity);
    this.lineOf = new Int32Array(capacity);
    this.classValues = classWidth > 0 ? new Float32Array(capacity * classWidth) : null;
    this.classSums = classWidth > 0 ? new Float64Array(capacity) : null;
    this.classSlack = classWidth > 0 ? new Float32Array(capacity) : null;
    this.auValues = auWidth > 0 ? new Float32Array(capacity * auWidth) : null;
  }

  /** Takes in the file-wide figures of a row's values; for every row with usable values. */
  noteClassRow(values: Float64Array, slack: number): number {
    let sum = 0;
    for (let c = 0; c < this.classWidth; c++) {
      const v = values[c] as number;
      if (v < 0 || v > 1) this.classOutside = true;
      sum += v;
    }
    this.classRows++;
    if (Math.abs(sum - 1) <= slack) this.classSumOk++;
    return sum;
  }

  noteAuRow(values: Float64Array): void {
    for (let k = 0; k < this.auWidth; k++) {
      const v = values[k] as number;
      if (v < 0 || v > 1) this.auOutside = true;
    }
  }

  push(
    sample: number,
    line: number,
    classValues: Float64Array | null,
    sum: number,
    slack: number,
    auValues: Float64Array | null,
    text: () => string,
  ): void {
    const r = this.count++;
    this.sampleOf[r] = sample;
    this.lineOf[r] = line;
    if (this.classValues && classValues) {
      // A loop, not set(subarray()): a view per row costs more than the copy.
      const from = r * this.classWidth;
      for (let c = 0; c < this.classWidth; c++)
        this.classValues[from + c] = classValues[c] as number;
      (this.classSums as Float64Array)[r] = sum;
      (this.classSlack as Float32Array)[r] = slack;
      if (Math.abs(sum - 1) > slack && this.offSumText.size < MAX_LISTED_PROBLEMS)
        this.offSumText.set(r, text());
    }
    if (this.auValues && auValues) {
      const from = r * this.auWidth;
      for (let k = 0; k < this.auWidth; k++) this.auValues[from + k] = auValues[k] as number;
    }
  }
}

/**
 * Logits when any value lies outside [0, 1], or when most rows do not sum to 1: a
 * probabilities file in which a few rows do not is a file with bad rows (rejected),
 * one in which most do not holds scores of another kind.
 */
function decideEmotionOutput(
  rows: PendingRows,
  choice: ScoreOutput | 'auto',
  named: boolean,
): EmotionOutput {
  if (choice !== 'auto') return choice;
  if (named || rows.classOutside) return 'logits';
  return rows.classSumOk * 2 >= rows.classRows ? 'probabilities' : 'logits';
}

function decideAuOutput(rows: PendingRows, choice: AuOutput | 'auto', named: boolean): AuOutput {
  if (choice !== 'auto') return choice;
  return named || rows.auOutside ? 'logits' : 'probabilities';
}

function softmaxInPlace(values: Float32Array, from: number, width: number): void {
  let max = -Infinity;
  for (let c = 0; c < width; c++) max = Math.max(max, values[from + c] as number);
  let total = 0;
  for (let c = 0; c < width; c++) {
    const e = Math.exp((values[from + c] as number) - max);
    values[from + c] = e;
    total += e;
  }
  for (let c = 0; c < width; c++) values[from + c] = (values[from + c] as number) / total;
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function formatSum(sum: number): string {
  return String(Number(sum.toFixed(6)));
}

interface FinishSpec {
  fileName: string;
  fileNames: string[];
  info: PredictionRunInfo;
  sampleCount: number;
  names: TextColumn;
  classIds: number[] | null;
  emotionOutput: EmotionOutput | null;
  aus: number[] | null;
  auOutput: AuOutput | null;
  rowsRead: number;
  rejectedBefore: number;
  /** "line" in CSV files, "row" in .npy arrays (counted from 1). */
  rowWord: string;
}

/**
 * Takes the file-wide decisions, then gives each pending row to its sample: rows of
 * probabilities that do not sum to 1 are rejected, a second row for a sample is
 * rejected, values become probabilities.
 */
function finish(rows: PendingRows, spec: FinishSpec, problems: Collector): PredictionReadResult {
  const rowOf = new Int32Array(spec.sampleCount).fill(-1);
  const { classValues, auValues, classWidth, auWidth } = rows;
  let kept = 0;
  let rejected = spec.rejectedBefore;
  for (let r = 0; r < rows.count; r++) {
    const line = rows.lineOf[r] as number;
    const sample = rows.sampleOf[r] as number;
    if (spec.emotionOutput === 'probabilities' && classValues) {
      const sum = (rows.classSums as Float64Array)[r] as number;
      if (Math.abs(sum - 1) > ((rows.classSlack as Float32Array)[r] as number)) {
        rejected++;
        problems.add(
          makeProblem(
            spec.fileName,
            line,
            'missing-value',
            'error',
            'probabilities',
            rows.offSumText.get(r) ?? '',
            `class probabilities sum to ${formatSum(sum)}, not 1; row rejected`,
          ),
        );
        continue;
      }
    }
    const earlier = rowOf[sample] as number;
    if (earlier >= 0) {
      rejected++;
      const image = textAt(spec.names, sample);
      problems.add(
        makeProblem(
          spec.fileName,
          line,
          'duplicate-image',
          'error',
          'image',
          image,
          `image '${image}' already has a prediction (${spec.rowWord} ${rows.lineOf[earlier]}); this row is rejected`,
        ),
      );
      continue;
    }
    // Compacting in place: the row written to is never after the row read.
    rows.lineOf[kept] = line;
    if (classValues) {
      const from = kept * classWidth;
      classValues.copyWithin(from, r * classWidth, (r + 1) * classWidth);
      if (spec.emotionOutput === 'logits') softmaxInPlace(classValues, from, classWidth);
      else if (spec.emotionOutput === 'probabilities') {
        const sum = (rows.classSums as Float64Array)[r] as number;
        for (let c = 0; c < classWidth; c++)
          classValues[from + c] = (classValues[from + c] as number) / sum;
      }
    }
    if (auValues) {
      const from = kept * auWidth;
      auValues.copyWithin(from, r * auWidth, (r + 1) * auWidth);
      if (spec.auOutput === 'logits')
        for (let k = 0; k < auWidth; k++)
          auValues[from + k] = sigmoid(auValues[from + k] as number);
    }
    rowOf[sample] = kept++;
  }
  const counts: PredictionRowCounts = {
    read: spec.rowsRead,
    rejected,
    unmatched: rows.unmatched,
    accepted: kept,
    missing: spec.sampleCount - kept,
  };
  const sorted = (list: Problem[]) => list.sort((a, b) => a.line - b.line);
  if (kept === 0) {
    problems.add(
      makeProblem(
        spec.fileName,
        0,
        'unmatched',
        'error',
        'file',
        '',
        spec.rowsRead === 0
          ? 'the file holds no rows of predictions; nothing imported'
          : rows.count === 0 && rows.unmatched > 0
            ? `none of the file's ${spec.rowsRead.toLocaleString('en')} rows names an image of the dataset; nothing imported`
            : `none of the file's ${spec.rowsRead.toLocaleString('en')} rows is usable; nothing imported`,
      ),
    );
    return {
      run: null,
      problems: sorted(problems.problems),
      problemCounts: problems.counts,
      rows: counts,
    };
  }
  const meta: PredictionRunMeta = {
    version: PREDICTION_RUN_VERSION,
    id: spec.info.id,
    datasetId: spec.info.datasetId,
    name: spec.info.name.trim(),
    createdAt: spec.info.createdAt,
    fileNames: spec.fileNames,
    emotion:
      spec.classIds && spec.emotionOutput
        ? {
            output: spec.emotionOutput,
            classIds: spec.classIds,
            convertedFromLogits: spec.emotionOutput === 'logits',
          }
        : null,
    au:
      spec.aus && spec.auOutput
        ? { output: spec.auOutput, aus: spec.aus, convertedFromLogits: spec.auOutput === 'logits' }
        : null,
    predicted: kept,
    unmatched: rows.unmatched,
  };
  // A caller's mistake (an empty name, a bad time), not the file's: a bug.
  PredictionRunMetaSchema.parse(meta);
  const trim = (values: Float32Array | null, width: number) =>
    values === null
      ? null
      : values.length === kept * width
        ? values
        : values.slice(0, kept * width);
  return {
    run: {
      meta,
      rowOf,
      classProbs: trim(classValues, classWidth),
      auProbs: trim(auValues, auWidth),
    },
    problems: sorted(problems.problems),
    problemCounts: problems.counts,
    rows: counts,
  };
}

/** A name the user typed that the run cannot carry, as a problem; null when it can. */
/** A row naming an image the dataset does not hold: warned, and skipped. */
function unmatchedRow(file: string, line: number, field: string, image: string): Problem {
  return makeProblem(
    file,
    line,
    'unmatched',
    'warning',
    field,
    image,
    `image '${image}' is not in the dataset; row skipped`,
  );
}

export function runNameProblem(name: string, fileName: string): Problem | null {
  const parsed = PredictionRunMetaSchema.shape.name.safeParse(name);
  if (parsed.success) return null;
  return makeProblem(
    fileName,
    0,
    'header',
    'error',
    'name',
    name,
    name.trim() === '' ? 'the run needs a name' : 'the run name is over 100 characters',
  );
}

function nothingRead(problems: Problem[]): PredictionReadResult {
  const problemCounts: Partial<Record<ProblemKind, number>> = {};
  for (const p of problems) problemCounts[p.kind] = (problemCounts[p.kind] ?? 0) + 1;
  return { run: null, problems, problemCounts, rows: EMPTY_COUNTS };
}

/** Problems with a mapping against the header and the scheme, before any row is read. */
function mappingProblems(
  mapping: PredictionCsvMapping,
  columns: readonly string[],
  scheme: LabelScheme,
  fileName: string,
): Problem[] {
  const problems: Problem[] = [];
  const bad = (field: string, message: string) =>
    problems.push(makeProblem(fileName, 1, 'header', 'error', field, field, message));
  const known = new Set(columns);
  if (mapping.image === null) bad('image', 'no column is mapped to the image name');
  else if (!known.has(mapping.image))
    bad(mapping.image, `no column '${mapping.image}' in the header`);
  const used = new Set<string>(mapping.image === null ? [] : [mapping.image]);
  const useColumn = (column: string) => {
    if (!known.has(column)) bad(column, `no column '${column}' in the header`);
    else if (used.has(column)) bad(column, `column '${column}' is mapped twice`);
    used.add(column);
  };
  const classIds = new Set<number>();
  for (const { column, classId } of mapping.classColumns) {
    useColumn(column);
    if (!scheme.classes.some((c) => c.id === classId))
      bad(column, `class ${classId} is not a class of the label scheme '${scheme.name}'`);
    else if (classIds.has(classId)) bad(column, `class ${classId} has two columns`);
    classIds.add(classId);
  }
  if (mapping.classColumns.length === 0 && mapping.predictedClass !== null)
    useColumn(mapping.predictedClass);
  const aus = new Set<number>();
  for (const { column, au } of mapping.auColumns) {
    useColumn(column);
    if (aus.has(au)) bad(column, `AU${au} has two columns`);
    aus.add(au);
  }
  if (mapping.classColumns.length === 0 && mapping.predictedClass === null && aus.size === 0)
    bad(
      'header',
      'no column is mapped to a class or an AU: name class columns by class (name, id, p_<name>, logit_<id>) or AU columns AU<number>',
    );
  return problems;
}

/** The scheme class a predicted-class cell names (id, or name in any case), or null. */
function classOfCell(
  cell: string,
  byName: ReadonlyMap<string, number>,
  ids: ReadonlySet<number>,
): number | null {
  const trimmed = cell.trim();
  if (/^[+-]?\d+$/.test(trimmed)) {
    const id = Number(trimmed);
    return ids.has(id) ? id : null;
  }
  return byName.get(normaliseName(trimmed)) ?? null;
}

/**
 * Reads a predictions CSV or TSV against a dataset's samples (sample i is named
 * textAt(names, i)). Without a mapping, the guessed one is used. Never throws on bad
 * input: each bad row is rejected with a problem, and no run is made when no row is left.
 */
export function readPredictionCsv(
  file: InputFile,
  target: { names: TextColumn; scheme: LabelScheme },
  info: PredictionRunInfo,
  mapping?: PredictionCsvMapping,
  output: PredictionOutputChoice = {},
): PredictionReadResult {
  return readCsv(file, target, info, mapping, output, true);
}

/** readPredictionCsv by the text path alone: the reference the byte path is tested against. */
export function readPredictionCsvFromText(
  file: InputFile,
  target: { names: TextColumn; scheme: LabelScheme },
  info: PredictionRunInfo,
  mapping?: PredictionCsvMapping,
  output: PredictionOutputChoice = {},
): PredictionReadResult {
  return readCsv(file, target, info, mapping, output, false);
}

function readCsv(
  file: InputFile,
  target: { names: TextColumn; scheme: LabelScheme },
  info: PredictionRunInfo,
  mapping: PredictionCsvMapping | undefined,
  output: PredictionOutputChoice,
  tryBytes: boolean,
): PredictionReadResult {
  const badName = runNameProblem(info.name, file.name);
  if (badName) return nothingRead([badName]);
  // The byte path declines what it cannot read exactly as the text path; the text path
  // then reads the file again, and reports its problems.
  const byBytes = tryBytes ? splitCsvBytes(file, target.scheme) : null;
  if (byBytes !== null && !('problems' in byBytes)) {
    const read = readCsvRows(byBytes, true, file, target, info, mapping, output);
    if (read !== null) return read;
  }
  const split = splitCsv(file, target.scheme);
  if ('problems' in split) return nothingRead(split.problems);
  return readCsvRows(split, false, file, target, info, mapping, output) as PredictionReadResult;
}

const SKIPPED_CELL = -1;
const IMAGE_CELL = -2;

/** The rows of a split read into a run; null when a byte split gave up part way. */
function readCsvRows(
  split: CsvSplit,
  byBytes: boolean,
  file: InputFile,
  target: { names: TextColumn; scheme: LabelScheme },
  info: PredictionRunInfo,
  mapping: PredictionCsvMapping | undefined,
  output: PredictionOutputChoice,
): PredictionReadResult | null {
  const { names, scheme } = target;
  const { columns } = split.header;
  const map = mapping ?? split.header.mapping;
  const headerProblems = mappingProblems(map, columns, scheme, file.name);
  // The byte path has not seen the rows yet: the text path decides how the file is refused.
  if (headerProblems.length > 0) return byBytes ? null : nothingRead(headerProblems);

  const columnIndex = new Map(columns.map((name, i) => [name, i]));
  const imageAt = columnIndex.get(map.image as string) as number;
  const usePredicted = map.classColumns.length === 0 && map.predictedClass !== null;
  const classAt = map.classColumns.map((c) => columnIndex.get(c.column) as number);
  const predictedAt = usePredicted ? (columnIndex.get(map.predictedClass as string) as number) : -1;
  const auAt = map.auColumns.map((c) => columnIndex.get(c.column) as number);
  const classIds = usePredicted
    ? scheme.classes.map((c) => c.id)
    : map.classColumns.map((c) => c.classId);
  const hasEmotion = classIds.length > 0 && (usePredicted || classAt.length > 0);
  const classWidth = hasEmotion ? classIds.length : 0;
  const auWidth = auAt.length;
  const classIndexOf = new Map(classIds.map((id, c) => [id, c]));
  const classByName = new Map(scheme.classes.map((c) => [normaliseName(c.name), c.id]));
  const schemeIds = new Set(scheme.classes.map((c) => c.id));

  const problems = collector();
  const rows = new PendingRows(split.rowCapacity, classWidth, auWidth);
  const matcher = new SampleMatcher(names);
  const classRow = new Float64Array(Math.max(1, classWidth));
  const auRow = new Float64Array(Math.max(1, auWidth));
  let read = 0;
  let rejected = 0;
  const reject = (line: number, kind: ProblemKind, field: string, raw: string, message: string) => {
    rejected++;
    problems.add(
      makeProblem(file.name, line, kind, 'error', field, raw, `${message}; row rejected`),
    );
  };

  // What each cell of a line holds, for the byte reader: a class or AU slot, the image, or nothing.
  const cellRole = new Int32Array(columns.length).fill(SKIPPED_CELL);
  cellRole[imageAt] = IMAGE_CELL;
  classAt.forEach((at, c) => (cellRole[at] = c));
  auAt.forEach((at, k) => (cellRole[at] = classAt.length + k));
  const classCells = classAt.length;
  const delimiterCode = split.header.delimiter.charCodeAt(0);
  const classRounding = new Float64Array(Math.max(1, classCells));
  const asciiDecoder = new TextDecoder();
  let lineBytes: Uint8Array = new Uint8Array(0);
  let lineFrom = 0;
  let lineTo = 0;
  const lineText = () => asciiDecoder.decode(lineBytes.subarray(lineFrom, lineTo));
  /**
   * A line of plain decimals, an ASCII image name with no space at its ends and the
   * header's number of cells, read from the bytes with readNumber's arithmetic. Any
   * other line is declined before anything is noted, and the text visitor reads it,
   * so both paths give the same values, problems and messages.
   */
  const readLineBytes: ByteRowReader = (bytes, from, to, line) => {
    const width = columns.length;
    let at = from;
    let cell = 0;
    let imageFrom = 0;
    let imageTo = 0;
    for (;;) {
      if (cell >= width) return false;
      const role = cellRole[cell] as number;
      if (role >= 0) {
        let code = bytes[at] as number;
        let negative = false;
        if (at < to && (code === 0x2d || code === 0x2b)) {
          negative = code === 0x2d;
          at++;
        }
        let mantissa = 0;
        let digits = 0;
        let decimals = -1;
        for (; at < to; at++) {
          code = bytes[at] as number;
          if (code >= 0x30 && code <= 0x39) {
            mantissa = mantissa * 10 + (code - 0x30);
            digits++;
            if (decimals >= 0) decimals++;
          } else if (code === 0x2e && decimals < 0) decimals = 0;
          else break;
        }
        if (digits === 0 || decimals >= HALF_UNITS.length) return false;
        if (at < to && code !== delimiterCode) return false;
        const magnitude = decimals > 0 ? mantissa / (POWERS_OF_TEN[decimals] as number) : mantissa;
        const value = negative ? -magnitude : magnitude;
        if (role < classCells) {
          classRow[role] = value;
          classRounding[role] = decimals > 0 ? (HALF_UNITS[decimals] as number) : 0;
        } else auRow[role - classCells] = value;
      } else {
        const start = at;
        for (; at < to; at++) {
          const code = bytes[at] as number;
          if (code === delimiterCode) break;
          if (code >= 0x80 || code === QUOTE_BYTE || code === 0) return false;
        }
        if (role === IMAGE_CELL) {
          if (at === start || (bytes[start] as number) <= 0x20 || (bytes[at - 1] as number) <= 0x20)
            return false;
          imageFrom = start;
          imageTo = at;
        }
      }
      cell++;
      if (at >= to) break;
      at++;
    }
    if (cell !== width) return false;
    read++;
    // The same additions in the same order as the text visitor: the same slack to the bit.
    let slack = PROBABILITY_SUM_TOLERANCE;
    for (let c = 0; c < classCells; c++) slack += classRounding[c] as number;
    slack += 1e-9;
    const sum = classWidth > 0 ? rows.noteClassRow(classRow, slack) : 1;
    if (auWidth > 0) rows.noteAuRow(auRow);
    let sample = matcher.matchNextBytes(bytes, imageFrom, imageTo);
    if (sample < 0) {
      const image = asciiDecoder.decode(bytes.subarray(imageFrom, imageTo));
      sample = matcher.match(image);
      if (sample < 0) {
        rows.unmatched++;
        problems.add(unmatchedRow(file.name, line, map.image as string, image));
        return true;
      }
    }
    lineBytes = bytes;
    lineFrom = from;
    lineTo = to;
    rows.push(
      sample,
      line,
      classWidth > 0 ? classRow : null,
      sum,
      slack,
      auWidth > 0 ? auRow : null,
      lineText,
    );
    return true;
  };

  const number: NumberRead = { why: null, rounding: 0 };
  /**
   * Reads the cells at the columns `at` of a row into `into`; the row is rejected at the
   * first cell that is not a number (null). Otherwise, the rounding the cells were written with.
   */
  const readCells = (
    row: CsvRowView,
    at: readonly number[],
    into: Float64Array,
    line: number,
  ): number | null => {
    let rounding = 0;
    for (let c = 0; c < at.length; c++) {
      const column = at[c] as number;
      const value = readNumber(
        row.source,
        row.starts[column] as number,
        row.ends[column] as number,
        number,
      );
      if (number.why !== null) {
        const cell = row.cell(column);
        reject(line, 'missing-value', columns[column] as string, cell, `'${cell}' ${number.why}`);
        return null;
      }
      into[c] = value;
      rounding += number.rounding;
    }
    return rounding;
  };
  const complete = split.forEachRow(
    (row) => {
      read++;
      const line = row.line;
      if (row.count !== columns.length) {
        reject(
          line,
          'column-count',
          'line',
          row.raw(),
          `expected ${columns.length} fields as in the header, found ${row.count}`,
        );
        return;
      }
      const image = row.cell(imageAt).trim();
      if (image === '') {
        reject(line, 'missing-value', map.image as string, row.raw(), 'the image name is empty');
        return;
      }
      let slack = PROBABILITY_SUM_TOLERANCE;
      if (usePredicted) {
        const cell = row.cell(predictedAt);
        const classId = classOfCell(cell, classByName, schemeIds);
        if (classId === null) {
          reject(
            line,
            'unknown-class',
            map.predictedClass as string,
            cell,
            `'${cell}' is not a class id or name of the label scheme '${scheme.name}'`,
          );
          return;
        }
        classRow.fill(0);
        classRow[classIndexOf.get(classId) as number] = 1;
      } else {
        const rounding = readCells(row, classAt, classRow, line);
        if (rounding === null) return;
        slack += rounding;
      }
      if (readCells(row, auAt, auRow, line) === null) return;
      // Float rounding of the sum itself: a hair past the slack is still within it.
      slack += 1e-9;
      const sum = classWidth > 0 ? rows.noteClassRow(classRow, slack) : 1;
      if (auWidth > 0) rows.noteAuRow(auRow);
      const sample = matcher.match(image);
      if (sample < 0) {
        rows.unmatched++;
        problems.add(unmatchedRow(file.name, line, map.image as string, image));
        return;
      }
      rows.push(
        sample,
        line,
        classWidth > 0 ? classRow : null,
        sum,
        slack,
        auWidth > 0 ? auRow : null,
        () => row.raw(),
      );
    },
    byBytes && !usePredicted ? readLineBytes : undefined,
  );
  if (!complete) return null;

  const emotionOutput = hasEmotion
    ? usePredicted
      ? 'predicted-class'
      : decideEmotionOutput(
          rows,
          output.emotion ?? 'auto',
          namedLogits(map.classColumns.map((c) => c.column)),
        )
    : null;
  const auOutput =
    auWidth > 0
      ? decideAuOutput(rows, output.au ?? 'auto', namedLogits(map.auColumns.map((c) => c.column)))
      : null;
  return finish(
    rows,
    {
      fileName: file.name,
      fileNames: [file.name],
      info,
      sampleCount: columnLength(names),
      names,
      classIds: hasEmotion ? classIds : null,
      emotionOutput,
      aus: auWidth > 0 ? map.auColumns.map((c) => c.au) : null,
      auOutput,
      rowsRead: read,
      rejectedBefore: rejected,
      rowWord: 'line',
    },
    problems,
  );
}

/** One `.npy` array of a run and what its columns are. */
export interface NpyPart<Output> {
  file: InputFile;
  output?: Output | 'auto';
}

export interface NpyPredictionInput {
  /**
   * N x C class probabilities or logits, columns in `classIds` order (the scheme's
   * order by default); or a 1-D array of N predicted classes, each a position in
   * `classIds` (class indices as a model's argmax gives them).
   */
  emotion?: NpyPart<ScoreOutput> & { classIds?: number[] };
  /** N x K AU probabilities or logits, one column per AU of `aus`, in that order. */
  au?: NpyPart<ScoreOutput> & { aus: number[] };
  /** A text file, one image name per line, in the arrays' row order; null: the dataset's own order. */
  imageList: InputFile | null;
}

/** The image names of a list file, one per line; blank lines at the end are ignored. */
function readImageList(file: InputFile): { names: string[] } | { problems: Problem[] } {
  const decoded = decodeText(file);
  if ('problem' in decoded) return { problems: [decoded.problem] };
  const names: string[] = [];
  let blank = 0;
  for (const { line, text } of splitLines(decoded.text)) {
    const name = text.trim();
    if (name === '') {
      blank = blank || line;
      continue;
    }
    if (blank > 0)
      return {
        problems: [
          makeProblem(
            file.name,
            blank,
            'missing-value',
            'error',
            'image',
            '',
            'a blank line inside the image list: the rows after it cannot be matched to names; remove it',
          ),
        ],
      };
    names.push(name);
  }
  return { names };
}

/**
 * Reads predictions saved with numpy: class and/or AU arrays of N rows, matched to the
 * dataset by an image list or by the dataset's own order. NaN and infinite values
 * reject their row, with a problem.
 */
export function readPredictionNpy(
  input: NpyPredictionInput,
  target: { names: TextColumn; scheme: LabelScheme },
  info: PredictionRunInfo,
): PredictionReadResult {
  const { names, scheme } = target;
  const sampleCount = columnLength(names);
  const fileProblem = (file: string, field: string, raw: string, message: string): Problem =>
    makeProblem(file, 0, 'column-count', 'error', field, raw, message);
  if (!input.emotion && !input.au)
    return nothingRead([fileProblem('', 'file', '', 'no .npy array was given')]);
  const badName = runNameProblem(info.name, (input.emotion ?? input.au)?.file.name ?? '');
  if (badName) return nothingRead([badName]);

  const problems: Problem[] = [];
  const readPart = (file: InputFile): NpyArray | null => {
    const read = readNpy(file.bytes, file.name);
    if ('problems' in read) {
      problems.push(...read.problems);
      return null;
    }
    return read;
  };
  const shapeText = (a: NpyArray) => `(${a.shape.join(', ')})`;

  let classArray: NpyArray | null = null;
  let classIds: number[] | null = null;
  let emotionOutput: ScoreOutput | 'auto' = 'auto';
  let predictedIndices = false;
  if (input.emotion) {
    const { file } = input.emotion;
    classIds = input.emotion.classIds ?? scheme.classes.map((c) => c.id);
    emotionOutput = input.emotion.output ?? 'auto';
    const unknown = classIds.filter((id) => !scheme.classes.some((c) => c.id === id));
    if (unknown.length > 0 || new Set(classIds).size !== classIds.length)
      problems.push(
        fileProblem(
          file.name,
          'classes',
          classIds.join(' '),
          unknown.length > 0
            ? `class ${unknown[0]} is not a class of the label scheme '${scheme.name}'`
            : 'a class is named twice in the column order',
        ),
      );
    classArray = readPart(file);
    if (classArray) {
      const [rows, width] = classArray.shape as [number, number | undefined];
      predictedIndices = classArray.shape.length === 1;
      if (predictedIndices) {
        const at = classArray.array.findIndex((v) => !Number.isInteger(v));
        if (at >= 0)
          problems.push(
            fileProblem(
              file.name,
              'shape',
              shapeText(classArray),
              `a 1-D array is read as ${rows} predicted class indices, but row ${at + 1} holds ${classArray.array[at]}; save class scores as an N x C array`,
            ),
          );
      } else if (width !== classIds.length)
        problems.push(
          fileProblem(
            file.name,
            'shape',
            shapeText(classArray),
            `the array has ${width} columns, the classes are ${classIds.length}: give the column order of the classes`,
          ),
        );
    }
  }
  let auArray: NpyArray | null = null;
  const aus = input.au?.aus ?? null;
  if (input.au && aus) {
    const { file } = input.au;
    const outside = aus.filter((au) => !Number.isInteger(au) || au < 1 || au > 64);
    if (aus.length === 0 || outside.length > 0 || new Set(aus).size !== aus.length)
      problems.push(
        fileProblem(
          file.name,
          'aus',
          aus.join(' '),
          aus.length === 0
            ? 'name the AU of each column'
            : outside.length > 0
              ? `AU ${outside[0]} is not an AU number (1-64)`
              : 'an AU is named twice in the column order',
        ),
      );
    auArray = readPart(file);
    if (auArray) {
      const width = auArray.shape.length === 1 ? 1 : auArray.shape[1];
      if (width !== aus.length)
        problems.push(
          fileProblem(
            file.name,
            'shape',
            shapeText(auArray),
            `the array has ${width} columns, the AUs named are ${aus.length} (${aus.map((a) => `AU${a}`).join(', ')})`,
          ),
        );
    }
  }
  if (problems.length > 0) return nothingRead(problems);

  const n = (classArray ?? auArray)?.shape[0] as number;
  if (classArray && auArray && classArray.shape[0] !== auArray.shape[0])
    return nothingRead([
      fileProblem(
        auArray === null ? '' : (input.au as NpyPart<ScoreOutput>).file.name,
        'shape',
        shapeText(auArray),
        `the AU array has ${auArray.shape[0]} rows, the class array ${classArray.shape[0]}: they must be the same samples`,
      ),
    ]);
  const mainFile = (input.emotion ?? input.au)?.file as InputFile;
  let listNames: string[] | null = null;
  if (input.imageList) {
    const list = readImageList(input.imageList);
    if ('problems' in list) return nothingRead(list.problems);
    if (list.names.length !== n)
      return nothingRead([
        fileProblem(
          input.imageList.name,
          'image',
          '',
          `the image list names ${list.names.length} images, the arrays have ${n} rows`,
        ),
      ]);
    listNames = list.names;
  } else if (n !== sampleCount)
    return nothingRead([
      fileProblem(
        mainFile.name,
        'shape',
        shapeText((classArray ?? auArray) as NpyArray),
        `the array has ${n} rows, the dataset ${sampleCount} samples: in the dataset's order they must be equal (or give an image list)`,
      ),
    ]);

  const classWidth = classIds && classArray ? classIds.length : 0;
  const auWidth = auArray && aus ? aus.length : 0;
  const collected = collector();
  const rows = new PendingRows(n, classWidth, auWidth);
  const matcher = listNames ? new SampleMatcher(names) : null;
  const classRow = new Float64Array(Math.max(1, classWidth));
  const auRow = new Float64Array(Math.max(1, auWidth));
  const columnName = (c: number) => `class ${classIds?.[c]}`;
  let rejected = 0;
  const reject = (file: string, row: number, field: string, raw: string, message: string) => {
    rejected++;
    collected.add(
      makeProblem(
        file,
        row,
        'missing-value',
        'error',
        field,
        raw,
        `row ${row}: ${message}; row rejected`,
      ),
    );
  };

  rowLoop: for (let r = 0; r < n; r++) {
    const row = r + 1;
    if (classArray && classIds) {
      const file = (input.emotion as NpyPart<ScoreOutput>).file.name;
      if (predictedIndices) {
        const value = classArray.array[r] as number;
        if (!Number.isInteger(value) || value < 0 || value >= classIds.length) {
          reject(
            file,
            row,
            'class',
            String(value),
            `${value} is not a class index (0-${classIds.length - 1})`,
          );
          continue;
        }
        classRow.fill(0);
        classRow[value] = 1;
      } else
        for (let c = 0; c < classWidth; c++) {
          const value = classArray.array[r * classWidth + c] as number;
          if (!Number.isFinite(value)) {
            reject(
              file,
              row,
              columnName(c),
              String(value),
              `${columnName(c)} is ${Number.isNaN(value) ? 'NaN' : 'infinite'}`,
            );
            continue rowLoop;
          }
          classRow[c] = value;
        }
    }
    if (auArray && aus) {
      const file = (input.au as NpyPart<ScoreOutput>).file.name;
      for (let k = 0; k < auWidth; k++) {
        const value = auArray.array[r * auWidth + k] as number;
        if (!Number.isFinite(value)) {
          reject(
            file,
            row,
            `AU${aus[k]}`,
            String(value),
            `AU${aus[k]} is ${Number.isNaN(value) ? 'NaN' : 'infinite'}`,
          );
          continue rowLoop;
        }
        auRow[k] = value;
      }
    }
    // Float32 arrays carry about seven digits: their rows are within the tolerance.
    const slack = PROBABILITY_SUM_TOLERANCE + 1e-9;
    const sum = classWidth > 0 ? rows.noteClassRow(classRow, slack) : 1;
    if (auWidth > 0) rows.noteAuRow(auRow);
    let sample = r;
    if (listNames && matcher) {
      const image = listNames[r] as string;
      sample = matcher.match(image);
      if (sample < 0) {
        rows.unmatched++;
        collected.add(unmatchedRow((input.imageList as InputFile).name, row, 'image', image));
        continue;
      }
    }
    rows.push(
      sample,
      row,
      classWidth > 0 ? classRow : null,
      sum,
      slack,
      auWidth > 0 ? auRow : null,
      () =>
        Array.from(classRow.subarray(0, classWidth), (v) => String(Number(v.toPrecision(6)))).join(
          ' ',
        ),
    );
  }
  const fileNames = [input.emotion?.file.name, input.au?.file.name, input.imageList?.name].filter(
    (name): name is string => name !== undefined,
  );
  return finish(
    rows,
    {
      fileName: mainFile.name,
      fileNames,
      info,
      sampleCount,
      names,
      classIds: classWidth > 0 ? classIds : null,
      emotionOutput:
        classWidth > 0
          ? predictedIndices
            ? 'predicted-class'
            : decideEmotionOutput(rows, emotionOutput, false)
          : null,
      aus: auWidth > 0 ? aus : null,
      auOutput: auWidth > 0 ? decideAuOutput(rows, input.au?.output ?? 'auto', false) : null,
      rowsRead: n,
      rejectedBefore: rejected,
      rowWord: 'row',
    },
    collected,
  );
}
