/**
 * The built-in demo dataset: synthetic RAF-CE-style label files and aligned face
 * images (SVG), with realistic label noise injected and recorded so that the
 * app's checkers can be measured against it.
 *
 * Pure and deterministic: the same seed and count always give the same bytes.
 */

import { z } from 'zod';
import { BasicEmotionSchema, type BasicEmotion } from '../lib/labels/types';
import { drawFace, makeIdentity, type AuIntensities, type AuSides } from './face';
import {
  EXTRA_AU_RATE,
  EXTRA_AUS,
  hallmarkShows,
  HALLMARKS,
  PROTOTYPICAL_RATE,
  RAF_CE_PROFILES,
  type ClassProfile,
} from './profiles';
import { hashSeed } from '../lib/random/seeded-random';
import { Rng } from './random';

export const DEMO_SEED = 2026;
export const DEMO_COUNT = 200;

export const DEMO_FILES = {
  emotion: 'RAFCE_emolabel.txt',
  au: 'RAFCE_AUlabel.txt',
  split: 'RAFCE_partition.txt',
  noise: 'DEMO_NOISE.json',
} as const;

export const NoiseKindSchema = z.enum(['null-au', 'missing-hallmark', 'class-swap']);
export type NoiseKind = z.infer<typeof NoiseKindSchema>;

const AU_STRING = /^(null|[LRBT]?\d+[A-E]?(\+[LRBT]?\d+[A-E]?)*)$/;

export const InjectedErrorSchema = z.object({
  /** Image name as the label files write it, e.g. `0042.jpg`. */
  name: z.string().regex(/^\d{4,}\.jpg$/),
  kind: NoiseKindSchema,
  trueClassId: z.number().int().min(0).max(13),
  givenClassId: z.number().int().min(0).max(13),
  /** The true AU string (what the face shows). */
  trueAus: z.string().regex(AU_STRING),
  /** The AU string written to RAFCE_AUlabel.txt. */
  givenAus: z.string().regex(AU_STRING),
  /** For 'missing-hallmark': the component whose hallmark AUs were removed. */
  component: BasicEmotionSchema.optional(),
});
export type InjectedError = z.infer<typeof InjectedErrorSchema>;

export const DemoNoiseRecordSchema = z.object({
  version: z.literal(1),
  seed: z.number().int(),
  injected: z.array(InjectedErrorSchema),
});
export type DemoNoiseRecord = z.infer<typeof DemoNoiseRecordSchema>;

export interface DemoTruth {
  name: string;
  classId: number;
  /** True AUs, ascending, without side or intensity. */
  aus: number[];
}

export interface DemoDataset {
  files: { name: string; text: string }[];
  images: { name: string; svg: string }[];
  injected: InjectedError[];
  truth: DemoTruth[];
}

/** Rates of each noise kind, drawn per dataset in [min, max] of the sample count. */
export const NOISE_RATE = { min: 0.045, max: 0.06 } as const;

/** AUs that may be written with a side prefix L/R (and are then drawn on one side). */
const SIDED_AUS = new Set([1, 2, 4, 6, 7, 10, 12, 14, 15, 20]);
/** AUs that may be written with a B/T (bottom/top lip) prefix. */
const LIP_PREFIX_AUS = new Set([22, 24]);
const SIDE_RATE = 0.05;
const INTENSITY_LETTER_RATE = 0.07;

interface AuToken {
  au: number;
  intensity: number;
  prefix: '' | 'L' | 'R' | 'B' | 'T';
  letter: string;
}

interface Sample {
  index: number;
  name: string;
  classId: number;
  split: number;
  tokens: AuToken[];
}

/** `0001.jpg` for index 0. */
export function sampleName(index: number, count: number): string {
  return `${String(index + 1).padStart(Math.max(4, String(count).length), '0')}.jpg`;
}

/** Where the aligned image of a sample lives, like RAF-AU: `aligned/0001_aligned.svg`. */
export function alignedImageName(name: string): string {
  return `aligned/${name.replace(/\.jpg$/, '')}_aligned.svg`;
}

/**
 * Samples per class: every class gets at least min(6, count/14), the rest follows the
 * square root of RAF-CE's measured counts (imbalanced, but milder than 977 vs 11).
 */
export function allocateClassCounts(count: number): number[] {
  const k = RAF_CE_PROFILES.length;
  const floor = Math.min(6, Math.floor(count / k));
  const weights = RAF_CE_PROFILES.map((p) => Math.sqrt(p.rafCeCount));
  const total = weights.reduce((a, b) => a + b, 0);
  const rest = count - floor * k;
  const exact = weights.map((w) => (rest * w) / total);
  const counts = exact.map((e) => floor + Math.floor(e));
  let left = count - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => [e - Math.floor(e), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    counts[i] = (counts[i] as number) + 1;
    left--;
  }
  return counts;
}

function intensityLetter(v: number): string {
  return 'ABCDE'[Math.min(4, Math.floor(v * 5))] as string;
}

function tokenText(t: AuToken): string {
  return `${t.prefix}${t.au}${t.letter}`;
}

/** An AU string in ascending AU order, joined by `+`. */
function auString(tokens: readonly AuToken[]): string {
  return tokens.map(tokenText).join('+');
}

function drawTrueAus(profile: ClassProfile, rng: Rng): AuToken[] {
  const chosen = new Map<number, number>();
  for (const au of profile.prototypical) {
    if (rng.chance(PROTOTYPICAL_RATE)) chosen.set(au, rng.float(0.55, 1));
  }
  for (const [au, rate] of profile.variants) {
    if (rng.chance(rate)) chosen.set(au, rng.float(0.35, 0.95));
  }
  if (rng.chance(EXTRA_AU_RATE)) {
    const options = EXTRA_AUS.filter(
      (au) =>
        !chosen.has(au) &&
        // Keep the extra plausible: a stretched or depressed mouth is an open one,
        // a blink does not go with widened eyes, and FACS scores AU27 instead of AU26.
        !((au === 27 || au === 16) && !chosen.has(25)) &&
        !(au === 27 && chosen.has(26)) &&
        !(au === 45 && chosen.has(5)),
    );
    if (options.length > 0) chosen.set(rng.pick(options), rng.float(0.3, 0.8));
  }
  // A dropped prototypical AU must not hide a component that the full profile shows:
  // that would be unrecorded 'missing-hallmark' noise. Put such AUs back.
  const full = new Set([...profile.prototypical, ...chosen.keys()]);
  for (const component of profile.components) {
    if (hallmarkShows(component, full) && !hallmarkShows(component, new Set(chosen.keys()))) {
      for (const au of profile.prototypical) {
        if (!chosen.has(au)) chosen.set(au, rng.float(0.55, 1));
      }
    }
  }
  return [...chosen.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([au, intensity]): AuToken => {
      let prefix: AuToken['prefix'] = '';
      if (SIDED_AUS.has(au) && rng.chance(SIDE_RATE)) prefix = rng.pick(['L', 'R'] as const);
      else if (LIP_PREFIX_AUS.has(au) && rng.chance(0.1)) prefix = rng.pick(['B', 'T'] as const);
      const letter = rng.chance(INTENSITY_LETTER_RATE) ? intensityLetter(intensity) : '';
      return { au, intensity: Math.round(intensity * 100) / 100, prefix, letter };
    });
}

function auSet(tokens: readonly AuToken[]): Set<number> {
  return new Set(tokens.map((t) => t.au));
}

/**
 * The AUs to remove so that a component's hallmark no longer shows, keeping the
 * other component's hallmark if possible. null when the component does not show.
 */
function hallmarkRemoval(
  component: BasicEmotion,
  other: BasicEmotion,
  aus: ReadonlySet<number>,
  rng: Rng,
): Set<number> | null {
  if (!hallmarkShows(component, aus)) return null;
  const removed = new Set<number>();
  for (const group of HALLMARKS[component] ?? []) {
    if (!group.every((au) => aus.has(au)) || group.some((au) => removed.has(au))) continue;
    // Remove one member of the group, preferring one whose loss keeps the other component.
    const members = rng.shuffle(group);
    const keep = members.find((au) => {
      const rest = new Set([...aus].filter((x) => !removed.has(x) && x !== au));
      return hallmarkShows(other, rest);
    });
    removed.add(keep ?? (members[0] as number));
  }
  return removed;
}

export interface DemoOptions {
  /** Inject label noise (default true). Without it the files carry the truth. */
  noise?: boolean;
}

export function generateDemoDataset(
  seed = DEMO_SEED,
  count = DEMO_COUNT,
  options: DemoOptions = {},
): DemoDataset {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be >= 1: ${count}`);
  const rng = new Rng(hashSeed(`demo:${seed}`));
  const classRng = rng.fork('classes');
  const auRng = rng.fork('aus');
  const noiseRng = rng.fork('noise');

  // Classes, shuffled over the sample names; splits 60/20/20, stratified by class.
  const perClass = allocateClassCounts(count);
  const classOf = classRng.shuffle(perClass.flatMap((c, id) => Array<number>(c).fill(id)));
  const splitOf = new Array<number>(count).fill(0);
  const pattern = [0, 1, 0, 2, 0];
  let k = classRng.int(0, pattern.length - 1);
  for (let id = 0; id < perClass.length; id++) {
    const members = classRng.shuffle(classOf.flatMap((c, i) => (c === id ? [i] : [])));
    for (const i of members) splitOf[i] = pattern[k++ % pattern.length] as number;
  }

  const samples: Sample[] = classOf.map((classId, index) => ({
    index,
    name: sampleName(index, count),
    classId,
    split: splitOf[index] as number,
    tokens: drawTrueAus(RAF_CE_PROFILES[classId] as ClassProfile, auRng),
  }));

  // Noise: disjoint sets of samples, one kind each.
  const quota = (): number => {
    const q = Math.round(count * noiseRng.float(NOISE_RATE.min, NOISE_RATE.max));
    return options.noise === false ? 0 : q;
  };
  const injected = new Map<number, InjectedError>();
  const order = noiseRng.shuffle(samples.map((s) => s.index));

  let want = quota();
  for (const i of order) {
    if (want <= 0) break;
    const s = samples[i] as Sample;
    const profile = RAF_CE_PROFILES[s.classId] as ClassProfile;
    const aus = auSet(s.tokens);
    const [a, b] = noiseRng.shuffle(profile.components) as [BasicEmotion, BasicEmotion];
    for (const [component, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const removed = hallmarkRemoval(component, other, aus, noiseRng);
      if (!removed || removed.size === 0 || removed.size >= aus.size) continue;
      const rest = s.tokens.filter((t) => !removed.has(t.au));
      if (!hallmarkShows(other, auSet(rest))) continue;
      injected.set(i, {
        name: s.name,
        kind: 'missing-hallmark',
        trueClassId: s.classId,
        givenClassId: s.classId,
        trueAus: auString(s.tokens),
        givenAus: auString(rest),
        component,
      });
      want--;
      break;
    }
  }

  want = quota();
  const swapsFrom = new Array<number>(perClass.length).fill(0);
  for (const i of order) {
    if (want <= 0) break;
    if (injected.has(i)) continue;
    const s = samples[i] as Sample;
    const truth = RAF_CE_PROFILES[s.classId] as ClassProfile;
    // Keep most of each class truly labelled: at most a fifth of a class swapped away.
    if (
      (swapsFrom[s.classId] as number) >=
      Math.max(1, Math.floor((perClass[s.classId] as number) / 5))
    )
      continue;
    const aus = auSet(s.tokens);
    const candidates = RAF_CE_PROFILES.filter(
      (p) =>
        p.id !== s.classId &&
        // no shared component, and the face does not show both of the given class's components
        !p.components.some((c) => truth.components.includes(c)) &&
        !p.components.every((c) => hallmarkShows(c, aus)),
    );
    if (candidates.length === 0) continue;
    const given = noiseRng.pick(candidates);
    const text = auString(s.tokens);
    injected.set(i, {
      name: s.name,
      kind: 'class-swap',
      trueClassId: s.classId,
      givenClassId: given.id,
      trueAus: text,
      givenAus: text,
    });
    swapsFrom[s.classId] = (swapsFrom[s.classId] as number) + 1;
    want--;
  }

  want = quota();
  for (const i of order) {
    if (want <= 0) break;
    if (injected.has(i)) continue;
    const s = samples[i] as Sample;
    injected.set(i, {
      name: s.name,
      kind: 'null-au',
      trueClassId: s.classId,
      givenClassId: s.classId,
      trueAus: auString(s.tokens),
      givenAus: 'null',
    });
    want--;
  }

  // Files, exactly in the RAF-CE formats (LF, a newline after the last line).
  const lines = (value: (s: Sample) => string | number): string =>
    samples.map((s) => `${s.name} ${value(s)}\n`).join('');
  const given = (s: Sample) => injected.get(s.index);
  const injectedList = samples.flatMap((s) => {
    const e = given(s);
    return e ? [e] : [];
  });
  const noise: DemoNoiseRecord = { version: 1, seed, injected: injectedList };
  const files = [
    { name: DEMO_FILES.emotion, text: lines((s) => given(s)?.givenClassId ?? s.classId) },
    { name: DEMO_FILES.split, text: lines((s) => s.split) },
    { name: DEMO_FILES.au, text: lines((s) => given(s)?.givenAus ?? auString(s.tokens)) },
    {
      name: DEMO_FILES.noise,
      text: `${JSON.stringify(DemoNoiseRecordSchema.parse(noise), null, 2)}\n`,
    },
  ];

  // Faces always show the TRUE AUs.
  const images = samples.map((s) => {
    const aus: AuIntensities = {};
    const sides: AuSides = {};
    for (const t of s.tokens) {
      aus[t.au] = t.intensity;
      if (t.prefix === 'L' || t.prefix === 'R') sides[t.au] = t.prefix;
    }
    const identity = makeIdentity(hashSeed(`${seed}:${s.name}`));
    return { name: alignedImageName(s.name), svg: drawFace(aus, identity, sides) };
  });

  const truth = samples.map((s) => ({
    name: s.name,
    classId: s.classId,
    aus: s.tokens.map((t) => t.au),
  }));
  return { files, images, injected: injectedList, truth };
}
