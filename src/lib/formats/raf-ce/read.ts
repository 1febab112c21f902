import { auValueIssues, parseAuString, type AuNote } from '../../labels/au';
import {
  baseName,
  duplicateImageProblem,
  emptyLabelColumns,
  isCanonicalInteger,
  makeProblem,
  nonCanonicalIdMessage,
  parseInteger,
  sourceFileFrom,
  type AuValue,
  type LabelColumns,
  type ReadResult,
} from '../../labels/records';
import { RAFCE_SCHEME } from '../../labels/schemes';
import {
  ChunkedTextDecoder,
  MAX_LINE_BYTES,
  longLineProblem,
  loneCrProblem,
} from '../../labels/text';
import {
  EMPTY_TEXT_COLUMN,
  columnLength,
  entryEquals,
  sliceTextColumn,
  textColumnToArray,
  type TextColumn,
} from '../../labels/text-column';
import {
  TextColumnBuilder,
  encodeTextColumn,
  type EncodedTextColumn,
} from '../../labels/text-column-bytes';
import type { InputFile, LabelScheme, Problem, ProblemKind } from '../../labels/types';

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

/**
 * Bytes a line of a label file rarely goes below (`0001.jpg 1` and its line feed take
 * 11): a file's size over this is about as many rows as it holds, or a few more. A
 * file of shorter lines only makes its columns grow as they fill.
 */
const SHORT_LINE = 10;
/**
 * Sizing from a file's size stops here (rows, and bytes of names): a huge file of long
 * lines would otherwise reserve far more than it needs; past these, columns grow.
 */
const MAX_SIZED_ROWS = 1 << 22;
const MAX_SIZED_NAME_BYTES = 1 << 26;

/** Largest split id the Int8Array column can hold. */
const MAX_SPLIT_ID = 127;

/**
 * Whether UTF-8 bytes may hold whitespace beyond ASCII (what \\s matches: U+00A0,
 * U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF): only
 * characters whose first byte is one of these do. Most names beyond ASCII (accents,
 * most scripts) have none, and need not be decoded to be checked.
 */
function mayHoldUnicodeSpace(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = bytes[i] as number;
    if (c === 0xc2 || c === 0xe1 || c === 0xe2 || c === 0xe3 || c === 0xef) return true;
  }
  return false;
}

/** `image value`; the value is the rest of the line after the first whitespace run (the separator). */
const IMAGE_VALUE = /^\s*(\S+)(?:(\s+)(.*))?$/;

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LINE_FEED = 10;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
/** Printable ASCII ends here; other characters take the general path. */
const LAST_PRINTABLE = 126;
/** FNV-1a, as readBytes hashes an AU value's bytes while it finds the line's end. */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export interface RafCeReaderOptions {
  scheme?: LabelScheme;
  /**
   * Images of a file read before, in its order. While the rows name the same images
   * at the same positions, the reader compares names and keeps none of its own: the
   * join then sees the same column and needs no lookup by name.
   */
  alignWith?: TextColumn;
  /** The file's size in bytes, when known: the columns are sized for it at the start. */
  sizeHint?: number;
}

/**
 * Reads one RAF-CE file as it arrives, chunk by chunk, into columns. Well-formed
 * lines (a name, spaces or tabs, a value) are read from their UTF-8 bytes, without a
 * string per field; every other line takes the general path, which reports the
 * problem, so both give the same rows and the same messages.
 */
export class RafCeReader {
  /** Non-blank lines read so far. */
  rowsRead = 0;
  private readonly decoder: ChunkedTextDecoder;
  private readonly problems: Problem[] = [];
  private readonly lines: GrowingInts;
  /** Rows accepted so far. */
  private rowCount = 0;
  /** The names of the rows, once they stop matching alignWith (until then, alignWith is). */
  private readonly names: TextColumnBuilder;
  private aligned: boolean;
  /** Class id, split id or AU id, by role. */
  private readonly values: GrowingInts;
  private readonly auValues: AuValue[] = [];
  /** Each distinct AU text's id (the general path's lookup; the byte path asks auBytes first). */
  private readonly auTexts = new Map<string, number>();
  /** The same ids looked up by a value's bytes, without a string per row. */
  private readonly auBytes = new ByteIds();
  /** The odd tokens of each AU value that has any (most have none). */
  private readonly auIssues = new Map<number, AuNote[]>();
  /** The piece readBytes reads: its text, its bytes, and whether they are one to one. */
  private piece: { text: string; bytes: Uint8Array; ascii: boolean } = {
    text: '',
    bytes: new Uint8Array(0),
    ascii: true,
  };
  private readonly utf8 = new TextDecoder();
  /** 1 for the AU ids in auIssues: a million rows look here, not in a map of arrays. */
  private auHasIssues = new Uint8Array(1024);
  /**
   * The whitespace between name and value of the first row accepted, kept so that an
   * export writes it back; with its byte length (-1 when not all ASCII, 0 before the
   * first row) and first byte, so that each row is checked against it without a string.
   */
  private separator = '';
  private separatorBytes = 0;
  private separatorFirstByte = -1;
  private separatorLine = 0;
  /** Rows whose separator differs from the first row's: rows and first line, by separator. */
  private otherSeparators: Map<string, { rows: number; line: number }> | null = null;
  /**
   * While the images come in ascending order (as label files list them), no image
   * can repeat one before it, and no lookup is needed; after that, a map.
   */
  private lineOfImage: Map<string, number> | null = null;
  /** Whether a class id (by index) is in the scheme. */
  private readonly knownClass: Uint8Array;
  private readonly scheme: LabelScheme;
  private readonly alignWith: TextColumn;
  private readonly alignBytes: EncodedTextColumn;

  constructor(
    readonly fileName: string,
    readonly role: RafCeRole,
    options: RafCeReaderOptions = {},
  ) {
    this.scheme = options.scheme ?? RAFCE_SCHEME;
    this.alignWith = options.alignWith ?? EMPTY_TEXT_COLUMN;
    this.alignBytes = encodeTextColumn(this.alignWith);
    this.aligned = columnLength(this.alignWith) > 0;
    // A file that lines up with the earlier one has as many rows.
    const size = options.sizeHint ?? 0;
    const rows = Math.max(
      columnLength(this.alignWith) || Math.min(Math.ceil(size / SHORT_LINE), MAX_SIZED_ROWS),
      1024,
    );
    this.lines = new GrowingInts(rows);
    this.values = new GrowingInts(rows);
    // Names are shorter than their lines.
    const nameBytes = Math.min(Math.max(size, 1 << 16), MAX_SIZED_NAME_BYTES);
    this.names = new TextColumnBuilder(this.aligned ? 1024 : rows, nameBytes);
    const ids = this.scheme.classes.map((c) => c.id).filter((id) => id >= 0 && id <= 99_999);
    this.knownClass = new Uint8Array(Math.max(-1, ...ids) + 1);
    for (const id of ids) this.knownClass[id] = 1;
    this.decoder = new ChunkedTextDecoder(
      fileName,
      (text, firstLine, bytes) => this.readBytes(text, bytes, firstLine),
      (line, head) => this.skipLongLine(line, head),
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
      lines: this.lines.take(),
      names: this.namesRead(),
      classIds: this.role === 'emotion' ? new Int16Array(values) : new Int16Array(count).fill(-1),
      splits: this.role === 'split' ? new Int8Array(values) : new Int8Array(count).fill(-1),
      auIds: this.role === 'au' ? this.values.take() : new Int32Array(count).fill(-1),
      auValues: this.auValues,
    };
    const { lines, ...written } = end;
    const source = sourceFileFrom(this.fileName, this.role, written, lines);
    const separator = this.separatorToWrite();
    if (separator !== ' ') source.separator = separator;
    return { rows, problems: this.problems, rowsRead: this.rowsRead, source };
  }

  /**
   * Notes the separator of an accepted row. Rows are checked against the first row's
   * by their bytes (readBytes); only a row that differs, or the first, comes here.
   */
  private noteSeparator(separator: string, line: number): void {
    if (this.separatorBytes === 0) {
      this.separator = separator;
      this.separatorBytes = /^[\t ]+$/.test(separator) ? separator.length : -1;
      this.separatorFirstByte = separator.charCodeAt(0);
      this.separatorLine = line;
      return;
    }
    if (separator === this.separator) return;
    const others = (this.otherSeparators ??= new Map());
    const seen = others.get(separator);
    if (seen) seen.rows++;
    else others.set(separator, { rows: 1, line });
  }

  /** Whether bytes[from, to) are the first row's separator (its length and first byte already match). */
  private sameSeparator(bytes: Uint8Array, from: number, to: number): boolean {
    const separator = this.separator;
    for (let k = from + 1; k < to; k++)
      if (bytes[k] !== separator.charCodeAt(k - from)) return false;
    return true;
  }

  /**
   * The separator an export writes on every line: the rows' own when they all have
   * the same, otherwise the most common (the first seen among equals), and a warning
   * that an untouched export will not be byte-identical on the other lines.
   */
  private separatorToWrite(): string {
    if (this.separatorBytes === 0) return ' ';
    const others = this.otherSeparators;
    if (!others) return this.separator;
    let otherRows = 0;
    for (const { rows } of others.values()) otherRows += rows;
    const all = [
      { separator: this.separator, rows: this.rowCount - otherRows, line: this.separatorLine },
      ...[...others].map(([separator, seen]) => ({ separator, ...seen })),
    ];
    const chosen = all.reduce((best, next) => (next.rows > best.rows ? next : best));
    const rest = all.filter((entry) => entry !== chosen);
    const firstOther = rest.reduce((first, next) => (next.line < first.line ? next : first));
    const tally = all
      .map(
        ({ separator, rows, line }) =>
          `${separatorName(separator)} on ${rows} line${rows === 1 ? '' : 's'}${
            line === firstOther.line ? ` (first on line ${line})` : ''
          }`,
      )
      .join(', ');
    this.problems.push(
      makeProblem(
        this.fileName,
        firstOther.line,
        'separator',
        'warning',
        'separator',
        JSON.stringify(firstOther.separator),
        `lines differ in the whitespace between image and value: ${tally}; an untouched export writes ${separatorName(chosen.separator)} on every line`,
      ),
    );
    return chosen.separator;
  }

  /**
   * Reads the lines of a piece from its UTF-8 bytes: the usual lines are split,
   * checked and interned without a string. Returns how many line feeds it held.
   */
  private readBytes(text: string, bytes: Uint8Array, firstLine: number): number {
    const length = bytes.length;
    const role = this.role;
    // Beyond ASCII, a byte is not a character: text is then cut from the bytes.
    const ascii = text.length === length;
    this.piece = { text, bytes, ascii };
    const { bytes: expectedBytes, ends: expectedEnds } = this.alignBytes;
    let line = firstLine;
    let start = 0;
    while (start < length) {
      let i = start;
      let c = 0;
      // A file that lines up with the earlier one names the expected image: compare
      // as the name is read, rather than find its end and compare it after.
      let expected = false;
      const row = this.rowCount;
      if (this.aligned && row < expectedEnds.length) {
        let j = row === 0 ? 0 : (expectedEnds[row - 1] as number) + 1;
        const expectedEnd = expectedEnds[row] as number;
        while (j < expectedEnd && i < length && bytes[i] === expectedBytes[j]) {
          i++;
          j++;
        }
        expected =
          j === expectedEnd && i < length && ((c = bytes[i] as number) === SPACE || c === TAB);
        if (!expected) i = start;
      }
      // A name ends at the first space, tab, line end or other control character (every
      // byte of a character beyond ASCII is above them).
      while (i < length && (c = bytes[i] as number) > SPACE) i++;
      const imageEnd = i;
      let accepted = false;
      // A name beyond ASCII may hold a space that is not ASCII (U+00A0, U+3000...),
      // which ends the name on the general path: let it decide those.
      if (
        !ascii &&
        !expected &&
        (c === SPACE || c === TAB) &&
        mayHoldUnicodeSpace(bytes, start, imageEnd) &&
        /\s/.test(this.pieceText(start, imageEnd))
      )
        c = 0;
      /** Where the line's text stops (before a CR LF), and its line feed (or the piece's end). */
      let stop = -1;
      let end = -1;
      if (imageEnd > start && (c === SPACE || c === TAB)) {
        while (i < length && ((c = bytes[i] as number) === SPACE || c === TAB)) i++;
        const valueStart = i;
        let hash = FNV_OFFSET;
        let value = 0;
        if (role === 'au') {
          while (i < length && (c = bytes[i] as number) >= SPACE && c <= LAST_PRINTABLE) {
            hash = Math.imul(hash ^ c, FNV_PRIME);
            i++;
          }
        } else {
          while (i < length && (c = bytes[i] as number) >= DIGIT_0 && c <= DIGIT_9) {
            value = value * 10 + (c - DIGIT_0);
            i++;
          }
        }
        const valueEnd = i;
        if (role !== 'au')
          while (i < length && ((c = bytes[i] as number) === SPACE || c === TAB)) i++;
        if (i === length || (c = bytes[i] as number) === LINE_FEED) {
          stop = i;
          end = i;
        } else if (c === CR && (i + 1 === length || bytes[i + 1] === LINE_FEED)) {
          stop = i;
          end = i + 1;
        }
        if (stop >= 0 && valueEnd > valueStart && stop - start <= MAX_LINE_BYTES) {
          if (role === 'au') {
            if (this.takeName(bytes, start, imageEnd, line, expected)) {
              this.addRow(line, this.auIdOfBytes(line, bytes, valueStart, valueEnd, hash));
              accepted = true;
            }
          } else {
            // `03` is left to the general path, which refuses it (see isCanonicalInteger).
            const valid =
              valueEnd - valueStart <= 5 &&
              (valueEnd - valueStart === 1 || bytes[valueStart] !== DIGIT_0) &&
              (role === 'emotion' ? this.knownClass[value] === 1 : value <= MAX_SPLIT_ID);
            if (valid && this.takeName(bytes, start, imageEnd, line, expected)) {
              this.addRow(line, value);
              accepted = true;
            }
          }
          // Most files use one separator throughout: a length and a byte tell it, without a string.
          const separatorLength = valueStart - imageEnd;
          if (
            accepted &&
            (separatorLength !== this.separatorBytes ||
              bytes[imageEnd] !== this.separatorFirstByte ||
              (separatorLength > 1 && !this.sameSeparator(bytes, imageEnd, valueStart)))
          )
            this.noteSeparator(this.pieceText(imageEnd, valueStart), line);
        }
      }
      if (end < 0) {
        end = bytes.indexOf(LINE_FEED, i);
        if (end < 0) end = length;
        stop = end > start && bytes[end - 1] === CR ? end - 1 : end;
      }
      if (!accepted && stop - start > MAX_LINE_BYTES) {
        this.skipLongLine(line, this.pieceText(start, start + 160));
      } else if (!accepted) {
        this.readAnyLine(this.pieceText(start, stop), line);
      }
      start = end + 1;
      line++;
    }
    const lines = line - firstLine;
    return bytes[length - 1] === LINE_FEED ? lines : lines - 1;
  }

  /**
   * Takes bytes[start, imageEnd) as the next row's name and returns true; a repeated
   * image returns false and leaves the line to the general path, which reports it.
   * expected: the name is known to be the earlier file's name of this row.
   */
  private takeName(
    bytes: Uint8Array,
    start: number,
    imageEnd: number,
    line: number,
    expected: boolean,
  ): boolean {
    if (this.aligned) {
      if (expected) {
        this.rowsRead++;
        return true;
      }
      this.stopAligning();
    }
    if (!this.lineOfImage) {
      if (this.names.appendAfterLast(bytes, start, imageEnd)) {
        this.rowsRead++;
        return true;
      }
      this.lineOfImage = this.mapOfImages();
    }
    const image = this.pieceText(start, imageEnd);
    if (this.lineOfImage.has(image)) return false;
    this.lineOfImage.set(image, line);
    this.names.append(bytes, start, imageEnd);
    this.rowsRead++;
    return true;
  }

  /** The text of bytes [from, to) of the piece read (they never cut a character in two). */
  private pieceText(from: number, to: number): string {
    const { text, bytes, ascii } = this.piece;
    return ascii ? text.slice(from, to) : this.utf8.decode(bytes.subarray(from, to));
  }

  private addRow(line: number, value: number): void {
    this.lines.push(line);
    this.values.push(value);
    this.rowCount++;
  }

  /** The rows' names: the earlier file's own column while every row matched it. */
  private namesRead(): TextColumn {
    if (!this.aligned) return this.names.build();
    return this.rowCount === columnLength(this.alignWith)
      ? this.alignWith
      : sliceTextColumn(this.alignWith, 0, this.rowCount);
  }

  /** From this row on, the rows keep their own names, starting with those matched so far. */
  private stopAligning(): void {
    this.names.appendFirstOf(this.alignBytes, this.rowCount);
    this.aligned = false;
    // The earlier file's order says nothing of this one's: look names up from now on.
    this.lineOfImage = this.mapOfImages();
  }

  /** Each name read so far, with its line. */
  private mapOfImages(): Map<string, number> {
    const lineOfImage = new Map<string, number>();
    const names = textColumnToArray(this.names.build());
    for (let row = 0; row < names.length; row++)
      lineOfImage.set(names[row] as string, this.lines.at(row));
    return lineOfImage;
  }

  private skipLongLine(line: number, head: string): void {
    this.rowsRead++;
    this.problems.push(longLineProblem(this.fileName, line, head));
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
    if (text.includes('\r')) {
      this.problems.push(loneCrProblem(this.fileName, line, text));
      return;
    }
    const role = this.role;
    const match = IMAGE_VALUE.exec(text);
    const image = match?.[1] ?? '';
    const value = match?.[3] ?? '';
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
      if (classId !== null && !isCanonicalInteger(trimmed)) {
        kind = 'unknown-class';
        message = `${nonCanonicalIdMessage('class id', trimmed)}; row rejected`;
      } else if (classId === null || this.knownClass[classId] !== 1) {
        kind = 'unknown-class';
        message = `class id '${trimmed}' is not in ${this.scheme.name}; row rejected`;
      } else {
        accepted = classId;
      }
    } else if (role === 'split') {
      const split = parseInteger(trimmed);
      if (split !== null && !isCanonicalInteger(trimmed)) {
        kind = 'bad-split';
        message = `${nonCanonicalIdMessage('split id', trimmed)}; row rejected`;
      } else if (split === null || split < 0 || split > MAX_SPLIT_ID) {
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
    const firstLine = this.firstLineOf(image, line);
    if (firstLine !== undefined) {
      this.problems.push(duplicateImageProblem(this.fileName, line, image, firstLine));
      return;
    }
    // Trailing spaces are dropped for parsing; the exact text is kept for export.
    if (role === 'au') accepted = this.auId(line, value);
    this.noteSeparator(match?.[2] ?? ' ', line);
    this.addRow(line, accepted);
  }

  /**
   * The line that first named an accepted image, or undefined when it is new (then
   * it is noted as the next row's name). No lookup is needed while the rows match
   * the earlier file's (which names no image twice), nor while the images come in
   * ascending order.
   */
  private firstLineOf(image: string, line: number): number | undefined {
    if (this.aligned && entryEquals(this.alignWith, this.rowCount, image)) return undefined;
    if (this.aligned) this.stopAligning();
    if (!this.lineOfImage) {
      if (this.names.appendTextAfterLast(image)) return undefined;
      this.lineOfImage = this.mapOfImages();
    }
    const first = this.lineOfImage.get(image);
    if (first !== undefined) return first;
    this.lineOfImage.set(image, line);
    this.names.appendText(image);
    return undefined;
  }

  /** The id of an AU value (parsed once per distinct text); its odd tokens are reported on this line. */
  private auId(line: number, raw: string): number {
    const id = this.auTexts.get(raw) ?? this.newAuValue(raw);
    this.reportAuIssues(line, id);
    return id;
  }

  /** auId of bytes[start, end) of the piece (hash: its FNV-1a), without a string unless the value is new. */
  private auIdOfBytes(
    line: number,
    bytes: Uint8Array,
    start: number,
    end: number,
    hash: number,
  ): number {
    let id = this.auBytes.find(bytes, start, end, hash);
    if (id < 0) {
      const raw = this.pieceText(start, end);
      id = this.auTexts.get(raw) ?? this.newAuValue(raw);
      this.auBytes.add(bytes, start, end, hash, id);
    }
    this.reportAuIssues(line, id);
    return id;
  }

  private newAuValue(raw: string): number {
    const parsed = parseAuString(raw);
    const id = this.auValues.length;
    this.auTexts.set(raw, id);
    this.auValues.push({ raw, parsed });
    const issues = auValueIssues(parsed);
    if (issues.length > 0) {
      if (id >= this.auHasIssues.length) {
        const larger = new Uint8Array(Math.max(id + 1, this.auHasIssues.length * 2));
        larger.set(this.auHasIssues);
        this.auHasIssues = larger;
      }
      this.auHasIssues[id] = 1;
      this.auIssues.set(id, issues);
    }
    return id;
  }

  private reportAuIssues(line: number, id: number): void {
    if (id >= this.auHasIssues.length || this.auHasIssues[id] !== 1) return;
    const issues = this.auIssues.get(id) as AuNote[];
    for (let k = 0; k < issues.length; k++) {
      const issue = issues[k] as AuNote;
      this.problems.push(
        makeProblem(this.fileName, line, 'bad-au-token', 'warning', 'au', issue.raw, issue.message),
      );
    }
  }
}

/**
 * Ids for distinct byte strings, looked up by a range of a larger byte array. A
 * slot holds all a lookup needs (hash, id, where the bytes are kept, their length),
 * so that a lookup reads one slot and one run of kept bytes: a million lookups each
 * go to a random slot, and every further array read there would miss the cache.
 */
class ByteIds {
  /** Four ints a slot: hash, id + 1 (0: empty), start in pool, length. Filled to half at most. */
  private slots = new Int32Array(4 * 4096);
  private mask = 4095;
  private count = 0;
  private pool = new Uint8Array(1 << 16);
  private poolLength = 0;

  /** hash: the range's FNV-1a (the caller computes it as it reads the bytes). */
  find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const mask = this.mask;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = slot << 2;
      const entry = slots[at + 1] as number;
      if (entry === 0) return -1;
      if (
        slots[at] === hash &&
        slots[at + 3] === length &&
        this.keptEquals(slots[at + 2] as number, bytes, start, length)
      )
        return entry - 1;
    }
  }

  add(bytes: Uint8Array, start: number, end: number, hash: number, id: number): void {
    const length = end - start;
    if (this.poolLength + length > this.pool.length) {
      const larger = new Uint8Array(Math.max(this.pool.length * 2, this.poolLength + length));
      larger.set(this.pool.subarray(0, this.poolLength));
      this.pool = larger;
    }
    this.pool.set(bytes.subarray(start, end), this.poolLength);
    this.place(hash, id + 1, this.poolLength, length);
    this.poolLength += length;
    if (++this.count * 4 > (this.mask + 1) * 3) this.grow();
  }

  private keptEquals(from: number, bytes: Uint8Array, start: number, length: number): boolean {
    const pool = this.pool;
    for (let i = 0; i < length; i++) if (pool[from + i] !== bytes[start + i]) return false;
    return true;
  }

  private place(hash: number, entry: number, from: number, length: number): void {
    const mask = this.mask;
    const slots = this.slots;
    let slot = hash & mask;
    while (slots[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
    const at = slot << 2;
    slots[at] = hash;
    slots[at + 1] = entry;
    slots[at + 2] = from;
    slots[at + 3] = length;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    for (let at = 0; at < old.length; at += 4)
      if (old[at + 1] !== 0)
        this.place(
          old[at] as number,
          old[at + 1] as number,
          old[at + 2] as number,
          old[at + 3] as number,
        );
  }
}

/** A separator in words, for the report: "one space", "2 spaces", "a tab", or as JSON. */
export function separatorName(separator: string): string {
  if (separator === ' ') return 'one space';
  if (separator === '\t') return 'a tab';
  if (/^ +$/.test(separator)) return `${separator.length} spaces`;
  if (/^\t+$/.test(separator)) return `${separator.length} tabs`;
  return JSON.stringify(separator);
}

/** Read a whole RAF-CE file by its role. */
export function readRafCe(
  file: InputFile,
  role: RafCeRole,
  scheme: LabelScheme = RAFCE_SCHEME,
  alignWith?: TextColumn,
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
  private values: Int32Array<ArrayBuffer>;
  private length = 0;

  constructor(capacity: number) {
    this.values = new Int32Array(capacity);
  }

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

  /** The values added, as an array of their own (no copy when it is full); push no more after. */
  take(): Int32Array<ArrayBuffer> {
    return this.length === this.values.length ? this.values : this.values.slice(0, this.length);
  }
}
