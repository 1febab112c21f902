import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../diagnosis/intervals';
import { textColumnOf } from '../labels/text-column';
import { AuStatus, LabelSchemeSchema, type LabelScheme, type SampleTable } from '../labels/types';
import {
  auMetrics,
  compareRuns,
  emotionMetrics,
  mcnemarExactP,
  predictionOpinions,
  samplesOfSplit,
} from './metrics';
import { PREDICTION_RUN_VERSION, type PredictionRun } from './run';

const SCHEME: LabelScheme = LabelSchemeSchema.parse({
  id: 'three',
  name: 'Three',
  classes: [
    { id: 0, name: 'Happy', components: ['happy'] },
    { id: 1, name: 'Sad', components: ['sad'] },
    { id: 2, name: 'Angry', components: ['anger'] },
  ],
});

/** One sample as the straightforward implementations below see it. */
interface SampleCase {
  label: number;
  split?: number;
  status?: number;
  aus?: number[];
}

function tableOf(samples: readonly SampleCase[]): SampleTable {
  const n = samples.length;
  const auMask = new Uint32Array(2 * n);
  samples.forEach((s, i) => {
    for (const au of s.aus ?? []) {
      if (au <= 32) auMask[2 * i] = ((auMask[2 * i] as number) | (1 << (au - 1))) >>> 0;
      else auMask[2 * i + 1] = ((auMask[2 * i + 1] as number) | (1 << (au - 33))) >>> 0;
    }
  });
  return {
    count: n,
    names: textColumnOf(samples.map((_, i) => `${i}.jpg`)),
    classIds: Int16Array.from(samples.map((s) => s.label)),
    splits: Int8Array.from(samples.map((s) => s.split ?? 0)),
    auStatus: Uint8Array.from(samples.map((s) => s.status ?? AuStatus.coded)),
    auRaw: samples.map(() => ''),
    auMask,
    flags: new Uint8Array(n),
  };
}

/** A run from one entry per sample (null: no prediction). */
function runOf(
  classes: readonly (readonly number[] | null)[],
  options: {
    classIds?: number[];
    aus?: number[];
    auProbs?: readonly (readonly number[] | null)[];
  } = {},
): PredictionRun {
  const classIds = options.classIds ?? [0, 1, 2];
  const rowOf = new Int32Array(classes.length).fill(-1);
  const classRows: number[] = [];
  const auRows: number[] = [];
  let rows = 0;
  classes.forEach((probs, i) => {
    const au = options.auProbs?.[i] ?? null;
    if (probs === null && au === null) return;
    rowOf[i] = rows++;
    classRows.push(...(probs ?? classIds.map(() => 1 / classIds.length)));
    if (options.aus) auRows.push(...(au ?? options.aus.map(() => 0)));
  });
  return {
    meta: {
      version: PREDICTION_RUN_VERSION,
      id: 'r',
      datasetId: 'd',
      name: 'run',
      createdAt: 0,
      fileNames: [],
      emotion: { output: 'probabilities', classIds, convertedFromLogits: false },
      au: options.aus
        ? { output: 'probabilities', aus: options.aus, convertedFromLogits: false }
        : null,
      predicted: rows,
      unmatched: 0,
    },
    rowOf,
    classProbs: Float32Array.from(classRows),
    auProbs: options.aus ? Float32Array.from(auRows) : null,
  };
}

// Labels: 0 0 1 1 2 none.
const TABLE = tableOf([
  { label: 0 },
  { label: 0 },
  { label: 1 },
  { label: 1 },
  { label: 2 },
  { label: -1 },
]);
const RUN_A = runOf([
  [0.8, 0.1, 0.1],
  [0.2, 0.7, 0.1],
  [0.1, 0.8, 0.1],
  null,
  [0.3, 0.3, 0.4],
  [1, 0, 0],
]);
const RUN_B = runOf([
  [0.1, 0.8, 0.1],
  [0.6, 0.3, 0.1],
  [0.1, 0.8, 0.1],
  [0, 0, 1],
  [0.5, 0.2, 0.3],
  [1, 0, 0],
]);

describe('emotionMetrics', () => {
  it('counts the samples with a label and a prediction', () => {
    const m = emotionMetrics(TABLE, RUN_A, SCHEME);
    expect(m.n).toBe(4);
    expect(m.correct).toBe(3);
    expect(m.accuracy.share).toBe(0.75);
    // Wilson 95 % for 3 of 4, by hand.
    expect(m.accuracy.low).toBeCloseTo(0.3006, 4);
    expect(m.accuracy.high).toBeCloseTo(0.9544, 4);
    expect(m.perClass.map((c) => [c.classId, c.n, c.correct, c.recall.share])).toEqual([
      [0, 2, 1, 0.5],
      [1, 1, 1, 1],
      [2, 1, 1, 1],
    ]);
    expect(Array.from(m.confusion)).toEqual([1, 1, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('scores only the samples asked for', () => {
    const m = emotionMetrics(TABLE, RUN_A, SCHEME, [0, 1, 3, 99]);
    expect([m.n, m.correct]).toEqual([2, 1]);
    expect(Array.from(m.confusion)).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('reads columns in the run order and takes the first of equal scores', () => {
    const run = runOf(
      [
        [0.5, 0.5, 0],
        [0, 0.5, 0.5],
      ],
      { classIds: [2, 1, 0] },
    );
    const m = emotionMetrics(tableOf([{ label: 2 }, { label: 1 }]), run, SCHEME);
    expect(Array.from(m.confusion)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('gives NaN shares and full intervals without samples', () => {
    const m = emotionMetrics(TABLE, RUN_A, SCHEME, []);
    expect(m.n).toBe(0);
    expect(m.accuracy).toEqual({ low: 0, high: 1, share: NaN });
  });
});

describe('samplesOfSplit', () => {
  it('lists the samples of a split', () => {
    const table = tableOf([
      { label: 0, split: 1 },
      { label: 0, split: 0 },
      { label: 0, split: 1 },
    ]);
    expect(Array.from(samplesOfSplit(table, 1))).toEqual([0, 2]);
  });
});

describe('mcnemarExactP', () => {
  it.each([
    [0, 0, 1],
    [3, 3, 1],
    [0, 5, 2 / 32],
    [5, 0, 2 / 32],
    [1, 9, 22 / 1024],
    [2, 10, 158 / 4096],
    [500, 500, 1],
    [0, 1, 1],
  ])('is %i against %i: %f', (b, c, p) => {
    expect(mcnemarExactP(b, c)).toBeCloseTo(p, 12);
  });

  it('stays finite and tiny for large, lopsided counts', () => {
    const p = mcnemarExactP(400_000, 600_000);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(1e-100);
    expect(mcnemarExactP(49_900, 50_100)).toBeGreaterThan(0.5);
  });
});

describe('compareRuns', () => {
  it('compares the runs on the samples both predict', () => {
    const c = compareRuns(TABLE, RUN_A, RUN_B, SCHEME);
    expect(c.n).toBe(4);
    expect([c.a.correct, c.b.correct]).toEqual([3, 2]);
    expect(c.overall).toMatchObject({
      aOnly: 2,
      bOnly: 1,
      p: 1,
      significant: false,
      difference: -0.25,
    });
    expect(
      c.perClass.map((x) => [
        x.classId,
        x.n,
        x.recallA.share,
        x.recallB.share,
        x.difference,
        x.aOnly,
        x.bOnly,
        x.p,
      ]),
    ).toEqual([
      [0, 2, 0.5, 0.5, 0, 1, 1, 1],
      [1, 1, 1, 1, 0, 0, 0, 1],
      [2, 1, 1, 0, -1, 1, 0, 1],
    ]);
    expect(Array.from(c.b.confusion)).toEqual([1, 1, 0, 0, 1, 0, 1, 0, 0]);
    expect(Array.from(c.confusionDifference)).toEqual([0, 0, 0, 0, 0, 0, 1, 0, -1]);
    expect(Array.from(c.aRightBWrong)).toEqual([0, 4]);
    expect(Array.from(c.bRightAWrong)).toEqual([1]);
  });

  it('marks a difference larger than chance', () => {
    // 12 samples of class 0: A right on all, B on 2.
    const samples = Array.from({ length: 12 }, () => ({ label: 0 }));
    const a = runOf(samples.map(() => [1, 0, 0]));
    const b = runOf(samples.map((_, i) => (i < 2 ? [1, 0, 0] : [0, 1, 0])));
    const c = compareRuns(tableOf(samples), a, b, SCHEME);
    expect(c.perClass[0]).toMatchObject({ aOnly: 10, bOnly: 0, significant: true });
    expect(c.perClass[0]?.p).toBeCloseTo(2 / 1024, 12);
    expect(c.overall.significant).toBe(true);
  });
});

describe('auMetrics', () => {
  // Coded: 0, 1, 2, 5. Sample 3 is `null`, sample 4 has no AU label: both predicted
  // present with 0.99, so counting them as negatives would add false positives.
  const table = tableOf([
    { label: 0, aus: [12] },
    { label: 0, aus: [] },
    { label: 0, aus: [12, 40] },
    { label: 0, status: AuStatus.null },
    { label: 0, status: AuStatus.absent },
    { label: 0, aus: [40] },
  ]);
  const run = runOf([null, null, null, null, null, null], {
    aus: [12, 40],
    auProbs: [
      [0.9, 0.2],
      [0.6, 0.2],
      [0.4, 0.2],
      [0.99, 0.99],
      [0.99, 0.99],
      [0.1, 0.2],
    ],
  });

  it('scores each AU on the coded samples only', () => {
    const m = auMetrics(table, run, 0.5);
    expect(m.samples).toBe(4);
    const [au12, au40] = m.aus;
    expect(au12).toMatchObject({
      au: 12,
      positives: 2,
      negatives: 2,
      truePositives: 1,
      falsePositives: 1,
      falseNegatives: 1,
      trueNegatives: 1,
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
      auroc: 0.75,
      baseRate: 0.5,
      constant: false,
    });
    expect(au40).toMatchObject({
      au: 40,
      positives: 2,
      predictedPositive: 0,
      recall: 0,
      f1: 0,
      auroc: 0.5,
      constant: true,
    });
    expect(au40?.precision).toBeNaN();
    expect(m.macroF1).toBe(0.25);
  });

  it('moves with the threshold', () => {
    const m = auMetrics(table, run, 0.95);
    expect(m.aus[0]).toMatchObject({ truePositives: 0, f1: 0, auroc: 0.75, constant: true });
    expect(auMetrics(table, run, 0.1).aus[1]).toMatchObject({
      predictedPositive: 4,
      precision: 0.5,
      recall: 1,
      constant: true,
    });
  });

  it('leaves F1 undefined without positives or predictions, and out of the macro mean', () => {
    const m = auMetrics(
      tableOf([
        { label: 0, aus: [] },
        { label: 0, aus: [1] },
      ]),
      runOf([null, null], {
        aus: [2, 1],
        auProbs: [
          [0.1, 0.1],
          [0.2, 0.9],
        ],
      }),
      0.5,
    );
    expect(m.aus[0]?.f1).toBeNaN();
    expect(m.aus[0]?.auroc).toBeNaN();
    expect(m.macroF1).toBe(1);
  });

  it('gives nothing for a run without AUs', () => {
    expect(auMetrics(table, RUN_A, 0.5)).toMatchObject({ samples: 0, aus: [] });
  });
});

describe('predictionOpinions', () => {
  it('gives the run as an evidence source over the scheme order', () => {
    const run = runOf([[0.1, 0.2, 0.7], null], { classIds: [2, 1, 0] });
    const opinions = predictionOpinions(run, tableOf([{ label: 0 }, { label: 1 }]), SCHEME);
    expect(opinions?.kind).toBe('predictions');
    expect(opinions?.classIds).toEqual([0, 1, 2]);
    expect(Array.from(opinions?.rowOf ?? [])).toEqual([0, -1]);
    expect(Array.from(opinions?.probs ?? [], (v) => Number(v.toFixed(4)))).toEqual([0.7, 0.2, 0.1]);
    expect(opinions?.quality).toMatchObject({ value: 1, samples: 1 });
    expect(opinions?.quality.measure).toBe('accuracy on 1 labelled samples');
  });

  it('has no quality figure without labelled samples and no opinions without classes', () => {
    expect(
      predictionOpinions(RUN_A, tableOf(Array.from({ length: 6 }, () => ({ label: -1 }))), SCHEME)
        ?.quality.value,
    ).toBeNull();
    expect(
      predictionOpinions(
        { ...RUN_A, meta: { ...RUN_A.meta, emotion: null }, classProbs: null },
        TABLE,
        SCHEME,
      ),
    ).toBeNull();
  });
});

// ---- Independent, object-per-sample implementations on generated data ----

interface Generated {
  samples: SampleCase[];
  a: (number[] | null)[];
  b: (number[] | null)[];
  auA: (number[] | null)[];
  subset: number[] | null;
}

const AUS = [1, 12, 33];
/** Few distinct values, so that equal scores (ties) are common. */
const score = fc.constantFrom(0, 0.1, 0.25, 0.5, 0.75, 0.9, 1);
const generated: fc.Arbitrary<Generated> = fc.integer({ min: 0, max: 60 }).chain((n) =>
  fc.record({
    samples: fc.array(
      fc.record({
        label: fc.constantFrom(-1, 0, 1, 2, 5),
        status: fc.constantFrom(AuStatus.coded, AuStatus.coded, AuStatus.null, AuStatus.absent),
        aus: fc.subarray(AUS),
      }),
      { minLength: n, maxLength: n },
    ),
    a: fc.array(fc.option(fc.array(score, { minLength: 3, maxLength: 3 })), {
      minLength: n,
      maxLength: n,
    }),
    b: fc.array(fc.option(fc.array(score, { minLength: 3, maxLength: 3 })), {
      minLength: n,
      maxLength: n,
    }),
    auA: fc.array(fc.option(fc.array(score, { minLength: 3, maxLength: 3 })), {
      minLength: n,
      maxLength: n,
    }),
    subset: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, n - 1) }))),
  }),
);

/** The samples scored: the subset's indices that exist (the metrics skip the others). */
const chosenOf = (g: Generated) =>
  (g.subset ?? g.samples.map((_, i) => i)).filter((i) => i < g.samples.length);

const argmax = (probs: readonly number[]) => probs.indexOf(Math.max(...probs));

function referenceEmotion(g: Generated, which: 'a' | 'b') {
  const chosen = chosenOf(g);
  const used = chosen.filter(
    (i) => g.samples[i]!.label >= 0 && g.samples[i]!.label <= 2 && g[which][i],
  );
  const right = used.filter((i) => argmax(g[which][i]!) === g.samples[i]!.label);
  const perClass = [0, 1, 2].map((c) => {
    const of = used.filter((i) => g.samples[i]!.label === c);
    return [of.length, of.filter((i) => right.includes(i)).length];
  });
  return { n: used.length, correct: right.length, perClass };
}

function binomialP(b: number, c: number): number {
  const n = b + c;
  let cdf = 0;
  let coefficient = 1;
  for (let j = 0; j <= Math.min(b, c); j++) {
    cdf += coefficient / 2 ** n;
    coefficient = (coefficient * (n - j)) / (j + 1);
  }
  return Math.min(1, 2 * cdf);
}

describe('metrics against straightforward implementations', () => {
  it('emotionMetrics', () => {
    fc.assert(
      fc.property(generated, (g) => {
        const m = emotionMetrics(tableOf(g.samples), runOf(g.a), SCHEME, g.subset);
        const ref = referenceEmotion(g, 'a');
        expect([m.n, m.correct]).toEqual([ref.n, ref.correct]);
        expect(m.perClass.map((c) => [c.n, c.correct])).toEqual(ref.perClass);
        expect(m.accuracy).toEqual(wilsonInterval(ref.correct, ref.n));
      }),
    );
  });

  it('compareRuns', () => {
    fc.assert(
      fc.property(generated, (g) => {
        const c = compareRuns(tableOf(g.samples), runOf(g.a), runOf(g.b), SCHEME, g.subset);
        const chosen = [...chosenOf(g)].sort((x, y) => x - y);
        const paired = chosen.filter(
          (i) => g.samples[i]!.label >= 0 && g.samples[i]!.label <= 2 && g.a[i] && g.b[i],
        );
        const rightA = (i: number) => argmax(g.a[i]!) === g.samples[i]!.label;
        const rightB = (i: number) => argmax(g.b[i]!) === g.samples[i]!.label;
        const aWins = paired.filter((i) => rightA(i) && !rightB(i));
        const bWins = paired.filter((i) => rightB(i) && !rightA(i));
        expect(c.n).toBe(paired.length);
        expect(Array.from(c.aRightBWrong)).toEqual(aWins);
        expect(Array.from(c.bRightAWrong)).toEqual(bWins);
        expect(c.overall.p).toBeCloseTo(binomialP(aWins.length, bWins.length), 10);
        for (const cls of [0, 1, 2]) {
          const of = (list: number[]) => list.filter((i) => g.samples[i]!.label === cls).length;
          const row = c.perClass[cls]!;
          expect([row.aOnly, row.bOnly, row.n]).toEqual([of(aWins), of(bWins), of(paired)]);
          expect(row.p).toBeCloseTo(binomialP(of(aWins), of(bWins)), 10);
          for (const predicted of [0, 1, 2]) {
            const count = (probs: (number[] | null)[]) =>
              paired.filter((i) => g.samples[i]!.label === cls && argmax(probs[i]!) === predicted)
                .length;
            expect(c.confusionDifference[cls * 3 + predicted]).toBe(count(g.b) - count(g.a));
          }
        }
      }),
    );
  });

  it('auMetrics', () => {
    fc.assert(
      fc.property(generated, fc.constantFrom(0.25, 0.5, 0.9), (g, threshold) => {
        const run = runOf(
          g.auA.map(() => null),
          { aus: AUS, auProbs: g.auA },
        );
        const m = auMetrics(tableOf(g.samples), run, threshold, g.subset);
        const chosen = chosenOf(g);
        const used = chosen.filter((i) => g.samples[i]!.status === AuStatus.coded && g.auA[i]);
        expect(m.samples).toBe(used.length);
        const f1s: number[] = [];
        AUS.forEach((au, k) => {
          const present = (i: number) => g.samples[i]!.aus!.includes(au);
          const p = (i: number) => Math.fround(g.auA[i]![k]!);
          const pos = used.filter(present);
          const neg = used.filter((i) => !present(i));
          const tp = pos.filter((i) => p(i) >= threshold).length;
          const fp = neg.filter((i) => p(i) >= threshold).length;
          const fn = pos.length - tp;
          let pairs = 0;
          for (const i of pos)
            for (const j of neg) pairs += p(i) > p(j) ? 1 : p(i) === p(j) ? 0.5 : 0;
          const s = m.aus[k]!;
          expect([
            s.positives,
            s.negatives,
            s.truePositives,
            s.falsePositives,
            s.falseNegatives,
          ]).toEqual([pos.length, neg.length, tp, fp, fn]);
          const f1 = 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : NaN;
          expect(s.f1).toEqual(f1);
          if (!Number.isNaN(f1)) f1s.push(f1);
          expect(s.auroc).toEqual(
            pos.length && neg.length ? pairs / (pos.length * neg.length) : NaN,
          );
          const values = used.map(p);
          const constant =
            used.length > 0 &&
            (new Set(values).size === 1 ||
              values.every((v) => v >= threshold) ||
              values.every((v) => v < threshold));
          expect(s.constant).toBe(constant);
        });
        const macro = f1s.length ? f1s.reduce((x, y) => x + y, 0) / f1s.length : NaN;
        if (Number.isNaN(macro)) expect(m.macroF1).toBeNaN();
        else expect(m.macroF1).toBeCloseTo(macro, 12);
      }),
    );
  });
});
