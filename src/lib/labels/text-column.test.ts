import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_TEXT_COLUMN,
  TextColumnBuilder,
  TextColumnPages,
  columnLength,
  entriesContaining,
  entryAtOffset,
  entryEquals,
  joinedRange,
  sameTexts,
  sliceTextColumn,
  startOf,
  textAt,
  textColumnFromJoined,
  textColumnOf,
  textColumnToArray,
  type TextColumn,
} from './text-column';

// The oracle is a plain string[]: every expectation below is computed from it, never
// from the module under test.

/** Where entry i ends in values.join('\n'), computed from the joined prefix alone. */
function oracleEnds(values: readonly string[]): number[] {
  return values.map((_, i) => values.slice(0, i + 1).join('\n').length);
}

/** A column as plain data, so that a mismatch shows the text and every end. */
function plain(column: TextColumn): { text: string; ends: number[] } {
  return { text: column.text, ends: Array.from(column.ends) };
}

function expectHolds(column: TextColumn, values: readonly string[]): void {
  expect(column.ends).toBeInstanceOf(Uint32Array);
  expect(plain(column)).toEqual({ text: values.join('\n'), ends: oracleEnds(values) });
}

function oracleContaining(values: readonly string[], needle: string): number[] {
  const lowerNeedle = needle.toLowerCase();
  return values.map((value) => (value.toLowerCase().includes(lowerNeedle) ? 1 : 0));
}

const withoutLineFeeds = (value: string): string => value.replaceAll('\n', '');

/**
 * Letters whose lower case needs care: accents, 'ß' (no single upper case), sigma
 * (lower-cases by context), an emoji (a surrogate pair). 'İ' is kept apart: it is the
 * one letter whose lower case is longer, and it switches entriesContaining to
 * its per-entry path.
 */
const sameLengthLetters = ['a', 'A', 'b', 'B', 'É', 'é', 'ß', 'S', 'Σ', 'σ', 'ς', 'Ο', '😀', ' '];
const sameLengthEntry = fc.string({ unit: fc.constantFrom(...sameLengthLetters), maxLength: 6 });

const entry = fc
  .oneof(
    fc.constantFrom('', 'a', 'A', 'É', 'é', 'İ', 'i', 'ß', 'SS', 'Σ', '😀', 'x y', '\r'),
    sameLengthEntry,
    fc.string({ unit: fc.constantFrom(...sameLengthLetters, 'İ', 'i'), maxLength: 6 }),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
    // Lone surrogates included: a column is UTF-16 text, not necessarily well-formed.
    fc.string({ unit: 'binary', maxLength: 6 }),
  )
  .map(withoutLineFeeds);

const entries = fc.array(entry, { maxLength: 30 });

/** Values with 0 <= from <= to <= values.length. */
const entriesAndRange = entries.chain((values) =>
  fc
    .tuple(fc.nat(values.length), fc.nat(values.length))
    .map(([x, y]) => ({ values, from: Math.min(x, y), to: Math.max(x, y) })),
);

describe('textColumnOf and its readers', () => {
  it.each<{ name: string; values: string[]; text: string; ends: number[] }>([
    { name: 'no entries', values: [], text: '', ends: [] },
    { name: 'one empty entry', values: [''], text: '', ends: [0] },
    { name: 'several empty entries', values: ['', '', ''], text: '\n\n', ends: [0, 1, 2] },
    {
      name: 'empty entries around others',
      values: ['', 'ab', ''],
      text: '\nab\n',
      ends: [0, 3, 4],
    },
    { name: 'one entry', values: ['abc'], text: 'abc', ends: [3] },
    { name: 'surrogate pairs count twice', values: ['😀', 'É'], text: '😀\nÉ', ends: [2, 4] },
    {
      name: 'a carriage return is an ordinary character',
      values: ['a\r', 'b'],
      text: 'a\r\nb',
      ends: [2, 4],
    },
  ])('$name', ({ values, text, ends }) => {
    const column = textColumnOf(values);
    expect(plain(column)).toEqual({ text, ends });
    expect(columnLength(column)).toBe(values.length);
    expect(textColumnToArray(column)).toEqual(values);
    values.forEach((value, i) => expect(textAt(column, i)).toBe(value));
  });

  it.each<{ name: string; values: string[] }>([
    { name: 'a line feed inside an entry', values: ['a\nb'] },
    { name: 'a line feed at the end of a later entry', values: ['a', 'b\n'] },
    { name: 'an entry that is only a line feed', values: ['\n'] },
    { name: 'a line feed among empty entries', values: ['', '\n', ''] },
  ])('throws on $name', ({ values }) => {
    expect(() => textColumnOf(values)).toThrow(/line feed/);
  });

  it.each<{ name: string; values: string[]; i: number }>([
    { name: 'before the first entry', values: ['a', 'b'], i: -1 },
    { name: 'just past the last entry', values: ['a', 'b'], i: 2 },
    { name: 'far past the last entry', values: ['a', 'b'], i: 100 },
    { name: 'in an empty column', values: [], i: 0 },
  ])('textAt is empty $name', ({ values, i }) => {
    expect(textAt(textColumnOf(values), i)).toBe('');
  });

  it('keeps an empty entry apart from no entry', () => {
    expect(textColumnToArray(textColumnOf([]))).toEqual([]);
    expect(textColumnToArray(textColumnOf(['']))).toEqual(['']);
    expect(columnLength(textColumnOf(['']))).toBe(1);
  });

  it('the empty column holds nothing and cannot be changed', () => {
    expect(plain(EMPTY_TEXT_COLUMN)).toEqual({ text: '', ends: [] });
    expect(columnLength(EMPTY_TEXT_COLUMN)).toBe(0);
    expect(Object.isFrozen(EMPTY_TEXT_COLUMN)).toBe(true);
    expect(textColumnToArray(EMPTY_TEXT_COLUMN)).toEqual([]);
  });

  it('round-trips any entries through every reader', () => {
    fc.assert(
      fc.property(entries, (values) => {
        const column = textColumnOf(values);
        expectHolds(column, values);
        expect(columnLength(column)).toBe(values.length);
        expect(textColumnToArray(column)).toEqual(values);
        values.forEach((value, i) => {
          expect(textAt(column, i)).toBe(value);
          expect(startOf(column, i)).toBe(i === 0 ? 0 : values.slice(0, i).join('\n').length + 1);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('survives structuredClone', () => {
    fc.assert(
      fc.property(entries, (values) => {
        const clone = structuredClone(textColumnOf(values));
        expectHolds(clone, values);
        expect(textColumnToArray(clone)).toEqual(values);
      }),
      { numRuns: 50 },
    );
  });
});

describe('textColumnFromJoined', () => {
  it.each<{ name: string; joined: string; count: number; expected: string[] | null }>([
    { name: 'an empty text as no entries', joined: '', count: 0, expected: [] },
    { name: 'an empty text as one empty entry', joined: '', count: 1, expected: [''] },
    { name: 'an empty text as two entries', joined: '', count: 2, expected: null },
    { name: 'two lines as one entry', joined: 'a\nb', count: 1, expected: null },
    { name: 'two lines as three entries', joined: 'a\nb', count: 3, expected: null },
    { name: 'text as no entries', joined: 'a', count: 0, expected: null },
    { name: 'a lone line feed as no entries', joined: '\n', count: 0, expected: null },
    { name: 'two lines', joined: 'a\nb', count: 2, expected: ['a', 'b'] },
    { name: 'a lone line feed as two empty entries', joined: '\n', count: 2, expected: ['', ''] },
    {
      name: 'two line feeds as three empty entries',
      joined: '\n\n',
      count: 3,
      expected: ['', '', ''],
    },
    { name: 'a trailing empty entry', joined: 'a\n', count: 2, expected: ['a', ''] },
    { name: 'a leading empty entry', joined: '\nb', count: 2, expected: ['', 'b'] },
    { name: 'unicode', joined: 'İ\nß\n😀', count: 3, expected: ['İ', 'ß', '😀'] },
  ])('reads $name', ({ joined, count, expected }) => {
    const column = textColumnFromJoined(joined, count);
    if (expected === null) {
      expect(column).toBeNull();
    } else {
      expect(column).not.toBeNull();
      expectHolds(column as TextColumn, expected);
    }
  });

  it('equals textColumnOf for the right count', () => {
    fc.assert(
      fc.property(entries, (values) => {
        const column = textColumnFromJoined(values.join('\n'), values.length);
        expect(column).not.toBeNull();
        expectHolds(column as TextColumn, values);
      }),
      { numRuns: 300 },
    );
  });

  it('returns null for any other count', () => {
    const valuesAndWrongCount = fc.array(entry, { minLength: 1, maxLength: 20 }).chain((values) =>
      fc
        .nat(values.length + 5)
        // An empty text is both no entries and one empty entry.
        .filter((count) => count !== values.length && !(count === 0 && values.join('\n') === ''))
        .map((count) => ({ values, count })),
    );
    fc.assert(
      fc.property(valuesAndWrongCount, ({ values, count }) => {
        expect(textColumnFromJoined(values.join('\n'), count)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});

describe('joinedRange and sliceTextColumn', () => {
  const values = ['', 'ab', 'É', '', 'c😀'];

  it.each<{ name: string; from: number; to: number; expected: string[] }>([
    { name: 'everything', from: 0, to: 5, expected: values },
    { name: 'nothing at the start', from: 0, to: 0, expected: [] },
    { name: 'nothing at the end', from: 5, to: 5, expected: [] },
    { name: 'a backwards range', from: 3, to: 1, expected: [] },
    { name: 'the first entry, empty', from: 0, to: 1, expected: [''] },
    { name: 'an empty entry in the middle', from: 3, to: 4, expected: [''] },
    { name: 'a middle run', from: 1, to: 4, expected: ['ab', 'É', ''] },
    { name: 'the last entry', from: 4, to: 5, expected: ['c😀'] },
  ])('$name', ({ from, to, expected }) => {
    const column = textColumnOf(values);
    expect(joinedRange(column, from, to)).toBe(expected.join('\n'));
    expectHolds(sliceTextColumn(column, from, to), expected);
  });

  it('joinedRange equals the joined slice of the entries', () => {
    fc.assert(
      fc.property(entriesAndRange, ({ values, from, to }) => {
        expect(joinedRange(textColumnOf(values), from, to)).toBe(values.slice(from, to).join('\n'));
      }),
      { numRuns: 300 },
    );
  });

  it('sliceTextColumn equals the column of the sliced entries and leaves its source alone', () => {
    fc.assert(
      fc.property(entriesAndRange, ({ values, from, to }) => {
        const column = textColumnOf(values);
        const slice = sliceTextColumn(column, from, to);
        expectHolds(slice, values.slice(from, to));
        expect(textColumnToArray(slice)).toEqual(values.slice(from, to));
        // The slice rebases its ends; doing so on a view would shift the source's.
        expectHolds(column, values);
      }),
      { numRuns: 300 },
    );
  });

  it('a slice of a slice equals the slice of the entries', () => {
    const nested = entriesAndRange.chain(({ values, from, to }) =>
      fc
        .tuple(fc.nat(to - from), fc.nat(to - from))
        .map(([x, y]) => ({ values, from, to, inner: Math.min(x, y), innerTo: Math.max(x, y) })),
    );
    fc.assert(
      fc.property(nested, ({ values, from, to, inner, innerTo }) => {
        const slice = sliceTextColumn(textColumnOf(values), from, to);
        expectHolds(
          sliceTextColumn(slice, inner, innerTo),
          values.slice(from, to).slice(inner, innerTo),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('sameTexts', () => {
  function built(values: string[]): TextColumn {
    const builder = new TextColumnBuilder();
    for (const value of values) builder.push(value);
    return builder.build();
  }
  function paged(values: string[]): TextColumn {
    const pages = new TextColumnPages(values.length);
    // The last entry first, so that the pages are put out of order.
    if (values.length > 0) {
      pages.put(values.length - 1, 1, values[values.length - 1] as string);
      pages.put(0, values.length - 1, values.slice(0, -1).join('\n'));
    }
    return pages.build();
  }

  const abc = textColumnOf(['a', 'b', 'c']);

  it.each<{ name: string; a: TextColumn; b: TextColumn; expected: boolean }>([
    { name: 'the same object', a: abc, b: abc, expected: true },
    {
      name: 'textColumnOf and textColumnFromJoined',
      a: textColumnOf(['a', 'b']),
      b: textColumnFromJoined('a\nb', 2) as TextColumn,
      expected: true,
    },
    { name: 'textColumnOf and a builder', a: abc, b: built(['a', 'b', 'c']), expected: true },
    { name: 'textColumnOf and pages', a: abc, b: paged(['a', 'b', 'c']), expected: true },
    {
      name: 'a slice and its entries',
      a: sliceTextColumn(abc, 1, 3),
      b: textColumnOf(['b', 'c']),
      expected: true,
    },
    {
      name: 'the empty column and no entries',
      a: EMPTY_TEXT_COLUMN,
      b: textColumnOf([]),
      expected: true,
    },
    {
      name: 'no entries and one empty entry (both text "")',
      a: textColumnOf([]),
      b: textColumnOf(['']),
      expected: false,
    },
    {
      name: 'one and two empty entries',
      a: textColumnOf(['']),
      b: textColumnOf(['', '']),
      expected: false,
    },
    {
      name: 'the same length, the line feed elsewhere',
      a: textColumnOf(['ab', 'c']),
      b: textColumnOf(['a', 'bc']),
      expected: false,
    },
    {
      name: 'the same length, other letters',
      a: textColumnOf(['ab']),
      b: textColumnOf(['ba']),
      expected: false,
    },
    { name: 'a different case', a: textColumnOf(['a']), b: textColumnOf(['A']), expected: false },
    { name: 'a prefix of the entries', a: textColumnOf(['a', 'b']), b: abc, expected: false },
    {
      // Only a malformed column can share text and count with another and end elsewhere.
      name: 'the same text and count with other ends',
      a: { text: 'a\nb', ends: Uint32Array.from([1, 3]) },
      b: { text: 'a\nb', ends: Uint32Array.from([0, 3]) },
      expected: false,
    },
  ])('$name: $expected', ({ a, b, expected }) => {
    expect(sameTexts(a, b)).toBe(expected);
    expect(sameTexts(b, a)).toBe(expected);
  });

  // A small alphabet and short arrays, so that equal pairs come up often.
  const few = fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'É'), maxLength: 2 }), {
    maxLength: 4,
  });

  it('is true exactly when the entries are equal', () => {
    fc.assert(
      fc.property(few, few, (a, b) => {
        const equal = a.length === b.length && a.every((value, i) => value === b[i]);
        expect(sameTexts(textColumnOf(a), textColumnOf(b))).toBe(equal);
      }),
      { numRuns: 500 },
    );
  });

  it('holds between columns of the same entries built every way', () => {
    fc.assert(
      fc.property(entries, (values) => {
        const column = textColumnOf(values);
        expect(sameTexts(column, built(values))).toBe(true);
        expect(sameTexts(column, paged(values))).toBe(true);
        expect(
          sameTexts(column, textColumnFromJoined(values.join('\n'), values.length) as TextColumn),
        ).toBe(true);
        expect(
          sameTexts(
            column,
            sliceTextColumn(textColumnOf(['x', ...values, 'y']), 1, values.length + 1),
          ),
        ).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('entryEquals', () => {
  it.each<{
    name: string;
    values: string[];
    i: number;
    text: string;
    start: number;
    end: number;
    expected: boolean;
  }>([
    {
      name: 'an entry inside a longer text',
      values: ['x', 'abc'],
      i: 1,
      text: 'zabcz',
      start: 1,
      end: 4,
      expected: true,
    },
    {
      name: 'the whole text',
      values: ['abc'],
      i: 0,
      text: 'abc',
      start: 0,
      end: 3,
      expected: true,
    },
    {
      name: 'a prefix of the entry',
      values: ['abc'],
      i: 0,
      text: 'abc',
      start: 0,
      end: 2,
      expected: false,
    },
    {
      name: 'a longer range',
      values: ['ab'],
      i: 0,
      text: 'abc',
      start: 0,
      end: 3,
      expected: false,
    },
    { name: 'another case', values: ['A'], i: 0, text: 'a', start: 0, end: 1, expected: false },
    {
      name: 'an empty entry and an empty range',
      values: ['a', '', 'b'],
      i: 1,
      text: 'xyz',
      start: 2,
      end: 2,
      expected: true,
    },
    {
      name: 'an empty entry and a letter',
      values: [''],
      i: 0,
      text: 'a',
      start: 0,
      end: 1,
      expected: false,
    },
    {
      name: 'a letter and an empty range',
      values: ['a'],
      i: 0,
      text: 'a',
      start: 1,
      end: 1,
      expected: false,
    },
    {
      name: 'the last entry',
      values: ['a', 'b', 'c😀'],
      i: 2,
      text: 'c😀',
      start: 0,
      end: 3,
      expected: true,
    },
    {
      name: 'half a surrogate pair',
      values: ['😀'],
      i: 0,
      text: '😀',
      start: 0,
      end: 1,
      expected: false,
    },
    {
      name: 'the same letters in the next entry',
      values: ['ab', 'cd'],
      i: 0,
      text: 'cd',
      start: 0,
      end: 2,
      expected: false,
    },
  ])('$name: $expected', ({ values, i, text, start, end, expected }) => {
    expect(entryEquals(textColumnOf(values), i, text, start, end)).toBe(expected);
  });

  it('equals comparing the entry with the slice', () => {
    const cases = fc.array(entry, { minLength: 1, maxLength: 20 }).chain((values) =>
      fc
        .record({
          i: fc.nat(values.length - 1),
          prefix: fc.string({ maxLength: 3 }),
          middle: fc.oneof(fc.constantFrom(...values), entry),
          suffix: fc.string({ maxLength: 3 }),
          // Most of the time the range is exactly the middle; sometimes one off.
          startShift: fc.constantFrom(0, 0, 0, -1, 1),
          endShift: fc.constantFrom(0, 0, 0, -1, 1),
        })
        .map(({ i, prefix, middle, suffix, startShift, endShift }) => {
          const text = prefix + middle + suffix;
          const start = Math.min(text.length, Math.max(0, prefix.length + startShift));
          const end = Math.min(
            text.length,
            Math.max(start, prefix.length + middle.length + endShift),
          );
          return { values, i, text, start, end };
        }),
    );
    fc.assert(
      fc.property(cases, ({ values, i, text, start, end }) => {
        expect(entryEquals(textColumnOf(values), i, text, start, end)).toBe(
          values[i] === text.slice(start, end),
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('entryAtOffset', () => {
  /** For each offset 0..text.length, the entry it lies in; a line feed goes with the entry before it. */
  function oracleEntryAt(values: readonly string[]): number[] {
    return values.flatMap((value, i) => Array<number>(value.length + 1).fill(i));
  }

  it.each<{ name: string; values: string[]; expected: number[] }>([
    { name: 'one empty entry', values: [''], expected: [0] },
    { name: 'several empty entries', values: ['', '', ''], expected: [0, 1, 2] },
    { name: 'letters and their line feeds', values: ['ab', 'c'], expected: [0, 0, 0, 1, 1] },
    { name: 'an empty entry between', values: ['a', '', 'b'], expected: [0, 0, 1, 2, 2] },
    { name: 'a trailing empty entry', values: ['a', ''], expected: [0, 0, 1] },
  ])('$name', ({ values, expected }) => {
    const column = textColumnOf(values);
    const found = Array.from({ length: column.text.length + 1 }, (_, at) =>
      entryAtOffset(column, at),
    );
    expect(found).toEqual(expected);
    expect(oracleEntryAt(values)).toEqual(expected);
  });

  it('maps every offset of the text to the entry holding it', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 40 }), (values) => {
        const column = textColumnOf(values);
        const found = Array.from({ length: column.text.length + 1 }, (_, at) =>
          entryAtOffset(column, at),
        );
        expect(found).toEqual(oracleEntryAt(values));
      }),
      { numRuns: 300 },
    );
  });
});

describe('entriesContaining', () => {
  it.each<{ name: string; values: string[]; needle: string; expected: number[] }>([
    { name: 'an empty column', values: [], needle: 'a', expected: [] },
    { name: 'an empty column and an empty needle', values: [], needle: '', expected: [] },
    {
      name: 'an empty needle matches every entry',
      values: ['a', '', 'b'],
      needle: '',
      expected: [1, 1, 1],
    },
    { name: 'an empty needle matches one empty entry', values: [''], needle: '', expected: [1] },
    { name: 'a letter in one empty entry', values: [''], needle: 'a', expected: [0] },
    {
      name: 'a letter in several empty entries',
      values: ['', '', ''],
      needle: 'a',
      expected: [0, 0, 0],
    },
    {
      name: 'a lone line feed matches nothing',
      values: ['a', 'b'],
      needle: '\n',
      expected: [0, 0],
    },
    {
      name: 'a needle across two entries matches neither',
      values: ['a', 'b'],
      needle: 'a\nb',
      expected: [0, 0],
    },
    { name: 'a needle across two empty entries', values: ['', ''], needle: '\n', expected: [0, 0] },
    {
      name: 'letters on both sides of a line feed',
      values: ['ab', 'cd'],
      needle: 'bc',
      expected: [0, 0],
    },
    {
      name: 'ignoring case both ways',
      values: ['Apple', 'banana', 'CHERRY'],
      needle: 'aN',
      expected: [0, 1, 0],
    },
    {
      name: 'an upper-case needle',
      values: ['Apple', 'banana', 'CHERRY'],
      needle: 'A',
      expected: [1, 1, 0],
    },
    {
      name: 'several matches in one entry, then the next',
      values: ['aXa', 'b', 'a'],
      needle: 'a',
      expected: [1, 0, 1],
    },
    {
      name: 'a match at the very start and end',
      values: ['ab', 'x', 'yab'],
      needle: 'ab',
      expected: [1, 0, 1],
    },
    { name: 'the whole entry', values: ['ab', 'abc'], needle: 'ABC', expected: [0, 1] },
    {
      name: 'a needle longer than every entry',
      values: ['ab', 'cd'],
      needle: 'abcd',
      expected: [0, 0],
    },
    { name: 'accented letters', values: ['CAFÉ', 'cafe'], needle: 'café', expected: [1, 0] },
    {
      name: 'no case folding of ß',
      values: ['straße', 'STRASSE'],
      needle: 'STRASSE',
      expected: [0, 1],
    },
    { name: 'an emoji', values: ['a😀', '😀', 'b'], needle: '😀', expected: [1, 1, 0] },
    { name: 'half a surrogate pair', values: ['😀', 'x'], needle: '\ud83d', expected: [1, 0] },
    // Σ is lower-cased by context; the line feed must keep each entry's own context.
    {
      name: 'a final sigma before a line feed',
      values: ['ΟΔΟΣ', 'ΣΑ'],
      needle: 'ΟΔΟΣ',
      expected: [1, 0],
    },
    { name: 'a sigma after a line feed', values: ['ΟΔΟΣ', 'ΣΑ'], needle: 'σα', expected: [0, 1] },
    // 'İ' lower-cases to 'i' and a combining dot: the text grows, and each entry is
    // lower-cased alone.
    {
      name: 'a dotted capital I',
      values: ['İstanbul', 'istanbul', 'ISTANBUL'],
      needle: 'istanbul',
      expected: [0, 1, 1],
    },
    {
      name: 'a dotted capital I as the needle',
      values: ['İstanbul', 'istanbul', 'i\u0307x'],
      needle: 'İ',
      expected: [1, 0, 1],
    },
    {
      name: 'letters after a dotted capital I',
      values: ['İstanbul', 'istanbul'],
      needle: 'STANBUL',
      expected: [1, 1],
    },
    // Lower-cased as one text, 'İİİ\nab\ncd' puts the 'a' three places late, in 'cd'.
    {
      name: 'offsets shifted by a dotted capital I',
      values: ['İİİ', 'ab', 'cd'],
      needle: 'a',
      expected: [0, 1, 0],
    },
    {
      name: 'a dotted capital I in a later entry',
      values: ['ab', 'cd', 'İ'],
      needle: 'c',
      expected: [0, 1, 0],
    },
  ])('$name', ({ values, needle, expected }) => {
    const marks = entriesContaining(textColumnOf(values), needle);
    expect(marks).toBeInstanceOf(Uint8Array);
    expect(Array.from(marks)).toEqual(expected);
    expect(oracleContaining(values, needle)).toEqual(expected);
  });

  /** Needles that often hit: a piece of the joined text (line feeds included), in either case. */
  function needlesFor(values: readonly string[]): fc.Arbitrary<string[]> {
    const joined = values.join('\n');
    const piece = fc
      .tuple(fc.nat(joined.length), fc.integer({ min: 0, max: 4 }), fc.boolean())
      .map(([from, length, upper]) => {
        const cut = joined.slice(from, from + length);
        return upper ? cut.toUpperCase() : cut;
      });
    const loose = fc.string({
      unit: fc.constantFrom(...sameLengthLetters, 'İ', 'i'),
      maxLength: 3,
    });
    return fc.array(fc.oneof(piece, loose), { minLength: 1, maxLength: 5 });
  }

  const sameLengthCases = fc
    .array(sameLengthEntry, { maxLength: 25 })
    .chain((values) => needlesFor(values).map((needles) => ({ values, needles })));

  // At least one 'İ' somewhere, so that lower-casing the text changes its length.
  const growingCases = fc
    .tuple(fc.array(sameLengthEntry, { minLength: 1, maxLength: 25 }), fc.nat(), fc.nat())
    .map(([values, at, within]) => {
      const i = at % values.length;
      const value = values[i] as string;
      const cut = within % (value.length + 1);
      return values.map((v, k) => (k === i ? value.slice(0, cut) + 'İ' + value.slice(cut) : v));
    })
    .chain((values) => needlesFor(values).map((needles) => ({ values, needles })));

  it('equals lower-casing each entry when lower-casing keeps the length', () => {
    fc.assert(
      fc.property(sameLengthCases, ({ values, needles }) => {
        const column = textColumnOf(values);
        expect(column.text.toLowerCase()).toHaveLength(column.text.length);
        // One column, several needles: later searches reuse what the first one stored.
        for (const needle of needles) {
          expect(Array.from(entriesContaining(column, needle))).toEqual(
            oracleContaining(values, needle),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('equals lower-casing each entry when lower-casing lengthens the text', () => {
    fc.assert(
      fc.property(growingCases, ({ values, needles }) => {
        const column = textColumnOf(values);
        expect(column.text.toLowerCase().length).toBeGreaterThan(column.text.length);
        for (const needle of needles) {
          expect(Array.from(entriesContaining(column, needle))).toEqual(
            oracleContaining(values, needle),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('equals lower-casing each entry for any entries and needles', () => {
    const anyCases = entries.chain((values) =>
      fc
        .array(fc.oneof(entry, fc.string({ unit: 'binary', maxLength: 3 })), {
          minLength: 1,
          maxLength: 3,
        })
        .map((needles) => ({ values, needles })),
    );
    fc.assert(
      fc.property(anyCases, ({ values, needles }) => {
        const column = textColumnOf(values);
        for (const needle of needles) {
          expect(Array.from(entriesContaining(column, needle))).toEqual(
            oracleContaining(values, needle),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the lower-cased text of each column apart', () => {
    // The lower-cased text is remembered per column; a search must not read another's.
    const first = textColumnOf(['İx', 'y']);
    const second = textColumnOf(['ab', 'cd']);
    expect(Array.from(entriesContaining(first, 'y'))).toEqual([0, 1]);
    expect(Array.from(entriesContaining(second, 'c'))).toEqual([0, 1]);
    expect(Array.from(entriesContaining(first, 'x'))).toEqual([1, 0]);
    expect(Array.from(entriesContaining(second, 'B'))).toEqual([1, 0]);
  });
});

describe('TextColumnBuilder', () => {
  type Step =
    | { kind: 'push'; value: string }
    | { kind: 'joined'; values: string[]; typed: boolean }
    | { kind: 'prefix'; values: string[]; rest: string[] }
    | { kind: 'build' };

  const step: fc.Arbitrary<Step> = fc.oneof(
    entry.map((value) => ({ kind: 'push' as const, value })),
    fc.record({
      kind: fc.constant('joined' as const),
      values: fc.array(entry, { maxLength: 6 }),
      typed: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('prefix' as const),
      values: fc.array(entry, { maxLength: 6 }),
      rest: fc.array(entry, { maxLength: 3 }),
    }),
    fc.constant({ kind: 'build' as const }),
  );

  /** Runs the steps; returns what the builder built and, at each build step, the entries so far. */
  function run(steps: readonly Step[]): {
    builds: { column: TextColumn; values: string[] }[];
    builder: TextColumnBuilder;
    values: string[];
  } {
    const builder = new TextColumnBuilder();
    const values: string[] = [];
    const builds: { column: TextColumn; values: string[] }[] = [];
    for (const s of steps) {
      if (s.kind === 'push') {
        builder.push(s.value);
        values.push(s.value);
      } else if (s.kind === 'joined') {
        const lengths = s.values.map((value) => value.length);
        builder.pushJoined(s.values.join('\n'), s.typed ? Uint32Array.from(lengths) : lengths);
        values.push(...s.values);
      } else if (s.kind === 'prefix') {
        builder.pushPrefix(textColumnOf([...s.values, ...s.rest]), s.values.length);
        values.push(...s.values);
      } else {
        builds.push({ column: builder.build(), values: [...values] });
      }
      expect(builder.size).toBe(values.length);
    }
    return { builds, builder, values };
  }

  it.each<{ name: string; steps: Step[]; expected: string[] }>([
    { name: 'nothing', steps: [], expected: [] },
    { name: 'one empty entry', steps: [{ kind: 'push', value: '' }], expected: [''] },
    {
      name: 'several empty entries',
      steps: [
        { kind: 'push', value: '' },
        { kind: 'joined', values: ['', ''], typed: false },
      ],
      expected: ['', '', ''],
    },
    {
      name: 'no joined entries',
      steps: [{ kind: 'joined', values: [], typed: false }],
      expected: [],
    },
    {
      name: 'one joined empty entry',
      steps: [{ kind: 'joined', values: [''], typed: true }],
      expected: [''],
    },
    { name: 'an empty prefix', steps: [{ kind: 'prefix', values: [], rest: ['a'] }], expected: [] },
    {
      name: 'a prefix leaves the rest of its column out',
      steps: [
        { kind: 'push', value: 'x' },
        { kind: 'prefix', values: ['a', ''], rest: ['b', 'c'] },
        { kind: 'push', value: 'y' },
      ],
      expected: ['x', 'a', '', 'y'],
    },
    {
      name: 'pushes after a build',
      steps: [
        { kind: 'push', value: 'a' },
        { kind: 'build' },
        { kind: 'joined', values: ['b', 'É'], typed: false },
        { kind: 'build' },
        { kind: 'push', value: '' },
      ],
      expected: ['a', 'b', 'É', ''],
    },
  ])('builds $name', ({ steps, expected }) => {
    const { builder, values } = run(steps);
    expect(values).toEqual(expected);
    expectHolds(builder.build(), expected);
  });

  it.each<{ name: string; joined: string; lengths: number[] }>([
    { name: 'text for no entries', joined: 'a', lengths: [] },
    { name: 'a lone line feed for no entries', joined: '\n', lengths: [] },
    { name: 'an entry too short', joined: 'ab', lengths: [1] },
    { name: 'an entry too long', joined: 'ab', lengths: [3] },
    { name: 'entries missing', joined: 'a\nb', lengths: [1] },
    { name: 'entries too many', joined: 'a\nb', lengths: [1, 1, 0] },
    { name: 'lengths that miss the second entry', joined: 'a\nbc', lengths: [1, 1] },
    { name: 'an empty text for two entries', joined: '', lengths: [0, 0] },
  ])('pushJoined throws on $name', ({ joined, lengths }) => {
    expect(() => new TextColumnBuilder().pushJoined(joined, lengths)).toThrow(/pushJoined/);
  });

  it.each<{ name: string; joined: string; lengths: number[] }>([
    { name: 'lengths that do not add up', joined: 'ab', lengths: [1] },
    { name: 'an entry that holds a line feed', joined: 'a\nb', lengths: [3] },
    { name: 'entries cut off their line feeds', joined: 'ab\nc', lengths: [1, 2] },
  ])('a pushJoined that throws on $name leaves the builder as it was', ({ joined, lengths }) => {
    const builder = new TextColumnBuilder();
    builder.push('x');
    expect(() => builder.pushJoined(joined, lengths)).toThrow(/pushJoined/);
    builder.push('y');
    expect(builder.size).toBe(2);
    expectHolds(builder.build(), ['x', 'y']);
  });

  it('equals textColumnOf for any mix of push, pushJoined, pushPrefix and build', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const { builds, builder, values } = run(steps);
        expectHolds(builder.build(), values);
        expect(textColumnToArray(builder.build())).toEqual(values);
        // Earlier builds are unchanged by what was pushed after them.
        for (const build of builds) expectHolds(build.column, build.values);
      }),
      { numRuns: 500 },
    );
  });

  it('grows past its first thousand entries, one at a time and in runs', () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? '' : `n${i}`));
    const builder = new TextColumnBuilder();
    for (const value of values.slice(0, 1500)) builder.push(value);
    const run = values.slice(1500, 4000);
    builder.pushJoined(
      run.join('\n'),
      run.map((value) => value.length),
    );
    builder.pushPrefix(textColumnOf(values.slice(4000)), 1000);
    expect(builder.size).toBe(5000);
    expectHolds(builder.build(), values);
  });
});

describe('TextColumnPages', () => {
  /** Page bounds [from, to) covering 0..count, cut at the given places (repeats give empty pages). */
  function pagesAt(values: readonly string[], cuts: readonly number[]) {
    const bounds = [0, ...[...cuts].sort((a, b) => a - b), values.length];
    return bounds.slice(1).map((to, k) => {
      const first = bounds[k] as number;
      return { first, count: to - first, joined: values.slice(first, to).join('\n') };
    });
  }

  const cutsBySize = (count: number) =>
    fc
      .integer({ min: 1, max: count + 1 })
      .map((size) => Array.from({ length: Math.floor(count / size) }, (_, k) => (k + 1) * size));
  const anyCuts = (count: number) => fc.array(fc.nat(count), { maxLength: 8 });

  const shuffledPages = entries.chain((values) =>
    fc.oneof(cutsBySize(values.length), anyCuts(values.length)).chain((cuts) => {
      const pages = pagesAt(values, cuts);
      return fc
        .shuffledSubarray(pages, { minLength: pages.length, maxLength: pages.length })
        .map((shuffled) => ({ values, pages: shuffled }));
    }),
  );

  it.each<{ name: string; values: string[]; pages: [number, number, string][] }>([
    { name: 'no entries, nothing put', values: [], pages: [] },
    { name: 'no entries, an empty page put', values: [], pages: [[0, 0, '']] },
    { name: 'one empty entry', values: [''], pages: [[0, 1, '']] },
    {
      name: 'several empty entries',
      values: ['', '', ''],
      pages: [
        [1, 2, '\n'],
        [0, 1, ''],
      ],
    },
    {
      name: 'pages backwards, with empty pages between',
      values: ['a', 'bc', '', 'd'],
      pages: [
        [3, 1, 'd'],
        [2, 0, ''],
        [1, 2, 'bc\n'],
        [4, 0, ''],
        [0, 1, 'a'],
      ],
    },
  ])('builds $name', ({ values, pages }) => {
    const column = new TextColumnPages(values.length);
    for (const [first, count, joined] of pages) expect(column.put(first, count, joined)).toBe(true);
    expectHolds(column.build(), values);
  });

  it.each<{ name: string; first: number; count: number; joined: string }>([
    { name: 'too few entries', first: 0, count: 2, joined: 'a' },
    { name: 'too many entries', first: 0, count: 1, joined: 'a\nb' },
    { name: 'text for no entries', first: 1, count: 0, joined: 'a' },
    { name: 'an empty text for two entries', first: 0, count: 2, joined: '' },
    { name: 'a page past the end', first: 2, count: 2, joined: 'a\nb' },
    { name: 'a page starting past the end', first: 4, count: 0, joined: '' },
    { name: 'a negative first entry', first: -1, count: 1, joined: 'a' },
  ])('put refuses $name and keeps nothing', ({ first, count, joined }) => {
    const pages = new TextColumnPages(3);
    expect(pages.put(first, count, joined)).toBe(false);
    expect(pages.put(0, 3, 'x\nyz\n')).toBe(true);
    expectHolds(pages.build(), ['x', 'yz', '']);
  });

  it.each<{ name: string; first: number; count: number; joined: string }>([
    { name: 'the same entries', first: 0, count: 2, joined: 'a\nb\nc' },
    { name: 'entries that overlap', first: 1, count: 2, joined: 'q\nr' },
    { name: 'the same entries, well formed', first: 0, count: 2, joined: 'p\nq' },
  ])('put refuses $name a second time and leaves the first page as it was', (second) => {
    const pages = new TextColumnPages(3);
    expect(pages.put(0, 2, 'abc\nd')).toBe(true);
    expect(pages.put(second.first, second.count, second.joined)).toBe(false);
    expect(pages.put(2, 1, 'e')).toBe(true);
    expectHolds(pages.build(), ['abc', 'd', 'e']);
  });

  it('builds the same column again, and leaves the one built before alone', () => {
    const pages = new TextColumnPages(2);
    pages.put(1, 1, 'b');
    pages.put(0, 1, 'a');
    const first = pages.build();
    const second = pages.build();
    expectHolds(first, ['a', 'b']);
    expectHolds(second, ['a', 'b']);
  });

  it('put accepts an empty page at the very end', () => {
    const pages = new TextColumnPages(1);
    expect(pages.put(1, 0, '')).toBe(true);
    expect(pages.put(0, 1, 'a')).toBe(true);
    expectHolds(pages.build(), ['a']);
  });

  it.each<{ name: string; count: number; pages: [number, number, string][] }>([
    { name: 'nothing put', count: 2, pages: [] },
    { name: 'only empty pages put', count: 1, pages: [[0, 0, '']] },
    { name: 'the first entry missing', count: 2, pages: [[1, 1, 'b']] },
    { name: 'the last entry missing', count: 2, pages: [[0, 1, 'a']] },
    {
      name: 'an entry in the middle missing',
      count: 3,
      pages: [
        [2, 1, 'c'],
        [0, 1, 'a'],
      ],
    },
    {
      name: 'a refused page',
      count: 2,
      pages: [
        [0, 1, 'a'],
        [1, 1, 'b\nc'],
      ],
    },
  ])('build throws with $name', ({ count, pages }) => {
    const column = new TextColumnPages(count);
    for (const [first, n, joined] of pages) column.put(first, n, joined);
    expect(() => column.build()).toThrow(/were not put/);
  });

  it('equals textColumnOf for pages of any size put in any order', () => {
    fc.assert(
      fc.property(shuffledPages, ({ values, pages }) => {
        const column = new TextColumnPages(values.length);
        for (const { first, count, joined } of pages) {
          expect(column.put(first, count, joined)).toBe(true);
        }
        expectHolds(column.build(), values);
      }),
      { numRuns: 500 },
    );
  });

  it('throws when any page holding entries is missing', () => {
    const withOneMissing = shuffledPages
      .filter(({ pages }) => pages.some((page) => page.count > 0))
      .chain(({ values, pages }) => {
        const full = pages.filter((page) => page.count > 0);
        return fc
          .nat(full.length - 1)
          .map((k) => ({ values, pages: pages.filter((page) => page !== full[k]) }));
      });
    fc.assert(
      fc.property(withOneMissing, ({ values, pages }) => {
        const column = new TextColumnPages(values.length);
        for (const { first, count, joined } of pages) column.put(first, count, joined);
        expect(() => column.build()).toThrow(/were not put/);
      }),
      { numRuns: 300 },
    );
  });
});
