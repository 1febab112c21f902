import { describe, expect, it } from 'vitest';
import { importLabelFiles } from '../formats/import';
import { describeRealRafCe, realRafCeFile } from '../labels/test-fixtures';
import type { LabelScheme } from '../labels/types';
import { BETAS } from './policy';
import { TrainingStatsSchema, computeTrainingStats, effectiveNumberWeights } from './stats';
import { allIndices, tableFrom, type Row } from './test-support';

/** The formula written out by hand: w = (1 - b) / (1 - b^n), then scaled to sum to K. */
function byHand(counts: number[], beta: number): number[] {
  const raw = counts.map((n) => (1 - beta) / (1 - Math.pow(beta, n)));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => (w * counts.length) / sum);
}

describe('effectiveNumberWeights', () => {
  it.each<[number[], number]>([
    [[977, 11], 0.999],
    [[977, 11], 0.9],
    [[676, 279, 171, 230, 120, 835, 195, 603, 36, 210, 977, 177, 11, 29], 0.99],
    [[676, 279, 171, 230, 120, 835, 195, 603, 36, 210, 977, 177, 11, 29], 0.9999],
    [[5, 5, 5], 0.999],
  ])(
    '%j, beta %d: matches the formula by hand and sums to the number of classes',
    (counts, beta) => {
      const weights = effectiveNumberWeights(counts, beta) as number[];
      const expected = byHand(counts, beta);
      weights.forEach((w, k) => expect(w).toBeCloseTo(expected[k] as number, 10));
      expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(counts.length, 10);
    },
  );

  it('two classes, by hand: 100 and 10 samples at beta 0.9 and 0.99', () => {
    // beta 0.9: E(100) = (1 - 0.9^100) / 0.1 ~ 9.99973, E(10) = (1 - 0.9^10) / 0.1 = 6.5132156
    const e100 = (1 - 0.9 ** 100) / 0.1;
    const e10 = (1 - 0.9 ** 10) / 0.1;
    const [a, b] = effectiveNumberWeights([100, 10], 0.9) as [number, number];
    expect(a).toBeCloseTo((2 * (1 / e100)) / (1 / e100 + 1 / e10), 12);
    expect(b).toBeCloseTo((2 * (1 / e10)) / (1 / e100 + 1 / e10), 12);
    expect(b / a).toBeCloseTo(e100 / e10, 12);
    // beta 0.99: E(100) = 63.396766, E(10) = 9.5617925; the rare class weighs ~6.63x.
    const [c, d] = effectiveNumberWeights([100, 10], 0.99) as [number, number];
    expect(d / c).toBeCloseTo(63.396766 / 9.5617925, 5);
  });

  it('an empty class gets null and stays out of the normalisation', () => {
    const weights = effectiveNumberWeights([10, 0, 30], 0.99);
    expect(weights[1]).toBeNull();
    const expected = byHand([10, 30], 0.99);
    expect(weights[0]).toBeCloseTo(expected[0] as number, 12);
    expect(weights[2]).toBeCloseTo(expected[1] as number, 12);
  });

  it('stays finite for big counts and beta near 1', () => {
    const weights = effectiveNumberWeights([1, 1_000_000], 0.9999) as number[];
    expect(weights.every(Number.isFinite)).toBe(true);
    expect((weights[0] as number) / (weights[1] as number)).toBeCloseTo(1 / 0.0001, 3);
  });
});

const scheme: LabelScheme = {
  id: 't',
  name: 'test',
  classes: [
    { id: 0, name: 'A', components: [] },
    { id: 1, name: 'B', components: [] },
    { id: 2, name: 'C', components: [] },
  ],
};

describe('computeTrainingStats', () => {
  const rows: Row[] = [
    { classId: 0, split: 0, aus: '1+2' },
    { classId: 0, split: 0, aus: '1' },
    { classId: 0, split: 1, aus: '2+43' },
    { classId: 1, split: 0, aus: '1' },
    { classId: 1, split: 0, aus: 'null' },
    { classId: 1, split: 1 },
    { classId: -1, split: 0, aus: '4' },
    { classId: 7, split: 0, aus: '25' },
  ];
  const table = tableFrom(rows);
  const stats = computeTrainingStats({
    dataset: 'tiny',
    table,
    labels: table,
    kept: allIndices(rows.length),
    scheme,
    splitNames: { 0: 'train', 1: 'test' },
    beta: 0.99,
  });

  it('is valid against its schema, version 1, JSON-safe', () => {
    expect(stats.version).toBe(1);
    expect(TrainingStatsSchema.parse(JSON.parse(JSON.stringify(stats)))).toEqual(stats);
  });

  it('counts classes in scheme order, then unknown ids; unlabeled apart', () => {
    expect(stats.samples).toBe(8);
    expect(stats.unlabeled).toBe(1);
    expect(stats.classes.map((c) => [c.classId, c.count])).toEqual([
      [0, 3],
      [1, 3],
      [2, 0],
      [7, 1],
    ]);
    expect(stats.classes[2]?.weight).toBeNull();
  });

  it('gives weights for all four betas; the chosen one is on each class', () => {
    expect(stats.classWeights.map((w) => w.beta)).toEqual([...BETAS]);
    for (const { beta, weights } of stats.classWeights) {
      const expected = byHand([3, 3, 1], beta);
      expect(weights[0]).toBeCloseTo(expected[0] as number, 12);
      expect(weights[1]).toBeCloseTo(expected[1] as number, 12);
      expect(weights[2]).toBeNull();
      expect(weights[3]).toBeCloseTo(expected[2] as number, 12);
    }
    const chosen = byHand([3, 3, 1], 0.99);
    expect(stats.classes[0]?.weight).toBeCloseTo(chosen[0] as number, 12);
  });

  it('AU statistics count coded samples only; pos_weight = negatives / positives by hand', () => {
    // Coded: 6 of 8 (one null, one with no AU value).
    expect(stats.au).toMatchObject({ coded: 6, uncodedExcluded: 2, nullLabels: 1, noValue: 1 });
    const byAu = Object.fromEntries(stats.au.aus.map((a) => [a.au, a]));
    expect(Object.keys(byAu).map(Number)).toEqual([1, 2, 4, 25, 43]);
    // AU1: 3 positives of 6 coded -> 3 negatives, pos_weight 1.
    expect(byAu[1]).toMatchObject({ positives: 3, negatives: 3, rate: 0.5, posWeight: 1 });
    // AU2: 2 of 6 -> pos_weight 4 / 2 = 2.
    expect(byAu[2]).toMatchObject({ positives: 2, negatives: 4, rate: 2 / 6, posWeight: 2 });
    // AU43 (hi word): 1 of 6 -> 5.
    expect(byAu[43]).toMatchObject({
      positives: 1,
      negatives: 5,
      posWeight: 5,
      name: 'Eyes Closed',
    });
  });

  it('has a block per split with its own counts and pos_weight (null when no positive)', () => {
    expect(stats.splits.map((s) => [s.split, s.name, s.samples])).toEqual([
      [0, 'train', 6],
      [1, 'test', 2],
    ]);
    const test = stats.splits[1];
    expect(test?.au).toMatchObject({ coded: 1, noValue: 1 });
    const au1 = test?.au.aus.find((a) => a.au === 1);
    expect(au1).toMatchObject({ positives: 0, negatives: 1, rate: 0, posWeight: null });
    expect(test?.classes.map((c) => c.count)).toEqual([1, 1, 0, 0]);
  });

  it('gives rate null when no sample is coded', () => {
    const onlyNull = tableFrom([{ classId: 0, aus: 'null' }]);
    const s = computeTrainingStats({
      dataset: 'x',
      table: onlyNull,
      labels: onlyNull,
      kept: allIndices(1),
      scheme,
      splitNames: {},
      beta: 0.999,
      aus: [12],
    });
    expect(s.au.aus).toEqual([
      {
        au: 12,
        name: 'Lip Corner Puller',
        positives: 0,
        negatives: 0,
        rate: null,
        posWeight: null,
      },
    ]);
    expect(s.splits[0]).toMatchObject({ split: -1, name: '(no split)' });
  });
});

describe('computeTrainingStats: AUs named but not coded', () => {
  // As the AU matrix writes them: -1 where a label names an AU without coding it.
  const rows: Row[] = [
    { classId: 0, aus: '12+25' },
    { classId: 0, aus: 'L12L+25' },
    { classId: 0, aus: '12+L12L' },
    { classId: 0, aus: '9+AD19' },
    { classId: 0, aus: '19' },
    { classId: 0, aus: 'x+25' },
    { classId: 0, aus: 'null' },
  ];
  const table = tableFrom(rows);
  const statsOf = (kept: Int32Array) =>
    computeTrainingStats({
      dataset: 'named',
      table,
      labels: table,
      kept,
      scheme,
      splitNames: {},
      beta: 0.999,
    });
  const stats = statsOf(allIndices(rows.length));
  const byAu = new Map(stats.au.aus.map((a) => [a.au, a]));

  it.each<[number, number, number]>([
    // [AU, positives, negatives]; 6 coded samples, less those with -1 for the AU.
    [12, 2, 3], // L12L alone: -1; next to 12: present
    [19, 1, 4], // AD19: -1
    [25, 3, 3], // `x` names no AU: its sample counts as coded
    [9, 1, 5],
  ])('AU%i: %i positives, %i negatives', (au, positives, negatives) => {
    expect(byAu.get(au)).toMatchObject({
      positives,
      negatives,
      rate: positives / (positives + negatives),
      posWeight: negatives / positives,
    });
  });

  it('has the columns of the whole dataset, whatever is kept', () => {
    expect(stats.au.aus.map((a) => a.au)).toEqual([9, 12, 19, 25]);
    expect(statsOf(Int32Array.of(0)).au.aus.map((a) => a.au)).toEqual([9, 12, 19, 25]);
    expect(statsOf(Int32Array.of(1)).au.aus.find((a) => a.au === 12)).toMatchObject({
      positives: 0,
      negatives: 0,
      rate: null,
      posWeight: null,
    });
  });
});

describeRealRafCe('computeTrainingStats on the real RAF-CE files', () => {
  const imported = importLabelFiles(
    (['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt', 'RAFCE_partition.txt'] as const).map((name) =>
      realRafCeFile(name),
    ),
  );
  const stats = computeTrainingStats({
    dataset: 'RAF-CE',
    table: imported.table,
    labels: imported.table,
    kept: allIndices(imported.table.count),
    scheme: imported.scheme,
    splitNames: imported.splitNames,
    beta: 0.999,
  });

  it('has the measured counts and excludes the 251 null samples from AU statistics', () => {
    expect(stats.classes.map((c) => c.count)).toEqual([
      676, 279, 171, 230, 120, 835, 195, 603, 36, 210, 977, 177, 11, 29,
    ]);
    expect(stats.au).toMatchObject({ coded: 4549 - 251, nullLabels: 251, uncodedExcluded: 251 });
    expect(stats.splits.map((s) => s.samples)).toEqual([2709, 909, 931]);
    const au25 = stats.au.aus.find((a) => a.au === 25);
    // 2,785 tokens of 25 (one sample may repeat a token, so positives <= tokens).
    expect(au25?.positives).toBeGreaterThan(2700);
    expect(au25?.posWeight).toBeCloseTo(
      (4298 - (au25?.positives ?? 0)) / (au25?.positives ?? 1),
      12,
    );
    const weights = stats.classes.map((c) => c.weight as number);
    expect(weights[12]).toBeGreaterThan(weights[10] as number);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(14, 10);
  });
});
