import { describe, expect, it } from 'vitest';
import { injectSwaps, rankingQuality } from './swaps';

describe('injectSwaps', () => {
  const labels = Int16Array.from({ length: 200 }, (_, i) => (i % 10 === 0 ? -1 : i % 4));

  it('swaps the share of used labels, each to another class, deterministically', () => {
    const a = injectSwaps(labels, 4, 0.1, 3);
    const b = injectSwaps(labels, 4, 0.1, 3);
    expect(a.swapped.length).toBe(18);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    for (const i of a.swapped) {
      expect(labels[i]).toBeGreaterThanOrEqual(0);
      expect(a.labels[i]).not.toBe(labels[i]);
      expect(a.isSwapped[i]).toBe(1);
    }
    let changed = 0;
    labels.forEach((y, i) => (changed += a.labels[i] !== y ? 1 : 0));
    expect(changed).toBe(18);
  });

  it('differs between seeds', () => {
    expect(Array.from(injectSwaps(labels, 4, 0.1, 1).swapped)).not.toEqual(
      Array.from(injectSwaps(labels, 4, 0.1, 2).swapped),
    );
  });
});

describe('rankingQuality', () => {
  it.each([
    ['perfect', [0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0], 1, 1],
    ['inverted', [0.1, 0.2, 0.9, 0.8], [1, 1, 0, 0], 0, 0],
    // Ties count half in the AUROC; the top K among ties go by sample index.
    ['all tied', [0.5, 0.5, 0.5, 0.5], [1, 1, 0, 0], 0.5, 1],
    ['one of four pairs wrong', [0.9, 0.3, 0.4, 0.1], [1, 1, 0, 0], 0.75, 0.5],
  ])('%s', (_, scores, positives, auroc, top2) => {
    const q = rankingQuality(
      Float32Array.from(scores),
      Uint8Array.from(positives),
      [0, 1, 2, 3],
      2,
    );
    expect(q.auroc).toBeCloseTo(auroc, 10);
    expect(q.topPrecision).toBeCloseTo(top2, 10);
  });

  it('leaves NaN scores out', () => {
    const q = rankingQuality(
      Float32Array.from([0.9, NaN, 0.1]),
      Uint8Array.from([1, 1, 0]),
      [0, 1, 2],
    );
    expect(q.auroc).toBe(1);
  });
});
