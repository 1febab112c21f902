import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  cohensKappa,
  cohensKappaDetail,
  ekmanFriesen,
  f1,
  f1Detail,
  fleissKappa,
  krippendorffAlpha,
  macroF1,
  type BinaryRating,
} from './agreement';

const _ = null;
const repeat = (value: BinaryRating, times: number): BinaryRating[] =>
  new Array<BinaryRating>(times).fill(value);

describe('ekmanFriesen', () => {
  it.each<[string, number[], number[], number]>([
    // Reference section 6: 2 x 3 / (5 + 3).
    ['reference example 1+2+5+6+12 vs 5+6+12', [1, 2, 5, 6, 12], [5, 6, 12], 0.75],
    ['identical', [1, 2, 25], [25, 2, 1], 1],
    ['disjoint', [1, 2], [4, 15], 0],
    ['one empty', [12], [], 0],
    ['both empty: agreement by convention', [], [], 1],
    ['duplicates counted once', [12, 12, 25], [12], 2 / 3],
    ['half overlap', [1, 2], [2, 4], 0.5],
  ])('%s', (_name, a, b, expected) => {
    expect(ekmanFriesen(a, b)).toBeCloseTo(expected, 12);
  });

  const auSet = fc.uniqueArray(fc.integer({ min: 1, max: 64 }), { maxLength: 12 });

  it('is symmetric and within [0, 1]', () => {
    fc.assert(
      fc.property(auSet, auSet, (a, b) => {
        const ab = ekmanFriesen(a, b);
        expect(ab).toBe(ekmanFriesen(b, a));
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('is 1 exactly for equal sets', () => {
    fc.assert(
      fc.property(auSet, (a) => {
        expect(ekmanFriesen(a, [...a].reverse())).toBe(1);
      }),
    );
  });
});

describe('cohensKappa', () => {
  // Wikipedia "Cohen's kappa", worked example: 50 proposals, A yes/B yes 20,
  // A yes/B no 5, A no/B yes 10, both no 15. po = 0.7, pe = 0.5, kappa = 0.4.
  const wikiA: BinaryRating[] = [
    ...repeat(1, 20),
    ...repeat(1, 5),
    ...repeat(0, 10),
    ...repeat(0, 15),
  ];
  const wikiB: BinaryRating[] = [
    ...repeat(1, 20),
    ...repeat(0, 5),
    ...repeat(1, 10),
    ...repeat(0, 15),
  ];

  it('matches the Wikipedia worked example (kappa 0.4)', () => {
    const detail = cohensKappaDetail(wikiA, wikiB);
    expect(detail.n).toBe(50);
    expect(detail.po).toBeCloseTo(0.7, 12);
    expect(detail.pe).toBeCloseTo(0.5, 12);
    expect(detail.kappa).toBeCloseTo(0.4, 12);
  });

  it.each<[string, BinaryRating[], BinaryRating[], number]>([
    ['perfect agreement', [1, 0, 1, 0], [1, 0, 1, 0], 1],
    ['perfect disagreement, balanced', [1, 0, 1, 0], [0, 1, 0, 1], -1],
    ['pairs with a null skipped', [1, 0, _, 1, 0], [1, 0, 1, _, 0], 1],
    ['both constant and opposite: kappa 0', [1, 1, 1], [0, 0, 0], 0],
    ['both constant and equal: undefined (NaN)', [0, 0, 0], [0, 0, 0], NaN],
    ['nothing rated by both: undefined (NaN)', [1, _], [_, 0], NaN],
    ['empty: undefined (NaN)', [], [], NaN],
  ])('%s', (_name, a, b, expected) => {
    if (Number.isNaN(expected)) expect(cohensKappa(a, b)).toBeNaN();
    else expect(cohensKappa(a, b)).toBeCloseTo(expected, 12);
  });

  it('throws on lists of different length (a bug)', () => {
    expect(() => cohensKappa([1], [1, 0])).toThrow(RangeError);
  });

  it('is 1 for identical non-constant ratings', () => {
    const ratings = fc
      .array(fc.constantFrom<0 | 1>(0, 1), { minLength: 2, maxLength: 40 })
      .filter((r) => r.includes(0) && r.includes(1));
    fc.assert(
      fc.property(ratings, (r) => {
        expect(cohensKappa(r, r)).toBeCloseTo(1, 12);
      }),
    );
  });
});

describe('krippendorffAlpha (nominal)', () => {
  // Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg
  // School for Communication, University of Pennsylvania.
  // Example A, binary data, two observers, no missing data (10 units):
  // coincidences o00 = 10, o01 = o10 = 4, o11 = 2; n0 = 14, n1 = 6, n = 20;
  // alpha = 1 - (n - 1) o01 / (n0 n1) = 1 - 19 x 4 / 84 = 0.095.
  const binary = [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
  ];
  // Example B, nominal data, two observers, no missing data (values a-e as 1-5): alpha = 0.692.
  const twoObservers = [
    [1, 1, 2, 2, 4, 3, 3, 3, 5, 4, 4, 1],
    [2, 1, 2, 2, 2, 3, 3, 3, 5, 4, 4, 4],
  ];
  // Example C, any number of observers, missing data: 4 observers x 12 units. Unit 12
  // has one value (not pairable), so n = 40 pairable values; nominal alpha = 0.743.
  const fourObservers = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
  ];

  it.each<[string, (number | null)[][], number, number]>([
    ['Krippendorff 2011 example A (binary): 0.095', binary, 0.095, 3],
    ['exactly 1 - 76/84', binary, 1 - 76 / 84, 12],
    ['Krippendorff 2011 example B (two observers): 0.692', twoObservers, 0.692, 3],
    ['Krippendorff 2011 example C (4 x 12, missing): 0.743', fourObservers, 0.743, 3],
    [
      'perfect agreement with missing values',
      [
        [1, 2, _, 3],
        [1, 2, 4, _],
        [_, 2, 4, 3],
      ],
      1,
      12,
    ],
  ])('%s', (_name, data, expected, digits) => {
    expect(krippendorffAlpha(data, 'nominal')).toBeCloseTo(expected, digits);
  });

  it.each<[string, (number | null)[][]]>([
    [
      'no variation at all',
      [
        [1, 1, 1],
        [1, 1, 1],
      ],
    ],
    [
      'no pairable unit',
      [
        [1, _, 2],
        [_, 3, _],
      ],
    ],
    ['no coders', []],
  ])('undefined (NaN): %s', (_name, data) => {
    expect(krippendorffAlpha(data)).toBeNaN();
  });

  it('differs from Cohen kappa on the same data only by its small-sample correction', () => {
    // Example A as Cohen's 2x2 table: po = 6/10, pe = 0.2 x 0.4 + 0.8 x 0.6 = 0.56,
    // kappa = 0.04 / 0.44 = 0.091, against alpha = 0.095.
    const k = cohensKappa(binary[0] as BinaryRating[], binary[1] as BinaryRating[]);
    expect(k).toBeCloseTo(0.04 / 0.44, 12);
    expect(krippendorffAlpha(binary)).toBeGreaterThan(k);
  });

  it('is 1 for perfect agreement whenever values vary', () => {
    const units = fc
      .array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 20 })
      .filter((u) => new Set(u).size > 1);
    const coders = fc.integer({ min: 2, max: 5 });
    fc.assert(
      fc.property(units, coders, fc.integer(), (values, count, seed) => {
        // Each coder copies the truth, with some values missing (never all of a unit's).
        const data = Array.from({ length: count }, (_c, c) =>
          values.map((v, u) => (c >= 2 && (seed + c * 7 + u) % 3 === 0 ? null : v)),
        );
        expect(krippendorffAlpha(data)).toBeCloseTo(1, 12);
      }),
    );
  });

  it('throws on a ragged matrix (a bug)', () => {
    expect(() => krippendorffAlpha([[1, 2], [1]])).toThrow(RangeError);
  });
});

describe('fleissKappa', () => {
  // Wikipedia "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories.
  // P-bar = 0.378, P-e = 0.213, kappa = 0.210.
  const wikipedia = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];

  it.each<[string, number[][], number, number]>([
    ['Wikipedia worked example: 0.210', wikipedia, 0.21, 3],
    [
      'perfect agreement over two categories',
      [
        [3, 0],
        [0, 3],
        [3, 0],
      ],
      1,
      12,
    ],
  ])('%s', (_name, counts, expected, digits) => {
    expect(fleissKappa(counts)).toBeCloseTo(expected, digits);
  });

  it.each<[string, number[][]]>([
    ['no subjects', []],
    [
      'one rater',
      [
        [1, 0],
        [0, 1],
      ],
    ],
    [
      'every rating in one category',
      [
        [2, 0],
        [2, 0],
      ],
    ],
  ])('undefined (NaN): %s', (_name, counts) => {
    expect(fleissKappa(counts)).toBeNaN();
  });

  it('throws when subjects have different numbers of raters (a bug)', () => {
    expect(() =>
      fleissKappa([
        [2, 0],
        [1, 0],
      ]),
    ).toThrow(RangeError);
  });
});

describe('f1 and macroF1', () => {
  it.each<[string, BinaryRating[], BinaryRating[], number]>([
    // tp 2, fp 1, fn 1: precision 2/3, recall 2/3, F1 2/3.
    ['tp 2, fp 1, fn 1', [1, 1, 1, 0, 0], [1, 1, 0, 1, 0], 2 / 3],
    ['perfect', [1, 0, 1], [1, 0, 1], 1],
    ['all wrong', [1, 0], [0, 1], 0],
    ['nulls skipped', [1, _, 0], [1, 1, _], 1],
    ['no positives anywhere: undefined', [0, 0], [0, 0], NaN],
  ])('%s', (_name, pred, truth, expected) => {
    if (Number.isNaN(expected)) expect(f1(pred, truth)).toBeNaN();
    else expect(f1(pred, truth)).toBeCloseTo(expected, 12);
  });

  it('reports precision, recall and support', () => {
    expect(f1Detail([1, 1, 0, 0], [1, 0, 1, 0])).toMatchObject({
      precision: 0.5,
      recall: 0.5,
      tp: 1,
      fp: 1,
      fn: 1,
      n: 4,
      support: 2,
    });
  });

  it('macro-F1 averages per-AU F1, with each AU base rate beside it', () => {
    const pred = [[1, 12], [12], [4], null];
    const truth = [[1, 12], [12, 25], [1], [12]];
    const result = macroF1(pred, truth);
    const byAu = new Map(result.perAu.map((a) => [a.au, a]));
    // AU1: tp 1, fn 1 -> 2/3; AU4: fp 1 -> 0; AU12: tp 2 -> 1; AU25: fn 1 -> 0.
    expect(byAu.get(1)?.f1).toBeCloseTo(2 / 3, 12);
    expect(byAu.get(4)?.f1).toBe(0);
    expect(byAu.get(12)?.f1).toBe(1);
    expect(byAu.get(25)?.f1).toBe(0);
    expect(result.macroF1).toBeCloseTo((2 / 3 + 0 + 1 + 0) / 4, 12);
    // The null sample is skipped: base rates over the 3 samples coded on both sides.
    expect(byAu.get(12)?.baseRate).toBeCloseTo(2 / 3, 12);
    expect(byAu.get(4)?.baseRate).toBe(0);
  });

  it('macro-F1 skips AUs whose F1 is undefined and can be told which AUs to score', () => {
    const result = macroF1([[12]], [[12]], [12, 4]);
    expect(result.perAu.map((a) => a.au)).toEqual([12, 4]);
    expect(result.perAu[1]?.f1).toBeNaN();
    expect(result.macroF1).toBe(1);
    expect(macroF1([null], [null]).macroF1).toBeNaN();
  });
});
