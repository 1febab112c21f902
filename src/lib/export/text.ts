import type { SourceFile } from '../labels/types';

/**
 * Text building blocks shared by the writers: a line sink that builds big files in
 * chunks and joins once, byte encoding that reproduces a source file's BOM and
 * encoding, and CSV field quoting: as the user's own file had it (csvField), or safe to
 * open in a spreadsheet (spreadsheetField).
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

/**
 * Characters that make a spreadsheet run a cell as a formula when they open it (OWASP,
 * "CSV Injection"): `=`, `+`, `-`, `@`, tab and carriage return.
 */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/** A plain decimal number (`-1`, `0.25`, `+3`): data a spreadsheet shows as a number, never runs. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Whether a spreadsheet would run this cell: it starts like a formula and is not a plain number. */
export function startsLikeFormula(value: string): boolean {
  return value.length > 0 && FORMULA_START.has(value[0] as string) && !PLAIN_NUMBER.test(value);
}

/**
 * One CSV field for a file people open in a spreadsheet (the AU matrix, the change
 * log): a cell a spreadsheet would run (an image name, class name, note or reviewer
 * starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'` and is quoted, as
 * OWASP recommends; plain numbers such as `-1` stay exact. Otherwise as csvField.
 */
export function spreadsheetField(value: string, delimiter = ','): string {
  if (startsLikeFormula(value)) return `"'${value.replace(/"/g, '""')}"`;
  return csvField(value, delimiter);
}

/** One CSV row of spreadsheetField cells. */
export function spreadsheetRow(values: readonly string[], delimiter = ','): string {
  let row = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) row += delimiter;
    row += spreadsheetField(values[i] as string, delimiter);
  }
  return row;
}

/** Base name of a path given with either kind of slash. */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** A deterministic, human-readable time: ISO 8601 in UTC. */
export function isoTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}
