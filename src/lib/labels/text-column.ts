/**
 * A column of strings held as one text: the entries joined by '\n', and where each
 * one ends. A million image names as a million strings cost the garbage collector
 * most of a large import, and again each time the dataset is opened; as one string
 * and one Uint32Array they cost two objects, are cloned to a worker or stored as a
 * page by copying a range, and are searched with one indexOf.
 *
 * Plain data, not a class, so that it survives structuredClone and postMessage. No
 * entry may hold a line feed: label names and AU texts are read a line at a time,
 * and the CSV reader rejects a cell that holds one.
 */
export interface TextColumn {
  /** The entries joined by '\n'. */
  readonly text: string;
  /** ends[i]: where entry i ends in text (exclusive). Entry i starts at ends[i - 1] + 1, or 0. */
  readonly ends: Uint32Array;
}

const LINE_FEED = '\n';

export const EMPTY_TEXT_COLUMN: TextColumn = Object.freeze({
  text: '',
  ends: new Uint32Array(0),
});

export function columnLength(column: TextColumn): number {
  return column.ends.length;
}

/** Where entry i starts in column.text. */
export function startOf(column: TextColumn, i: number): number {
  return i === 0 ? 0 : (column.ends[i - 1] as number) + 1;
}

/** Entry i, or '' past the end. */
export function textAt(column: TextColumn, i: number): string {
  if (i < 0 || i >= column.ends.length) return '';
  return column.text.slice(startOf(column, i), column.ends[i]);
}

/** Whether entry i is `value` (false past the end), without a string for the entry. */
export function entryEquals(column: TextColumn, i: number, value: string): boolean {
  if (i < 0 || i >= column.ends.length) return false;
  const start = startOf(column, i);
  return (
    (column.ends[i] as number) - start === value.length && column.text.startsWith(value, start)
  );
}

/** The column of these strings. Throws (a bug) when one holds a line feed. */
export function textColumnOf(values: readonly string[]): TextColumn {
  const ends = new Uint32Array(values.length);
  let end = -1;
  for (let i = 0; i < values.length; i++) {
    end += 1 + (values[i] as string).length;
    ends[i] = end;
  }
  const text = values.join(LINE_FEED);
  assertEntryCount(text, values.length, 'textColumnOf');
  return { text, ends };
}

/** Every entry as a string (for small columns and tests). */
export function textColumnToArray(column: TextColumn): string[] {
  return column.ends.length === 0 ? [] : column.text.split(LINE_FEED);
}

/**
 * Writes where each entry of `joined` ends into ends, one entry per slot. Returns
 * false when joined holds another number of entries.
 */
function writeEnds(joined: string, ends: Uint32Array): boolean {
  const count = ends.length;
  if (count === 0) return joined.length === 0;
  let from = 0;
  for (let i = 0; i < count - 1; i++) {
    const lf = joined.indexOf(LINE_FEED, from);
    if (lf < 0) return false;
    ends[i] = lf;
    from = lf + 1;
  }
  if (joined.indexOf(LINE_FEED, from) >= 0) return false;
  ends[count - 1] = joined.length;
  return true;
}

/** Entries [from, to) joined by '\n' (how a page stores them). */
export function joinedRange(column: TextColumn, from: number, to: number): string {
  if (to <= from) return '';
  return column.text.slice(startOf(column, from), column.ends[to - 1]);
}

/** Entries [from, to) as a column of their own (a copy of that range). */
export function sliceTextColumn(column: TextColumn, from: number, to: number): TextColumn {
  if (to <= from) return EMPTY_TEXT_COLUMN;
  const shift = startOf(column, from);
  const ends = column.ends.slice(from, to);
  for (let i = 0; i < ends.length; i++) ends[i] = (ends[i] as number) - shift;
  return { text: column.text.slice(shift, column.ends[to - 1]), ends };
}

/** The entry that holds position `offset` of column.text (a line feed belongs to the entry before it). */
export function entryAtOffset(column: TextColumn, offset: number): number {
  const ends = column.ends;
  let low = 0;
  let high = ends.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((ends[mid] as number) < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

const lowerCaseTexts = new WeakMap<TextColumn, string>();

/**
 * Marks (1) the entries that contain `needle`, ignoring case: one indexOf pass over
 * the whole text instead of a lower-cased string per entry.
 */
export function entriesContaining(column: TextColumn, needle: string): Uint8Array {
  const marks = new Uint8Array(column.ends.length);
  const lowerNeedle = needle.toLowerCase();
  if (lowerNeedle.includes(LINE_FEED)) return marks;
  if (lowerNeedle === '') return marks.fill(1);
  let lower = lowerCaseTexts.get(column);
  if (lower === undefined) {
    lower = column.text.toLowerCase();
    // Lower-casing can change a text's length (a few non-ASCII letters); then the
    // offsets would not line up, and each entry is lower-cased alone.
    if (lower.length !== column.text.length) lower = '';
    lowerCaseTexts.set(column, lower);
  }
  if (lower === '' && column.text !== '') {
    for (let i = 0; i < marks.length; i++)
      if (textAt(column, i).toLowerCase().includes(lowerNeedle)) marks[i] = 1;
    return marks;
  }
  let from = lower.indexOf(lowerNeedle);
  while (from >= 0) {
    const entry = entryAtOffset(column, from);
    marks[entry] = 1;
    // The next match can only count if it lies in a later entry.
    from = lower.indexOf(lowerNeedle, (column.ends[entry] as number) + 1);
  }
  return marks;
}

function assertEntryCount(text: string, count: number, where: string): void {
  let lineFeeds = 0;
  for (let at = text.indexOf(LINE_FEED); at >= 0; at = text.indexOf(LINE_FEED, at + 1)) lineFeeds++;
  if (lineFeeds !== Math.max(0, count - 1))
    throw new Error(
      `${where}: an entry holds a line feed (${count} entries, ${lineFeeds} line feeds)`,
    );
}

/**
 * Fills a column of known size from pages of joined entries, as they arrive (in any
 * order), then builds it: the dataset's pages become one text without a string per
 * entry.
 */
export class TextColumnPages {
  private readonly pages: { first: number; count: number; text: string }[] = [];
  private readonly ends: Uint32Array;

  constructor(count: number) {
    this.ends = new Uint32Array(count);
  }

  /**
   * Entries [first, first + count) joined by '\n'. Returns false, and keeps nothing,
   * when joined holds another number of entries, or the entries are outside the
   * column or were put before.
   */
  put(first: number, count: number, joined: string): boolean {
    if (first < 0 || count < 0 || first + count > this.ends.length) return false;
    // Refused before writing, so that a refused page never touches one put before.
    for (const page of this.pages)
      if (first < page.first + page.count && page.first < first + count) return false;
    const window = this.ends.subarray(first, first + count);
    if (!writeEnds(joined, window)) return false;
    if (count > 0) this.pages.push({ first, count, text: joined });
    return true;
  }

  /** The column, once every entry was put (throws, a bug, otherwise). */
  build(): TextColumn {
    const pages = [...this.pages].sort((a, b) => a.first - b.first);
    const ends = this.ends.slice();
    let next = 0;
    let offset = 0;
    for (const { first, count, text } of pages) {
      if (first !== next) throw new Error(`TextColumnPages: entries from ${next} were not put`);
      for (let i = first; i < first + count; i++) ends[i] = (ends[i] as number) + offset;
      offset += text.length + 1;
      next = first + count;
    }
    if (next !== this.ends.length)
      throw new Error(`TextColumnPages: entries from ${next} were not put`);
    if (this.ends.length === 0) return EMPTY_TEXT_COLUMN;
    return { text: pages.map((page) => page.text).join(LINE_FEED), ends };
  }
}
