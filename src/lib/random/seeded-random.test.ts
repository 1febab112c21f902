import { describe, expect, it } from 'vitest';
import { hashSeed, seededRandom } from './seeded-random';

const draw = (seed: number, n = 1000) => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => random());
};

describe('seededRandom', () => {
  it.each([0, 1, 7, 2026, 0xffffffff])('seed %s: same seed, same sequence, in [0, 1)', (seed) => {
    const xs = draw(seed);
    expect(draw(seed)).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  // Pinned: review sets, assignment plans and the demo dataset are drawn again from
  // their stored seeds, so the sequence may never drift.
  it.each([
    [2026, [0.45540769933722913, 0.30849614599719644, 0.6611574492417276]],
    [0, [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]],
  ])('pins the first values of seed %s', (seed, values) => {
    expect(draw(seed, 3)).toEqual(values);
  });

  it.each([
    [7, 8],
    [1, 2],
    [0, 0xffffffff],
  ])('seeds %s and %s differ', (a, b) => {
    expect(draw(a, 8)).not.toEqual(draw(b, 8));
  });

  it.each([
    [2 ** 32 + 5, 5],
    [-1, 0xffffffff],
    [7.9, 7],
  ])('seed %s is taken as the 32-bit integer %s', (seed, same) => {
    expect(draw(seed, 8)).toEqual(draw(same, 8));
  });
});

describe('hashSeed', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('%j is FNV-1a %i', (text, hash) => {
    expect(hashSeed(text)).toBe(hash);
  });

  it.each([
    [42, '42'],
    [12, '12'],
    [1.5, '1.5'],
  ])('the number %s hashes as the text %j', (n, text) => {
    expect(hashSeed(n)).toBe(hashSeed(text));
  });

  it('tells near texts apart and stays a 32-bit unsigned integer', () => {
    expect(hashSeed('abc')).not.toBe(hashSeed('abd'));
    for (const text of ['x', 'demo:2026', '😀']) {
      const h = hashSeed(text);
      expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff).toBe(true);
    }
  });
});
