import { auValueIssues, parseAuString, type AuParse } from './au';
import {
  countLines,
  decodeText,
  isLongLine,
  longLineProblem,
  loneCrProblem,
  type DecodedText,
} from './text';
import { textColumnOf, type TextColumn } from './text-column';
import type { InputFile, Problem, ProblemKind, SourceFile } from './types';

/** One accepted row of a label file; which fields it has depends on the file's role. */
export interface LabelRecord {
  /** 1-based line of the row in its file. */
  line: number;
  /** Image name exactly as written. */
  image: string;
  classId?: number;
  split?: number;
  /** The AU value text exactly as written, and how it parsed. */
  au?: { raw: string; parsed: AuParse };
}

export type FileRole = SourceFile['role'];

/** An AU value as written, and how it parsed. */
export type AuValue = NonNullable<LabelRecord['au']>;

/** Each sample's AU value as an index into a list of distinct values (as the join keeps them). */
export interface AuValueIds {
  /** -1: no AU value. */
  ids: Int32Array;
  values: readonly AuValue[];
}

/**
 * The accepted rows of one label file as columns: a million rows as a million
 * objects cost most of a large import's time in allocation and garbage collection.
 * -1 (or an AU id of -1) means the file gives no such value for the row.
 */
export interface LabelColumns {
  count: number;
  /** 1-based line of each row in its file. */
  lines: Int32Array;
  /** Image names exactly as written. */
  names: TextColumn;
  classIds: Int16Array;
  splits: Int8Array;
  /** Index into auValues. */
  auIds: Int32Array;
  /** Each distinct AU value text once (a dataset repeats a few thousand over its rows). */
  auValues: AuValue[];
}

export interface ReadResult {
  rows: LabelColumns;
  problems: Problem[];
  /** Non-blank data lines read (header excluded); rejected rows = rowsRead - rows.count. */
  rowsRead: number;
  /** How the file was written; null when it could not be decoded. */
  source: SourceFile | null;
}

/** The row-per-object result of readLines, for the readers that post-process their rows. */
export interface RecordsRead extends Omit<ReadResult, 'rows'> {
  records: LabelRecord[];
}

/** Rows from one object per row (the smaller formats' readers build those). */
export function columnsFromRecords(records: readonly LabelRecord[]): LabelColumns {
  const count = records.length;
  const columns: LabelColumns = {
    count,
    lines: new Int32Array(count),
    names: textColumnOf(records.map((record) => record.image)),
    classIds: new Int16Array(count).fill(-1),
    splits: new Int8Array(count).fill(-1),
    auIds: new Int32Array(count).fill(-1),
    auValues: [],
  };
  const auIdOf = new Map<string, number>();
  records.forEach((record, r) => {
    columns.lines[r] = record.line;
    if (record.classId !== undefined && record.classId >= 0) columns.classIds[r] = record.classId;
    if (record.split !== undefined && record.split >= 0) columns.splits[r] = record.split;
    if (record.au) {
      let id = auIdOf.get(record.au.raw);
      if (id === undefined) {
        id = columns.auValues.length;
        auIdOf.set(record.au.raw, id);
        columns.auValues.push(record.au);
      }
      columns.auIds[r] = id;
    }
  });
  return columns;
}

/** Columns of no rows. */
export function emptyLabelColumns(): LabelColumns {
  return columnsFromRecords([]);
}

export function makeProblem(
  file: string,
  line: number,
  kind: ProblemKind,
  severity: Problem['severity'],
  field: string,
  raw: string,
  message: string,
): Problem {
  return { kind, severity, file, line, field, raw, message };
}

export function sourceFileOf(name: string, role: FileRole, decoded: DecodedText): SourceFile {
  const source: SourceFile = {
    name,
    role,
    eol: decoded.eol,
    finalNewline: decoded.finalNewline,
    bom: decoded.bom,
    lines: countLines(decoded.text),
  };
  if (decoded.encoding !== 'utf-8') source.encoding = decoded.encoding;
  return source;
}

/** SourceFile from what a chunked decode told (see ChunkedTextDecoder). */
export function sourceFileFrom(
  name: string,
  role: FileRole,
  written: Omit<DecodedText, 'text'>,
  lines: number,
): SourceFile {
  const { eol, finalNewline, bom, encoding } = written;
  const source: SourceFile = { name, role, eol, finalNewline, bom, lines };
  if (encoding !== 'utf-8') source.encoding = encoding;
  return source;
}

/** Base name of a path given with either kind of slash. */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/**
 * Decode a line-per-row file and hand each non-blank line to readRow. Blank lines
 * are reported (a warning) rather than passed over, so every line is accounted for.
 */
export function readLines(
  file: InputFile,
  role: FileRole,
  readRow: (line: number, text: string, problems: Problem[]) => LabelRecord | null,
): RecordsRead {
  const decoded = decodeText(file);
  if ('problem' in decoded) {
    return { records: [], problems: [decoded.problem], rowsRead: 0, source: null };
  }
  const records: LabelRecord[] = [];
  const problems: Problem[] = [];
  let rowsRead = 0;
  // A plain loop rather than splitLines' generator: this runs once per row of files
  // with up to a million rows.
  const text = decoded.text;
  let start = 0;
  for (let line = 1; start < text.length; line++) {
    const lf = text.indexOf('\n', start);
    const end = lf < 0 ? text.length : lf;
    const lineText = text.slice(start, end > start && text[end - 1] === '\r' ? end - 1 : end);
    start = lf < 0 ? text.length : lf + 1;
    if (isLongLine(lineText)) {
      rowsRead++;
      problems.push(longLineProblem(file.name, line, lineText));
      continue;
    }
    if (lineText.trim() === '') {
      problems.push(
        makeProblem(
          file.name,
          line,
          'missing-value',
          'warning',
          'line',
          lineText,
          'blank line skipped',
        ),
      );
      continue;
    }
    rowsRead++;
    if (lineText.includes('\r')) {
      problems.push(loneCrProblem(file.name, line, lineText));
      continue;
    }
    const record = readRow(line, lineText, problems);
    if (record) records.push(record);
  }
  return { records, problems, rowsRead, source: sourceFileOf(file.name, role, decoded) };
}

/** Rejects the later of two rows naming the same image; returns true when the row is a duplicate. */
/**
 * The images a file has named so far, and on which line. Label files usually list
 * their images in ascending order: while they do, a new name cannot repeat an earlier
 * one and no lookup is needed; the first name out of order builds the lookup table.
 * (A million-entry Map per file was a quarter of a large import's time.)
 */
export class ImagesSeen {
  private last: string | undefined;
  private readonly images: string[] = [];
  private readonly lines: number[] = [];
  private byImage: Map<string, number> | null = null;

  /** The line that first named the image, or undefined when it is new; records it if new. */
  firstLineOrAdd(image: string, line: number): number | undefined {
    if (!this.byImage && (this.last === undefined || image > this.last)) {
      this.last = image;
      this.images.push(image);
      this.lines.push(line);
      return undefined;
    }
    if (!this.byImage) {
      this.byImage = new Map();
      this.images.forEach((seen, i) => this.byImage?.set(seen, this.lines[i] as number));
    }
    const first = this.byImage.get(image);
    if (first === undefined) this.byImage.set(image, line);
    return first;
  }
}

export function isDuplicateImage(
  seen: ImagesSeen,
  file: string,
  line: number,
  image: string,
  problems: Problem[],
): boolean {
  const firstLine = seen.firstLineOrAdd(image, line);
  if (firstLine === undefined) return false;
  problems.push(duplicateImageProblem(file, line, image, firstLine));
  return true;
}

export function duplicateImageProblem(
  file: string,
  line: number,
  image: string,
  firstLine: number,
): Problem {
  return makeProblem(
    file,
    line,
    'duplicate-image',
    'error',
    'image',
    image,
    `image '${image}' already given on line ${firstLine}; this row is rejected`,
  );
}

/**
 * Parses AU values and reports their odd tokens as warnings (the row is kept).
 * Results are shared between rows with the same text: a dataset repeats a few
 * thousand distinct AU strings over up to a million rows. Treat them as read-only.
 */
export function auValueReader(
  file: string,
): (line: number, raw: string, problems: Problem[]) => { raw: string; parsed: AuParse } {
  const cache = new Map<
    string,
    { value: { raw: string; parsed: AuParse }; issues: ReturnType<typeof auValueIssues> }
  >();
  return (line, raw, problems) => {
    let entry = cache.get(raw);
    if (!entry) {
      const parsed = parseAuString(raw);
      entry = { value: { raw, parsed }, issues: auValueIssues(parsed) };
      cache.set(raw, entry);
    }
    for (const issue of entry.issues) {
      problems.push(
        makeProblem(file, line, 'bad-au-token', 'warning', 'au', issue.raw, issue.message),
      );
    }
    // The same object for every row of this text, not one per row.
    return entry.value;
  };
}

const INTEGER = /^[+-]?\d+$/;
const CANONICAL_INTEGER = /^(?:0|-?[1-9]\d*)$/;

export function parseInteger(text: string): number | null {
  return INTEGER.test(text) ? Number(text) : null;
}

/**
 * Whether an integer is written as it would be written back (`3`, not `03` or `+3`):
 * an id taken from `03` would be exported as `3`, and an untouched export must give
 * back the file as it was.
 */
export function isCanonicalInteger(text: string): boolean {
  return CANONICAL_INTEGER.test(text);
}

/** The problem of an id that is an integer, but not written as one is written back. */
export function nonCanonicalIdMessage(what: string, raw: string): string {
  return `${what} '${raw}' is not written as a plain number (no sign, no leading zeros), so an export could not give it back as written`;
}
