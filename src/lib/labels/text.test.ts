import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixture, textFile } from './test-fixtures';
import {
  ChunkedTextDecoder,
  countLines,
  decodeText,
  splitLines,
  type ChunkedDecodeEnd,
  type DecodedText,
} from './text';
import type { InputFile, Problem } from './types';

const bytes = (name: string, ...values: number[]): InputFile => ({
  name,
  bytes: new Uint8Array(values),
});

function decoded(file: InputFile): DecodedText {
  const result = decodeText(file);
  if ('problem' in result) throw new Error(`unexpected problem: ${result.problem.message}`);
  return result;
}

describe('decodeText', () => {
  it.each<[string, InputFile, Omit<DecodedText, 'text'> & { text: string }]>([
    [
      'plain UTF-8, LF',
      textFile('a.txt', 'a 1\nb 2\n'),
      { text: 'a 1\nb 2\n', bom: false, eol: '\n', finalNewline: true, encoding: 'utf-8' },
    ],
    [
      'UTF-8 BOM is taken off',
      fixture('raf-ce-broken/bom/RAFCE_emolabel.txt'),
      {
        text: '0001.jpg 5\n0002.jpg 10\n',
        bom: true,
        eol: '\n',
        finalNewline: true,
        encoding: 'utf-8',
      },
    ],
    [
      'CRLF',
      fixture('raf-ce-broken/crlf/RAFCE_partition.txt'),
      {
        text: '0001.jpg 0\r\n0002.jpg 2\r\n0003.jpg 1\r\n',
        bom: false,
        eol: '\r\n',
        finalNewline: true,
        encoding: 'utf-8',
      },
    ],
    [
      'UTF-16 LE with BOM',
      fixture('raf-ce-broken/utf16le/RAFCE_AUlabel.txt'),
      {
        text: '0001.jpg 1+2\n0002.jpg null\n',
        bom: true,
        eol: '\n',
        finalNewline: true,
        encoding: 'utf-16le',
      },
    ],
    [
      'UTF-16 BE with BOM',
      fixture('raf-ce-broken/utf16be/RAFCE_AUlabel.txt'),
      {
        text: '0001.jpg 1+2\n0002.jpg null\n',
        bom: true,
        eol: '\n',
        finalNewline: true,
        encoding: 'utf-16be',
      },
    ],
    [
      'no newline at end',
      fixture('raf-ce-broken/no-final-newline/RAFCE_partition.txt'),
      {
        text: '0001.jpg 0\n0002.jpg 1',
        bom: false,
        eol: '\n',
        finalNewline: false,
        encoding: 'utf-8',
      },
    ],
    [
      'non-ASCII UTF-8 kept',
      textFile('é.txt', 'café.jpg 1'),
      { text: 'café.jpg 1', bom: false, eol: '\n', finalNewline: false, encoding: 'utf-8' },
    ],
  ])('%s', (_label, file, expected) => {
    expect(decoded(file)).toEqual(expected);
  });

  it.each<[string, InputFile, Problem]>([
    [
      'empty file',
      fixture('raf-ce-broken/empty/RAFCE_emolabel.txt'),
      {
        kind: 'empty-file',
        severity: 'error',
        file: 'raf-ce-broken/empty/RAFCE_emolabel.txt',
        line: 0,
        field: 'file',
        raw: '',
        message: 'the file is empty (0 bytes)',
      },
    ],
    [
      'only blank lines',
      fixture('raf-ce-broken/blank-only/RAFCE_emolabel.txt'),
      {
        kind: 'empty-file',
        severity: 'error',
        file: 'raf-ce-broken/blank-only/RAFCE_emolabel.txt',
        line: 0,
        field: 'file',
        raw: '\n  \n',
        message: 'the file holds no data (only blank lines)',
      },
    ],
    [
      'only a BOM',
      bytes('bom.txt', 0xef, 0xbb, 0xbf),
      {
        kind: 'empty-file',
        severity: 'error',
        file: 'bom.txt',
        line: 0,
        field: 'file',
        raw: '',
        message: 'the file holds no data (only blank lines)',
      },
    ],
    [
      'binary junk (a PNG header)',
      fixture('raf-ce-broken/binary/RAFCE_AUlabel.txt'),
      {
        kind: 'encoding',
        severity: 'error',
        file: 'raf-ce-broken/binary/RAFCE_AUlabel.txt',
        line: 0,
        field: 'file',
        raw: '00 00 00 0d 49 48 44 52',
        message:
          'not a text file: NUL byte at byte 8 (line 3); a UTF-16 file needs a byte-order mark',
      },
    ],
    [
      'invalid UTF-8 (Latin-1 byte)',
      fixture('raf-ce-broken/latin1/RAFCE_AUlabel.txt'),
      {
        kind: 'encoding',
        severity: 'error',
        file: 'raf-ce-broken/latin1/RAFCE_AUlabel.txt',
        line: 0,
        field: 'file',
        raw: '30 30 30 31 2e 6a 70 67 20 31 2b 32 0a 30 30 30',
        message: 'not valid UTF-8 (first bad bytes on line 2); save the file as UTF-8',
      },
    ],
    [
      'UTF-16 LE without a BOM',
      { name: 'u16.txt', bytes: new Uint8Array([0x61, 0, 0x0a, 0]) },
      {
        kind: 'encoding',
        severity: 'error',
        file: 'u16.txt',
        line: 0,
        field: 'file',
        raw: '00 0a 00',
        message:
          'not a text file: NUL byte at byte 1 (line 1); a UTF-16 file needs a byte-order mark',
      },
    ],
    [
      'UTF-16 with an odd byte count',
      bytes('odd.txt', 0xff, 0xfe, 0x61, 0x00, 0x62),
      {
        kind: 'encoding',
        severity: 'error',
        file: 'odd.txt',
        line: 0,
        field: 'file',
        raw: '61 00 62',
        message: 'not valid UTF-16LE: odd number of bytes',
      },
    ],
  ])('%s', (_label, file, problem) => {
    expect(decodeText(file)).toEqual({ problem });
  });
});

describe('splitLines', () => {
  it.each<[string, string, [number, string][]]>([
    [
      'LF with final newline',
      'a\nb\n',
      [
        [1, 'a'],
        [2, 'b'],
      ],
    ],
    [
      'last line without newline kept',
      'a\nb',
      [
        [1, 'a'],
        [2, 'b'],
      ],
    ],
    [
      'CRLF',
      'a\r\nb\r\n',
      [
        [1, 'a'],
        [2, 'b'],
      ],
    ],
    [
      'blank lines keep their numbers',
      'a\n\nb',
      [
        [1, 'a'],
        [2, ''],
        [3, 'b'],
      ],
    ],
    ['trailing spaces kept', 'a  \n', [[1, 'a  ']]],
    ['single line', 'a', [[1, 'a']]],
    ['empty text', '', []],
    ['only a newline', '\n', [[1, '']]],
  ])('%s', (_label, text, lines) => {
    const got = [...splitLines(text)].map((l) => [l.line, l.text]);
    expect(got).toEqual(lines);
    expect(countLines(text)).toBe(lines.length);
  });
});

describe('ChunkedTextDecoder', () => {
  /** Decodes bytes handed over in chunks of the given sizes (cycled); the text comes back whole. */
  function decodeInChunks(
    name: string,
    bytes: Uint8Array,
    sizes: readonly number[],
  ): { text: string; end: ChunkedDecodeEnd; firstLines: number[] } {
    let text = '';
    const firstLines: number[] = [];
    const decoder = new ChunkedTextDecoder(name, (piece, firstLine) => {
      text += piece;
      firstLines.push(firstLine);
      return piece.split('\n').length - 1;
    });
    for (let at = 0, k = 0; at < bytes.length; k++) {
      const size = Math.max(1, sizes[k % sizes.length] as number);
      if (!decoder.push(bytes.subarray(at, at + size))) break;
      at += size;
    }
    const end = decoder.end();
    return { text, end, firstLines };
  }

  /** What decodeText says, in the chunked decoder's terms. */
  function expectedOf(file: InputFile): { text: string; end: ChunkedDecodeEnd } {
    const whole = decodeText(file);
    if ('problem' in whole) return { text: '', end: { problem: whole.problem } };
    const { text, ...written } = whole;
    return { text, end: { ...written, lines: countLines(text) } };
  }

  const files: InputFile[] = [
    'bad-au/RAFCE_AUlabel.txt',
    'binary/RAFCE_AUlabel.txt',
    'blank-only/RAFCE_emolabel.txt',
    'bom/RAFCE_emolabel.txt',
    'column-count/RAFCE_emolabel.txt',
    'crlf/RAFCE_partition.txt',
    'empty/RAFCE_emolabel.txt',
    'latin1/RAFCE_AUlabel.txt',
    'no-final-newline/RAFCE_partition.txt',
    'trailing-spaces/RAFCE_AUlabel.txt',
    'utf16be/RAFCE_AUlabel.txt',
    'utf16le/RAFCE_AUlabel.txt',
  ].map((path) => fixture(`raf-ce-broken/${path}`));

  it.each(files.map((file) => [file.name, file] as const))(
    '%s: the same text, layout and problem as decodeText, however it is cut',
    (_name, file) => {
      const expected = expectedOf(file);
      for (const sizes of [[file.bytes.length], [1], [2], [3], [5, 1, 7], [64]]) {
        const got = decodeInChunks(file.name, file.bytes, sizes);
        // Lines before a problem may have been handed on; a reader drops them with the file.
        if (!('problem' in expected.end)) expect(got.text).toBe(expected.text);
        if ('problem' in expected.end && 'problem' in got.end && sizes[0] !== file.bytes.length) {
          // Cut into chunks, the first fault to arrive is reported (a PNG's bad UTF-8 on
          // line 1 before its NUL byte on line 3), and the hex preview shows what has arrived.
          const { raw: _gotRaw, message: _gotMessage, ...gotProblem } = got.end.problem;
          const { raw: _raw, message: _message, ...expectedProblem } = expected.end.problem;
          expect(gotProblem).toEqual(expectedProblem);
        } else {
          expect(got.end).toEqual(expected.end);
        }
      }
    },
  );

  it('hands on whole lines, each piece with the number of its first line', () => {
    const got = decodeInChunks('a.txt', new TextEncoder().encode('a 1\nb 2\nc 3\nd 4'), [5]);
    expect(got.firstLines).toEqual([1, 2, 3, 4]);
    expect(got.end).toMatchObject({ lines: 4, finalNewline: false });
  });

  it('stops at the first NUL byte and says which line holds it', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('a 1\nb 2\n'), 0x63, 0x00, 0x0a]);
    const got = decodeInChunks('a.txt', bytes, [4]);
    expect('problem' in got.end && got.end.problem.message).toBe(
      'not a text file: NUL byte at byte 9 (line 3); a UTF-16 file needs a byte-order mark',
    );
  });

  it('equals decodeText on any text cut anywhere (property)', () => {
    const char = fc.constantFrom('a', '7', ' ', '\t', '\n', '\r', 'é', '€', '😀', '+', '\u00a0');
    fc.assert(
      fc.property(
        fc.array(char, { maxLength: 60 }).map((chars) => chars.join('')),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
        (text, bom, sizes) => {
          const encoded = new TextEncoder().encode(text);
          const bytes = bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...encoded]) : encoded;
          const file = { name: 'p.txt', bytes };
          const expected = expectedOf(file);
          const got = decodeInChunks(file.name, bytes, sizes);
          if (!('problem' in expected.end)) expect(got.text).toBe(expected.text);
          expect(got.end).toEqual(expected.end);
        },
      ),
      { numRuns: 300 },
    );
  });
});
