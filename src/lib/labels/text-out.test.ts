import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteLineSink, LineSink, utf8 } from './text-out';

describe('ByteLineSink', () => {
  it('writes the bytes of the LineSink text, and tells prefixes of them as it goes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { maxLength: 9000, size: 'max' }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (lines, eol, finalNewline) => {
          const text = new LineSink(eol);
          const told: Uint8Array[] = [];
          const bytes = new ByteLineSink(eol, (buffer, length) =>
            told.push(buffer.slice(0, length)),
          );
          for (const line of lines) {
            text.push(line);
            bytes.push(line);
          }
          const expected = Buffer.from(utf8(text.finish(finalNewline)));
          const written = bytes.finish(finalNewline);
          expect(Buffer.from(written).equals(expected)).toBe(true);
          // A chunk of 4,096 lines at a time: each told length is a prefix of the file.
          expect(told.length).toBe(Math.ceil(lines.length / 4096));
          for (const prefix of told)
            expect(Buffer.from(prefix).equals(expected.subarray(0, prefix.length))).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it.each([
    ['one chunk', 4096],
    ['a line over a chunk', 4097],
    ['three chunks and some', 12_345],
  ])('%s (%d lines): the bytes of the joined text', (_, count) => {
    const lines = Array.from({ length: count }, (_, i) => `${i},é,${'x'.repeat(i % 7)}`);
    const bytes = new ByteLineSink('\n');
    for (const line of lines) bytes.push(line);
    expect(new TextDecoder().decode(bytes.finish(true))).toBe(`${lines.join('\n')}\n`);
  });
});
