import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { wilsonInterval } from './intervals';

describe('wilsonInterval', () => {
  // Hand-computed with z = 1.96 (z^2 = 3.8416):
  //   centre = (p + z^2/2n) / (1 + z^2/n),
  //   half   = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2).
  it.each<[string, number, number, number, number, number]>([
    // 5/10: centre 0.5, half 1.416021 * 0.186022 = 0.263411.
    ['half of ten', 5, 10, 0.5, 0.236589, 0.763411],
    // 0/20: centre = half = 0.09604 / 1.19208 = 0.080565.
    ['none of twenty', 0, 20, 0, 0, 0.16113],
    ['all of twenty', 20, 20, 1, 0.83887, 1],
    // 1/1: centre 2.9208 / 4.8416 = 0.603272, half 0.404825 * 0.98 = 0.396728.
    ['one of one', 1, 1, 1, 0.206543, 1],
    // 81/263: centre 0.315288 / 1.014607 = 0.310749, half 1.931783 * 0.028710 = 0.055462.
    ['81 of 263', 81, 263, 81 / 263, 0.255288, 0.366211],
  ])('%s', (_name, successes, trials, share, low, high) => {
    const interval = wilsonInterval(successes, trials);
    expect(interval.share).toBeCloseTo(share, 12);
    expect(interval.low).toBeCloseTo(low, 5);
    expect(interval.high).toBeCloseTo(high, 5);
  });

  it('knows nothing without trials', () => {
    const interval = wilsonInterval(0, 0);
    expect(interval.share).toBeNaN();
    expect(interval.low).toBe(0);
    expect(interval.high).toBe(1);
  });

  it.each<[string, number, number, number | undefined]>([
    ['negative trials', 0, -1, undefined],
    ['successes above trials', 11, 10, undefined],
    ['negative successes', -1, 10, undefined],
    ['NaN successes', Number.NaN, 10, undefined],
    ['zero z', 1, 10, 0],
  ])('rejects %s', (_name, successes, trials, z) => {
    expect(() => wilsonInterval(successes, trials, z)).toThrow(RangeError);
  });

  it('narrows with a smaller z', () => {
    const wide = wilsonInterval(5, 10, 2.576);
    const narrow = wilsonInterval(5, 10, 1.645);
    expect(wide.high - wide.low).toBeGreaterThan(narrow.high - narrow.low);
  });

  it('stays in [0, 1] and contains the share', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 100_000 })
          .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        ([successes, trials]) => {
          const { low, high, share } = wilsonInterval(successes, trials);
          expect(low).toBeGreaterThanOrEqual(0);
          expect(high).toBeLessThanOrEqual(1);
          expect(low).toBeLessThanOrEqual(share);
          expect(high).toBeGreaterThanOrEqual(share);
        },
      ),
    );
  });
});
