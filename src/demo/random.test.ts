import { describe, expect, it } from 'vitest';
import { hashSeed } from '../lib/random/seeded-random';
import { Rng } from './random';

const draw = (seed: number | string, n = 8) => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.next());
};

describe('Rng', () => {
  it.each([0, 1, 2026, 0xffffffff, 'demo'])('seed %s: same seed, same sequence', (seed) => {
    expect(draw(seed)).toEqual(draw(seed));
  });

  it('pins the first values of seed 2026 (mulberry32, so they never drift)', () => {
    const rng = new Rng(2026);
    expect([rng.next(), rng.next(), rng.next()]).toEqual([
      0.45540769933722913, 0.30849614599719644, 0.6611574492417276,
    ]);
  });

  it.each([
    [1, 2],
    [2026, 2027],
    ['a', 'b'],
  ])('seeds %s and %s differ', (a, b) => {
    expect(draw(a)).not.toEqual(draw(b));
  });

  it.each([
    [0, 0],
    [1, 6],
    [-3, 3],
    [10, 11],
  ])('int(%i, %i) stays inside, both ends reached', (min, max) => {
    const rng = new Rng(5);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(min, max);
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(min);
      expect(v).toBeLessThanOrEqual(max);
      seen.add(v);
    }
    expect(seen.size).toBe(max - min + 1);
  });

  it('rejects empty ranges and lists', () => {
    const rng = new Rng(1);
    expect(() => rng.int(3, 2)).toThrow(RangeError);
    expect(() => rng.pick([])).toThrow(RangeError);
    expect(() => rng.weighted([['a', 0]])).toThrow(RangeError);
  });

  it.each([0, 0.05, 0.5, 1])('chance(%f) holds its rate', (p) => {
    const rng = new Rng(11);
    let hits = 0;
    for (let i = 0; i < 10000; i++) if (rng.chance(p)) hits++;
    expect(Math.abs(hits / 10000 - p)).toBeLessThan(0.02);
  });

  it('shuffle returns a permutation and leaves the input alone', () => {
    const input = Array.from({ length: 50 }, (_, i) => i);
    const copy = input.slice();
    const out = new Rng(3).shuffle(input);
    expect(input).toEqual(copy);
    expect(out.slice().sort((a, b) => a - b)).toEqual(input);
    expect(out).not.toEqual(input);
    expect(new Rng(3).shuffle(input)).toEqual(out);
  });

  it('pick and weighted choose from the list, by weight', () => {
    const rng = new Rng(9);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 6000; i++) {
      counts[
        rng.weighted([
          ['a', 1],
          ['b', 2],
          ['c', 0],
        ] as const)
      ]++;
    }
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(1.7);
    expect(counts.b / counts.a).toBeLessThan(2.3);
    expect(['x', 'y']).toContain(rng.pick(['x', 'y']));
  });

  it('fork gives independent, reproducible streams', () => {
    const a = new Rng(1).fork('x');
    const b = new Rng(1).fork('x');
    const c = new Rng(1).fork('y');
    expect(a.next()).toBe(b.next());
    expect(draw(1)).not.toContain(c.next());
  });

  it.each(['demo', '12', 1.5])('seed %j draws as its hash', (seed) => {
    expect(draw(seed)).toEqual(draw(hashSeed(seed)));
  });
});
