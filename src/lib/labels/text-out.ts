import { isNullAuValue, maskToAus } from './au';
import { AuStatus, type SampleLabels, type SourceFile } from './types';

/**
 * Writing label text: a line sink that builds big files in chunks and joins once, byte
 * encoding that reproduces a source file's BOM and encoding, and CSV field quoting as
 * the user's own file had it (csvField). The formats' writers and the export use them;
 * the export's files for spreadsheets quote with spreadsheetField (export/text.ts).
 */

/** Lines per chunk: small enough to keep string ropes shallow, large enough to keep the parts list short. */
const LINES_PER_CHUNK = 4096;

/** Collects lines joined by one end-of-line; call finish() once. */
export class LineSink {
  private readonly parts: string[] = [];
  private buffer: string[] = [];
  private total = 0;

  constructor(private readonly eol: string) {}

  get lines(): number {
    return this.total;
  }

  push(line: string): void {
    this.buffer.push(line);
    this.total++;
    if (this.buffer.length >= LINES_PER_CHUNK) {
      this.parts.push(this.buffer.join(this.eol));
      this.buffer = [];
    }
  }

  /** The text; with finalNewline, the last line is ended too (an empty text stays empty). */
  finish(finalNewline: boolean): string {
    if (this.buffer.length > 0) this.parts.push(this.buffer.join(this.eol));
    this.buffer = [];
    const text = this.parts.join(this.eol);
    return finalNewline && this.total > 0 ? text + this.eol : text;
  }
}

/**
 * LineSink that writes UTF-8 bytes as it goes, a chunk of lines at a time, and says how
 * many it holds after each chunk: a reader of the bytes (the export's compression) can
 * start on a large file's first bytes while the rest is written. finish() gives the same
 * bytes as utf8(lineSink.finish(...)).
 */
export class ByteLineSink {
  private buffer: string[] = [];
  private total = 0;
  private bytes = new Uint8Array(1 << 16);
  private length = 0;
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly eol: string,
    /** After each chunk: the bytes so far are bytes[0, length) (copy what is kept: the array may be replaced). */
    private readonly onBytes?: (bytes: Uint8Array, length: number) => void,
  ) {}

  push(line: string): void {
    this.buffer.push(line);
    this.total++;
    if (this.buffer.length >= LINES_PER_CHUNK) this.flush();
  }

  /** The bytes; with finalNewline, the last line is ended too (an empty text stays empty). */
  finish(finalNewline: boolean): Uint8Array {
    this.flush();
    if (finalNewline && this.total > 0) this.write(this.eol);
    return this.bytes.slice(0, this.length);
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join(this.eol);
    this.buffer = [];
    // Chunks after the first are joined to the one before by an end-of-line.
    this.write(this.length > 0 ? this.eol + text : text);
    this.onBytes?.(this.bytes, this.length);
  }

  private write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const most = this.length + 3 * text.length;
    if (most > this.bytes.length) {
      const larger = new Uint8Array(Math.max(most, 2 * this.bytes.length));
      larger.set(this.bytes.subarray(0, this.length));
      this.bytes = larger;
    }
    this.length += this.encoder.encodeInto(text, this.bytes.subarray(this.length)).written;
  }
}

function utf16(text: string, bom: boolean, bigEndian: boolean): Uint8Array {
  const offset = bom ? 2 : 0;
  const bytes = new Uint8Array(offset + text.length * 2);
  const hiFirst = bigEndian ? 0 : 1;
  if (bom) {
    bytes[0] = bigEndian ? 0xfe : 0xff;
    bytes[1] = bigEndian ? 0xff : 0xfe;
  }
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes[offset + 2 * i + hiFirst] = unit >> 8;
    bytes[offset + 2 * i + 1 - hiFirst] = unit & 0xff;
  }
  return bytes;
}

/** Encode text as the source file was written: its encoding and byte-order mark. */
export function encodeLike(text: string, source: Pick<SourceFile, 'bom' | 'encoding'>): Uint8Array {
  const encoding = source.encoding ?? 'utf-8';
  if (encoding === 'utf-16le') return utf16(text, source.bom, false);
  if (encoding === 'utf-16be') return utf16(text, source.bom, true);
  return new TextEncoder().encode(source.bom ? '\uFEFF' + text : text);
}

/** UTF-8 without BOM: the files this app defines itself. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/**
 * One CSV field: quoted (with inner quotes doubled) when it holds the delimiter,
 * a quote, or a line break; as is otherwise, so plain values stay byte-identical.
 */
export function csvField(value: string, delimiter = ','): string {
  if (
    value.includes(delimiter) ||
    value.includes('"') ||
    value.includes('\n') ||
    value.includes('\r')
  ) {
    return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}

/** One CSV row. */
export function csvRow(values: readonly string[], delimiter = ','): string {
  let row = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) row += delimiter;
    row += csvField(values[i] as string, delimiter);
  }
  return row;
}

/** The AU value text of sample i; null when it has none (status absent). */
export function auValueText(labels: SampleLabels, i: number): string | null {
  const status = labels.auStatus[i];
  const raw = labels.auRaw[i] ?? '';
  if (status === AuStatus.null) return isNullAuValue(raw) ? raw : 'null';
  if (status !== AuStatus.coded) return null;
  // A coded value without text (built in code, not read from a file): spell its AUs.
  return raw.trim() === '' ? maskToAus(labels.auMask, i).join('+') : raw;
}

/** How a writer writes a file the dataset had no source for: LF lines, a final newline, no BOM. */
export const DEFAULT_SOURCE: Omit<SourceFile, 'name' | 'role'> = {
  eol: '\n',
  finalNewline: true,
  bom: false,
  lines: 0,
};
