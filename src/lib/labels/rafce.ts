import { auValueIssues, parseAuString, type AuNote } from './au';
import {
  baseName,
  duplicateImageProblem,
  emptyLabelColumns,
  makeProblem,
  parseInteger,
  sourceFileFrom,
  type AuValue,
  type LabelColumns,
  type ReadResult,
} from './records';
import { RAFCE_SCHEME } from './schemes';
import { ChunkedTextDecoder } from './text';
import type { InputFile, LabelScheme, Problem, ProblemKind } from './types';

/**
 * RAF-CE: three whitespace-separated files without a header, one `image value`
 * pair a line (Li et al., CVPR-W 2023).
 */

export type RafCeRole = 'emotion' | 'split' | 'au';

export const RAFCE_FILE_NAMES: Readonly<Record<RafCeRole, string>> = {
  emotion: 'RAFCE_emolabel.txt',
  split: 'RAFCE_partition.txt',
  au: 'RAFCE_AUlabel.txt',
};

/** The RAF-CE role a file name (with or without folders) stands for. */
export function rafCeRole(path: string): RafCeRole | null {
  const name = baseName(path).toLowerCase();
  for (const [role, fileName] of Object.entries(RAFCE_FILE_NAMES) as [RafCeRole, string][]) {
    if (name === fileName.toLowerCase()) return role;
  }
  return null;
}

/** Largest split id the Int8Array column can hold. */
const MAX_SPLIT_ID = 127;

/** `image value`; the value is the rest of the line after the first whitespace run. */
const IMAGE_VALUE = /^\s*(\S+)(?:\s+(.*))?$/;

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LINE_FEED = 10;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
/** Printable ASCII ends here; other characters take the general path. */
const LAST_PRINTABLE = 126;

export interface RafCeReaderOptions {
  scheme?: LabelScheme;
  /**
   * Images of a file read before, in its order. A row that names the same image at
   * the same position reuses that string, so the join compares references and a
   * million names are not held twice.
   */
  alignWith?: readonly string[];
}

/**
 * Reads one RAF-CE file as it arrives, chunk by chunk, into columns. Well-formed
 * lines (printable ASCII, an integer or an AU string) are read without building a
 * string per field; every other line takes the general path, which reports the
 * problem, so both give the same rows and the same messages.
 */
export class RafCeReader {
  /** Non-blank lines read so far. */
  rowsRead = 0;
  private readonly decoder: ChunkedTextDecoder;
  private readonly problems: Problem[] = [];
  private readonly lines = new GrowingInts();
  /** Rows accepted so far. */
  private rowCount = 0;
  /** The images of the rows, once they stop matching alignWith (until then, alignWith is). */
  private images: string[] = [];
  private aligned: boolean;
  /** Class id, split id or AU id, by role. */
  private readonly values = new GrowingInts();
  private readonly auValues: AuValue[] = [];
  private readonly auTexts = new TextIds();
  /** The same ids looked up by the bytes of a plain piece: faster to hash and compare than characters. */
  private readonly auBytes = new ByteIds();
  /** The bytes of the piece being read when it is plain (one per character), else null. */
  private pieceBytes: Uint8Array | null = null;
  private readonly auIssues: AuNote[][] = [];
  /** While the images come in ascending order (as label files list them), no lookup is needed. */
  private lastImage = '';
  private lineOfImage: Map<string, number> | null = null;
  private readonly classIds: Set<number>;
  private readonly scheme: LabelScheme;
  private readonly alignWith: readonly string[];

  constructor(
    readonly fileName: string,
    readonly role: RafCeRole,
    options: RafCeReaderOptions = {},
  ) {
    this.scheme = options.scheme ?? RAFCE_SCHEME;
    this.alignWith = options.alignWith ?? [];
    this.aligned = this.alignWith.length > 0;
    this.classIds = new Set(this.scheme.classes.map((c) => c.id));
    this.decoder = new ChunkedTextDecoder(fileName, (text, firstLine, plainBytes) =>
      this.readText(text, firstLine, plainBytes),
    );
  }

  /** false once the file turned out not to be text: the rest need not be read. */
  push(chunk: Uint8Array): boolean {
    return this.decoder.push(chunk);
  }

  finish(): ReadResult {
    const end = this.decoder.end();
    if ('problem' in end) {
      return { rows: emptyLabelColumns(), problems: [end.problem], rowsRead: 0, source: null };
    }
    const count = this.rowCount;
    const values = this.values.view();
    const rows: LabelColumns = {
      count,
      lines: this.lines.view().slice(),
      images: this.imagesRead(),
      classIds: this.role === 'emotion' ? new Int16Array(values) : new Int16Array(count).fill(-1),
      splits: this.role === 'split' ? new Int8Array(values) : new Int8Array(count).fill(-1),
      auIds: this.role === 'au' ? values.slice() : new Int32Array(count).fill(-1),
      auValues: this.auValues,
    };
    const { lines, ...written } = end;
    return {
      rows,
      problems: this.problems,
      rowsRead: this.rowsRead,
      source: sourceFileFrom(this.fileName, this.role, written, lines),
    };
  }

  /** Reads the lines of a piece of text; returns how many line feeds it held. */
  private readText(text: string, firstLine: number, plainBytes: Uint8Array | null): number {
    const plain = plainBytes !== null;
    this.pieceBytes = plainBytes;
    const length = text.length;
    // Most files hold nothing but printable ASCII, spaces and line feeds: their lines
    // split on the first space, with no look at each character.
    let line = firstLine;
    let start = 0;
    while (start < length) {
      const lf = text.indexOf('\n', start);
      const end = lf < 0 ? length : lf;
      const stop = !plain && end > start && text.charCodeAt(end - 1) === CR ? end - 1 : end;
      const read = plain
        ? this.readPlainLine(text, start, stop, line)
        : this.readWellFormed(text, start, stop, line);
      if (!read) this.readAnyLine(text.slice(start, stop), line);
      start = end + 1;
      line++;
    }
    const lines = line - firstLine;
    return text.charCodeAt(length - 1) === LINE_FEED ? lines : lines - 1;
  }

  /** readWellFormed for a line known to hold only printable ASCII and spaces. */
  private readPlainLine(text: string, start: number, stop: number, line: number): boolean {
    if (start === stop || text.charCodeAt(start) === SPACE) return false;
    const imageEnd = text.indexOf(' ', start);
    if (imageEnd < 0 || imageEnd >= stop) return false;
    let valueStart = imageEnd + 1;
    while (valueStart < stop && text.charCodeAt(valueStart) === SPACE) valueStart++;
    let valueEnd = stop;
    while (valueEnd > valueStart && text.charCodeAt(valueEnd - 1) === SPACE) valueEnd--;
    if (valueEnd === valueStart) return false;
    return this.acceptRow(text, start, imageEnd, valueStart, valueEnd, stop, line);
  }

  /** Reads a well-formed line and returns true; anything else returns false untouched. */
  private readWellFormed(text: string, start: number, stop: number, line: number): boolean {
    let i = start;
    let c = 0;
    while (i < stop && ((c = text.charCodeAt(i)) === SPACE || c === TAB)) i++;
    const imageStart = i;
    while (i < stop && (c = text.charCodeAt(i)) > SPACE && c <= LAST_PRINTABLE) i++;
    const imageEnd = i;
    if (imageEnd === imageStart || imageEnd === stop || (c !== SPACE && c !== TAB)) return false;
    while (i < stop && ((c = text.charCodeAt(i)) === SPACE || c === TAB)) i++;
    const valueStart = i;
    let valueEnd = stop;
    while (valueEnd > valueStart && ((c = text.charCodeAt(valueEnd - 1)) === SPACE || c === TAB))
      valueEnd--;
    if (valueEnd === valueStart) return false;
    if (this.role === 'au') {
      for (let j = valueStart; j < valueEnd; j++) {
        c = text.charCodeAt(j);
        if ((c < SPACE && c !== TAB) || c > LAST_PRINTABLE) return false;
      }
    }
    return this.acceptRow(text, imageStart, imageEnd, valueStart, valueEnd, stop, line);
  }

  /**
   * Accepts a row whose image and (trimmed) value are known to be plain text, and
   * returns true; a value that is not valid for the role, or a repeated image,
   * returns false and leaves the line to the general path, which reports it.
   */
  private acceptRow(
    text: string,
    imageStart: number,
    imageEnd: number,
    valueStart: number,
    valueEnd: number,
    stop: number,
    line: number,
  ): boolean {
    let value = 0;
    if (this.role !== 'au') {
      if (valueEnd - valueStart > 5) return false;
      for (let j = valueStart; j < valueEnd; j++) {
        const c = text.charCodeAt(j);
        if (c < DIGIT_0 || c > DIGIT_9) return false;
        value = value * 10 + (c - DIGIT_0);
      }
      if (this.role === 'emotion' ? !this.classIds.has(value) : value > MAX_SPLIT_ID) return false;
    }
    const row = this.rowCount;
    // (Reading past the end of an array is slow in V8: check the length first.)
    const expected = row < this.alignWith.length ? (this.alignWith[row] as string) : '';
    const isExpected =
      expected.length === imageEnd - imageStart && text.startsWith(expected, imageStart);
    const image = isExpected ? expected : text.slice(imageStart, imageEnd);
    // A repeated image takes the general path, which reports it.
    if (this.firstLineOf(image, line, isExpected) !== undefined) return false;
    this.rowsRead++;
    if (this.role === 'au') value = this.auIdIn(line, text, valueStart, stop, this.pieceBytes);
    this.addRow(line, image, value, isExpected);
    return true;
  }

  private addRow(line: number, image: string, value: number, isExpected: boolean): void {
    if (this.aligned && !isExpected) {
      this.images = this.alignWith.slice(0, this.rowCount);
      this.aligned = false;
    }
    if (!this.aligned) this.images.push(image);
    this.lines.push(line);
    this.values.push(value);
    this.rowCount++;
  }

  /** The images of the rows read; the earlier file's own array while every row matched it. */
  private imagesRead(): string[] {
    if (!this.aligned) return this.images;
    return this.rowCount === this.alignWith.length
      ? (this.alignWith as string[])
      : this.alignWith.slice(0, this.rowCount);
  }

  private readAnyLine(text: string, line: number): void {
    if (text.trim() === '') {
      this.problems.push(
        makeProblem(
          this.fileName,
          line,
          'missing-value',
          'warning',
          'line',
          text,
          'blank line skipped',
        ),
      );
      return;
    }
    this.rowsRead++;
    const role = this.role;
    const match = IMAGE_VALUE.exec(text);
    const image = match?.[1] ?? '';
    const value = match?.[2] ?? '';
    const trimmed = value.trim();
    let kind: ProblemKind | null = null;
    let raw = trimmed;
    let message = '';
    let accepted = -1;
    if (trimmed === '') {
      kind = 'column-count';
      raw = text;
      message = `expected 2 fields 'image ${role}', found 1; row rejected`;
    } else if (role !== 'au' && /\s/.test(trimmed)) {
      // The AU value may hold spaces inside it (`1 + 2`); the other files have one value only.
      kind = 'column-count';
      raw = text;
      message = `expected 2 fields 'image ${role}', found ${1 + trimmed.split(/\s+/).length}; row rejected`;
    } else if (role === 'emotion') {
      const classId = parseInteger(trimmed);
      if (classId === null || !this.classIds.has(classId)) {
        kind = 'unknown-class';
        message = `class id '${trimmed}' is not in ${this.scheme.name}; row rejected`;
      } else {
        accepted = classId;
      }
    } else if (role === 'split') {
      const split = parseInteger(trimmed);
      if (split === null || split < 0 || split > MAX_SPLIT_ID) {
        kind = 'bad-split';
        message = `split id '${trimmed}' is not an integer 0-${MAX_SPLIT_ID}; row rejected`;
      } else {
        accepted = split;
      }
    }
    if (kind !== null) {
      this.problems.push(makeProblem(this.fileName, line, kind, 'error', role, raw, message));
      return;
    }
    const expected = this.rowCount < this.alignWith.length ? this.alignWith[this.rowCount] : '';
    const isExpected = expected === image;
    const firstLine = this.firstLineOf(image, line, isExpected);
    if (firstLine !== undefined) {
      this.problems.push(duplicateImageProblem(this.fileName, line, image, firstLine));
      return;
    }
    // Trailing spaces are dropped for parsing; the exact text is kept for export.
    if (role === 'au') accepted = this.auId(line, value);
    this.addRow(line, isExpected ? (expected as string) : image, accepted, isExpected);
  }

  /**
   * The line that first named an accepted image, or undefined when it is new (then
   * it is noted). No lookup is needed while the rows match the earlier file's (which
   * names no image twice), nor while the images come in ascending order.
   */
  private firstLineOf(image: string, line: number, isExpected: boolean): number | undefined {
    if (!this.lineOfImage) {
      if (this.aligned ? isExpected : this.rowCount === 0 || image > this.lastImage) {
        this.lastImage = image;
        return undefined;
      }
      const lineOfImage = new Map<string, number>();
      const images = this.imagesRead();
      for (let row = 0; row < this.rowCount; row++)
        lineOfImage.set(images[row] as string, this.lines.at(row));
      this.lineOfImage = lineOfImage;
    }
    const first = this.lineOfImage.get(image);
    if (first === undefined) this.lineOfImage.set(image, line);
    return first;
  }

  /** The id of an AU value (parsed once per distinct text); its odd tokens are reported on this line. */
  private auId(line: number, raw: string): number {
    return this.auIdIn(line, raw, 0, raw.length, null);
  }

  /** auId of text[start, end), without a string for it unless the value is new. */
  private auIdIn(
    line: number,
    text: string,
    start: number,
    end: number,
    bytes: Uint8Array | null,
  ): number {
    let id = bytes ? this.auBytes.find(bytes, start, end) : -1;
    if (id < 0) {
      id = this.auTexts.find(text, start, end);
      if (id < 0) {
        const raw = text.slice(start, end);
        const parsed = parseAuString(raw);
        id = this.auTexts.add(raw);
        this.auValues.push({ raw, parsed });
        this.auIssues.push(auValueIssues(parsed));
      }
      if (bytes) this.auBytes.add(bytes, start, end, id);
    }
    const issues = this.auIssues[id] as AuNote[];
    for (let k = 0; k < issues.length; k++) {
      const issue = issues[k] as AuNote;
      this.problems.push(
        makeProblem(this.fileName, line, 'bad-au-token', 'warning', 'au', issue.raw, issue.message),
      );
    }
    return id;
  }
}

/**
 * Ids for distinct strings, looked up by a range of a larger text: a million rows
 * repeat a few thousand AU values, and a Map would need a new string per row to ask.
 */
class TextIds {
  private texts: string[] = [];
  private hashes: number[] = [];
  /** Open addressing: id + 1, or 0 for an empty slot. */
  private slots = new Int32Array(1 << 12);

  find(text: string, start: number, end: number): number {
    const hash = hashRange(text, start, end);
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] as number;
      if (entry === 0) return -1;
      const id = entry - 1;
      const known = this.texts[id] as string;
      if (this.hashes[id] === hash && known.length === length && text.startsWith(known, start)) {
        return id;
      }
    }
  }

  add(text: string): number {
    const id = this.texts.length;
    this.texts.push(text);
    this.hashes.push(hashRange(text, 0, text.length));
    if (this.texts.length * 2 > this.slots.length) this.rehash();
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let slot = (this.hashes[id] as number) & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let id = 0; id < this.texts.length; id++) this.place(id);
  }
}

/**
 * Ids for distinct byte strings, looked up by a range of a larger byte array. A
 * slot holds the hash and the id, so that the table stays small enough for the
 * processor's caches (a million lookups each go to a random slot); the bytes are
 * compared only when the hash matches.
 */
class ByteIds {
  /** Two ints a slot: hash, id + 1 (0: empty). Filled to three quarters at most. */
  private slots = new Int32Array(2 * 4096);
  private mask = 4095;
  private count = 0;
  /** Where each id's bytes start in pool, and how many there are. */
  private starts = new Int32Array(1024);
  private lengths = new Int32Array(1024);
  private ids = new Int32Array(1024);
  private pool = new Uint8Array(1 << 16);
  private poolLength = 0;

  find(bytes: Uint8Array, start: number, end: number): number {
    const hash = hashBytes(bytes, start, end);
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slot << 1;
      const entry = slots[at + 1] as number;
      if (entry === 0) return -1;
      if (slots[at] === hash && this.equals(entry - 1, bytes, start, end))
        return this.ids[entry - 1] as number;
    }
  }

  add(bytes: Uint8Array, start: number, end: number, id: number): void {
    const length = end - start;
    if (this.poolLength + length > this.pool.length) {
      const larger = new Uint8Array(Math.max(this.pool.length * 2, this.poolLength + length));
      larger.set(this.pool.subarray(0, this.poolLength));
      this.pool = larger;
    }
    this.pool.set(bytes.subarray(start, end), this.poolLength);
    const k = this.count++;
    if (k === this.starts.length) {
      this.starts = grown(this.starts);
      this.lengths = grown(this.lengths);
      this.ids = grown(this.ids);
    }
    this.starts[k] = this.poolLength;
    this.lengths[k] = length;
    this.ids[k] = id;
    this.poolLength += length;
    if (this.count * 4 > (this.mask + 1) * 3) this.grow();
    else this.place(hashBytes(bytes, start, end), k + 1);
  }

  private equals(k: number, bytes: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (this.lengths[k] !== length) return false;
    const pool = this.pool;
    const from = this.starts[k] as number;
    for (let i = 0; i < length; i++) if (pool[from + i] !== bytes[start + i]) return false;
    return true;
  }

  private place(hash: number, entry: number): void {
    const mask = this.mask;
    let slot = hash & mask;
    while (this.slots[(slot << 1) + 1] !== 0) slot = (slot + 1) & mask;
    this.slots[slot << 1] = hash;
    this.slots[(slot << 1) + 1] = entry;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.mask * 2 + 1;
    for (let k = 0; k < this.count; k++) {
      const from = this.starts[k] as number;
      this.place(hashBytes(this.pool, from, from + (this.lengths[k] as number)), k + 1);
    }
  }
}

function grown(values: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(values.length * 2);
  larger.set(values);
  return larger;
}

/** FNV-1a over bytes[start, end). */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  return hash;
}

/** FNV-1a over the UTF-16 code units of text[start, end). */
function hashRange(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Read a whole RAF-CE file by its role. */
export function readRafCe(
  file: InputFile,
  role: RafCeRole,
  scheme: LabelScheme = RAFCE_SCHEME,
  alignWith?: readonly string[],
): ReadResult {
  const reader = new RafCeReader(file.name, role, { scheme, alignWith });
  reader.push(file.bytes);
  return reader.finish();
}

export function readRafCeEmotion(file: InputFile, scheme: LabelScheme = RAFCE_SCHEME): ReadResult {
  return readRafCe(file, 'emotion', scheme);
}

export function readRafCePartition(file: InputFile): ReadResult {
  return readRafCe(file, 'split');
}

export function readRafCeAu(file: InputFile): ReadResult {
  return readRafCe(file, 'au');
}

/** An Int32Array that grows as values are added (a plain array of a million numbers costs more). */
class GrowingInts {
  private values = new Int32Array(1024);
  private length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const larger = new Int32Array(this.values.length * 2);
      larger.set(this.values);
      this.values = larger;
    }
    this.values[this.length++] = value;
  }

  at(index: number): number {
    return this.values[index] as number;
  }

  /** The values added, as a view (copy it to keep it). */
  view(): Int32Array {
    return this.values.subarray(0, this.length);
  }
}
