import { parseAuString, isNullAuValue } from '../labels/au';
import type { FileHead } from './format';

/**
 * What detection reads of a file's start: its first lines as text. Only the lines that
 * end inside the head are given (a line cut by the head's end could mislead), unless
 * the head is the whole file.
 */
export function headLines(file: FileHead, max = DETECT_LINES): string[] {
  // Every format asks for the same file's lines: they are decoded once per file.
  const key = `${max}`;
  let known = linesOf.get(file);
  if (!known) linesOf.set(file, (known = new Map()));
  let lines = known.get(key);
  if (!lines) known.set(key, (lines = decodeHeadLines(file, max)));
  return lines;
}

const linesOf = new WeakMap<FileHead, Map<string, string[]>>();

/**
 * Lines a format looks at to tell a file: enough to see a header and a run of rows, few
 * enough that an import of hundreds of video files is not slowed by telling them.
 */
export const DETECT_LINES = 50;

/** Bytes of a file's start decoded for its lines: a header of a thousand columns and a few rows. */
const LINE_BYTES = 16 * 1024;

function decodeHeadLines(file: FileHead, max: number): string[] {
  const head = upToLine(file.head.subarray(0, LINE_BYTES), 2 * max);
  let bytes = head;
  let encoding: 'utf-8' | 'utf-16le' | 'utf-16be' = 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) encoding = 'utf-16le';
  else if (head[0] === 0xfe && head[1] === 0xff) encoding = 'utf-16be';
  if (encoding !== 'utf-8' && bytes.length % 2 === 1) bytes = bytes.subarray(0, bytes.length - 1);
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: false }).decode(bytes);
  } catch {
    return [];
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r\n|\n|\r/);
  if (head.length < file.size) lines.pop();
  const kept: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    kept.push(line);
    if (kept.length >= max) break;
  }
  return kept;
}

/**
 * The bytes up to the end of their `lines`-th line, so that only what detection looks at
 * is decoded and split. UTF-16 (a byte-order mark) is kept whole: a 0x0a byte there may
 * be half of another character.
 */
export function upToLine(bytes: Uint8Array, lines: number): Uint8Array {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return bytes;
  let at = -1;
  for (let k = 0; k < lines; k++) {
    at = bytes.indexOf(0x0a, at + 1);
    if (at < 0) return bytes;
  }
  return bytes.subarray(0, at + 1);
}

/** Extensions an image (or a video frame) name ends with. */
const IMAGE_NAME = /\.(jpe?g|png|bmp|gif|tiff?|webp)$/i;

export function looksLikeImageName(text: string): boolean {
  return IMAGE_NAME.test(text);
}

/** The lines as `image value` pairs (the value: the rest after the first run of spaces), or null when any is not one. */
export function imageValuePairs(lines: readonly string[]): [string, string][] | null {
  if (lines.length === 0) return null;
  const pairs: [string, string][] = [];
  for (const line of lines) {
    const match = /^\s*(\S+)\s+(\S.*?)\s*$/.exec(line);
    if (!match || !looksLikeImageName(match[1] as string)) return null;
    pairs.push([match[1] as string, match[2] as string]);
  }
  return pairs;
}

/** Whether every value is a whole number in [min, max]. */
export function allIntegersIn(values: readonly string[], min: number, max: number): boolean {
  return values.every((v) => /^-?\d+$/.test(v) && Number(v) >= min && Number(v) <= max);
}

/** Whether the values read as AU strings (`1+2+25`, `null`), and some are more than a lone number. */
export function looksLikeAuStrings(values: readonly string[]): boolean {
  let beyondNumbers = false;
  for (const value of values) {
    // An AU string is one field: `1+2+25 3 0` is a row of several columns.
    if (/\s/.test(value.trim())) return false;
    if (isNullAuValue(value)) {
      beyondNumbers = true;
      continue;
    }
    const parsed = parseAuString(value);
    if (parsed.tokens.length === 0) return false;
    if (parsed.unknown.length > parsed.tokens.length) return false;
    if (!/^\d+$/.test(value.trim())) beyondNumbers = true;
  }
  return beyondNumbers;
}
