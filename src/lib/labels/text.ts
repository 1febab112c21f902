import type { InputFile, Problem } from './types';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface DecodedText {
  /** The text without its byte-order mark; line ends as in the file. */
  text: string;
  bom: boolean;
  /** The end-of-line of the first line end ('\n' when the file has only one line). */
  eol: '\n' | '\r\n';
  finalNewline: boolean;
  encoding: TextEncodingName;
}

export interface TextLine {
  /** 1-based. */
  line: number;
  /** Without its end-of-line characters. */
  text: string;
}

/**
 * The longest line any reader takes, in bytes (without its line end). A longer line is
 * one problem and is skipped without being held whole: a 200 MB file of one line must
 * not take the tab's memory. A label line is tens of bytes; a CSV row of a thousand
 * columns a few tens of kilobytes.
 */
export const MAX_LINE_BYTES = 1 << 20;

/** A UTF-16 file is decoded whole (see ChunkedTextDecoder): larger ones are refused. */
export const MAX_UTF16_BYTES = 64 << 20;

/** Characters of a refused line shown in its problem. */
const HEAD_CHARS = 40;

function headOf(text: string): string {
  return text.length > HEAD_CHARS ? `${text.slice(0, HEAD_CHARS)}…` : text;
}

const numberFormat = new Intl.NumberFormat('en');

export function longLineProblem(file: string, line: number, head: string): Problem {
  return {
    kind: 'line-too-long',
    severity: 'error',
    file,
    line,
    field: 'line',
    raw: headOf(head),
    message: `line longer than ${numberFormat.format(MAX_LINE_BYTES)} bytes: skipped`,
  };
}

/** A carriage return that no line feed follows: the line ends of classic Mac OS. */
export function loneCrProblem(
  file: string,
  line: number,
  text: string,
  consequence = 'row rejected',
): Problem {
  return {
    kind: 'line-end',
    severity: 'error',
    file,
    line,
    field: 'line',
    raw: headOf(text.replace(/\r/g, '\\r')),
    message:
      'a carriage return (CR) without a line feed: lines ending in CR alone (classic Mac OS) ' +
      `are not read; save the file with LF or CR LF line ends; ${consequence}`,
  };
}

/** UTF-8 bytes of a text (each UTF-16 unit takes at most 3). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xe000 ? 2 : 3;
  }
  return bytes;
}

/** Whether a line (without its line end) is longer than MAX_LINE_BYTES in UTF-8. */
export function isLongLine(text: string): boolean {
  return text.length * 3 > MAX_LINE_BYTES && utf8Length(text) > MAX_LINE_BYTES;
}

function fileProblem(
  file: InputFile,
  kind: Problem['kind'],
  raw: string,
  message: string,
): Problem {
  return { kind, severity: 'error', file: file.name, line: 0, field: 'file', raw, message };
}

function hexPreview(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Which line holds the first byte sequence that is not UTF-8 (LF never occurs inside a sequence). */
function firstBadUtf8Line(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    try {
      decoder.decode(bytes.subarray(start, i));
    } catch {
      return line;
    }
    start = i + 1;
    line++;
  }
  return 0;
}

function swapBytePairs(bytes: Uint8Array): Uint8Array {
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1] as number;
    swapped[i + 1] = bytes[i] as number;
  }
  return swapped;
}

/**
 * Decode a label file. UTF-8 (with or without BOM) and UTF-16 with a BOM are
 * accepted; anything else that is not valid text (NUL bytes, invalid UTF-8) is an
 * 'encoding' problem rather than a guess, because a mis-decoded image name would
 * silently match nothing.
 */
export function decodeText(file: InputFile): DecodedText | { problem: Problem } {
  const bytes = file.bytes;
  if (bytes.length === 0) {
    return { problem: fileProblem(file, 'empty-file', '', 'the file is empty (0 bytes)') };
  }
  let encoding: TextEncodingName = 'utf-8';
  let bom = false;
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    bom = true;
    body = bytes.subarray(3);
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    bom = true;
    encoding = 'utf-16le';
    body = bytes.subarray(2);
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    bom = true;
    encoding = 'utf-16be';
    body = bytes.subarray(2);
  }

  let text: string;
  if (encoding === 'utf-8') {
    const nul = body.indexOf(0);
    if (nul >= 0) {
      const line = 1 + body.subarray(0, nul).filter((b) => b === 0x0a).length;
      return {
        problem: fileProblem(
          file,
          'encoding',
          hexPreview(body.subarray(nul)),
          `not a text file: NUL byte at byte ${nul + (bom ? 3 : 0)} (line ${line}); a UTF-16 file needs a byte-order mark`,
        ),
      };
    }
    try {
      // ignoreBOM: the BOM was already taken off above, so a second one stays visible.
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    } catch {
      const line = firstBadUtf8Line(body);
      return {
        problem: fileProblem(
          file,
          'encoding',
          hexPreview(body),
          `not valid UTF-8 (first bad bytes on line ${line}); save the file as UTF-8`,
        ),
      };
    }
  } else {
    if (body.length % 2 !== 0) {
      return {
        problem: fileProblem(
          file,
          'encoding',
          hexPreview(body),
          `not valid ${encoding.toUpperCase()}: odd number of bytes`,
        ),
      };
    }
    // Decoding big-endian as swapped little-endian avoids relying on 'utf-16be',
    // which not every TextDecoder supports.
    const littleEndian = encoding === 'utf-16le' ? body : swapBytePairs(body);
    try {
      text = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(littleEndian);
    } catch {
      return {
        problem: fileProblem(
          file,
          'encoding',
          hexPreview(body),
          `not valid ${encoding.toUpperCase()} (unpaired surrogate)`,
        ),
      };
    }
    if (text.includes('\u0000')) {
      return {
        problem: fileProblem(file, 'encoding', hexPreview(body), 'not a text file: NUL character'),
      };
    }
  }

  if (text.trim() === '') {
    return {
      problem: fileProblem(
        file,
        'empty-file',
        text.slice(0, 40),
        'the file holds no data (only blank lines)',
      ),
    };
  }
  const firstLf = text.indexOf('\n');
  const eol = firstLf > 0 && text[firstLf - 1] === '\r' ? '\r\n' : '\n';
  return { text, bom, eol, finalNewline: text.endsWith('\n'), encoding };
}

/** The lines of a text; a last line without a newline is kept, a final newline adds no empty line. */
export function* splitLines(text: string): Generator<TextLine> {
  let start = 0;
  let line = 1;
  while (start < text.length) {
    const lf = text.indexOf('\n', start);
    const end = lf < 0 ? text.length : lf;
    const lineText = text.slice(start, end);
    yield { line, text: lineText.endsWith('\r') ? lineText.slice(0, -1) : lineText };
    if (lf < 0) break;
    start = lf + 1;
    line++;
  }
}

/** Number of lines splitLines yields, without building them. */
export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return text.endsWith('\n') ? count : count + 1;
}

/** How a file was written, as decodeText tells it, with its line count; or the problem that stopped it. */
export type ChunkedDecodeEnd =
  (Omit<DecodedText, 'text'> & { lines: number }) | { problem: Problem };

const LF = 0x0a;
/**
 * decodeText for a file that arrives in chunks (a stream), with the same results
 * and the same problems. The text is handed on in pieces of whole lines, so a
 * reader never holds the whole file as one string. UTF-8 is decoded per piece:
 * a line feed never occurs inside a UTF-8 sequence, so a piece that ends at one
 * decodes on its own. UTF-16 files (rare, and never large here) are decoded whole.
 */
export class ChunkedTextDecoder {
  private head: Uint8Array | null = new Uint8Array(0);
  private encoding: TextEncodingName = 'utf-8';
  private bom = false;
  /** Bytes after the last line feed seen, waiting for the rest of their line. */
  private carry: Uint8Array[] = [];
  private carryLength = 0;
  /** Inside a line longer than MAX_LINE_BYTES: its bytes are passed over up to its line feed. */
  private skipping = false;
  /** UTF-16 bodies, kept whole. */
  private wide: Uint8Array[] = [];
  private wideBytes = 0;
  private bodyBytes = 0;
  /** The body's first 16 bytes, for the message about invalid UTF-8. */
  private bodyStart: Uint8Array = new Uint8Array(0);
  private lines = 0;
  private eol: '\n' | '\r\n' | null = null;
  private lastChar = -1;
  private blankSoFar = true;
  private firstText = '';
  private problem: Problem | null = null;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(
    private readonly file: string,
    /**
     * Gets each piece of text, the 1-based number of its first line, and its UTF-8
     * bytes: a reader can split it at its bytes and read values from them (one byte
     * per character when the text is as long as the bytes).
     * Returns the number of line feeds in the piece: the reader finds each one as it
     * splits the lines, so the text is not read twice.
     */
    private readonly onText: (text: string, firstLine: number, bytes: Uint8Array) => number,
    /**
     * Told of each line longer than MAX_LINE_BYTES (its number, its first characters):
     * the line is not handed on, and the reader reports it. Lines that arrive whole in
     * one piece are the reader's to measure.
     */
    private readonly onLongLine: (line: number, head: string) => void = () => {},
  ) {}

  /** false once a problem has stopped the decoding: the rest of the file need not be read. */
  push(chunk: Uint8Array): boolean {
    if (this.problem) return false;
    if (chunk.length === 0) return true;
    if (this.head) {
      // The byte-order mark needs the first three bytes.
      this.head = concatBytes(this.head, chunk);
      if (this.head.length < 3) return true;
      chunk = this.takeBom(this.head);
      this.head = null;
    }
    if (this.encoding !== 'utf-8') return this.pushWide(chunk);
    this.feedUtf8(chunk, false);
    return this.problem === null;
  }

  end(): ChunkedDecodeEnd {
    if (!this.problem && this.head) {
      const rest = this.takeBom(this.head);
      this.head = null;
      if (this.encoding === 'utf-8') this.feedUtf8(rest, true);
      else this.pushWide(rest);
    } else if (!this.problem && this.encoding === 'utf-8') {
      this.feedUtf8(new Uint8Array(0), true);
    }
    if (!this.problem && this.encoding !== 'utf-8') this.endWide();
    if (this.problem) return { problem: this.problem };
    if (this.bodyBytes === 0 && !this.bom) {
      return { problem: this.fileProblem('empty-file', '', 'the file is empty (0 bytes)') };
    }
    if (this.blankSoFar) {
      return {
        problem: this.fileProblem(
          'empty-file',
          this.firstText.slice(0, 40),
          'the file holds no data (only blank lines)',
        ),
      };
    }
    return {
      bom: this.bom,
      eol: this.eol ?? '\n',
      finalNewline: this.lastChar === LF,
      encoding: this.encoding,
      lines: this.lines,
    };
  }

  private takeBom(bytes: Uint8Array): Uint8Array {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      this.bom = true;
      return bytes.subarray(3);
    }
    if (bytes[0] === 0xff && bytes[1] === 0xfe) {
      this.bom = true;
      this.encoding = 'utf-16le';
      return bytes.subarray(2);
    }
    if (bytes[0] === 0xfe && bytes[1] === 0xff) {
      this.bom = true;
      this.encoding = 'utf-16be';
      return bytes.subarray(2);
    }
    return bytes;
  }

  private pushWide(chunk: Uint8Array): boolean {
    this.wideBytes += chunk.length;
    if (this.wideBytes > MAX_UTF16_BYTES) {
      this.wide = [];
      this.problem = this.fileProblem(
        'encoding',
        '',
        `a UTF-16 file over ${numberFormat.format(MAX_UTF16_BYTES)} bytes is not read; save it as UTF-8`,
      );
      return false;
    }
    this.wide.push(chunk.slice());
    return true;
  }

  private feedUtf8(chunk: Uint8Array, last: boolean): void {
    if (this.bodyStart.length < 16) {
      this.bodyStart = concatBytes(this.bodyStart, chunk.subarray(0, 16 - this.bodyStart.length));
    }
    if (this.skipping) {
      const lf = chunk.indexOf(LF);
      if (lf < 0) {
        this.bodyBytes += chunk.length;
        if (last) this.endSkip(false);
        return;
      }
      this.bodyBytes += lf + 1;
      this.endSkip(true);
      chunk = chunk.subarray(lf + 1);
      if (chunk.length === 0 && !last) return;
    }
    if (!last && chunk.indexOf(LF) < 0 && chunk.indexOf(0) < 0) {
      // No line ends here: keep the bytes (a copy: the caller may reuse its buffer).
      this.carry.push(chunk.slice());
      this.carryLength += chunk.length;
      this.skipIfLong();
      return;
    }
    let bytes = chunk;
    if (this.carry.length > 0) {
      const lf = chunk.indexOf(LF);
      if (lf >= 0 && lf + 1 < chunk.length) {
        // The carried line is finished and read on its own, so that the rest of a
        // large chunk is decoded where it lies, not copied after the carry.
        const head = concatBytes(...this.carry, chunk.subarray(0, lf + 1));
        this.carry = [];
        this.carryLength = 0;
        this.feedLines(head, false);
        if (this.problem) return;
        bytes = chunk.subarray(lf + 1);
      } else {
        bytes = concatBytes(...this.carry, chunk);
        this.carry = [];
        this.carryLength = 0;
      }
    }
    this.feedLines(bytes, last);
  }

  /** Decodes and hands on the lines of bytes (the carry taken care of), keeping a last partial line. */
  private feedLines(bytes: Uint8Array, last: boolean): void {
    const cut = last ? bytes.length : bytes.lastIndexOf(LF) + 1;
    if (cut < bytes.length) {
      this.carry.push(bytes.slice(cut));
      this.carryLength += bytes.length - cut;
    }
    if (cut === 0) {
      // A partial line waits for the rest; a NUL byte in it is found now or after.
      if (bytes.indexOf(0) >= 0) this.nulProblem(bytes);
      else this.skipIfLong();
      return;
    }
    const piece = bytes.subarray(0, cut);
    let text: string;
    try {
      text = this.utf8.decode(piece);
    } catch {
      // A NUL byte (binary data) is the better message, wherever it lies in these bytes.
      if (bytes.indexOf(0) >= 0) {
        this.nulProblem(bytes);
        return;
      }
      const line = this.lines + firstBadUtf8Line(piece);
      this.problem = this.fileProblem(
        'encoding',
        hexPreview(this.bodyStart),
        `not valid UTF-8 (first bad bytes on line ${line}); save the file as UTF-8`,
      );
      return;
    }
    // Searched in the text, not the bytes: a string search is several times faster.
    if (text.indexOf('\0') >= 0) {
      this.nulProblem(piece);
      return;
    }
    this.bodyBytes += piece.length;
    this.takeText(text, piece[piece.length - 1] === LF, piece);
    this.skipIfLong();
  }

  /**
   * Once the partial line waiting for its line feed is longer than a line may be (one
   * byte more: it may end in the CR of a CR LF), it is reported and dropped, and the
   * rest of it is passed over as it arrives.
   */
  private skipIfLong(): void {
    if (this.carryLength <= MAX_LINE_BYTES + 1 || this.problem) return;
    // The first parts only: a line that arrived a byte at a time has a million of them.
    const firstParts: Uint8Array[] = [];
    for (let k = 0, kept = 0; k < this.carry.length && kept < 4 * HEAD_CHARS; k++) {
      const part = this.carry[k] as Uint8Array;
      firstParts.push(part);
      kept += part.length;
    }
    const start = concatBytes(...firstParts).subarray(0, 4 * HEAD_CHARS);
    this.bodyBytes += this.carryLength;
    this.carry = [];
    this.carryLength = 0;
    this.skipping = true;
    this.blankSoFar = false;
    this.onLongLine(this.lines + 1, new TextDecoder().decode(start));
  }

  private endSkip(lineFeed: boolean): void {
    this.skipping = false;
    this.lines++;
    this.lastChar = lineFeed ? LF : 0;
  }

  private nulProblem(bytes: Uint8Array): void {
    const nul = bytes.indexOf(0);
    const line = this.lines + 1 + countByte(bytes.subarray(0, nul), LF);
    this.problem = this.fileProblem(
      'encoding',
      hexPreview(bytes.subarray(nul)),
      `not a text file: NUL byte at byte ${this.bodyBytes + nul + (this.bom ? 3 : 0)} (line ${line}); a UTF-16 file needs a byte-order mark`,
    );
  }

  private endWide(): void {
    const body = concatBytes(...this.wide);
    this.wide = [];
    this.bodyBytes = body.length;
    // decodeText knows the UTF-16 cases; give it the body with its mark back.
    const mark = this.encoding === 'utf-16le' ? [0xff, 0xfe] : [0xfe, 0xff];
    const decoded = decodeText({ name: this.file, bytes: concatBytes(new Uint8Array(mark), body) });
    if ('problem' in decoded) {
      this.problem = decoded.problem;
      return;
    }
    // Readers split UTF-8 bytes: a UTF-16 file, small by nature, is encoded once.
    const text = decoded.text;
    this.takeText(text, text.endsWith('\n'), new TextEncoder().encode(text));
  }

  private takeText(text: string, endsWithLineFeed: boolean, bytes: Uint8Array): void {
    if (text.length === 0) return;
    if (this.firstText.length < 40) this.firstText += text.slice(0, 40);
    if (this.blankSoFar && text.trim() !== '') this.blankSoFar = false;
    const firstLine = this.lines + 1;
    this.lastChar = text.charCodeAt(text.length - 1);
    const lineFeeds = this.onText(text, firstLine, bytes);
    if (this.eol === null && lineFeeds > 0) {
      // Pieces end at a line feed, so the first one that holds a line feed starts the file.
      const firstLf = text.indexOf('\n');
      this.eol = firstLf > 0 && text.charCodeAt(firstLf - 1) === 0x0d ? '\r\n' : '\n';
    }
    // A piece that does not end a line is the file's last line (only at the end).
    this.lines += endsWithLineFeed ? lineFeeds : lineFeeds + 1;
  }

  private fileProblem(kind: Problem['kind'], raw: string, message: string): Problem {
    return { kind, severity: 'error', file: this.file, line: 0, field: 'file', raw, message };
  }
}

/** The parts as one array (the part itself when there is only one). */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function countByte(bytes: Uint8Array, value: number): number {
  // A plain loop: a call of indexOf per line costs more than looking at every byte.
  let count = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === value) count++;
  return count;
}

/** Bytes kept of a line longer than MAX_LINE_BYTES: enough for a reader to find it too long. */
const LONG_LINE_KEPT = MAX_LINE_BYTES + 2;

/**
 * Passes a file's bytes on as they arrive, cutting every line longer than
 * MAX_LINE_BYTES down to a little over that length: a file read whole then never holds
 * a huge line, and its reader still finds the line too long and reports it (with its
 * number, which the cut keeps). A UTF-16 file (byte-order mark) is passed on as it is.
 */
export class LongLineFilter {
  private readonly parts: Uint8Array[] = [];
  private started = false;
  private wide = false;
  /** Bytes of the current line passed on so far. */
  private lineLength = 0;
  /** Inside a line past the cut: its bytes are dropped up to its line feed. */
  private cutting = false;
  /** Just after the cut: the continuation bytes of a character cut in two are kept. */
  private completing = false;

  push(chunk: Uint8Array): void {
    if (!this.started && chunk.length > 0) {
      this.started = true;
      // A chunk of one byte cannot be a UTF-16 mark, but a one-byte file is no risk.
      this.wide =
        chunk.length >= 2 &&
        ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff));
    }
    if (this.wide) {
      this.parts.push(chunk);
      return;
    }
    const length = chunk.length;
    let at = 0;
    while (at < length) {
      if (this.cutting) {
        if (this.completing) {
          let k = at;
          while (k < length && ((chunk[k] as number) & 0xc0) === 0x80) k++;
          if (k > at) this.parts.push(chunk.subarray(at, k));
          if (k === length) return;
          this.completing = false;
          at = k;
        }
        const lf = chunk.indexOf(LF, at);
        if (lf < 0) return;
        this.cutting = false;
        this.lineLength = 0;
        at = lf;
      }
      // Where the current line would pass the cut; a line feed at or before it ends the
      // line in time, and the lines after it are measured from there.
      const limit = at + LONG_LINE_KEPT - this.lineLength;
      if (limit >= length) {
        const lf = chunk.lastIndexOf(LF);
        this.lineLength = lf >= at ? length - lf - 1 : this.lineLength + length - at;
        this.parts.push(chunk.subarray(at));
        return;
      }
      const lf = chunk.lastIndexOf(LF, limit - 1);
      if (lf >= at) {
        this.parts.push(chunk.subarray(at, lf + 1));
        this.lineLength = 0;
        at = lf + 1;
        continue;
      }
      this.parts.push(chunk.subarray(at, limit));
      this.cutting = true;
      this.completing = true;
      at = limit;
    }
  }

  /** The bytes passed on, as one array. */
  bytes(): Uint8Array {
    return concatBytes(...this.parts);
  }
}
