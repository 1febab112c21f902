import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortIndicesByKey } from './sort-by-key';
import { comparatorSort } from './test-support';

function byRadix(indices: Int32Array, keys: Float32Array, direction: 1 | -1): number[] {
  return Array.from(sortIndicesByKey(indices.slice(), keys, direction));
}

function every(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** Keys from raw bit patterns, e.g. NaNs with the sign bit or another payload. */
function keysOfBits(bits: number[]): Float32Array {
  return new Float32Array(Uint32Array.from(bits).buffer);
}

describe('sortIndicesByKey', () => {
  it.each<[string, number[], number[] | null, number[], number[]]>([
    ['empty', [], [], [], []],
    ['one', [0.5], null, [0], [0]],
    ['ascending numbers', [0.3, 0.1, 0.2], null, [1, 2, 0], [0, 2, 1]],
    ['ties by index in both directions', [0.5, 0.2, 0.5, 0.2], null, [1, 3, 0, 2], [0, 2, 1, 3]],
    ['NaN last in both directions, by index', [NaN, 1, NaN, 0], null, [3, 1, 0, 2], [1, 3, 0, 2]],
    ['only NaNs', [NaN, NaN, NaN], null, [0, 1, 2], [0, 1, 2]],
    ['-0 equals +0', [0, -0, 0, -0], null, [0, 1, 2, 3], [0, 1, 2, 3]],
    ['-0 and +0 among others', [-0, -1, 0, 1], null, [1, 0, 2, 3], [3, 0, 2, 1]],
    [
      'infinities, ties by index',
      [Infinity, -Infinity, 0, Infinity, -Infinity],
      null,
      [1, 4, 2, 0, 3],
      [0, 3, 2, 1, 4],
    ],
    [
      'negatives, subnormals and extremes',
      [-3.4e38, -1e-45, 1e-45, 3.4e38, -2, 2],
      null,
      [0, 4, 1, 2, 5, 3],
      [3, 5, 2, 1, 4, 0],
    ],
    ['a subset of the indices', [9, 0.1, 9, 0.3, 0.2], [1, 3, 4], [1, 4, 3], [3, 4, 1]],
    ['indices out of order come back by index on ties', [1, 1, 0], [2, 1, 0], [2, 0, 1], [0, 1, 2]],
  ])('%s', (_, values, subset, ascending, descending) => {
    const keys = Float32Array.from(values);
    const indices = subset ? Int32Array.from(subset) : every(keys.length);
    expect(byRadix(indices, keys, 1)).toEqual(ascending);
    expect(byRadix(indices, keys, -1)).toEqual(descending);
    expect(comparatorSort(indices, keys, 1)).toEqual(ascending);
    expect(comparatorSort(indices, keys, -1)).toEqual(descending);
  });

  it('treats every NaN bit pattern as NaN', () => {
    // 1, -NaN with a payload, -1, a signalling NaN, +Infinity, -Infinity.
    const keys = keysOfBits([
      0x3f800000, 0xffc00001, 0xbf800000, 0x7f800001, 0x7f800000, 0xff800000,
    ]);
    const indices = every(keys.length);
    expect(byRadix(indices, keys, 1)).toEqual([5, 2, 0, 4, 1, 3]);
    expect(byRadix(indices, keys, -1)).toEqual([4, 0, 2, 5, 1, 3]);
    expect(comparatorSort(indices, keys, 1)).toEqual([5, 2, 0, 4, 1, 3]);
  });

  it('sorts in place and returns the same array', () => {
    const indices = every(3);
    expect(sortIndicesByKey(indices, Float32Array.from([3, 2, 1]))).toBe(indices);
    expect(Array.from(indices)).toEqual([2, 1, 0]);
  });

  it('reads keys through a subarray view', () => {
    const keys = Float32Array.from([7, 7, 0.3, 0.1, NaN, 0.2]).subarray(2);
    expect(Array.from(sortIndicesByKey(every(4), keys))).toEqual([1, 3, 0, 2]);
  });

  it('sorts keys that share every digit of a pass (skipped passes) and that differ in all', () => {
    // 1 and 1 + 2^-23 differ in the lowest bit only; 2^-126 .. 2^127 differ in the high bits.
    const keys = Float32Array.from([1 + 2 ** -23, 1, 2 ** 127, 2 ** -126, 1, -(2 ** -126)]);
    const indices = every(keys.length);
    expect(byRadix(indices, keys, 1)).toEqual(comparatorSort(indices, keys, 1));
    expect(byRadix(indices, keys, -1)).toEqual(comparatorSort(indices, keys, -1));
  });

  const special = fc.constantFrom(NaN, -0, 0, Infinity, -Infinity, 1, -1, 0.5);
  // fc.float: any 32-bit float, NaN, ±0, ±Infinity and subnormals included.
  const key = fc.oneof(special, fc.float(), fc.float({ min: 0, max: 1, noNaN: true }));
  const keysAndIndices = fc
    .array(key, { maxLength: 300 })
    .chain((values) =>
      fc.tuple(
        fc.constant(Float32Array.from(values)),
        values.length === 0
          ? fc.constant<number[]>([])
          : fc.oneof(
              fc.constant(values.map((_, i) => i)),
              fc.subarray(values.map((_, i) => i)),
              fc.array(fc.nat(values.length - 1), { maxLength: 300 }),
            ),
        fc.constantFrom<1 | -1>(1, -1),
      ),
    );

  it('equals the comparator sort on random keys (NaN, ±0, ±Infinity, duplicates)', () => {
    fc.assert(
      fc.property(keysAndIndices, ([keys, list, direction]) => {
        const indices = Int32Array.from(list);
        expect(byRadix(indices, keys, direction)).toEqual(comparatorSort(indices, keys, direction));
      }),
      { numRuns: 500 },
    );
  });

  it('equals the comparator sort on many duplicates of a few values', () => {
    const fewValues = fc
      .array(fc.constantFrom(NaN, -0, 0, 0.25, 0.75, 1, -Infinity), {
        minLength: 1,
        maxLength: 2000,
      })
      .map((values) => Float32Array.from(values));
    fc.assert(
      fc.property(fewValues, fc.constantFrom<1 | -1>(1, -1), (keys, direction) => {
        const indices = every(keys.length);
        expect(byRadix(indices, keys, direction)).toEqual(comparatorSort(indices, keys, direction));
      }),
      { numRuns: 100 },
    );
  });
});
