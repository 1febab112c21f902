import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClassOpinions } from './opinion';
import { meanLogLikelihood, poolAll, poolAt, type WeightedSource } from './pool';

const K = 3;

/** A source over n samples: rows of K probabilities (each summing to 1) and a row per sample, -1 = no opinion. */
function sourceOf(rows: number[][], rowOf: number[]): ClassOpinions {
  return {
    kind: 'au-model',
    name: 'test',
    quality: { measure: 'test', value: null, samples: 0 },
    classIds: [0, 1, 2],
    rowOf: Int32Array.from(rowOf),
    probs: Float32Array.from(rows.flat()),
  };
}

const distribution = fc
  .tuple(
    fc.integer({ min: 0, max: 50 }),
    fc.integer({ min: 0, max: 50 }),
    fc.integer({ min: 1, max: 50 }),
  )
  .map(([a, b, c]) => [a / (a + b + c), b / (a + b + c), c / (a + b + c)]);

/** Two weighted sources over the same n samples (a weight of 0 included). */
const twoSources = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc
    .tuple(
      ...[0, 1].map(() =>
        fc
          .array(distribution, { minLength: 1, maxLength: 6 })
          .chain((rows) =>
            fc
              .array(fc.integer({ min: -1, max: rows.length - 1 }), { minLength: n, maxLength: n })
              .map((rowOf) => sourceOf(rows, rowOf)),
          ),
      ),
      fc.constantFrom(0, 0.5, 1, 2),
      fc.constantFrom(0, 0.5, 1, 2),
    )
    .map(([a, b, wa, wb]): WeightedSource[] => [
      { opinions: a as ClassOpinions, weight: wa as number },
      { opinions: b as ClassOpinions, weight: wb as number },
    ]),
);

describe('poolAll', () => {
  it("gives every sample poolAt's distribution, with one weighted source or several", () => {
    fc.assert(
      fc.property(twoSources, (sources) => {
        const n = (sources[0] as WeightedSource).opinions.rowOf.length;
        const pooled = poolAll(sources, n, K);
        const scratch = new Float64Array(K);
        for (let i = 0; i < n; i++) {
          const has = poolAt(sources, i, scratch);
          const row = pooled.rowOf[i] as number;
          expect(row >= 0).toBe(has);
          if (has)
            expect(Array.from(pooled.probs.subarray(row * K, row * K + K))).toEqual(
              Array.from(Float32Array.from(scratch)),
            );
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('meanLogLikelihood', () => {
  it('is the mean over the listed samples of log p(given), exactly as pooled sample by sample', () => {
    fc.assert(
      fc.property(twoSources, (sources) => {
        const n = (sources[0] as WeightedSource).opinions.rowOf.length;
        const given = Int16Array.from({ length: n }, (_, i) => (i % 4) - 1);
        const samples = Array.from({ length: n }, (_, i) => n - 1 - i);
        const scratch = new Float64Array(K);
        let sum = 0;
        let count = 0;
        for (const i of samples) {
          const y = given[i] as number;
          if (y < 0 || !poolAt(sources, i, scratch)) continue;
          sum += Math.log(Math.max(1e-12, scratch[y] as number));
          count++;
        }
        const expected = count > 0 ? sum / count : -Infinity;
        expect(meanLogLikelihood(sources, given, samples, new Float64Array(K))).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });
});
