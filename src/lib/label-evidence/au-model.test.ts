import { describe, expect, it } from 'vitest';
import { AuStatus } from '../labels/types';
import { maskOf } from '../rules/mask';
import type { AuColumns } from './au-design';
import { DEFAULT_AU_MODEL_OPTIONS, fitAuModelOutOfFold, stratifiedFolds } from './au-model';
import { opinionOf } from './opinion';

/** Columns from (class, AUs) rows; every row coded. */
function columnsOf(rows: readonly (readonly [number, readonly number[]])[]): AuColumns {
  const auMask = new Uint32Array(rows.length * 2);
  rows.forEach(([, aus], i) => {
    const { lo, hi } = maskOf(aus);
    auMask[2 * i] = lo;
    auMask[2 * i + 1] = hi;
  });
  return {
    count: rows.length,
    classIds: Int16Array.from(rows.map(([c]) => c)),
    auStatus: new Uint8Array(rows.length).fill(AuStatus.coded),
    auMask,
  };
}

/** Two classes told apart by AU12 (class 0) against AU4 (class 1), n of each. */
function twoClasses(n: number): [number, number[]][] {
  const rows: [number, number[]][] = [];
  for (let i = 0; i < n; i++) rows.push([0, [12, 25]], [1, [4, 7]]);
  return rows;
}

describe('fitAuModelOutOfFold', () => {
  it('learns what the AUs say and reports out-of-fold accuracy', () => {
    const result = fitAuModelOutOfFold(columnsOf(twoClasses(40)), [0, 1]);
    expect(result.accuracy).toBe(1);
    expect(result.used).toBe(80);
    const p = opinionOf(result.opinions, 0) as Float32Array;
    expect(p[0]).toBeGreaterThan(0.9);
  });

  it("never sees a sample's own label: a lone pattern gets no help from its own class", () => {
    // One sample with a pattern nobody else has, labelled with a class nobody else has.
    // Had its own label been in the fit, the model would give that class a clear share
    // for its pattern; out of fold, the class was never seen and keeps only the prior floor.
    const rows = [...twoClasses(30), [2, [9, 10, 17]] as [number, number[]]];
    const result = fitAuModelOutOfFold(columnsOf(rows), [0, 1, 2]);
    const lone = rows.length - 1;
    const p = opinionOf(result.opinions, lone) as Float32Array;
    expect(p[2]).toBeLessThan(0.05);
    // The same sample fitted in-sample (its label among the training rows) would be near 1.
    const inSample = fitAuModelOutOfFold(
      columnsOf([...rows, ...Array(5).fill(rows[lone])]),
      [0, 1, 2],
    );
    const q = opinionOf(inSample.opinions, lone) as Float32Array;
    expect(q[2]).toBeGreaterThan(0.5);
  });

  it('is deterministic for a seed, and the seed decides the folds', () => {
    const columns = columnsOf([...twoClasses(25), [0, [4, 12]], [1, [12, 7]], [1, [25]]]);
    const a = fitAuModelOutOfFold(columns, [0, 1], { ...DEFAULT_AU_MODEL_OPTIONS, seed: 7 });
    const b = fitAuModelOutOfFold(columns, [0, 1], { ...DEFAULT_AU_MODEL_OPTIONS, seed: 7 });
    const c = fitAuModelOutOfFold(columns, [0, 1], { ...DEFAULT_AU_MODEL_OPTIONS, seed: 8 });
    expect(Array.from(a.opinions.probs)).toEqual(Array.from(b.opinions.probs));
    expect(Array.from(a.foldOf)).toEqual(Array.from(b.foldOf));
    expect(Array.from(a.foldOf)).not.toEqual(Array.from(c.foldOf));
  });

  it('leaves uncoded samples and unknown classes without an opinion', () => {
    const columns = columnsOf([...twoClasses(10), [5, [12]]]);
    columns.auStatus[0] = AuStatus.null;
    const result = fitAuModelOutOfFold(columns, [0, 1]);
    expect(result.opinions.rowOf[0]).toBe(-1);
    expect(result.opinions.rowOf[columns.count - 1]).toBe(-1);
    expect(result.used).toBe(19);
  });
});

describe('stratifiedFolds', () => {
  it.each([
    [5, 100],
    [3, 10],
    [10, 57],
  ])('%i folds over %i samples of three classes stay balanced per class', (folds, n) => {
    const labels = Int16Array.from({ length: n }, (_, i) => i % 3);
    const foldOf = stratifiedFolds(labels, 3, folds, 1);
    for (let c = 0; c < 3; c++) {
      const sizes = new Array<number>(folds).fill(0);
      labels.forEach((label, i) => {
        if (label === c) sizes[foldOf[i] as number] = (sizes[foldOf[i] as number] as number) + 1;
      });
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});
