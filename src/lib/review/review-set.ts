import { z } from 'zod';
import type { FrameGroups } from '../labels/groups';
import type { SampleTable } from '../labels/types';
import { seededRandom } from '../random/seeded-random';
import { SampleState, type FinalLabels } from './decision';

/**
 * Review sets: which samples a reviewer goes through, in which order. The reference's
 * first step is "inspect 10-20 samples by hand"; a seeded, class-stratified sample
 * makes that inspection fair to rare classes (RAF-CE has 977 vs 11 samples) and
 * repeatable by a colleague with the same seed.
 */

export const REVIEW_SET_VERSION = 1;

export const ReviewSetKindSchema = z.enum(['random', 'worst-first', 'filter']);
export type ReviewSetKind = z.infer<typeof ReviewSetKindSchema>;

/**
 * What a random set is stratified by: the emotion class, or (frame datasets) the
 * subject, so that one talkative person's thousands of frames do not fill the set.
 */
export const ReviewStrataSchema = z.enum(['class', 'subject']);
export type ReviewStrata = z.infer<typeof ReviewStrataSchema>;

export const ReviewSetSchema = z
  .object({
    version: z.literal(REVIEW_SET_VERSION),
    id: z.string().min(1),
    datasetId: z.string().min(1),
    name: z.string().trim().min(1),
    /** Milliseconds since the epoch. */
    createdAt: z.number(),
    kind: ReviewSetKindSchema,
    /** The PRNG seed of a 'random' set (uint32), so the same set can be drawn again. */
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    /** Number of samples in the set (samples.length; may be below the size asked for). */
    size: z.number().int().min(0),
    /** Sample indices in review order, each once. */
    samples: z.array(z.number().int().min(0)),
    stratified: z.boolean(),
    /** The classes the candidates were restricted to, if any (for display). */
    classIds: z.array(z.number().int()).optional(),
    /** What a stratified set's strata are; absent (sets made before subjects): class. */
    strata: ReviewStrataSchema.optional(),
    /** Frame datasets: at most this many frames of one video were taken; absent: no cap. */
    maxPerVideo: z.number().int().min(1).optional(),
  })
  .refine((set) => set.samples.length === set.size, {
    message: 'size must equal the number of samples',
    path: ['size'],
  })
  .refine((set) => set.kind !== 'random' || set.seed !== undefined, {
    message: 'a random set needs its seed',
    path: ['seed'],
  })
  .refine((set) => !hasDuplicate(set.samples), {
    message: 'a sample appears twice',
    path: ['samples'],
  });
export type ReviewSet = z.infer<typeof ReviewSetSchema>;

function hasDuplicate(samples: readonly number[]): boolean {
  let max = -1;
  for (const s of samples) if (s > max) max = s;
  const seen = new Uint8Array(max + 1);
  for (const s of samples) {
    if (seen[s]) return true;
    seen[s] = 1;
  }
  return false;
}

/** Everything a review set needs besides its samples; version and size are filled in. */
export interface ReviewSetInit {
  id: string;
  datasetId: string;
  name: string;
  createdAt: number;
  kind: ReviewSetKind;
  seed?: number;
  stratified: boolean;
  classIds?: number[];
  strata?: ReviewStrata;
  maxPerVideo?: number;
}

/** A review set record from a builder's output (no zod pass: a million-sample set would pay for it). */
export function newReviewSet(init: ReviewSetInit, samples: ArrayLike<number>): ReviewSet {
  return {
    version: REVIEW_SET_VERSION,
    ...init,
    size: samples.length,
    samples: Array.from(samples),
  };
}

/** Moves a uniform random choice of `take` elements to the front of arr[start, end). */
function partialShuffle(
  arr: Int32Array,
  start: number,
  end: number,
  take: number,
  random: () => number,
): void {
  for (let j = 0; j < take; j++) {
    const k = start + j + Math.floor(random() * (end - start - j));
    const t = arr[start + j] as number;
    arr[start + j] = arr[k] as number;
    arr[k] = t;
  }
}

// ---------------------------------------------------------------------------
// Stratified allocation

/**
 * How many samples to take from each stratum, given the stratum sizes: proportional
 * (Hamilton / largest remainder), and, when `size` is at least the number of
 * non-empty strata, at least one from each. Strata whose proportional share is below
 * one get exactly one and leave the apportionment; the rest of `size` is shared among
 * the others in proportion, repeated until every remaining share is at least one.
 * Ties in the remainder go to the larger stratum, then the earlier one. The result
 * never exceeds a stratum's size and sums to min(size, total).
 */
export function stratifiedAllocation(populations: readonly number[], size: number): number[] {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`size ${size} is not a count`);
  const k = populations.length;
  const total = populations.reduce((sum, n) => sum + n, 0);
  const allocation = new Array<number>(k).fill(0);
  if (size >= total) return [...populations];
  const nonEmpty = populations.flatMap((n, i) => (n > 0 ? [i] : []));
  let remaining = nonEmpty;
  let budget = size;
  if (size >= nonEmpty.length) {
    for (;;) {
      const pool = remaining.reduce((sum, i) => sum + (populations[i] as number), 0);
      const small = remaining.filter((i) => (budget * (populations[i] as number)) / pool < 1);
      if (small.length === 0) break;
      for (const i of small) allocation[i] = 1;
      budget -= small.length;
      remaining = remaining.filter((i) => allocation[i] === 0);
    }
  }
  const pool = remaining.reduce((sum, i) => sum + (populations[i] as number), 0);
  if (pool === 0 || budget === 0) return allocation;
  const remainders: { i: number; rest: number }[] = [];
  let given = 0;
  for (const i of remaining) {
    const quota = (budget * (populations[i] as number)) / pool;
    const whole = Math.floor(quota);
    allocation[i] = whole;
    given += whole;
    remainders.push({ i, rest: quota - whole });
  }
  remainders.sort(
    (a, b) =>
      b.rest - a.rest || (populations[b.i] as number) - (populations[a.i] as number) || a.i - b.i,
  );
  for (let r = 0; r < budget - given; r++) {
    const entry = remainders[r % remainders.length] as { i: number };
    allocation[entry.i] = (allocation[entry.i] as number) + 1;
  }
  return allocation;
}

// ---------------------------------------------------------------------------
// Builders: each returns sample indices in review order.

const CLASS_OFFSET = 32768; // Int16 class id -> 0..65535 slot
const CLASS_SLOTS = 65536;

/** What a frame dataset adds to drawing a set (labels/groups.ts). */
export type SetGroups = Pick<
  FrameGroups,
  'videoOf' | 'subjectOf' | 'subjects' | 'frameOrder' | 'videoStart'
>;

export interface RandomSetOptions {
  /** 'class' (the default) or 'subject' (needs groups). */
  strata?: ReviewStrata;
  /** The dataset's videos and subjects; null or absent for stills. */
  groups?: SetGroups | null;
  /** At most this many frames of one video (needs groups); absent: no cap. */
  maxPerVideo?: number;
}

/**
 * A seeded random sample of `size` candidates, stratified by class (samples without
 * an emotion label, class -1, form their own stratum) or by subject (samples of no
 * known subject form their own). The result depends only on the candidate SET, the
 * size, the seed and the options (candidates are sorted first, so a filter's sort
 * order does not change the draw). Review order is a seeded shuffle, so strata are
 * interleaved and a reviewer does not judge 20 samples of one class in a row. With
 * maxPerVideo, each video's candidates are first thinned to that many (see
 * capPerVideo), so that a set of 20 is not 20 near-identical frames.
 * O(candidates log candidates) for the sort, then O(candidates + strata).
 */
export function randomStratifiedSample(
  table: SampleTable,
  candidates: Int32Array,
  size: number,
  seed: number,
  options: RandomSetOptions = {},
): Int32Array {
  let sorted: Int32Array = candidates.slice().sort();
  for (const i of sorted)
    if (i < 0 || i >= table.count) throw new RangeError(`candidate ${i} is outside the table`);
  const groups = options.groups ?? null;
  if (options.maxPerVideo !== undefined) {
    if (!groups) throw new Error('randomStratifiedSample: a cap per video needs the groups');
    // Its own stream, so that the draw below is the same function of the seed as without a cap.
    sorted = capPerVideo(groups, sorted, options.maxPerVideo, seededRandom(seed ^ CAP_STREAM));
  }
  const bySubject = options.strata === 'subject';
  if (bySubject && !groups) throw new Error('randomStratifiedSample: subjects need the groups');
  const subjectOf = groups?.subjectOf;
  const slotCount = bySubject ? (groups as SetGroups).subjects.length + 1 : CLASS_SLOTS;
  // Strata in slot order: class id order, or subject order with "no subject" first.
  const slotOf =
    bySubject && subjectOf
      ? (i: number) => (subjectOf[i] as number) + 1
      : (i: number) => (table.classIds[i] as number) + CLASS_OFFSET;

  const m = sorted.length;
  const counts = new Int32Array(slotCount);
  for (let j = 0; j < m; j++) {
    const slot = slotOf(sorted[j] as number);
    counts[slot] = (counts[slot] as number) + 1;
  }
  // Bucket the candidates by stratum, in index order.
  const slots: number[] = [];
  for (let s = 0; s < slotCount; s++) if ((counts[s] as number) > 0) slots.push(s);
  const start = new Int32Array(slotCount);
  let offset = 0;
  for (const s of slots) {
    start[s] = offset;
    offset += counts[s] as number;
  }
  const bucketed = new Int32Array(m);
  const fill = start.slice();
  for (let j = 0; j < m; j++) {
    const i = sorted[j] as number;
    const slot = slotOf(i);
    bucketed[fill[slot] as number] = i;
    fill[slot] = (fill[slot] as number) + 1;
  }

  const allocation = stratifiedAllocation(
    slots.map((s) => counts[s] as number),
    Math.min(size, m),
  );
  const random = seededRandom(seed);
  const chosen = new Int32Array(allocation.reduce((sum, a) => sum + a, 0));
  let c = 0;
  slots.forEach((s, k) => {
    const from = start[s] as number;
    const take = allocation[k] as number;
    partialShuffle(bucketed, from, from + (counts[s] as number), take, random);
    chosen.set(bucketed.subarray(from, from + take), c);
    c += take;
  });
  partialShuffle(chosen, 0, chosen.length, chosen.length, random);
  return chosen;
}

/** Mixed into the seed for capPerVideo's stream. */
const CAP_STREAM = 0x5bd1e995;

/**
 * The candidates with at most `maxPerVideo` of each video, ascending. A video with
 * more is cut, in frame order, into maxPerVideo runs of (nearly) equal length, and one
 * frame is drawn from each run: the kept frames spread over the video rather than
 * bunching where the face barely moves. Samples of no video are all kept.
 * O(frames of the dataset).
 */
export function capPerVideo(
  groups: Pick<SetGroups, 'videoOf' | 'frameOrder' | 'videoStart'>,
  candidates: Int32Array,
  maxPerVideo: number,
  random: () => number,
): Int32Array {
  if (!Number.isInteger(maxPerVideo) || maxPerVideo < 1)
    throw new RangeError(`at most ${maxPerVideo} frames per video is not a count`);
  const count = groups.videoOf.length;
  const wanted = new Uint8Array(count);
  const out = new Int32Array(candidates.length);
  let n = 0;
  for (const i of candidates) {
    if (i < 0 || i >= count) throw new RangeError(`candidate ${i} is outside the table`);
    if ((groups.videoOf[i] as number) < 0) out[n++] = i;
    else wanted[i] = 1;
  }
  const run = new Int32Array(candidates.length);
  const videos = groups.videoStart.length - 1;
  for (let v = 0; v < videos; v++) {
    let c = 0;
    for (let p = groups.videoStart[v] as number; p < (groups.videoStart[v + 1] as number); p++) {
      const i = groups.frameOrder[p] as number;
      if (wanted[i] === 1) run[c++] = i;
    }
    if (c <= maxPerVideo) {
      out.set(run.subarray(0, c), n);
      n += c;
      continue;
    }
    for (let j = 0; j < maxPerVideo; j++) {
      const from = Math.floor((j * c) / maxPerVideo);
      const to = Math.floor(((j + 1) * c) / maxPerVideo);
      out[n++] = run[from + Math.floor(random() * (to - from))] as number;
    }
  }
  return out.slice(0, n).sort();
}

/**
 * The `size` candidates with the lowest check score (0 = surely wrong), ascending,
 * ties by sample index. NaN scores (AU label `null` or absent, or no rule for the
 * class) come LAST, in index order: they carry no evidence of a wrong label, and
 * uncoded samples are better reviewed as their own set (filter nullOnly), as
 * filter.ts's 'score-asc' also orders them. A small set out of a large dataset is
 * picked with a bounded heap, O(n log size), rather than by sorting everything.
 */
export function worstFirst(
  candidates: Int32Array,
  score: Float32Array,
  size: number,
  /** At most maxPerVideo samples of one video (videoOf: per sample, -1 for none). */
  cap?: { videoOf: Int32Array; maxPerVideo: number },
): Int32Array {
  if (cap) return worstFirstCapped(candidates, score, size, cap.videoOf, cap.maxPerVideo);
  const scored = new Int32Array(candidates.length);
  const unscored = new Int32Array(candidates.length);
  let ns = 0;
  let nu = 0;
  for (const i of candidates) {
    const s = score[i];
    if (s === undefined || Number.isNaN(s)) unscored[nu++] = i;
    else scored[ns++] = i;
  }
  const out = new Int32Array(Math.min(Math.max(0, size), candidates.length));
  const fromScored = Math.min(out.length, ns);
  const before = (a: number, b: number) => {
    const sa = score[a] as number;
    const sb = score[b] as number;
    return sa < sb || (sa === sb && a < b);
  };
  const best =
    fromScored * 8 < ns
      ? smallestK(scored.subarray(0, ns), fromScored, before)
      : scored.subarray(0, ns);
  best.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  out.set(best.subarray(0, fromScored));
  if (fromScored < out.length) {
    out.set(
      unscored
        .subarray(0, nu)
        .sort()
        .subarray(0, out.length - fromScored),
      fromScored,
    );
  }
  return out;
}

/**
 * worstFirst taking at most maxPerVideo of each video: down the worst-first order, a
 * sample whose video has its share already is passed over. The heap looks at the
 * worst `size` first and, when capped videos leave the set short, at four times more,
 * and so on: a few rounds of O(n log k) rather than a sort of everything.
 */
function worstFirstCapped(
  candidates: Int32Array,
  score: Float32Array,
  size: number,
  videoOf: Int32Array,
  maxPerVideo: number,
): Int32Array {
  if (!Number.isInteger(maxPerVideo) || maxPerVideo < 1)
    throw new RangeError(`at most ${maxPerVideo} frames per video is not a count`);
  const want = Math.min(Math.max(0, size), candidates.length);
  const scored = new Int32Array(candidates.length);
  const unscored = new Int32Array(candidates.length);
  let ns = 0;
  let nu = 0;
  for (const i of candidates) {
    const s = score[i];
    if (s === undefined || Number.isNaN(s)) unscored[nu++] = i;
    else scored[ns++] = i;
  }
  const before = (a: number, b: number) => {
    const sa = score[a] as number;
    const sb = score[b] as number;
    return sa < sb || (sa === sb && a < b);
  };
  const out = new Int32Array(want);
  let taken = 0;
  const perVideo = new Map<number, number>();
  const take = (ordered: Int32Array): void => {
    for (let k = 0; k < ordered.length && taken < want; k++) {
      const i = ordered[k] as number;
      const v = videoOf[i] ?? -1;
      if (v >= 0) {
        const had = perVideo.get(v) ?? 0;
        if (had >= maxPerVideo) continue;
        perVideo.set(v, had + 1);
      }
      out[taken++] = i;
    }
  };
  const pool = scored.subarray(0, ns);
  for (let look = Math.max(1, want); ; look *= 4) {
    const all = look * 8 >= ns;
    const best = all ? pool.slice() : smallestK(pool, look, before);
    best.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    taken = 0;
    perVideo.clear();
    take(best);
    if (taken === want || all) break;
  }
  if (taken < want) take(unscored.subarray(0, nu).sort());
  return out.slice(0, taken);
}

/** The k first values under `before`, unordered: a max-heap of the k best so far. */
function smallestK(
  values: Int32Array,
  k: number,
  before: (a: number, b: number) => boolean,
): Int32Array {
  const heap = new Int32Array(k);
  if (k === 0) return heap;
  let n = 0;
  const siftDown = (from: number) => {
    let at = from;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let last = at;
      if (left < n && before(heap[last] as number, heap[left] as number)) last = left;
      if (right < n && before(heap[last] as number, heap[right] as number)) last = right;
      if (last === at) return;
      const t = heap[at] as number;
      heap[at] = heap[last] as number;
      heap[last] = t;
      at = last;
    }
  };
  for (const v of values) {
    if (n < k) {
      // Sift up: the root holds the value that comes last.
      let at = n++;
      heap[at] = v;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!before(heap[parent] as number, heap[at] as number)) break;
        const t = heap[at] as number;
        heap[at] = heap[parent] as number;
        heap[parent] = t;
        at = parent;
      }
    } else if (before(v, heap[0] as number)) {
      heap[0] = v;
      siftDown(0);
    }
  }
  return heap;
}

/** Every candidate, in the candidates' order (e.g. a filter's sort). */
export function everything(candidates: Int32Array): Int32Array {
  return candidates.slice();
}

// ---------------------------------------------------------------------------
// Progress

/** Reviewed = the sample's current state is not 'untouched' (decided in this set or elsewhere). */
export function reviewProgress(
  set: Pick<ReviewSet, 'samples'>,
  final: FinalLabels,
): { reviewed: number; total: number } {
  let reviewed = 0;
  for (const i of set.samples) {
    const state = final.state[i];
    if (state !== undefined && state !== SampleState.untouched) reviewed++;
  }
  return { reviewed, total: set.samples.length };
}

/** Position in the set of the first untouched sample at or after `from` (wrapping), or -1. */
export function nextUnreviewed(
  set: Pick<ReviewSet, 'samples'>,
  final: FinalLabels,
  from = 0,
): number {
  const n = set.samples.length;
  for (let k = 0; k < n; k++) {
    const position = (((from + k) % n) + n) % n;
    const state = final.state[set.samples[position] as number];
    if (state === SampleState.untouched) return position;
  }
  return -1;
}
