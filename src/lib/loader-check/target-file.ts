import {
  guessCsvMapping,
  MAX_CSV_COLUMNS,
  parseRows,
  uniqueColumnNames,
  type CsvRow,
} from '../formats/generic-table/csv';
import { MAX_MASK_AU } from '../labels/au';
import { makeProblem } from '../labels/records';
import { decodeText } from '../labels/text';
import type { InputFile, Problem } from '../labels/types';
import { readNpy } from '../predictions/npy';

/**
 * Reading the AU target matrix a training loader actually fed its model (a "target
 * dump"), so that it can be compared with the labels (see check.ts). Two forms:
 *
 * - CSV/TSV with a header: an image column (optional: without one, rows are the
 *   dataset's samples in order) and one column per AU, named `AU1`, `AU12`, `au_12`,
 *   `AU01_c`, `12`...;
 * - NumPy `.npy`, N x K floats, with the AU number of each column given by the user,
 *   and either an image list (one name per line) or the dataset's row order.
 *
 * Values: 0/1 or probabilities (present when at least 0.5); a negative value (-1, the
 * -100 of an ignore index), NaN or an empty cell means the loader masked the cell.
 * Bad input never throws: it becomes problems (file, line, field, raw, message).
 */

export const TARGET_DUMP_VERSION = 1;

/** How dump rows find their samples. */
export type TargetJoin = 'image' | 'row-order';

export interface TargetDump {
  version: typeof TARGET_DUMP_VERSION;
  /** The file the targets came from (and the image list, when one was given), for messages. */
  fileNames: string[];
  join: TargetJoin;
  /** AU number of each target column, in column order (1-64, each once). */
  aus: number[];
  /** Each target column's name as written (`AU<n>` for an .npy). */
  columnNames: string[];
  rows: number;
  /** rows x aus.length targets, row by row; NaN: the cell is masked. */
  values: Float32Array;
  /** Image name of each row as written; null when the rows follow the dataset's order. */
  images: string[] | null;
  /** Where each row was written: its line (CSV) or its 1-based row (.npy), for examples. */
  lines: Int32Array;
}

export interface TargetDumpRead {
  /** null when nothing could be read (the problems say why). */
  dump: TargetDump | null;
  problems: Problem[];
  /** Columns of a CSV that are neither the image nor an AU (an emotion label, a split...). */
  ignoredColumns: string[];
}

export interface TargetDumpOptions {
  /**
   * CSV: the image column's name; null: no image column, rows follow the dataset's
   * order; undefined: guessed from the header (and row order when none is found).
   */
  imageColumn?: string | null;
  /** .npy: the AU number of each column, in column order (see parseAuList). */
  aus?: readonly number[];
  /** .npy: the image of each row, one name per line; null or absent: the dataset's row order. */
  imageList?: InputFile | null;
}

/**
 * Cells a dump may hold (rows x AU columns): 64 AUs for a million samples is 64
 * million, read into 256 MB of float32. A larger file is refused, not run out of memory on.
 */
export const MAX_TARGET_CELLS = 64 * 1024 * 1024;

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

const numberFormat = new Intl.NumberFormat('en');

/** Whether the bytes start like an .npy file (the name may not say so). */
export function looksLikeNpy(file: InputFile): boolean {
  return NPY_MAGIC.every((byte, i) => file.bytes[i] === byte) || /\.npy$/i.test(file.name);
}

/** The one entry point: a CSV/TSV or an .npy, told apart by the bytes and the name. */
export function readTargetDump(file: InputFile, options: TargetDumpOptions = {}): TargetDumpRead {
  return looksLikeNpy(file) ? readTargetNpy(file, options) : readTargetCsv(file, options);
}

const AU_COLUMN =
  /^(?:au_?)?0*([1-9]\d?)(?:_(?:c|r|p|target|targets|label|labels|present|presence))?$/;

/** The AU number a column name stands for (`AU12`, `au_12`, `AU01_c`, `12`), or null. */
export function auOfColumnName(name: string): number | null {
  const normalised = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  const match = AU_COLUMN.exec(normalised);
  return match ? Number(match[1]) : null;
}

/**
 * The AU numbers of an .npy's columns as a user types them: `1,2,4,6,12`, `AU1 AU2`,
 * `1;2;4`. A message when the list is empty, has a token that is no AU, an AU outside
 * 1-64, or the same AU twice (two columns cannot both be AU 12).
 */
export function parseAuList(text: string): { aus: number[] } | { message: string } {
  const tokens = text.split(/[\s,;|+]+/).filter((token) => token !== '');
  if (tokens.length === 0) return { message: 'no AU numbers given' };
  const aus: number[] = [];
  for (const token of tokens) {
    const au = auOfColumnName(token);
    if (au === null) return { message: `'${token}' is not an AU number` };
    if (au > MAX_MASK_AU) return { message: `AU ${au} is outside 1-${MAX_MASK_AU}` };
    if (aus.includes(au)) return { message: `AU ${au} is given twice` };
    aus.push(au);
  }
  return { aus };
}

type CellRead = { value: number } | { message: string };

const ZERO: CellRead = Object.freeze({ value: 0 });
const ONE: CellRead = Object.freeze({ value: 1 });
const MASKED: CellRead = Object.freeze({ value: NaN });

const MASKED_WORDS = new Set(['', 'nan', 'na', 'n/a', 'none', 'null', '-']);

/** One target cell: a number, a masked cell (NaN), or why it is neither. */
export function readTargetCell(raw: string): CellRead {
  // Nearly every cell of a dump is one of these: read without trimming or parsing.
  if (raw === '0') return ZERO;
  if (raw === '1') return ONE;
  if (raw === '-1') return MASKED;
  const text = raw.trim();
  const lower = text.toLowerCase();
  if (MASKED_WORDS.has(lower)) return { value: NaN };
  // pandas writes booleans as True/False.
  if (lower === 'true') return { value: 1 };
  if (lower === 'false') return { value: 0 };
  const value = Number(text);
  if (Number.isNaN(value)) return { message: `'${text}' is not a number` };
  if (!Number.isFinite(value)) return { message: `'${text}' is not a finite number` };
  return { value: value < 0 ? NaN : value };
}

interface TargetColumn {
  index: number;
  au: number;
  name: string;
}

/** Which header columns hold AUs, which the image, which are ignored (with the problems of each). */
function targetColumnsOf(
  fileName: string,
  headerLine: number,
  columns: readonly string[],
  imageIndex: number,
  problems: Problem[],
): { targets: TargetColumn[]; ignored: string[] } {
  const targets: TargetColumn[] = [];
  const ignored: string[] = [];
  const columnOfAu = new Map<number, string>();
  columns.forEach((name, index) => {
    if (index === imageIndex) return;
    const au = auOfColumnName(name);
    if (au === null) {
      ignored.push(name);
      return;
    }
    if (au > MAX_MASK_AU) {
      problems.push(
        makeProblem(
          fileName,
          headerLine,
          'header',
          'warning',
          name,
          name,
          `column '${name}' names AU ${au}, outside 1-${MAX_MASK_AU}; the column is not compared`,
        ),
      );
      return;
    }
    const earlier = columnOfAu.get(au);
    if (earlier !== undefined) {
      problems.push(
        makeProblem(
          fileName,
          headerLine,
          'header',
          'error',
          name,
          name,
          `column '${name}' is AU ${au} again (column '${earlier}' already is); this column is not compared`,
        ),
      );
      return;
    }
    columnOfAu.set(au, name);
    targets.push({ index, au, name });
  });
  if (ignored.length > 0) {
    problems.push(
      makeProblem(
        fileName,
        headerLine,
        'header',
        'warning',
        'header',
        ignored.slice(0, 10).join(', '),
        `${ignored.length === 1 ? 'column' : 'columns'} ${ignored
          .slice(0, 10)
          .map((name) => `'${name}'`)
          .join(', ')}${ignored.length > 10 ? ` and ${ignored.length - 10} more` : ''} ` +
          'named neither an image nor an AU: not read',
      ),
    );
  }
  return { targets, ignored };
}

/** Values above 1 are read as intensities; the user is told once. */
function noteIntensities(fileName: string, highest: number, problems: Problem[]): void {
  if (highest <= 1) return;
  problems.push(
    makeProblem(
      fileName,
      0,
      'missing-value',
      'warning',
      'values',
      String(highest),
      `targets go up to ${highest}: read as intensities, an AU counted present from 0.5 up`,
    ),
  );
}

function tooManyCells(fileName: string, rows: number, columns: number): Problem {
  return makeProblem(
    fileName,
    0,
    'file-too-large',
    'error',
    'file',
    `${rows} x ${columns}`,
    `${numberFormat.format(rows)} rows of ${columns} AU columns is more than the ` +
      `${numberFormat.format(MAX_TARGET_CELLS)} target cells this check reads; the file is not read`,
  );
}

/** Rows read to find the header; the rest of a file without quotes is split as it is read. */
const HEADER_SCAN_ROWS = 50;

const isBlankRow = (row: CsvRow) => row.cells.every((cell) => cell.trim() === '');

/** The rows of the lines after line `after` (1-based), one at a time. */
function* linesFrom(text: string, after: number, delimiter: string): Generator<CsvRow> {
  let at = 0;
  for (let line = 1; line <= after && at <= text.length; line++) {
    const lf = text.indexOf('\n', at);
    at = lf < 0 ? text.length + 1 : lf + 1;
  }
  for (let line = after + 1; at < text.length; line++) {
    const lf = text.indexOf('\n', at);
    const end = lf < 0 ? text.length : lf;
    const lineText = text.slice(at, end > at && text[end - 1] === '\r' ? end - 1 : end);
    at = end + 1;
    yield { line, cells: lineText.split(delimiter), errors: [] };
  }
}

/** Lines after line `after` (an upper bound on the rows under the header). */
function countLinesAfter(text: string, after: number): number {
  let lines = 0;
  for (
    let at = text.indexOf('\n');
    at >= 0 && at < text.length - 1;
    at = text.indexOf('\n', at + 1)
  )
    lines++;
  return Math.max(0, lines + 1 - after);
}

/** A CSV or TSV dump with a header row. */
export function readTargetCsv(file: InputFile, options: TargetDumpOptions = {}): TargetDumpRead {
  const problems: Problem[] = [];
  const failed = (): TargetDumpRead => ({ dump: null, problems, ignoredColumns: [] });
  const decoded = decodeText(file);
  if ('problem' in decoded) {
    problems.push(decoded.problem);
    return failed();
  }
  const text = decoded.text;
  // Without quotes a row is a line: rows are split one at a time as they are read,
  // never a million arrays of cells at once (papaparse handles quoted files whole).
  const lazy = !text.includes('"');
  let { rows, delimiter } = parseRows(text, file.name, lazy ? HEADER_SCAN_ROWS : 0);
  if (lazy && rows.length === HEADER_SCAN_ROWS && rows.every(isBlankRow)) {
    ({ rows, delimiter } = parseRows(text, file.name));
  }
  const headerAt = rows.findIndex((row) => row.cells.some((cell) => cell.trim() !== ''));
  const headerRow = rows[headerAt];
  if (!headerRow) {
    problems.push(
      makeProblem(
        file.name,
        0,
        'header',
        'error',
        'header',
        '',
        'no header row: the file is empty',
      ),
    );
    return failed();
  }
  if (headerRow.cells.length > MAX_CSV_COLUMNS) {
    problems.push(
      makeProblem(
        file.name,
        headerRow.line,
        'header',
        'error',
        'header',
        headerRow.cells.slice(0, 5).join(','),
        `the header has ${numberFormat.format(headerRow.cells.length)} columns, more than the ${MAX_CSV_COLUMNS} read; the file is not read`,
      ),
    );
    return failed();
  }
  const columns = uniqueColumnNames(headerRow.cells.map((cell) => cell.trim()));
  let imageIndex = -1;
  if (options.imageColumn !== null) {
    const imageName = options.imageColumn ?? guessCsvMapping(columns).image;
    imageIndex = imageName === null ? -1 : columns.indexOf(imageName);
    if (options.imageColumn !== undefined && imageIndex < 0) {
      problems.push(
        makeProblem(
          file.name,
          headerRow.line,
          'header',
          'error',
          'image',
          options.imageColumn,
          `the header has no column '${options.imageColumn}'`,
        ),
      );
      return failed();
    }
    // A guessed image column that is an AU column (`12`? no, but `name` may be) stays the image.
  }
  const { targets, ignored } = targetColumnsOf(
    file.name,
    headerRow.line,
    columns,
    imageIndex,
    problems,
  );
  if (targets.length === 0) {
    problems.push(
      makeProblem(
        file.name,
        headerRow.line,
        'header',
        'error',
        'header',
        columns.join(',').slice(0, 200),
        'no AU column in the header (looked for names such as AU1, AU12, au_12, AU01_c or 12)',
      ),
    );
    return { dump: null, problems, ignoredColumns: ignored };
  }
  if (imageIndex < 0 && options.imageColumn === undefined) {
    problems.push(
      makeProblem(
        file.name,
        headerRow.line,
        'header',
        'warning',
        'image',
        columns.join(',').slice(0, 200),
        "no image column in the header: row n is taken as the dataset's sample n",
      ),
    );
  }
  const dataRows: Iterable<CsvRow> = lazy
    ? linesFrom(text, headerRow.line, delimiter)
    : rows.slice(headerAt + 1);
  // At most this many rows (blank lines are skipped below); the arrays are cut to fit.
  const rowCount = lazy ? countLinesAfter(text, headerRow.line) : rows.length - headerAt - 1;
  if (rowCount * targets.length > MAX_TARGET_CELLS) {
    problems.push(tooManyCells(file.name, rowCount, targets.length));
    return { dump: null, problems, ignoredColumns: ignored };
  }
  const byImage = imageIndex >= 0;
  const values = new Float32Array(rowCount * targets.length);
  const lines = new Int32Array(rowCount);
  const images: string[] = [];
  const lineOfImage = new Map<string, number>();
  let kept = 0;
  let highest = 0;
  for (const row of dataRows) {
    if (isBlankRow(row)) continue;
    const offset = kept * targets.length;
    if (row.cells.length !== columns.length) {
      // Joined by order, a dropped row would move every later one: it stays, masked.
      problems.push(
        makeProblem(
          file.name,
          row.line,
          'column-count',
          'error',
          'row',
          row.cells.join(',').slice(0, 200),
          `${row.cells.length} fields where the header has ${columns.length}; ` +
            (byImage ? 'row rejected' : "the row's targets are taken as masked"),
        ),
      );
      if (byImage) continue;
      values.fill(NaN, offset, offset + targets.length);
      lines[kept++] = row.line;
      continue;
    }
    if (byImage) {
      const image = (row.cells[imageIndex] as string).trim();
      if (image === '') {
        problems.push(
          makeProblem(
            file.name,
            row.line,
            'missing-value',
            'error',
            columns[imageIndex] as string,
            '',
            'no image name; row rejected',
          ),
        );
        continue;
      }
      const first = lineOfImage.get(image);
      if (first !== undefined) {
        problems.push(
          makeProblem(
            file.name,
            row.line,
            'duplicate-image',
            'error',
            columns[imageIndex] as string,
            image,
            `image '${image}' already given on line ${first}; this row is rejected`,
          ),
        );
        continue;
      }
      lineOfImage.set(image, row.line);
      images.push(image);
    }
    targets.forEach((target, t) => {
      const raw = row.cells[target.index] as string;
      const cell = readTargetCell(raw);
      if ('message' in cell) {
        problems.push(
          makeProblem(
            file.name,
            row.line,
            'missing-value',
            'warning',
            target.name,
            raw,
            `${cell.message}; the cell is taken as masked`,
          ),
        );
        values[offset + t] = NaN;
        return;
      }
      if (cell.value > highest) highest = cell.value;
      values[offset + t] = cell.value;
    });
    lines[kept++] = row.line;
  }
  noteIntensities(file.name, highest, problems);
  if (kept === 0) {
    problems.push(
      makeProblem(
        file.name,
        0,
        'empty-file',
        'error',
        'file',
        '',
        'no rows of targets under the header',
      ),
    );
    return { dump: null, problems, ignoredColumns: ignored };
  }
  return {
    dump: {
      version: TARGET_DUMP_VERSION,
      fileNames: [file.name],
      join: byImage ? 'image' : 'row-order',
      aus: targets.map((target) => target.au),
      columnNames: targets.map((target) => target.name),
      rows: kept,
      values:
        kept * targets.length === values.length ? values : values.slice(0, kept * targets.length),
      images: byImage ? images : null,
      lines: kept === lines.length ? lines : lines.slice(0, kept),
    },
    problems,
    ignoredColumns: ignored,
  };
}

/** One image name per non-blank line (a path is kept as written; the check matches base names too). */
export function readImageList(file: InputFile): { images: string[]; problems: Problem[] } {
  const decoded = decodeText(file);
  if ('problem' in decoded) return { images: [], problems: [decoded.problem] };
  const images: string[] = [];
  const problems: Problem[] = [];
  const lines = decoded.text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((text, i) => {
    const image = text.replace(/\r$/, '').trim();
    if (image === '') {
      problems.push(
        makeProblem(
          file.name,
          i + 1,
          'missing-value',
          'warning',
          'line',
          text,
          'blank line skipped',
        ),
      );
      return;
    }
    images.push(image);
  });
  if (images.length === 0 && problems.length === 0) {
    problems.push(
      makeProblem(file.name, 0, 'empty-file', 'error', 'file', '', 'no image names in the list'),
    );
  }
  return { images, problems };
}

/** An .npy of N x K (or N, one AU) floats, its columns' AUs given. */
export function readTargetNpy(file: InputFile, options: TargetDumpOptions = {}): TargetDumpRead {
  const problems: Problem[] = [];
  const failed = (): TargetDumpRead => ({ dump: null, problems, ignoredColumns: [] });
  const aus = options.aus ?? [];
  if (aus.length === 0) {
    problems.push(
      makeProblem(
        file.name,
        0,
        'header',
        'error',
        'aus',
        '',
        'an .npy has no column names: give the AU number of each column, in order',
      ),
    );
    return failed();
  }
  const listed = parseAuList(aus.join(','));
  if ('message' in listed) {
    problems.push(
      makeProblem(file.name, 0, 'header', 'error', 'aus', aus.join(','), listed.message),
    );
    return failed();
  }
  const read = readNpy(file.bytes, file.name);
  if (!('array' in read)) {
    problems.push(...read.problems);
    return failed();
  }
  const { array, shape } = read;
  const [rows = 0, columns = 1, ...more] = shape;
  if (shape.length < 1 || shape.length > 2 || more.length > 0) {
    problems.push(
      makeProblem(
        file.name,
        0,
        'column-count',
        'error',
        'shape',
        `(${shape.join(', ')})`,
        `the array has shape (${shape.join(', ')}); a target dump is N x K (samples x AUs)`,
      ),
    );
    return failed();
  }
  if (columns !== aus.length) {
    problems.push(
      makeProblem(
        file.name,
        0,
        'column-count',
        'error',
        'shape',
        `(${shape.join(', ')})`,
        `the array has ${columns} ${columns === 1 ? 'column' : 'columns'} but ${aus.length} AU numbers were given`,
      ),
    );
    return failed();
  }
  if (rows * columns > MAX_TARGET_CELLS) {
    problems.push(tooManyCells(file.name, rows, columns));
    return failed();
  }
  let images: string[] | null = null;
  const fileNames = [file.name];
  if (options.imageList) {
    const list = readImageList(options.imageList);
    problems.push(...list.problems);
    fileNames.push(options.imageList.name);
    if (list.images.length !== rows) {
      problems.push(
        makeProblem(
          options.imageList.name,
          0,
          'column-count',
          'error',
          'file',
          String(list.images.length),
          `the image list names ${numberFormat.format(list.images.length)} images but the array has ${numberFormat.format(rows)} rows: rows and images cannot be paired`,
        ),
      );
      return failed();
    }
    const lineOf = new Map<string, number>();
    for (const [i, image] of list.images.entries()) {
      const first = lineOf.get(image);
      if (first !== undefined) {
        problems.push(
          makeProblem(
            options.imageList.name,
            i + 1,
            'duplicate-image',
            'error',
            'image',
            image,
            `image '${image}' already listed as row ${first + 1}: rows and images cannot be paired one to one`,
          ),
        );
        return failed();
      }
      lineOf.set(image, i);
    }
    images = list.images;
  }
  const values = new Float32Array(rows * columns);
  let highest = 0;
  let infinite = 0;
  let firstInfinite = -1;
  for (let i = 0; i < values.length; i++) {
    const value = array[i] as number;
    if (value === Infinity || value === -Infinity) {
      if (infinite++ === 0) firstInfinite = i;
      values[i] = NaN;
      continue;
    }
    if (value > highest) highest = value;
    values[i] = value < 0 ? NaN : value;
  }
  if (infinite > 0) {
    problems.push(
      makeProblem(
        file.name,
        Math.floor(firstInfinite / columns) + 1,
        'missing-value',
        'warning',
        `AU${aus[firstInfinite % columns]}`,
        String(array[firstInfinite]),
        `${numberFormat.format(infinite)} infinite ${infinite === 1 ? 'value' : 'values'}: taken as masked`,
      ),
    );
  }
  noteIntensities(file.name, highest, problems);
  const lines = new Int32Array(rows);
  for (let r = 0; r < rows; r++) lines[r] = r + 1;
  return {
    dump: {
      version: TARGET_DUMP_VERSION,
      fileNames,
      join: images ? 'image' : 'row-order',
      aus: listed.aus,
      columnNames: listed.aus.map((au) => `AU${au}`),
      rows,
      values,
      images,
      lines,
    },
    problems,
    ignoredColumns: [],
  };
}
