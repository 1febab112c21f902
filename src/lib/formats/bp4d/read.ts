import {
  baseName,
  columnsFromRecords,
  emptyLabelColumns,
  makeProblem,
  readLines,
  type LabelRecord,
  type ReadResult,
} from '../../labels/records';
import type { ReportFile } from '../../labels/report';
import type { InputFile, Problem, SourceFile } from '../../labels/types';
import {
  AuValues,
  FRAME_NUMBER,
  FramesSeen,
  badFrameMessage,
  encodeRuns,
  encodeSide,
  frameImageName,
  frameNumberAt,
  frameOrderProblem,
  joinedFile,
  naturalOrder,
  repeatedFrameProblem,
} from '../frames';

/**
 * BP4D-Spontaneous (Zhang et al., 2014) AU occurrence: one CSV per video, named
 * `<subject>_<task>.csv` (`F001_T1.csv`). A header row (`frame` or an empty first
 * cell, then AU numbers), then a row per frame: its number, then per AU 1 (present),
 * 0 (absent) or 9 (not coded). The files hold columns for many AUs, most of them 9
 * throughout; the dataset codes 12.
 */

/** The AUs BP4D codes, in its order. */
export const BP4D_AUS: readonly number[] = [1, 2, 4, 6, 7, 10, 12, 14, 15, 17, 23, 24];

/** BP4D's and BP4D+'s subjects are F001... and M001..., their tasks T1-T10. */
const VIDEO_NAME = /^([FM]\d{3,})_T\d+$/i;

/** The subject a video shows (`F001_T1` -> `F001`); null when its name is not `<subject>_T<n>`. */
export function bp4dSubjectOf(video: string): string | null {
  return VIDEO_NAME.exec(video)?.[1] ?? null;
}

/** A file's video: its name without folders and extension. */
export function bp4dVideoOf(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Whether a file is named as BP4D names its occurrence files. */
export function isBp4dFileName(path: string): boolean {
  return /\.csv$/i.test(baseName(path)) && bp4dSubjectOf(bp4dVideoOf(path)) !== null;
}

/** A header's first cell: `frame`, or empty (some files write `0`, the frame column's index). */
const FRAME_CELL = /^(?:frame|0)?$/i;
/** An AU column: `1`, `AU1` or `AU01`. */
const AU_CELL = /^(?:AU)?0*([1-9]\d?)$/i;

export type Bp4dHeader =
  { aus: number[] } | { problem: { column: number; raw: string; message: string } };

/** The AUs a header line names, in its order, or why it is not a BP4D header. */
export function parseBp4dHeader(line: string): Bp4dHeader {
  const cells = line.split(',');
  const first = cells[0] as string;
  if (!FRAME_CELL.test(first.trim()))
    return {
      problem: {
        column: 1,
        raw: first,
        message: `the first header cell '${first}' is not 'frame' (nor empty): a BP4D file starts with the frame column`,
      },
    };
  const aus: number[] = [];
  const columnOf = new Map<number, number>();
  for (let c = 1; c < cells.length; c++) {
    const cell = cells[c] as string;
    const match = AU_CELL.exec(cell.trim());
    if (!match)
      return {
        problem: {
          column: c + 1,
          raw: cell,
          message: `header cell '${cell}' is not an AU number (1, AU1 or AU01)`,
        },
      };
    const au = Number(match[1]);
    const earlier = columnOf.get(au);
    if (earlier !== undefined)
      return {
        problem: {
          column: c + 1,
          raw: cell,
          message: `AU ${au} is named twice in the header (columns ${earlier} and ${c + 1})`,
        },
      };
    columnOf.set(au, c + 1);
    aus.push(au);
  }
  if (aus.length === 0)
    return { problem: { column: 1, raw: line, message: 'the header names no AU' } };
  return { aus };
}

/** A cell's value: 1 present, 9 not coded (0 absent). */
const PRESENT = 1;
const NOT_CODED = 9;

interface FrameRow {
  line: number;
  frame: number;
  /** Per header column. */
  values: Uint8Array;
}

/** One BP4D file, read: its frames' records, or nothing when it could not be read. */
export interface Bp4dFileRead {
  video: string;
  records: LabelRecord[];
  problems: Problem[];
  /** Non-blank data lines (header excluded). */
  rowsRead: number;
  /** null when the file was not read (not text, or its header is not BP4D's). */
  source: SourceFile | null;
}

const COMMA = 44;
const DIGIT_0 = 48;
const DIGIT_1 = 49;
const DIGIT_9 = 57;

/**
 * The frame of a well-formed row of n AU cells (`12,0,1,9`), its cells put in `cells`;
 * -1 for any other row. Read from the characters, without a string per cell: a
 * dataset holds a hundred cells a frame.
 */
export function readFrameRow(text: string, n: number, cells: Uint8Array): number {
  const comma = text.indexOf(',');
  if (comma <= 0 || text.length !== comma + 2 * n) return -1;
  const frame = frameNumberAt(text, 0, comma);
  if (frame < 0) return -1;
  for (let c = 0, at = comma + 1; c < n; c++, at += 2) {
    const value = text.charCodeAt(at);
    if (value !== DIGIT_0 && value !== DIGIT_1 && value !== DIGIT_9) return -1;
    if (c < n - 1 && text.charCodeAt(at + 1) !== COMMA) return -1;
    cells[c] = value - DIGIT_0;
  }
  return frame;
}

/**
 * A row's frame and cells (0, 1 or 9 per header column), or null when the row is
 * refused (its problem pushed).
 */
function cellsOf(
  fileName: string,
  line: number,
  text: string,
  aus: readonly number[],
  problems: Problem[],
): { frame: number; cells: Uint8Array } | null {
  const n = aus.length;
  const cells = new Uint8Array(n);
  const frame = readFrameRow(text, n, cells);
  if (frame >= 0) return { frame, cells };
  // Something is wrong with the row: find what, field by field.
  const fields = text.split(',');
  if (fields.length !== n + 1) {
    problems.push(
      makeProblem(
        fileName,
        line,
        'column-count',
        'error',
        'line',
        text,
        `expected ${n + 1} fields (the frame and ${n} AUs, as the header), found ${fields.length}; row rejected`,
      ),
    );
    return null;
  }
  const frameText = fields[0] as string;
  if (!FRAME_NUMBER.test(frameText)) {
    problems.push(
      makeProblem(
        fileName,
        line,
        'missing-value',
        'error',
        'frame',
        frameText,
        badFrameMessage(frameText),
      ),
    );
    return null;
  }
  for (let c = 0; c < n; c++) {
    const cell = fields[c + 1] as string;
    if (cell !== '0' && cell !== '1' && cell !== '9') {
      problems.push(
        makeProblem(
          fileName,
          line,
          'bad-au-token',
          'error',
          `AU${aus[c]}`,
          cell,
          `AU${aus[c]} value '${cell}' is not 0, 1 or 9 (9: not coded); row rejected`,
        ),
      );
      return null;
    }
    cells[c] = cell.charCodeAt(0) - DIGIT_0;
  }
  return { frame: Number(frameText), cells };
}

/** Reads one occurrence file. AU values are interned in `auValues`, shared over files. */
export function readBp4dFile(file: InputFile, auValues = new AuValues()): Bp4dFileRead {
  const video = bp4dVideoOf(file.name);
  let header: { text: string; aus: number[] } | null = null;
  let refused = false;
  const rows: FrameRow[] = [];
  const seen = new FramesSeen();
  const read = readLines(file, 'au', (line, text, problems) => {
    if (refused) return null;
    if (!header) {
      const parsed = parseBp4dHeader(text);
      if ('problem' in parsed) {
        const { column, raw, message } = parsed.problem;
        problems.push(
          makeProblem(
            file.name,
            line,
            'header',
            'error',
            `column ${column}`,
            raw,
            `${message}; file not read`,
          ),
        );
        refused = true;
      } else header = { text, aus: parsed.aus };
      return null;
    }
    const values = cellsOf(file.name, line, text, header.aus, problems);
    if (!values) return null;
    const { frame } = values;
    const firstLine = seen.firstLineOrAdd(frame, line);
    if (firstLine !== undefined) {
      problems.push(repeatedFrameProblem(file.name, line, frame, firstLine));
      return null;
    }
    if (frame < seen.highest)
      problems.push(frameOrderProblem(file.name, line, frame, seen.highest));
    rows.push({ line, frame, values: values.cells });
    return null;
  });
  const problems = read.problems;
  if (!read.source || !header) {
    if (read.source && !refused)
      problems.push(
        makeProblem(
          file.name,
          0,
          'header',
          'error',
          'file',
          file.name,
          'no header line; file not read',
        ),
      );
    return { video, records: [], problems, rowsRead: 0, source: null };
  }
  const { aus, text: headerText } = header;
  if (bp4dSubjectOf(video) === null)
    problems.push(
      makeProblem(
        file.name,
        0,
        'unknown-file',
        'warning',
        'file',
        file.name,
        `the file name does not say whose video it is (expected <subject>_<task>.csv, as F001_T1.csv); its frames are read as video '${video}' of no subject`,
      ),
    );
  const { records, sideValues } = framesOf(file.name, video, aus, rows, auValues, problems);
  const source: SourceFile = { ...read.source, header: headerText };
  if (sideValues !== undefined) source.sideValues = sideValues;
  // The header is a line of the file, not a data row.
  return { video, records, problems, rowsRead: Math.max(0, read.rowsRead - 1), source };
}

/**
 * The frames' AU values. A column is coded in this file when BP4D codes its AU or
 * some frame gives it 0 or 1; the other columns (9 throughout) are AUs the dataset
 * does not code. A frame whose coded columns are all 9 is not coded (`null`); one
 * with some 9s keeps its coded AUs, and its 9s are read as absent (warned once). The
 * 9s of coded frames are kept as side values, so that the writer gives them back.
 */
function framesOf(
  fileName: string,
  video: string,
  aus: readonly number[],
  rows: readonly FrameRow[],
  auValues: AuValues,
  problems: Problem[],
): { records: LabelRecord[]; sideValues: string | undefined } {
  const coded = aus.map((au) => BP4D_AUS.includes(au));
  for (const { values } of rows)
    for (let c = 0; c < aus.length; c++) if (values[c] !== NOT_CODED) coded[c] = true;
  // Most columns of a real file are 9 throughout: only the coded ones are looked at per frame.
  const codedColumns = aus.flatMap((_, c) => (coded[c] ? [c] : []));
  const records: LabelRecord[] = [];
  /** Per coded column, the frames of coded rows where it is 9. */
  const nines = new Map<number, number[]>(codedColumns.map((c) => [c, []]));
  let codedRows = 0;
  let partial = 0;
  let firstPartial: { line: number; au: number } | null = null;
  for (const { line, frame, values } of rows) {
    const image = frameImageName(video, frame);
    let present = '';
    let anyCoded = false;
    let firstNine = -1;
    for (const c of codedColumns) {
      const value = values[c];
      if (value === NOT_CODED) {
        (nines.get(c) as number[]).push(frame);
        if (firstNine < 0) firstNine = c;
        continue;
      }
      anyCoded = true;
      if (value === PRESENT) present += present === '' ? String(aus[c]) : `+${aus[c]}`;
    }
    if (!anyCoded) {
      // Its 9s need no keeping: a frame not coded is written 9 throughout.
      for (const c of codedColumns) (nines.get(c) as number[]).pop();
      records.push({ line, image, au: auValues.of('null') });
      continue;
    }
    codedRows++;
    if (firstNine >= 0) {
      partial++;
      firstPartial ??= { line, au: aus[firstNine] as number };
    }
    records.push({ line, image, au: auValues.of(present) });
  }
  if (firstPartial)
    problems.push(
      makeProblem(
        fileName,
        firstPartial.line,
        'missing-value',
        'warning',
        `AU${firstPartial.au}`,
        '9',
        `${partial} frame${partial === 1 ? ' is' : 's are'} coded for some AUs and 9 (not coded) for others, the first on this line (AU${firstPartial.au}): their coded AUs are kept, and the AUs given as 9 are read as absent`,
      ),
    );
  const entries: [string, string][] = [];
  if (codedRows > 0)
    aus.forEach((au, c) => {
      const frames = nines.get(c) ?? null;
      if (frames?.length === 0) return;
      // A column 9 in every coded frame (all those BP4D does not code) is `*`.
      entries.push([String(au), !frames || frames.length === codedRows ? '*' : encodeRuns(frames)]);
    });
  return { records, sideValues: encodeSide(entries) };
}

/** The files of a BP4D import, read into one read of all their frames. */
export interface Bp4dRead {
  read: ReadResult;
  /** The file the joined read stands for (named after the files). */
  file: InputFile;
  sourceFiles: SourceFile[];
  reportFiles: ReportFile[];
  /** Files refused as a whole (a second file for one video). */
  problems: Problem[];
}

/** Reads every file, videos in their natural order (F001_T1, F001_T2 ... F001_T10, F002_T1). */
export function readBp4dFiles(files: readonly InputFile[]): Bp4dRead {
  const problems: Problem[] = [];
  const byVideo = new Map<string, InputFile>();
  for (const file of files) {
    const video = bp4dVideoOf(file.name);
    const first = byVideo.get(video);
    if (first)
      problems.push(
        makeProblem(
          file.name,
          0,
          'unknown-file',
          'error',
          'file',
          file.name,
          `a second file for video ${video}; only ${first.name} is read`,
        ),
      );
    else byVideo.set(video, file);
  }
  const auValues = new AuValues();
  const records: LabelRecord[] = [];
  const readProblems: Problem[] = [];
  const sourceFiles: SourceFile[] = [];
  const reportFiles: ReportFile[] = [];
  let rowsRead = 0;
  const ordered = [...byVideo.keys()].sort(naturalOrder);
  for (const video of ordered) {
    const file = byVideo.get(video) as InputFile;
    const one = readBp4dFile(file, auValues);
    for (const problem of one.problems) readProblems.push(problem);
    for (const record of one.records) records.push(record);
    rowsRead += one.rowsRead;
    if (!one.source) continue;
    sourceFiles.push(one.source);
    reportFiles.push({
      name: file.name,
      role: 'au',
      lines: one.rowsRead,
      accepted: one.records.length,
    });
  }
  const read: ReadResult = {
    rows: records.length > 0 ? columnsFromRecords(records) : emptyLabelColumns(),
    problems: readProblems,
    rowsRead,
    source: sourceFiles[0] ?? null,
  };
  return {
    read,
    file: joinedFile(
      ordered.map((video) => byVideo.get(video) as InputFile),
      'BP4D',
    ),
    sourceFiles,
    reportFiles,
    problems,
  };
}
