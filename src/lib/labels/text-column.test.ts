import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  entryEquals,
  EMPTY_TEXT_COLUMN,
  TextColumnPages,
  columnLength,
  entriesContaining,
  entryAtOffset,
  joinedRange,
  sliceTextColumn,
  startOf,
  textAt,
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

describe('entryEquals', () => {
  const column = textColumnOf(['0001.jpg', '', 'é.jpg', '0001.jpgx']);
  it.each([
    { i: 0, value: '0001.jpg', equal: true },
    { i: 0, value: '0001.jp', equal: false },
    { i: 0, value: '0001.jpgx', equal: false },
    { i: 1, value: '', equal: true },
    { i: 1, value: 'a', equal: false },
    { i: 2, value: 'é.jpg', equal: true },
    { i: 3, value: '0001.jpgx', equal: true },
    { i: 4, value: '', equal: false },
    { i: -1, value: '', equal: false },
  ])('entry $i is $value: $equal', ({ i, value, equal }) => {
    expect(entryEquals(column, i, value)).toBe(equal);
    if (i >= 0 && i < 4) expect(textAt(column, i) === value).toBe(equal);
  });
});
