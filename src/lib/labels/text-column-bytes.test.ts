import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textColumnOf, textColumnToArray } from './text-column';
import { TextColumnBuilder, encodeTextColumn, type EncodedTextColumn } from './text-column-bytes';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Entries without a line feed, ASCII or not (names in other scripts, accents, emoji). */
const entry = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('0001.jpg', 'é.jpg', '表情.png', '😀.jpg', '', ' '),
  )
  .map((text) => text.replaceAll('\n', ''));

/** Code point order, the order of UTF-8 bytes. */
function codePointCompare(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0) as number);
  const y = [...b].map((c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++)
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

function build(entries: readonly string[], asText: (i: number) => boolean = () => false) {
  const builder = new TextColumnBuilder();
  entries.forEach((text, i) => {
    if (asText(i)) {
      builder.appendText(text);
    } else {
      // Inside a larger buffer, as a reader finds a name in a line of its file.
      const line = utf8(`>${text} 1\n`);
      builder.append(line, 1, line.length - 3);
    }
  });
  return builder;
}

describe('TextColumnBuilder', () => {
  it.each([
    { entries: [] as string[] },
    { entries: [''] },
    { entries: ['', ''] },
    { entries: ['0001.jpg', '0002.jpg', '0003.jpg'] },
    { entries: ['é.jpg', 'a.jpg', '表情.png'] },
    { entries: ['😀', 'x'] },
  ])('builds the column textColumnOf builds: $entries', ({ entries }) => {
    const column = build(entries).build();
    expect(column).toEqual(textColumnOf(entries));
    expect(textColumnToArray(column)).toEqual(entries);
  });

  it('builds the same column from bytes or text, in any mix (property)', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), fc.array(fc.boolean()), (entries, mix) => {
        const column = build(entries, (i) => mix[i] ?? false).build();
        expect(column).toEqual(textColumnOf(entries));
      }),
      { numRuns: 300 },
    );
  });

  it('grows past its first buffers', () => {
    const entries = Array.from({ length: 5_000 }, (_, i) => `${'x'.repeat(i % 40)}${i}.jpg`);
    expect(build(entries).build()).toEqual(textColumnOf(entries));
  });

  it('goes on after build, and the built column keeps its entries', () => {
    const builder = build(['a', 'b']);
    const first = builder.build();
    for (let i = 0; i < 20_000; i++) builder.appendText(`n${i}`);
    expect(textColumnToArray(first)).toEqual(['a', 'b']);
    expect(encodeTextColumn(first).bytes).toEqual(utf8('a\nb'));
    expect(builder.count).toBe(20_002);
  });

  it.each([
    { last: 'b', next: 'a', appended: false },
    { last: 'b', next: 'b', appended: false },
    { last: 'b', next: 'c', appended: true },
    { last: 'ab', next: 'a', appended: false },
    { last: 'a', next: 'ab', appended: true },
    { last: '0009.jpg', next: '0010.jpg', appended: true },
    { last: '', next: '', appended: false },
    { last: '', next: 'a', appended: true },
    { last: 'z', next: 'é', appended: true },
    { last: 'é', next: 'z', appended: false },
    // Code point order, not UTF-16's: U+FFFF comes before U+1F600, whose first unit is U+D83D.
    { last: '\uffff', next: '😀', appended: true },
  ])('appends $next after $last: $appended', ({ last, next, appended }) => {
    const asBytes = build([last]);
    const bytes = utf8(next);
    expect(asBytes.appendAfterLast(bytes, 0, bytes.length)).toBe(appended);
    expect(textColumnToArray(asBytes.build())).toEqual(appended ? [last, next] : [last]);
    const asText = build([last]);
    expect(asText.appendTextAfterLast(next)).toBe(appended);
    expect(asText.build()).toEqual(asBytes.build());
  });

  it('appends an entry only when it comes after the last one in code point order (property)', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 25 }), fc.array(fc.boolean()), (entries, mix) => {
        const builder = new TextColumnBuilder();
        const kept: string[] = [];
        entries.forEach((text, i) => {
          const after = kept.length === 0 || codePointCompare(text, kept.at(-1) as string) > 0;
          const bytes = utf8(`[${text}]`);
          const appended = mix[i]
            ? builder.appendTextAfterLast(text)
            : builder.appendAfterLast(bytes, 1, bytes.length - 1);
          expect(appended).toBe(after);
          if (after) kept.push(text);
        });
        expect(builder.build()).toEqual(textColumnOf(kept));
      }),
      { numRuns: 500 },
    );
  });

  it('puts everything after nothing', () => {
    expect(new TextColumnBuilder().appendTextAfterLast('')).toBe(true);
  });

  it('encodes entries longer than its first scratch space', () => {
    const long = 'é'.repeat(1_000);
    const builder = new TextColumnBuilder();
    builder.appendText(long);
    expect(builder.appendTextAfterLast(`${long}x`)).toBe(true);
    expect(textColumnToArray(builder.build())).toEqual([long, `${long}x`]);
  });

  it('starts from the first entries of an encoded column', () => {
    const earlier = encodeTextColumn(textColumnOf(['a', 'é', 'c']));
    const builder = new TextColumnBuilder();
    builder.appendFirstOf(earlier, 2);
    builder.appendText('d');
    expect(textColumnToArray(builder.build())).toEqual(['a', 'é', 'd']);
    expect(() => builder.appendFirstOf(earlier, 1)).toThrow(/not empty/);
    const none = new TextColumnBuilder();
    none.appendFirstOf(earlier, 0);
    expect(none.count).toBe(0);
  });
});

describe('encodeTextColumn', () => {
  function entries(encoded: EncodedTextColumn): Uint8Array[] {
    return Array.from(encoded.ends, (end, i) =>
      encoded.bytes.subarray(i === 0 ? 0 : (encoded.ends[i - 1] as number) + 1, end),
    );
  }

  it('gives each entry its UTF-8 bytes (property)', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 20 }), (values) => {
        const encoded = encodeTextColumn(textColumnOf(values));
        expect(entries(encoded)).toEqual(values.map(utf8));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the bytes of a column built from bytes, and encodes a column once', () => {
    const built = build(['x', 'y']).build();
    expect(encodeTextColumn(built)).toBe(encodeTextColumn(built));
    const made = textColumnOf(['x', 'y']);
    expect(encodeTextColumn(made)).toBe(encodeTextColumn(made));
    expect(encodeTextColumn(made)).toEqual(encodeTextColumn(built));
  });
});
