/**
 * The generative model of the demo dataset: for each RAF-CE class, which AUs a
 * synthetic face shows and how often. This is the demo's ground truth, NOT the
 * app's rule engine (the checker must not import it, or it would grade itself).
 *
 * Source: the shared reference au-emotion-reference.md
 *  - section 2: the 14 RAF-CE classes, 0-based, official order, and the measured class counts;
 *  - section 4: Du, Tao & Martinez 2014 (PNAS 111(15):E1454), prototypical AUs (used by more than
 *    70% of subjects) and variants with the share of subjects who used them; happily fearful and
 *    happily sad are not in the paper and come from the EmotioNet challenge category map
 *    (1+2+12+25+26 and 4+6+12+25, no variants given); hallmark AUs per component.
 */

import type { BasicEmotion } from '../lib/labels/types';

export interface ClassProfile {
  id: number;
  name: string;
  components: [BasicEmotion, BasicEmotion];
  /** Prototypical AUs (> 70% of subjects). */
  prototypical: number[];
  /** Variant AUs with the share of subjects who used them (0..1). */
  variants: [au: number, rate: number][];
  /** Class count measured on RAF-CE (section 2), used to shape the demo's imbalance. */
  rafCeCount: number;
}

export const RAF_CE_PROFILES: readonly ClassProfile[] = [
  {
    id: 0,
    name: 'Happily surprised',
    components: ['happy', 'surprise'],
    prototypical: [1, 2, 12, 25],
    variants: [
      [5, 0.64],
      [26, 0.67],
    ],
    rafCeCount: 676,
  },
  {
    id: 1,
    name: 'Happily disgusted',
    components: ['happy', 'disgust'],
    prototypical: [10, 12, 25],
    variants: [
      [4, 0.32],
      [6, 0.61],
      [9, 0.59],
    ],
    rafCeCount: 279,
  },
  {
    id: 2,
    name: 'Sadly fearful',
    components: ['sad', 'fear'],
    prototypical: [1, 4, 20, 25],
    variants: [
      [2, 0.46],
      [5, 0.24],
      [6, 0.34],
      [15, 0.3],
    ],
    rafCeCount: 171,
  },
  {
    id: 3,
    name: 'Sadly angry',
    components: ['sad', 'anger'],
    prototypical: [4, 15],
    variants: [
      [6, 0.26],
      [7, 0.48],
      [11, 0.2],
      [17, 0.5],
    ],
    rafCeCount: 230,
  },
  {
    id: 4,
    name: 'Sadly surprised',
    components: ['sad', 'surprise'],
    prototypical: [1, 4, 25, 26],
    variants: [
      [2, 0.27],
      [6, 0.31],
    ],
    rafCeCount: 120,
  },
  {
    id: 5,
    name: 'Sadly disgusted',
    components: ['sad', 'disgust'],
    prototypical: [4, 10],
    variants: [
      [1, 0.49],
      [6, 0.61],
      [9, 0.2],
      [11, 0.35],
      [15, 0.54],
      [17, 0.47],
      [25, 0.43],
    ],
    rafCeCount: 835,
  },
  {
    id: 6,
    name: 'Fearfully angry',
    components: ['fear', 'anger'],
    prototypical: [4, 20, 25],
    variants: [
      [5, 0.4],
      [7, 0.39],
      [10, 0.3],
      [11, 0.33],
    ],
    rafCeCount: 195,
  },
  {
    id: 7,
    name: 'Fearfully surprised',
    components: ['fear', 'surprise'],
    prototypical: [1, 2, 5, 20, 25],
    variants: [
      [4, 0.47],
      [10, 0.35],
      [11, 0.22],
      [26, 0.51],
    ],
    rafCeCount: 603,
  },
  {
    id: 8,
    name: 'Fearfully disgusted',
    components: ['fear', 'disgust'],
    prototypical: [1, 4, 10, 20, 25],
    variants: [
      [2, 0.64],
      [5, 0.5],
      [6, 0.26],
      [9, 0.28],
      [15, 0.33],
    ],
    rafCeCount: 36,
  },
  {
    id: 9,
    name: 'Angrily surprised',
    components: ['anger', 'surprise'],
    prototypical: [4, 25, 26],
    variants: [
      [5, 0.35],
      [7, 0.5],
      [10, 0.34],
    ],
    rafCeCount: 210,
  },
  {
    id: 10,
    name: 'Angrily disgusted',
    components: ['anger', 'disgust'],
    prototypical: [4, 10, 17],
    variants: [
      [7, 0.6],
      [9, 0.57],
      [24, 0.36],
    ],
    rafCeCount: 977,
  },
  {
    id: 11,
    name: 'Disgustedly surprised',
    components: ['disgust', 'surprise'],
    prototypical: [1, 2, 5, 10],
    variants: [
      [4, 0.45],
      [9, 0.37],
      [17, 0.66],
      [24, 0.33],
    ],
    rafCeCount: 177,
  },
  {
    // EmotioNet category map; not in Du et al. 2014, no variants given.
    id: 12,
    name: 'Happily fearful',
    components: ['happy', 'fear'],
    prototypical: [1, 2, 12, 25, 26],
    variants: [],
    rafCeCount: 11,
  },
  {
    // EmotioNet category map; not in Du et al. 2014, no variants given.
    id: 13,
    name: 'Happily sad',
    components: ['happy', 'sad'],
    prototypical: [4, 6, 12, 25],
    variants: [],
    rafCeCount: 29,
  },
];

/**
 * Hallmark AUs per component (section 4, a heuristic): the component "shows" when any
 * one of its groups is fully present. happy 12 (or 6); surprise 1, 2, 5 or 26; sad 15 or
 * 1+4; fear 20, or 1+2+4, or 5; anger 4+7, 23 or 24; disgust 9 or 10.
 */
export const HALLMARKS: Readonly<Partial<Record<BasicEmotion, readonly (readonly number[])[]>>> = {
  happy: [[12], [6]],
  surprise: [[1], [2], [5], [26]],
  sad: [[15], [1, 4]],
  fear: [[20], [1, 2, 4], [5]],
  anger: [[4, 7], [23], [24]],
  disgust: [[9], [10]],
};

/** Whether a component's hallmark shows in a set of AUs. */
export function hallmarkShows(component: BasicEmotion, aus: ReadonlySet<number>): boolean {
  const groups = HALLMARKS[component] ?? [];
  return groups.some((group) => group.every((au) => aus.has(au)));
}

/** Probability that a prototypical AU is present ("almost always"). */
export const PROTOTYPICAL_RATE = 0.95;
/** Probability that a sample gets one extra AU outside its class profile. */
export const EXTRA_AU_RATE = 0.1;
/** AUs that may appear as an occasional extra, outside the class profile. */
export const EXTRA_AUS: readonly number[] = [5, 6, 7, 9, 10, 14, 16, 17, 23, 26, 27, 45];

/** The expected AUs (prototypical and variants) of a class, for tests and documentation. */
export function profileAus(profile: ClassProfile): number[] {
  return [...profile.prototypical, ...profile.variants.map(([au]) => au)].sort((a, b) => a - b);
}
