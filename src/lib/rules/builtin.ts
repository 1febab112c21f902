import {
  RAFCE_SCHEME,
  RAFDB_BASIC_SCHEME,
  RAFDB_COMPOUND_SCHEME,
  RAFDB_COMPOUND_TO_RAFCE,
} from '../labels/schemes';
import type { BasicEmotion, LabelScheme } from '../labels/types';
import {
  RuleSetSchema,
  type AuPair,
  type ClassRule,
  type Hallmarks,
  type RuleSet,
  type RuleSetInput,
} from './schema';

/**
 * Built-in rule sets, as data validated by the schema at load (a typo here fails every
 * test). Facts from the shared reference au-emotion-reference.md, section 4.
 */

const DU_2014 =
  'Du, S., Tao, Y. & Martinez, A. M. (2014). Compound facial expressions of emotion. ' +
  'PNAS 111(15):E1454-E1462: an AU is prototypical (here: required) when more than 70% of ' +
  'the 230 subjects used it; variants with the share of subjects who used them.';
const EMOTIONET =
  'EmotioNet challenge category map (Benitez-Quiroz et al.): happily fearful 1+2+12+25+26, ' +
  'happily sad 4+6+12+25 (not in Du et al. 2014; no variants given).';
const EMFACS =
  'EMFACS basic-emotion prototypes (Friesen & Ekman): happiness 6+12; sadness 1+4+15; ' +
  'surprise 1+2+5B+26; fear 1+2+4+5+7+20+26; anger 4+5+7+23; disgust 9+15+16.';
const HEURISTICS =
  'Hallmark AUs per component and co-occurrence pairs: AU Review reference, section 4 ' +
  '(heuristics, editable).';

/**
 * Hallmark AUs per basic emotion: the component "shows" when one alternative is fully
 * present. Neutral and contempt have none in the reference, so they are not checked.
 */
export const REFERENCE_HALLMARKS: Hallmarks = {
  happy: [[12], [6]],
  sad: [[15], [1, 4]],
  fear: [[20], [1, 2, 4], [5]],
  anger: [[4, 7], [23], [24]],
  surprise: [[1], [2], [5], [26]],
  disgust: [[9], [10]],
  neutral: [],
  contempt: [],
};

/** AUs that tend to appear together (reference, section 4). */
export const REFERENCE_TOGETHER: AuPair[] = [
  [1, 2],
  [6, 7],
  [6, 10],
  [7, 10],
  [6, 12],
  [7, 12],
  [10, 12],
  [17, 24],
];

/**
 * AUs that rarely appear together (reference, section 4). Applied to every class as a
 * soft rule, except where the class's own rule expects both AUs (angrily disgusted's
 * prototype 4+10+17 contains the "rare" 10+17; the class-specific fact wins).
 */
export const REFERENCE_RARELY: AuPair[] = [
  [1, 6],
  [1, 7],
  [2, 6],
  [2, 7],
  [10, 17],
  [10, 23],
  [10, 24],
  [12, 15],
  [12, 17],
  [12, 23],
  [12, 24],
  [15, 23],
  [15, 24],
  [23, 24],
];

type Variants = [au: number, rate: number][];

interface CompoundFacts {
  name: string;
  components: [BasicEmotion, BasicEmotion];
  prototypical: number[];
  variants: Variants;
}

/** Du et al. 2014 (ids 0-11) and the EmotioNet map (12, 13), by RAF-CE class id. */
const RAFCE_FACTS: readonly CompoundFacts[] = [
  {
    name: 'Happily surprised',
    components: ['happy', 'surprise'],
    prototypical: [1, 2, 12, 25],
    variants: [
      [5, 0.64],
      [26, 0.67],
    ],
  },
  {
    name: 'Happily disgusted',
    components: ['happy', 'disgust'],
    prototypical: [10, 12, 25],
    variants: [
      [4, 0.32],
      [6, 0.61],
      [9, 0.59],
    ],
  },
  {
    name: 'Sadly fearful',
    components: ['sad', 'fear'],
    prototypical: [1, 4, 20, 25],
    variants: [
      [2, 0.46],
      [5, 0.24],
      [6, 0.34],
      [15, 0.3],
    ],
  },
  {
    name: 'Sadly angry',
    components: ['sad', 'anger'],
    prototypical: [4, 15],
    variants: [
      [6, 0.26],
      [7, 0.48],
      [11, 0.2],
      [17, 0.5],
    ],
  },
  {
    name: 'Sadly surprised',
    components: ['sad', 'surprise'],
    prototypical: [1, 4, 25, 26],
    variants: [
      [2, 0.27],
      [6, 0.31],
    ],
  },
  {
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
  },
  {
    name: 'Fearfully angry',
    components: ['fear', 'anger'],
    prototypical: [4, 20, 25],
    variants: [
      [5, 0.4],
      [7, 0.39],
      [10, 0.3],
      [11, 0.33],
    ],
  },
  {
    name: 'Fearfully surprised',
    components: ['fear', 'surprise'],
    prototypical: [1, 2, 5, 20, 25],
    variants: [
      [4, 0.47],
      [10, 0.35],
      [11, 0.22],
      [26, 0.51],
    ],
  },
  {
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
  },
  {
    name: 'Angrily surprised',
    components: ['anger', 'surprise'],
    prototypical: [4, 25, 26],
    variants: [
      [5, 0.35],
      [7, 0.5],
      [10, 0.34],
    ],
  },
  {
    name: 'Angrily disgusted',
    components: ['anger', 'disgust'],
    prototypical: [4, 10, 17],
    variants: [
      [7, 0.6],
      [9, 0.57],
      [24, 0.36],
    ],
  },
  {
    name: 'Disgustedly surprised',
    components: ['disgust', 'surprise'],
    prototypical: [1, 2, 5, 10],
    variants: [
      [4, 0.45],
      [9, 0.37],
      [17, 0.66],
      [24, 0.33],
    ],
  },
  {
    name: 'Happily fearful',
    components: ['happy', 'fear'],
    prototypical: [1, 2, 12, 25, 26],
    variants: [],
  },
  {
    name: 'Happily sad',
    components: ['happy', 'sad'],
    prototypical: [4, 6, 12, 25],
    variants: [],
  },
];

function compoundRule(classId: number, facts: CompoundFacts): ClassRule {
  return {
    classId,
    required: [...facts.prototypical],
    anyOf: [],
    variants: facts.variants.map(([au, rate]) => ({ au, rate })),
    // The reference names no class-specific pairs; the global `rarely` pairs apply.
    discouragedPairs: [],
    components: [...facts.components],
  };
}

const COMMON = {
  version: 1,
  hallmarks: REFERENCE_HALLMARKS,
  together: REFERENCE_TOGETHER,
  rarely: REFERENCE_RARELY,
  settings: { minClassSamples: 10, priorBlend: 0.3 },
} as const;

function validated(input: RuleSetInput): RuleSet {
  return RuleSetSchema.parse(structuredClone(input));
}

export const RAFCE_RULE_SET: RuleSet = validated({
  ...COMMON,
  id: 'raf-ce-du2014',
  name: 'RAF-CE: Du et al. 2014 + EmotioNet map',
  source: `Classes 0-11: ${DU_2014} Classes 12-13: ${EMOTIONET} ${HEURISTICS}`,
  schemeId: RAFCE_SCHEME.id,
  classes: RAFCE_FACTS.map((facts, classId) => compoundRule(classId, facts)),
});

export const RAFDB_COMPOUND_RULE_SET: RuleSet = validated({
  ...COMMON,
  id: 'raf-db-compound-du2014',
  name: 'RAF-DB compound: Du et al. 2014',
  source: `${DU_2014} Class ids mapped to RAF-DB's 1-based compound ids. ${HEURISTICS}`,
  schemeId: RAFDB_COMPOUND_SCHEME.id,
  classes: Object.entries(RAFDB_COMPOUND_TO_RAFCE).map(([rafDbId, rafCeId]) =>
    compoundRule(Number(rafDbId), RAFCE_FACTS[rafCeId] as CompoundFacts),
  ),
});

/**
 * Du et al.'s basic rows say only "prototypical" (> 70% of subjects) for these AUs; 0.7 is
 * the definition's floor, the cautious reading.
 */
const DU_PROTOTYPICAL_FLOOR = 0.7;
/**
 * An AU that EMFACS lists in some valid combination but no source gives a rate for:
 * 0.3 keeps it clearly above an unlisted AU and below a coin toss.
 */
const EMFACS_LISTED_RATE = 0.3;
const P = DU_PROTOTYPICAL_FLOOR;
const E = EMFACS_LISTED_RATE;

interface BasicFacts {
  classId: number;
  required: number[];
  anyOf: number[][];
  variants: Variants;
}

/**
 * EMFACS lists several valid combinations per emotion, so one exact AU string would call
 * valid faces wrong. Each rule therefore requires only what every EMFACS combination of
 * that emotion shares, expresses the alternatives as any-of groups, and lists the other
 * AUs as variants (rates from Du et al. 2014's basic rows where measured).
 */
const RAFDB_BASIC_FACTS: readonly BasicFacts[] = [
  {
    // Surprise: 1+2+5B+26, 1+2+5B+27, 1+2+5B, 1+2+26, 1+2+27, 5B+26, 5B+27 are all
    // surprise: brows or lids raised, and lids raised or the mouth open.
    classId: 1,
    required: [],
    anyOf: [
      [1, 2, 5],
      [5, 25, 26, 27],
    ],
    variants: [
      [1, P],
      [2, P],
      [5, 0.66],
      [25, P],
      [26, P],
      [27, E],
    ],
  },
  {
    // Fear: 1+2+4, 1+2+4+5+20 (+25/26/27), 1+2+5 (+25/26/27), 5+20, 20: each has 4, 5 or 20.
    classId: 2,
    required: [],
    anyOf: [[4, 5, 20]],
    variants: [
      [1, P],
      [2, 0.57],
      [4, P],
      [5, 0.63],
      [7, E],
      [20, P],
      [25, P],
      [26, 0.33],
    ],
  },
  {
    // Disgust: 9, 9+16+15/26, 9+17, 10, 10+16+25/26, 10+17: nose wrinkler or upper lip raiser.
    classId: 3,
    required: [],
    anyOf: [[9, 10]],
    variants: [
      [4, 0.31],
      [9, P],
      [10, P],
      [15, E],
      [16, E],
      [17, P],
      [24, 0.26],
    ],
  },
  {
    // Happiness: 6+12, or 12 alone (12C/D): the lip corner puller is shared.
    classId: 4,
    required: [12],
    anyOf: [],
    variants: [
      [6, 0.51],
      [25, P],
    ],
  },
  {
    // Sadness: 1+4+15, 1+4+11+15B, 1+4+15+17, 6+15, 11+15B, 11+17: a brow or cheek action
    // (1, 4, 6 or 11) and a lower-face one (15 or 17).
    classId: 5,
    required: [],
    anyOf: [
      [1, 4, 6, 11],
      [15, 17],
    ],
    variants: [
      [1, 0.6],
      [4, P],
      [6, 0.5],
      [11, 0.26],
      [15, P],
      [17, 0.67],
    ],
  },
  {
    // Anger: 4+5+7+23 (+10, 22, 25/26), 4+5+7+17+23/24, 4+5, 4+7, 17+24: brow lowerer or
    // chin raiser, and a lid or lip tightening (5, 7, 23 or 24).
    classId: 6,
    required: [],
    anyOf: [
      [4, 17],
      [5, 7, 23, 24],
    ],
    variants: [
      [4, P],
      [5, E],
      [7, P],
      [10, 0.26],
      [17, 0.52],
      [23, 0.29],
      [24, P],
    ],
  },
  {
    // Neutral: no AU is expected; nothing is required.
    classId: 7,
    required: [],
    anyOf: [],
    variants: [],
  },
];

export const RAFDB_BASIC_RULE_SET: RuleSet = validated({
  ...COMMON,
  id: 'raf-db-basic-emfacs',
  name: 'RAF-DB basic: EMFACS prototypes',
  source:
    `${EMFACS} Several combinations are valid per emotion: required AUs are those all ` +
    `combinations share, alternatives are any-of groups. Variant rates: ${DU_2014} ` +
    `(basic rows; "prototypical" read as ${DU_PROTOTYPICAL_FLOOR}); AUs EMFACS lists ` +
    `without a measured rate: ${EMFACS_LISTED_RATE}. ${HEURISTICS}`,
  schemeId: RAFDB_BASIC_SCHEME.id,
  classes: RAFDB_BASIC_FACTS.map((facts) => ({
    classId: facts.classId,
    required: facts.required,
    anyOf: facts.anyOf,
    variants: facts.variants.map(([au, rate]) => ({ au, rate })),
    discouragedPairs: [],
    // No hallmark check: the hallmarks tell the two components of a compound class
    // apart, and for one basic emotion the EMFACS groups above are the finer test (EMFACS
    // sadness 11+17 shows no sad hallmark, yet is sadness).
    components: [],
  })),
});

export const BUILTIN_RULE_SETS: readonly RuleSet[] = [
  RAFCE_RULE_SET,
  RAFDB_COMPOUND_RULE_SET,
  RAFDB_BASIC_RULE_SET,
];

/**
 * The built-in rule set for a label scheme id, as a fresh copy the caller may edit;
 * undefined when there is none (e.g. a generic CSV scheme).
 */
export function builtinRuleSetFor(schemeId: string): RuleSet | undefined {
  const found = BUILTIN_RULE_SETS.find((ruleSet) => ruleSet.schemeId === schemeId);
  return found ? structuredClone(found) : undefined;
}

/** The built-in rule set for a scheme, or an empty one that the user can fill in. */
export function defaultRuleSet(scheme: LabelScheme | undefined): RuleSet {
  const builtin = scheme ? builtinRuleSetFor(scheme.id) : undefined;
  if (builtin) return builtin;
  return RuleSetSchema.parse({
    version: 1,
    id: `custom-${scheme?.id ?? 'none'}`,
    name: 'No built-in rules for this label scheme',
    source: 'Write rules for your classes on the Rules page, or import a rule set.',
    schemeId: scheme?.id ?? 'none',
    classes: [],
    hallmarks: REFERENCE_HALLMARKS,
    together: REFERENCE_TOGETHER,
    rarely: REFERENCE_RARELY,
  });
}
