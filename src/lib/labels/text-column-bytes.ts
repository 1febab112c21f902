import { EMPTY_TEXT_COLUMN, type TextColumn } from './text-column';

/**
 * A text column as UTF-8 bytes: a reader copies each image name's bytes out of the
 * file it reads and compares later files' names byte by byte, so that a million
 * names are never a million strings. The text is decoded once, at the end.
 */

const LINE_FEED = 10;

/** A column's entries as UTF-8, joined by line feeds; ends[i] is where entry i ends (exclusive). */
export interface EncodedTextColumn {
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
}

const encodedColumns = new WeakMap<TextColumn, EncodedTextColumn>();

/** The column as UTF-8 (kept: a column built from bytes already has them). */
export function encodeTextColumn(column: TextColumn): EncodedTextColumn {
  const known = encodedColumns.get(column);
  if (known) return known;
  const bytes = new TextEncoder().encode(column.text);
  let ends = column.ends;
  if (bytes.length !== column.text.length) {
    // Not ASCII: an entry's bytes are not its characters; the line feeds are the ends.
    ends = new Uint32Array(column.ends.length);
    let entry = 0;
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === LINE_FEED) ends[entry++] = i;
    if (ends.length > 0) ends[ends.length - 1] = bytes.length;
  }
  const encoded = { bytes, ends };
  encodedColumns.set(column, encoded);
  return encoded;
}

/** Builds a text column from entries given as UTF-8 bytes (or, now and then, as strings). */
export class TextColumnBuilder {
  private bytes: Uint8Array<ArrayBuffer>;
  /** Bytes used: each entry is followed by a line feed. */
  private used = 0;
  private ends: Uint32Array<ArrayBuffer>;
  private entries = 0;
  private readonly encoder = new TextEncoder();
  /** Where a string entry is encoded before it is added (no new array per entry). */
  private scratch = new Uint8Array(256);

  /** Sized for this many entries and bytes (with their line feeds); it grows past them as needed. */
  constructor(entries = 1 << 10, bytes = 1 << 16) {
    this.ends = new Uint32Array(Math.max(entries, 1));
    this.bytes = new Uint8Array(Math.max(bytes, 1));
  }

  get count(): number {
    return this.entries;
  }

  append(source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (this.used + length + 1 > this.bytes.length) this.growBytes(length + 1);
    const bytes = this.bytes;
    let at = this.used;
    for (let k = start; k < end; k++) bytes[at++] = source[k] as number;
    bytes[at] = LINE_FEED;
    this.endEntry(at);
  }

  /**
   * Appends source[start, end) when it comes after the last entry (code point order)
   * and returns true; otherwise appends nothing and returns false. Compares and
   * copies in one pass: a file that lists its images in order is read this way.
   */
  appendAfterLast(source: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (this.used + length + 1 > this.bytes.length) this.growBytes(length + 1);
    const bytes = this.bytes;
    let at = this.used;
    let k = start;
    if (this.entries > 0) {
      let last = this.entries === 1 ? 0 : (this.ends[this.entries - 2] as number) + 1;
      const lastEnd = this.ends[this.entries - 1] as number;
      for (; k < end && last < lastEnd; k++, last++) {
        const byte = source[k] as number;
        const lastByte = bytes[last] as number;
        if (byte !== lastByte) {
          if (byte < lastByte) return false;
          break;
        }
        bytes[at++] = byte;
      }
      // Equal so far and no longer: the same name, or one that sorts before it.
      if (k === end) return false;
    }
    for (; k < end; k++) bytes[at++] = source[k] as number;
    bytes[at] = LINE_FEED;
    this.endEntry(at);
    return true;
  }

  appendText(text: string): void {
    const length = this.encode(text);
    this.append(this.scratch, 0, length);
  }

  /** appendAfterLast for an entry given as a string. */
  appendTextAfterLast(text: string): boolean {
    const length = this.encode(text);
    return this.appendAfterLast(this.scratch, 0, length);
  }

  /** The first count entries of an encoded column, as this column's first entries (it must be empty). */
  appendFirstOf(column: EncodedTextColumn, count: number): void {
    if (this.entries !== 0) throw new Error('appendFirstOf: the builder is not empty');
    if (count === 0) return;
    const used = (column.ends[count - 1] as number) + 1;
    if (used > this.bytes.length) this.growBytes(used);
    this.bytes.set(column.bytes.subarray(0, used - 1));
    this.bytes[used - 1] = LINE_FEED;
    this.used = used;
    if (count > this.ends.length)
      this.ends = new Uint32Array(Math.max(count, this.ends.length * 2));
    this.ends.set(column.ends.subarray(0, count));
    this.entries = count;
  }

  /** The entries as a column; the builder keeps them and can go on. */
  build(): TextColumn {
    if (this.entries === 0) return EMPTY_TEXT_COLUMN;
    const joined = this.bytes.subarray(0, this.used - 1);
    const text = new TextDecoder().decode(joined);
    const byteEnds = this.ends.slice(0, this.entries);
    let ends = byteEnds;
    if (text.length !== joined.length) {
      ends = new Uint32Array(this.entries);
      let entry = 0;
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1))
        ends[entry++] = at;
      ends[this.entries - 1] = text.length;
    }
    const column = { text, ends };
    // Later bytes are appended past this range only: the view stays valid.
    encodedColumns.set(column, { bytes: joined, ends: byteEnds });
    return column;
  }

  private endEntry(lineFeedAt: number): void {
    if (this.entries === this.ends.length) {
      const larger = new Uint32Array(this.ends.length * 2);
      larger.set(this.ends);
      this.ends = larger;
    }
    this.ends[this.entries++] = lineFeedAt;
    this.used = lineFeedAt + 1;
  }

  /** Encodes text into scratch; returns its length in bytes. */
  private encode(text: string): number {
    // UTF-8 takes at most three bytes per UTF-16 code unit.
    if (text.length * 3 > this.scratch.length) this.scratch = new Uint8Array(text.length * 3);
    return this.encoder.encodeInto(text, this.scratch).written;
  }

  private growBytes(atLeast: number): void {
    const larger = new Uint8Array(Math.max(this.bytes.length * 2, this.used + atLeast));
    larger.set(this.bytes.subarray(0, this.used));
    this.bytes = larger;
  }
}
