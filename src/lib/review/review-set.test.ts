import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptySampleTable } from '../labels/table';
import type { SampleTable } from '../labels/types';
import { resolveFinalLabels } from './decisions';
import { groupFrames, type FrameGroups } from '../labels/groups';
import {
  capPerVideo,
  everything,
  newReviewSet,
  nextUnreviewed,
  randomStratifiedSample,
  reviewProgress,
  ReviewSetSchema,
  stratifiedAllocation,
  worstFirst,
} from './review-set';
import { seededRandom } from '../random/seeded-random';
import { decision, tableOfRaw } from './test-support';
import { textColumnOf } from '../labels/text-column';

/** RAF-CE class counts (reference section 2): 977 vs 11. */
const RAFCE_COUNTS = [676, 279, 171, 230, 120, 835, 195, 603, 36, 210, 977, 177, 11, 29];

function tableOfClasses(classIds: readonly number[]): SampleTable {
  const table = {
    ...emptySampleTable(classIds.length),
    names: textColumnOf(classIds.map((_, i) => `${i}.jpg`)),
  };
  classIds.forEach((c, i) => {
    table.classIds[i] = c;
  });
  return table;
}

const rafce = tableOfClasses(RAFCE_COUNTS.flatMap((n, c) => new Array<number>(n).fill(c)));
const allOf = (table: SampleTable) => Int32Array.from({ length: table.count }, (_, i) => i);

function classCounts(table: SampleTable, samples: Int32Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (const i of samples)
    counts.set(table.classIds[i] as number, (counts.get(table.classIds[i] as number) ?? 0) + 1);
  return counts;
}

describe('ReviewSetSchema', () => {
  const base = {
    id: 'rs1',
    datasetId: 'ds',
    name: 'First look',
    createdAt: 1,
    kind: 'random' as const,
    seed: 42,
    stratified: true,
  };
  it.each([
    ['a built set', newReviewSet(base, Int32Array.of(3, 1, 2)), true],
    ['an empty set', newReviewSet({ ...base, kind: 'filter', seed: undefined }, []), true],
    ['size not the sample count', { ...newReviewSet(base, [1, 2]), size: 3 }, false],
    ['random without seed', newReviewSet({ ...base, seed: undefined }, [1]), false],
    ['a sample twice', newReviewSet(base, [1, 2, 1]), false],
    ['a negative index', newReviewSet(base, [-1]), false],
    ['a blank name', newReviewSet({ ...base, name: '  ' }, [1]), false],
    ['another version', { ...newReviewSet(base, [1]), version: 2 }, false],
    [
      'stratified by subject, at most 3 frames a video',
      newReviewSet({ ...base, strata: 'subject', maxPerVideo: 3 }, [1]),
      true,
    ],
    ['an unknown stratum', { ...newReviewSet(base, [1]), strata: 'video' }, false],
    ['at most 0 frames a video', newReviewSet({ ...base, maxPerVideo: 0 }, [1]), false],
    ['at most 1.5 frames a video', newReviewSet({ ...base, maxPerVideo: 1.5 }, [1]), false],
  ])('%s: valid %s', (_name, set, valid) => {
    expect(ReviewSetSchema.safeParse(set).success).toBe(valid);
  });

  it('newReviewSet fills version and size and stores a plain array', () => {
    const set = newReviewSet(base, Int32Array.of(5, 4));
    expect(set).toMatchObject({ version: 1, size: 2, samples: [5, 4] });
    expect(Array.isArray(set.samples)).toBe(true);
  });
});

describe('stratifiedAllocation', () => {
  it.each([
    { populations: [10, 10, 10], size: 6, expected: [2, 2, 2] },
    { populations: [977, 11, 29], size: 10, expected: [8, 1, 1] }, // shares 9.6, 0.1, 0.3
    { populations: [50, 30, 20], size: 10, expected: [5, 3, 2] },
    { populations: [45, 35, 20], size: 10, expected: [5, 3, 2] }, // 4.5 wins the tie on size
    { populations: [3, 0, 7], size: 4, expected: [1, 0, 3] },
    { populations: [5, 5], size: 1, expected: [1, 0] }, // too small for one each: plain shares
    { populations: [100, 1, 1, 1], size: 2, expected: [2, 0, 0, 0] },
    { populations: [100, 1, 1, 1], size: 4, expected: [1, 1, 1, 1] },
    { populations: [4, 2], size: 6, expected: [4, 2] },
    { populations: [4, 2], size: 60, expected: [4, 2] },
    { populations: [4, 2], size: 0, expected: [0, 0] },
    { populations: [], size: 5, expected: [] },
  ])('$populations, $size -> $expected', ({ populations, size, expected }) => {
    expect(stratifiedAllocation(populations, size)).toEqual(expected);
  });

  it('RAF-CE, 20 samples: every class at least once, the large ones more', () => {
    const allocation = stratifiedAllocation(RAFCE_COUNTS, 20);
    expect(allocation.reduce((a, b) => a + b)).toBe(20);
    expect(Math.min(...allocation)).toBe(1);
    expect(allocation[10]).toBeGreaterThanOrEqual(allocation[12] as number);
  });

  it.each([-1, 1.5, NaN])('refuses size %d', (size) => {
    expect(() => stratifiedAllocation([1, 2], size)).toThrow(RangeError);
  });

  const populationsArb = fc.array(fc.nat(400), { maxLength: 16 });
  it('sums to min(size, total), never exceeds a stratum, one each when size allows', () => {
    fc.assert(
      fc.property(populationsArb, fc.nat(2000), (populations, size) => {
        const allocation = stratifiedAllocation(populations, size);
        const total = populations.reduce((a, b) => a + b, 0);
        expect(allocation.reduce((a, b) => a + b, 0)).toBe(Math.min(size, total));
        const nonEmpty = populations.filter((n) => n > 0).length;
        allocation.forEach((a, i) => {
          const n = populations[i] as number;
          expect(a).toBeGreaterThanOrEqual(0);
          expect(a).toBeLessThanOrEqual(n);
          if (size >= nonEmpty && n > 0) expect(a).toBeGreaterThanOrEqual(1);
        });
      }),
    );
  });

  it('is proportional: within one of each share when no share is below one', () => {
    fc.assert(
      fc.property(populationsArb, fc.nat(2000), (populations, size) => {
        const total = populations.reduce((a, b) => a + b, 0);
        if (size >= total) return;
        const shares = populations.map((n) => (size * n) / total);
        if (shares.some((q, i) => q < 1 && (populations[i] as number) > 0)) return;
        stratifiedAllocation(populations, size).forEach((a, i) => {
          expect(Math.abs(a - (shares[i] as number))).toBeLessThan(1);
        });
      }),
    );
  });

  it('a larger stratum never gets fewer than a smaller one', () => {
    fc.assert(
      fc.property(populationsArb, fc.nat(2000), (populations, size) => {
        const allocation = stratifiedAllocation(populations, size);
        populations.forEach((n, i) =>
          populations.forEach((m, j) => {
            if (n > m) expect(allocation[i]).toBeGreaterThanOrEqual(allocation[j] as number);
          }),
        );
      }),
    );
  });
});

describe('randomStratifiedSample', () => {
  it('draws the same set in the same order for the same seed', () => {
    const a = randomStratifiedSample(rafce, allOf(rafce), 20, 1234);
    const b = randomStratifiedSample(rafce, allOf(rafce), 20, 1234);
    expect(a).toEqual(b);
    expect(randomStratifiedSample(rafce, allOf(rafce), 20, 1235)).not.toEqual(a);
  });

  it('RAF-CE, 20 samples: every class, in the allocated numbers, no duplicates', () => {
    const sample = randomStratifiedSample(rafce, allOf(rafce), 20, 99);
    expect(sample.length).toBe(20);
    expect(new Set(sample).size).toBe(20);
    const counts = classCounts(rafce, sample);
    const allocation = stratifiedAllocation(RAFCE_COUNTS, 20);
    RAFCE_COUNTS.forEach((_, c) => expect(counts.get(c)).toBe(allocation[c]));
  });

  it('interleaves the classes rather than listing them class by class', () => {
    const sample = randomStratifiedSample(rafce, allOf(rafce), 40, 5);
    const classes = Array.from(sample, (i) => rafce.classIds[i] as number);
    expect(classes).not.toEqual([...classes].sort((a, b) => a - b));
  });

  it.each([
    { name: 'more asked than there are', size: 50, expected: 6 },
    { name: 'exactly all', size: 6, expected: 6 },
    { name: 'none', size: 0, expected: 0 },
  ])('$name', ({ size, expected }) => {
    const table = tableOfClasses([0, 0, 1, 1, -1, 2]);
    const sample = randomStratifiedSample(table, allOf(table), size, 3);
    expect(sample.length).toBe(expected);
    expect(new Set(sample).size).toBe(expected);
  });

  it('samples without a class form their own stratum', () => {
    const table = tableOfClasses([0, 0, 0, 0, -1, -1, -1, -1]);
    expect(classCounts(table, randomStratifiedSample(table, allOf(table), 4, 1)).get(-1)).toBe(2);
  });

  it('refuses candidates outside the table', () => {
    const table = tableOfClasses([0, 1]);
    expect(() => randomStratifiedSample(table, Int32Array.of(0, 2), 1, 1)).toThrow(RangeError);
  });

  const caseArb = fc
    .record({
      classIds: fc.array(fc.integer({ min: -1, max: 6 }), { minLength: 1, maxLength: 200 }),
      size: fc.nat(220),
      seed: fc.nat(),
    })
    .chain((c) =>
      fc.record({
        c: fc.constant(c),
        candidates: fc.subarray(Array.from({ length: c.classIds.length }, (_, i) => i)),
        shuffleSeed: fc.nat(),
      }),
    );

  it('is deterministic, independent of the candidates order, and stratified as allocated', () => {
    fc.assert(
      fc.property(caseArb, ({ c, candidates, shuffleSeed }) => {
        const table = tableOfClasses(c.classIds);
        const ordered = Int32Array.from(candidates);
        const shuffled = ordered.slice();
        const random = seededRandom(shuffleSeed);
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [shuffled[i], shuffled[j]] = [shuffled[j] as number, shuffled[i] as number];
        }
        const sample = randomStratifiedSample(table, ordered, c.size, c.seed);
        expect(randomStratifiedSample(table, ordered, c.size, c.seed)).toEqual(sample);
        expect(randomStratifiedSample(table, shuffled, c.size, c.seed)).toEqual(sample);

        expect(sample.length).toBe(Math.min(c.size, candidates.length));
        expect(new Set(sample).size).toBe(sample.length);
        const allowed = new Set(candidates);
        for (const i of sample) expect(allowed.has(i)).toBe(true);

        const strata = [...classCounts(table, ordered).entries()].sort((a, b) => a[0] - b[0]);
        const allocation = stratifiedAllocation(
          strata.map(([, n]) => n),
          Math.min(c.size, candidates.length),
        );
        const got = classCounts(table, sample);
        strata.forEach(([classId], k) => expect(got.get(classId) ?? 0).toBe(allocation[k]));
      }),
    );
  });
});

describe('worstFirst', () => {
  const score = Float32Array.of(0.5, NaN, 0.1, 0.5, 1, NaN, 0);
  const all = Int32Array.from({ length: score.length }, (_, i) => i);
  it.each([
    {
      name: 'lowest first, ties by index, NaN last',
      candidates: all,
      size: 7,
      expected: [6, 2, 0, 3, 4, 1, 5],
    },
    { name: 'cut to size', candidates: all, size: 3, expected: [6, 2, 0] },
    {
      name: 'NaN reached when scores run out',
      candidates: all,
      size: 6,
      expected: [6, 2, 0, 3, 4, 1],
    },
    {
      name: 'candidate order does not matter',
      candidates: Int32Array.of(5, 3, 1, 0),
      size: 4,
      expected: [0, 3, 1, 5],
    },
    { name: 'size beyond candidates', candidates: Int32Array.of(4, 2), size: 10, expected: [2, 4] },
    { name: 'size 0', candidates: all, size: 0, expected: [] },
    { name: 'no candidates', candidates: new Int32Array(0), size: 5, expected: [] },
  ])('$name', ({ candidates, size, expected }) => {
    expect(Array.from(worstFirst(candidates, score, size))).toEqual(expected);
  });
});

describe('everything', () => {
  it('keeps the candidates order in a copy', () => {
    const candidates = Int32Array.of(4, 1, 3);
    const set = everything(candidates);
    expect(Array.from(set)).toEqual([4, 1, 3]);
    expect(set).not.toBe(candidates);
  });
});

describe('reviewProgress and nextUnreviewed', () => {
  const table = tableOfRaw([
    { classId: 0 },
    { classId: 0 },
    { classId: 1 },
    { classId: 1 },
    { classId: 2 },
  ]);
  const final = resolveFinalLabels(table, [
    decision({ id: 'a', sample: 1, kind: 'accept' }),
    decision({ id: 'b', sample: 3, kind: 'flag', flagReason: 'other' }),
    decision({ id: 'c', sample: 4, kind: 'discard' }),
  ]);
  const set = { samples: [3, 0, 1, 2] };

  it('counts the set samples that have a decision', () => {
    expect(reviewProgress(set, final)).toEqual({ reviewed: 2, total: 4 });
    expect(reviewProgress({ samples: [] }, final)).toEqual({ reviewed: 0, total: 0 });
  });

  it.each([
    [0, 1],
    [1, 1],
    [2, 3],
    [3, 3],
    [4, 1], // wraps
  ])('from position %i the next untouched is at %i', (from, expected) => {
    expect(nextUnreviewed(set, final, from)).toBe(expected);
  });

  it('is -1 when everything is reviewed', () => {
    expect(nextUnreviewed({ samples: [1, 3, 4] }, final)).toBe(-1);
  });
});

describe('worstFirst, against a plain sort', () => {
  it('picks and orders like sorting everything (heap and sort paths)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constant(NaN),
            fc.constantFrom(0, 0.25, 0.5, 1),
            fc.float({ min: 0, max: 1, noNaN: true }),
          ),
          {
            maxLength: 300,
          },
        ),
        fc.nat(320),
        (scores, size) => {
          const score = Float32Array.from(scores);
          const candidates = Int32Array.from(scores.keys()).reverse();
          const expected = Array.from(candidates)
            .sort((a, b) => {
              const sa = score[a] as number;
              const sb = score[b] as number;
              if (Number.isNaN(sa) || Number.isNaN(sb)) {
                return Number.isNaN(sa) === Number.isNaN(sb) ? a - b : Number.isNaN(sa) ? 1 : -1;
              }
              return sa - sb || a - b;
            })
            .slice(0, size);
          expect(Array.from(worstFirst(candidates, score, size))).toEqual(expected);
        },
      ),
    );
  });
});

/** A frame dataset: per video, its subject and frame count; names `<video>/<frame>.jpg`. */
function frameDataset(videos: readonly { video: string; frames: number; classId?: number }[]): {
  table: SampleTable;
  groups: FrameGroups;
} {
  const names = videos.flatMap(({ video, frames }) =>
    Array.from({ length: frames }, (_, f) => `${video}/${String(f + 1).padStart(5, '0')}.jpg`),
  );
  const table = {
    ...tableOfClasses(
      videos.flatMap(({ frames, classId }) => new Array<number>(frames).fill(classId ?? 0)),
    ),
    names: textColumnOf(names),
  };
  // A made-up subject rule: the video name's part before '_'; 'still' videos say none.
  const groups = groupFrames(table.names, (video) =>
    video.startsWith('anon') ? null : (video.split('_')[0] ?? null),
  );
  return { table, groups };
}

function perVideo(groups: FrameGroups, samples: ArrayLike<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const i of Array.from(samples)) {
    const v = groups.videoOf[i] as number;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

describe('capPerVideo', () => {
  const { groups } = frameDataset([
    { video: 'S1_T1', frames: 10 },
    { video: 'S1_T2', frames: 2 },
  ]);
  const all = Int32Array.from({ length: 12 }, (_, i) => i);

  it.each([
    {
      name: 'a long video is cut to k',
      k: 2,
      expected: new Map([
        [0, 2],
        [1, 2],
      ]),
    },
    {
      name: 'a short video is kept whole',
      k: 3,
      expected: new Map([
        [0, 3],
        [1, 2],
      ]),
    },
    {
      name: 'k of one',
      k: 1,
      expected: new Map([
        [0, 1],
        [1, 1],
      ]),
    },
  ])('$name', ({ k, expected }) => {
    expect(perVideo(groups, capPerVideo(groups, all, k, seededRandom(1)))).toEqual(expected);
  });

  it('spreads the kept frames over the video: one from each run of frames', () => {
    for (let seed = 0; seed < 20; seed++) {
      const kept = Array.from(capPerVideo(groups, all.subarray(0, 10), 2, seededRandom(seed)));
      // Frames 1-5 are one run, 6-10 the other.
      expect(kept.length).toBe(2);
      expect(kept[0]).toBeLessThan(5);
      expect(kept[1]).toBeGreaterThanOrEqual(5);
    }
  });

  it('only looks at the candidates, and keeps the samples of no video', () => {
    const mixed = {
      ...groups,
      videoOf: Int32Array.from([...groups.videoOf.subarray(0, 11), -1]),
    };
    const kept = capPerVideo(mixed, Int32Array.of(11, 3, 1), 1, seededRandom(4));
    expect(Array.from(kept)).toHaveLength(2);
    expect(Array.from(kept)).toContain(11);
  });

  it.each([0, -1, 2.5])('refuses at most %d frames', (k) => {
    expect(() => capPerVideo(groups, all, k, seededRandom(1))).toThrow(RangeError);
  });
});

describe('randomStratifiedSample of frames', () => {
  // Subject S1 talks a lot: 600 frames; S2 and S3 far fewer; 'anon' has no subject.
  const { table, groups } = frameDataset([
    { video: 'S1_T1', frames: 400, classId: 0 },
    { video: 'S1_T2', frames: 200, classId: 1 },
    { video: 'S2_T1', frames: 30, classId: 0 },
    { video: 'S3_T1', frames: 8, classId: 1 },
    { video: 'anon1', frames: 12, classId: 0 },
  ]);
  const subjectCounts = (samples: Int32Array) => {
    const counts = new Map<number, number>();
    for (const i of samples) {
      const s = groups.subjectOf[i] as number;
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    return counts;
  };

  it('by subject: each subject in its allocated number, no subject its own stratum', () => {
    const sample = randomStratifiedSample(table, allOf(table), 20, 7, {
      strata: 'subject',
      groups,
    });
    // Strata in slot order: no subject (12), S1 (600), S2 (30), S3 (8).
    const allocation = stratifiedAllocation([12, 600, 30, 8], 20);
    expect(subjectCounts(sample)).toEqual(
      new Map([
        [-1, allocation[0]],
        [0, allocation[1]],
        [1, allocation[2]],
        [2, allocation[3]],
      ]),
    );
  });

  it('without the groups, refuses subjects and a cap', () => {
    expect(() =>
      randomStratifiedSample(table, allOf(table), 5, 1, { strata: 'subject' }),
    ).toThrow();
    expect(() => randomStratifiedSample(table, allOf(table), 5, 1, { maxPerVideo: 2 })).toThrow();
  });

  it('a cap leaves the class draw as it was when no video is cut', () => {
    const plain = randomStratifiedSample(table, allOf(table), 20, 3);
    const capped = randomStratifiedSample(table, allOf(table), 20, 3, {
      groups,
      maxPerVideo: 1000,
    });
    expect(capped).toEqual(plain);
  });

  it.each([
    { strata: 'class' as const, k: 3, size: 100, expected: 15 }, // 5 videos x 3
    { strata: 'subject' as const, k: 1, size: 100, expected: 5 },
    { strata: 'subject' as const, k: 50, size: 20, expected: 20 },
  ])('$strata, at most $k a video, $size asked: $expected', ({ strata, k, size, expected }) => {
    const sample = randomStratifiedSample(table, allOf(table), size, 11, {
      strata,
      groups,
      maxPerVideo: k,
    });
    expect(sample.length).toBe(expected);
    for (const n of perVideo(groups, sample).values()) expect(n).toBeLessThanOrEqual(k);
  });

  const caseArb = fc.record({
    videos: fc.array(
      fc.record({
        subject: fc.constantFrom('S1', 'S2', 'S3', 'anon'),
        frames: fc.integer({ min: 1, max: 40 }),
        classId: fc.integer({ min: -1, max: 3 }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    k: fc.integer({ min: 1, max: 6 }),
    size: fc.nat(80),
    seed: fc.nat(),
    strata: fc.constantFrom('class' as const, 'subject' as const),
    keep: fc.double({ min: 0.2, max: 1, noNaN: true }),
  });

  it('never takes more than k frames of a video; deterministic; only candidates', () => {
    fc.assert(
      fc.property(caseArb, ({ videos, k, size, seed, strata, keep }) => {
        const { table: t, groups: g } = frameDataset(
          videos.map((v, n) => ({
            video: `${v.subject}_T${n}`,
            frames: v.frames,
            classId: v.classId,
          })),
        );
        const pick = seededRandom(seed + 1);
        const candidates = Int32Array.from(
          Array.from({ length: t.count }, (_, i) => i).filter(() => pick() < keep),
        );
        const options = { strata, groups: g, maxPerVideo: k };
        const sample = randomStratifiedSample(t, candidates, size, seed, options);
        for (const n of perVideo(g, sample).values()) expect(n).toBeLessThanOrEqual(k);
        expect(randomStratifiedSample(t, candidates, size, seed, options)).toEqual(sample);
        expect(
          randomStratifiedSample(t, candidates.slice().reverse(), size, seed, options),
        ).toEqual(sample);
        expect(new Set(sample).size).toBe(sample.length);
        const allowed = new Set(candidates);
        for (const i of sample) expect(allowed.has(i)).toBe(true);
        // As many as asked, unless the cap leaves fewer.
        let pool = 0;
        for (let v = 0; v < g.videos.length; v++) {
          const here = Array.from(candidates).filter((i) => g.videoOf[i] === v).length;
          pool += Math.min(here, k);
        }
        expect(sample.length).toBe(Math.min(size, pool));
      }),
    );
  });
});

describe('worstFirst with at most k frames a video', () => {
  /** The plain way: sort everything worst first, NaN last, and pass over full videos. */
  function greedy(
    candidates: Int32Array,
    score: Float32Array,
    size: number,
    videoOf: Int32Array,
    k: number,
  ): number[] {
    const ordered = Array.from(candidates).sort((a, b) => {
      const sa = score[a] as number;
      const sb = score[b] as number;
      if (Number.isNaN(sa) || Number.isNaN(sb))
        return Number.isNaN(sa) === Number.isNaN(sb) ? a - b : Number.isNaN(sa) ? 1 : -1;
      return sa - sb || a - b;
    });
    const taken: number[] = [];
    const counts = new Map<number, number>();
    for (const i of ordered) {
      if (taken.length >= size) break;
      const v = videoOf[i] as number;
      if (v >= 0 && (counts.get(v) ?? 0) >= k) continue;
      if (v >= 0) counts.set(v, (counts.get(v) ?? 0) + 1);
      taken.push(i);
    }
    return taken;
  }

  it.each([
    { name: 'the worst of each video first', size: 3, k: 1, expected: [0, 3, 5] },
    { name: 'two a video, scored before unscored', size: 4, k: 2, expected: [0, 1, 3, 4] },
    { name: 'fewer than asked when the videos run out', size: 9, k: 1, expected: [0, 3, 5] },
  ])('$name', ({ size, k, expected }) => {
    // Video 0: samples 0-2 (worst), video 1: 3-4, video 2: 5 (unscored).
    const videoOf = Int32Array.of(0, 0, 0, 1, 1, 2);
    const score = Float32Array.of(0, 0.1, 0.2, 0.3, 0.4, NaN);
    const all = Int32Array.from({ length: 6 }, (_, i) => i);
    expect(Array.from(worstFirst(all, score, size, { videoOf, maxPerVideo: k }))).toEqual(expected);
  });

  it('picks as the plain sort does, and no video exceeds k', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            score: fc.oneof(
              fc.constant(NaN),
              fc.constantFrom(0, 0.5, 1),
              fc.float({ min: 0, max: 1, noNaN: true }),
            ),
            video: fc.integer({ min: -1, max: 5 }),
          }),
          { maxLength: 300 },
        ),
        fc.nat(320),
        fc.integer({ min: 1, max: 8 }),
        (rows, size, k) => {
          const score = Float32Array.from(rows, (r) => r.score);
          const videoOf = Int32Array.from(rows, (r) => r.video);
          const candidates = Int32Array.from(rows.keys()).reverse();
          const got = Array.from(worstFirst(candidates, score, size, { videoOf, maxPerVideo: k }));
          expect(got).toEqual(greedy(candidates, score, size, videoOf, k));
          const counts = new Map<number, number>();
          for (const i of got)
            counts.set(videoOf[i] as number, (counts.get(videoOf[i] as number) ?? 0) + 1);
          for (const [v, n] of counts) if (v >= 0) expect(n).toBeLessThanOrEqual(k);
        },
      ),
    );
  });
});
