import { parseAuString, isNullAuValue } from '../../labels/au';
import {
  auValueReader,
  baseName,
  columnsFromRecords,
  emptyLabelColumns,
  ImagesSeen,
  isCanonicalInteger,
  isDuplicateImage,
  makeProblem,
  nonCanonicalIdMessage,
  parseInteger,
  readLines,
  type LabelRecord,
  type ReadResult,
} from '../../labels/records';
import { hasClass } from '../../labels/schemes';
import { decodeText, isLongLine, splitLines } from '../../labels/text';
import type { InputFile, LabelScheme, Problem } from '../../labels/types';
import type { CsvMapping } from '../generic-table/csv';

/**
 * A table of `image value [value ...]` lines split by spaces or tabs, without a header.
 * What each column holds is told by its values (see kindOf); the columns get names
 * `column 1`, `column 2` ... and a CsvMapping, as a generic table's header would, so
 * that the import screen shows the guess and lets it be changed, and the export writes
 * the columns back in their order.
 */

export type ColumnKind = 'emotion' | 'au' | 'split';

/** The largest class id a column of integers is taken for ("a small range"). */
export const MAX_GUESSED_CLASS_ID = 99;
/** Largest split id the Int8Array column can hold. */
const MAX_SPLIT_ID = 127;
/** Largest class id the Int16Array column can hold. */
const MAX_CLASS_ID = 32_767;
/**
 * A column is of a kind when this share of its values fits it: one typo in a class
 * column should reject that row, not make the whole column unread.
 */
export const FITTING_SHARE = 0.9;
/** Class ids kept per column for the scheme; a column with more is no class column. */
const MAX_DISTINCT_IDS = 1000;

export function columnName(index: number): string {
  return `column ${index + 1}`;
}

/** What the values of one column are, counted. */
export interface ColumnTally {
  values: number;
  /** Integers 0-2, written plainly. */
  splitIds: number;
  /** Integers 0-MAX_GUESSED_CLASS_ID, written plainly. */
  classIds: number;
  /** AU strings in the grammar, `null` included (a plain integer too: `12` is AU 12). */
  auStrings: number;
  /** AU strings that are more than a plain integer (`1+2`, `5B`, `null`). */
  auBeyondNumbers: number;
  /** The distinct integers seen (up to MAX_DISTINCT_IDS), for a scheme of the class ids. */
  ids: Set<number>;
  /** The first distinct values, for messages. */
  examples: string[];
}

function newTally(): ColumnTally {
  return {
    values: 0,
    splitIds: 0,
    classIds: 0,
    auStrings: 0,
    auBeyondNumbers: 0,
    ids: new Set(),
    examples: [],
  };
}

const PLAIN_INTEGER = /^\d+$/;

function tallyValue(tally: ColumnTally, value: string): void {
  tally.values++;
  if (tally.examples.length < 3 && !tally.examples.includes(value)) tally.examples.push(value);
  if (PLAIN_INTEGER.test(value) && isCanonicalInteger(value)) {
    const id = Number(value);
    if (id <= 2) tally.splitIds++;
    if (id <= MAX_GUESSED_CLASS_ID) tally.classIds++;
    if (id <= MAX_CLASS_ID && tally.ids.size < MAX_DISTINCT_IDS) tally.ids.add(id);
  }
  if (isNullAuValue(value)) {
    tally.auStrings++;
    tally.auBeyondNumbers++;
    return;
  }
  const parsed = parseAuString(value);
  if (parsed.unknown.length === 0) {
    tally.auStrings++;
    if (!PLAIN_INTEGER.test(value)) tally.auBeyondNumbers++;
  }
}

/**
 * What a column holds, by its values, or null when none of the kinds fits:
 * - AU strings: AU strings in the grammar (`1+2+25`, `5B`, `null`), some of them more
 *   than a plain number (a column of plain numbers is ids, below);
 * - a split: integers 0-2 only (train / test / validation, as RAF-CE numbers them);
 * - class ids: integers 0-99 otherwise.
 * So a class column of a 3-class scheme (0-2 only) is taken for a split, and a 0/1
 * column of one AU's presence for a split too: there is no header to say otherwise,
 * which is why the import screen asks, and shows the columns to change.
 */
export function kindOf(tally: ColumnTally): ColumnKind | null {
  if (tally.values === 0) return null;
  const fits = (count: number) => count >= FITTING_SHARE * tally.values;
  if (tally.auBeyondNumbers > 0 && fits(tally.auStrings)) return 'au';
  if (fits(tally.splitIds)) return 'split';
  if (fits(tally.classIds)) return 'emotion';
  return null;
}

/** A line's fields: runs of characters between runs of spaces or tabs. */
export function fieldsOf(line: string): string[] {
  const trimmed = line.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

export interface TableLayout {
  /** Fields a row has: the count most lines have. */
  fieldCount: number;
  /** One name per field: `column 1` ... */
  columns: string[];
  /** Which column is which (image: always the first). */
  mapping: CsvMapping;
  /** Per column, its tally (the image column's too, unused). */
  tallies: ColumnTally[];
}

/** Tallies the rows of each field count, as lines come (a file is not held as rows). */
export class LayoutGuess {
  private readonly byCount = new Map<number, { rows: number; tallies: ColumnTally[] }>();

  add(fields: readonly string[]): void {
    if (fields.length === 0) return;
    let entry = this.byCount.get(fields.length);
    if (!entry) {
      entry = { rows: 0, tallies: fields.map(() => newTally()) };
      this.byCount.set(fields.length, entry);
    }
    entry.rows++;
    for (let j = 1; j < fields.length; j++)
      tallyValue(entry.tallies[j] as ColumnTally, fields[j] as string);
  }

  /** Rows seen, and of them those with the layout's field count. */
  rows(): { all: number; fitting: number } {
    let all = 0;
    for (const { rows } of this.byCount.values()) all += rows;
    const count = this.fieldCount();
    return { all, fitting: this.byCount.get(count)?.rows ?? 0 };
  }

  /** The field count most rows have (the first seen between equals). */
  fieldCount(): number {
    let best = 0;
    let most = 0;
    for (const [count, { rows }] of this.byCount)
      if (rows > most) {
        most = rows;
        best = count;
      }
    return best;
  }

  /**
   * Each column's role, in column order: the first column of a kind takes its role; a
   * second column of 0-2 ids, after the split, is taken as the class ids. Columns of no
   * kind, or of a kind already taken, are read as nothing.
   */
  layout(): TableLayout {
    const fieldCount = this.fieldCount();
    const tallies = this.byCount.get(fieldCount)?.tallies ?? [];
    const columns = Array.from({ length: fieldCount }, (_, j) => columnName(j));
    const mapping: CsvMapping = {
      image: fieldCount > 0 ? columnName(0) : null,
      emotion: null,
      au: null,
      split: null,
    };
    for (let j = 1; j < fieldCount; j++) {
      const kind = kindOf(tallies[j] as ColumnTally);
      if (kind === null) continue;
      if (mapping[kind] === null) mapping[kind] = columnName(j);
      else if (kind === 'split' && mapping.emotion === null) mapping.emotion = columnName(j);
    }
    return { fieldCount, columns, mapping, tallies };
  }
}

/** The layout of some lines (a file's head, for detection). */
export function guessLayout(lines: readonly string[]): { layout: TableLayout; fitting: number } {
  const guess = new LayoutGuess();
  for (const line of lines) guess.add(fieldsOf(line));
  return { layout: guess.layout(), fitting: guess.rows().fitting };
}

/** Whether a mapping given from outside names columns of this layout, the image first of all. */
function fitsLayout(mapping: CsvMapping, columns: readonly string[]): boolean {
  if (mapping.image === null || !columns.includes(mapping.image)) return false;
  return [mapping.emotion, mapping.au, mapping.split].every(
    (column) => column === null || columns.includes(column),
  );
}

export interface WhitespaceReadResult extends ReadResult {
  /** The class ids' scheme: the given one, or one of the ids found; null without a class column. */
  scheme: LabelScheme | null;
  columns: string[];
  mapping: CsvMapping;
}

const ROLE_WORDS: Readonly<Record<ColumnKind, string>> = {
  emotion: 'class ids',
  au: 'AU strings',
  split: 'split ids (0-2)',
};

/** In words, what each column was taken for: `image, class ids (column 2), ...`. */
export function describeLayout(mapping: CsvMapping): string {
  const taken = (['emotion', 'au', 'split'] as const)
    .filter((kind) => mapping[kind] !== null)
    .map((kind) => `${ROLE_WORDS[kind]} (${mapping[kind]})`);
  return ['image names', ...taken].join(', ');
}

/** Which role each column plays, by its index (null: read as nothing). */
function rolesByIndex(
  columns: readonly string[],
  mapping: CsvMapping,
): (ColumnKind | 'image' | null)[] {
  const roles: (ColumnKind | 'image' | null)[] = columns.map(() => null);
  for (const role of ['image', 'emotion', 'au', 'split'] as const) {
    const column = mapping[role];
    const at = column === null ? -1 : columns.indexOf(column);
    if (at >= 0 && roles[at] === null) roles[at] = role;
  }
  return roles;
}

/**
 * Reads a table of whitespace-separated fields without a header. The columns' roles
 * are the given mapping's, when it fits the file, or guessed from the values (see
 * LayoutGuess). A row with another number of fields than most rows is a
 * 'column-count' problem; a class or split id that does not read is the row's
 * problem; AU tokens outside the grammar are warnings, the row kept. Never throws.
 */
export function readWhitespaceTable(
  file: InputFile,
  options: { mapping?: CsvMapping; scheme?: LabelScheme } = {},
): WhitespaceReadResult {
  const decoded = decodeText(file);
  const noMapping: CsvMapping = { image: null, emotion: null, au: null, split: null };
  if ('problem' in decoded)
    return {
      rows: emptyLabelColumns(),
      problems: [decoded.problem],
      rowsRead: 0,
      source: null,
      scheme: options.scheme ?? null,
      columns: [],
      mapping: noMapping,
    };

  // First pass: the layout, from every row the second pass will read.
  const guess = new LayoutGuess();
  for (const { text } of splitLines(decoded.text))
    if (!isLongLine(text) && !text.includes('\r')) guess.add(fieldsOf(text));
  const layout = guess.layout();
  const { fieldCount, columns, tallies } = layout;
  const mapping =
    options.mapping && fitsLayout(options.mapping, columns) ? options.mapping : layout.mapping;
  const roles = rolesByIndex(columns, mapping);
  const problems: Problem[] = [];
  roles.forEach((role, j) => {
    if (role !== null) return;
    const tally = tallies[j] as ColumnTally;
    const kind = kindOf(tally);
    const why =
      mapping !== layout.mapping
        ? 'is mapped to no role'
        : kind === null
          ? 'holds neither class ids, split ids (0-2) nor AU strings'
          : `holds ${ROLE_WORDS[kind]} as ${mapping[kind]} does, which is read`;
    problems.push(
      makeProblem(
        file.name,
        0,
        'header',
        'warning',
        columnName(j),
        tally.examples.join(' '),
        `${columnName(j)} (${tally.examples.map((v) => `'${v}'`).join(', ')} ...) ${why}; ` +
          'its values are not read, and an export leaves the column out',
      ),
    );
  });

  let scheme: LabelScheme | null = options.scheme ?? null;
  const emotionAt = roles.indexOf('emotion');
  if (!scheme && emotionAt >= 0) {
    const ids = [...(tallies[emotionAt] as ColumnTally).ids].sort((a, b) => a - b);
    scheme = {
      id: 'whitespace-table',
      name: `${baseName(file.name)} classes`,
      classes: (ids.length > 0 ? ids : [0]).map((id) => ({
        id,
        name: `class ${id}`,
        components: [],
      })),
    };
  }
  const knownScheme = scheme;

  const expected = columns
    .map((name, j) => (roles[j] === 'image' ? 'image' : (roles[j] ?? name)))
    .join(' ');
  const seen = new ImagesSeen();
  const readAu = auValueReader(file.name);
  /** How often each run of whitespace separates two fields: the most common is written back. */
  const separators = new Map<string, number>();
  const lastAt = fieldCount - 1;
  const imageAt = roles.indexOf('image');
  const auAt = roles.indexOf('au');
  const read = readLines(file, 'combined', (line, text, lineProblems) => {
    const fields = fieldsOf(text);
    if (fields.length !== fieldCount) {
      lineProblems.push(
        makeProblem(
          file.name,
          line,
          'column-count',
          'error',
          'line',
          text,
          `expected ${fieldCount} fields '${expected}', found ${fields.length}; row rejected`,
        ),
      );
      return null;
    }
    const reject = (kind: Problem['kind'], field: string, raw: string, message: string) => {
      lineProblems.push(
        makeProblem(file.name, line, kind, 'error', field, raw, `${message}; row rejected`),
      );
      return null;
    };
    const record: LabelRecord = { line, image: fields[imageAt] as string };
    for (let j = 0; j < fieldCount; j++) {
      const value = fields[j] as string;
      const role = roles[j];
      if (role === 'emotion') {
        const id = parseInteger(value);
        if (id !== null && !isCanonicalInteger(value))
          return reject(
            'unknown-class',
            'emotion',
            value,
            nonCanonicalIdMessage('class id', value),
          );
        if (id === null || !knownScheme || !hasClass(knownScheme, id))
          return reject(
            'unknown-class',
            'emotion',
            value,
            `class id '${value}' is not in ${knownScheme?.name ?? 'the scheme'}`,
          );
        record.classId = id;
      } else if (role === 'split') {
        const split = parseInteger(value);
        if (split !== null && !isCanonicalInteger(value))
          return reject('bad-split', 'split', value, nonCanonicalIdMessage('split id', value));
        if (split === null || split < 0 || split > MAX_SPLIT_ID)
          return reject(
            'bad-split',
            'split',
            value,
            `split id '${value}' is not an integer 0-${MAX_SPLIT_ID}`,
          );
        record.split = split;
      }
    }
    if (isDuplicateImage(seen, file.name, line, record.image, lineProblems)) return null;
    if (auAt >= 0) {
      // The last field keeps the spaces after it, as RAF-CE's AU values do: the export
      // gives the line back as it was.
      const raw =
        auAt === lastAt
          ? text.slice(text.lastIndexOf(fields[auAt] as string))
          : (fields[auAt] as string);
      record.au = readAu(line, raw, lineProblems);
    }
    for (const match of text.trim().matchAll(/\s+/g))
      separators.set(match[0], (separators.get(match[0]) ?? 0) + 1);
    return record;
  });
  for (const problem of read.problems) problems.push(problem);
  const source = read.source;
  if (source) {
    let separator = ' ';
    let most = 0;
    for (const [run, count] of separators)
      if (count > most) {
        most = count;
        separator = run;
      }
    if (separator !== ' ') source.separator = separator;
  }
  return {
    rows: columnsFromRecords(read.records),
    problems,
    rowsRead: read.rowsRead,
    source,
    scheme,
    columns,
    mapping,
  };
}
