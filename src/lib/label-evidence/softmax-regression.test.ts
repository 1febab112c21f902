import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitSoftmax, predictRow, softmaxObjective, type GroupedRows } from './softmax-regression';

/** Rows from lists of active features. */
function rowsOf(lists: readonly (readonly number[])[]): GroupedRows {
  const featureStart = new Int32Array(lists.length + 1);
  const features: number[] = [];
  lists.forEach((list, r) => {
    features.push(...list);
    featureStart[r + 1] = features.length;
  });
  return { count: lists.length, featureStart, features: Int32Array.from(features) };
}

/** The objective summed row by row, straight from its definition. */
function plainObjective(
  lists: readonly (readonly number[])[],
  counts: Float64Array,
  classes: number,
  l2: number,
  x: Float64Array,
): { loss: number; gradient: Float64Array } {
  const gradient = new Float64Array(x.length);
  let loss = 0;
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  lists.forEach((list, r) => {
    const scores = Array.from({ length: classes }, (_, c) => {
      let z = x[c] as number;
      for (const f of list) z += x[(1 + f) * classes + c] as number;
      return z;
    });
    const max = Math.max(...scores);
    const logSum = max + Math.log(scores.reduce((sum, z) => sum + Math.exp(z - max), 0));
    let n = 0;
    for (let c = 0; c < classes; c++) n += counts[r * classes + c] as number;
    for (let c = 0; c < classes; c++) {
      const y = counts[r * classes + c] as number;
      loss -= y * ((scores[c] as number) - logSum);
      const share = n * Math.exp((scores[c] as number) - logSum) - y;
      gradient[c] = (gradient[c] as number) + share;
      for (const f of list)
        gradient[(1 + f) * classes + c] = (gradient[(1 + f) * classes + c] as number) + share;
    }
  });
  const l2Total = l2 * Math.max(total, 1);
  for (let i = classes; i < x.length; i++) {
    loss += 0.5 * l2Total * (x[i] as number) ** 2;
    gradient[i] = (gradient[i] as number) + l2Total * (x[i] as number);
  }
  return { loss, gradient };
}

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

describe('softmaxObjective', () => {
  it.each([
    {
      case: 'rows sharing prefixes, an empty row, a row without weight',
      lists: [[0], [0, 1], [0, 1, 2], [], [2], [1, 2]],
      counts: [3, 1, 0, 2, 2, 2, 0, 0, 5, 1, 1, 1, 0, 0, 0, 4, 0, 1],
    },
    {
      case: 'two rows with the same features (AUs outside the design told them apart)',
      lists: [
        [0, 2],
        [0, 2],
        [1, 0],
      ],
      counts: [1, 0, 2, 0, 3, 1, 2, 2, 0],
    },
    { case: 'one row, no feature', lists: [[]], counts: [1, 2, 3] },
  ])('equals the row-by-row sum: $case', ({ lists, counts }) => {
    const classes = 3;
    const features = 3;
    const x = Float64Array.from({ length: (features + 1) * classes }, (_, i) => Math.sin(i + 1));
    const weights = Float64Array.from(counts);
    const fast = softmaxObjective(rowsOf(lists), weights, classes, features, 1e-3, x);
    const plain = plainObjective(lists, weights, classes, 1e-3, x);
    expectClose(fast.loss, plain.loss);
    plain.gradient.forEach((g, i) => expectClose(fast.gradient[i] as number, g));
  });

  it('equals the row-by-row sum on random designs (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 5 }), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (classes, features, rawLists, seed) => {
          const lists = rawLists.map((list) => list.filter((f) => f < features));
          let state = seed;
          const next = () => {
            state = (Math.imul(state, 1103515245) + 12345) >>> 0;
            return state / 2 ** 32;
          };
          const counts = Float64Array.from({ length: lists.length * classes }, () =>
            next() < 0.5 ? 0 : Math.floor(next() * 4),
          );
          const x = Float64Array.from({ length: (features + 1) * classes }, () => 4 * next() - 2);
          const fast = softmaxObjective(rowsOf(lists), counts, classes, features, 1e-2, x);
          const plain = plainObjective(lists, counts, classes, 1e-2, x);
          expectClose(fast.loss, plain.loss);
          plain.gradient.forEach((g, i) => expectClose(fast.gradient[i] as number, g));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('its gradient is the slope of its loss (finite differences)', () => {
    const lists = [[0], [0, 1], [1, 2], []];
    const rows = rowsOf(lists);
    const counts = Float64Array.from([2, 1, 0, 1, 3, 1, 0, 2, 4, 1, 1, 1]);
    const x = Float64Array.from({ length: 12 }, (_, i) => Math.cos(i) / 2);
    const { gradient } = softmaxObjective(rows, counts, 3, 3, 1e-2, x);
    for (let i = 0; i < x.length; i++) {
      const step = 1e-6;
      const up = Float64Array.from(x);
      const down = Float64Array.from(x);
      up[i] = (up[i] as number) + step;
      down[i] = (down[i] as number) - step;
      const slope =
        (softmaxObjective(rows, counts, 3, 3, 1e-2, up).loss -
          softmaxObjective(rows, counts, 3, 3, 1e-2, down).loss) /
        (2 * step);
      expect(Math.abs(slope - (gradient[i] as number))).toBeLessThan(1e-5);
    }
  });
});

describe('fitSoftmax', () => {
  it('learns which feature tells the classes apart', () => {
    // Feature 0 says class 1, feature 1 says class 0; samples without either are mixed.
    const rows = rowsOf([[0], [1], [], [0, 2], [1, 2]]);
    const counts = Float64Array.from([1, 9, 9, 1, 5, 5, 0, 10, 10, 0]);
    const model = fitSoftmax(rows, counts, 2, 3);
    const out = new Float64Array(2);
    predictRow(model, rows, 0, out);
    expect(out[1]).toBeGreaterThan(0.8);
    predictRow(model, rows, 1, out);
    expect(out[0]).toBeGreaterThan(0.8);
    predictRow(model, rows, 2, out);
    expect(out[0]).toBeCloseTo(0.5, 1);
  });
});
