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
