import { z } from 'zod';
import { MAX_MASK_AU } from '../labels/au';
import { BasicEmotionSchema, type BasicEmotion } from '../labels/types';

/**
 * Rule sets: what AUs each emotion class is expected to show. The schema is the
 * source of truth; a rule set is data (built in, or a JSON file a researcher edits).
 *
 * AUs are limited to 1-64 because the checks run on the table's two-word AU mask.
 */

export const RULE_SET_VERSION = 1;

export const RuleAuSchema = z
  .number()
  .int()
  .min(1)
  .max(MAX_MASK_AU, { message: `AU numbers run 1-${MAX_MASK_AU} (the AU mask holds no more)` });

export const AuPairSchema = z
  .tuple([RuleAuSchema, RuleAuSchema])
  .refine(([a, b]) => a !== b, { message: 'a pair needs two different AUs' });
export type AuPair = z.infer<typeof AuPairSchema>;

export const VariantSchema = z.object({
  au: RuleAuSchema,
  /** Share of genuine samples expected to show it (0-1), e.g. 0.64 = 64% of subjects. */
  rate: z.number().min(0).max(1),
});
export type Variant = z.infer<typeof VariantSchema>;

export const ClassRuleSchema = z
  .object({
    classId: z.number().int(),
    /** Every one of these should be present (prototypical AUs). */
    required: z.array(RuleAuSchema),
    /** At least one AU of each group should be present. */
    anyOf: z.array(z.array(RuleAuSchema).min(1)),
    /** Optional AUs with the share of samples expected to show them. */
    variants: z.array(VariantSchema),
    /** Pairs that should not both be present in this class. */
    discouragedPairs: z.array(AuPairSchema),
    /** Basic emotions whose hallmark AUs must show (both components of a compound class). */
    components: z.array(BasicEmotionSchema),
  })
  .superRefine((rule, ctx) => {
    const seen = new Set<number>();
    rule.required.forEach((au, index) => {
      if (seen.has(au)) {
        ctx.addIssue({ code: 'custom', path: ['required', index], message: `AU${au} twice` });
      }
      seen.add(au);
    });
    const variantSeen = new Set<number>();
    rule.variants.forEach((variant, index) => {
      if (seen.has(variant.au) || variantSeen.has(variant.au)) {
        ctx.addIssue({
          code: 'custom',
          path: ['variants', index, 'au'],
          message: `AU${variant.au} is already required or listed as a variant`,
        });
      }
      variantSeen.add(variant.au);
    });
  });
export type ClassRule = z.infer<typeof ClassRuleSchema>;

/** One alternative = a set of AUs that must all be present; any alternative shows the emotion. */
const HallmarkAlternativesSchema = z.array(z.array(RuleAuSchema).min(1));

export const HallmarksSchema = z.object(
  Object.fromEntries(BasicEmotionSchema.options.map((e) => [e, HallmarkAlternativesSchema])) as {
    [K in BasicEmotion]: typeof HallmarkAlternativesSchema;
  },
);
/** Per basic emotion, its hallmark alternatives; an empty list means "nothing to check". */
export type Hallmarks = z.infer<typeof HallmarksSchema>;

/**
 * AU pairs that FACS never scores together on one face: AU27 (mouth stretch) is scored
 * instead of AU26 (jaw drop); AU41 lid droop, 42 slit and 43 eyes closed are degrees of
 * one closure, and a closed eye cannot also blink (45), wink (46) or have its upper lid
 * raised (5). A sample with such a pair breaks the coding, whatever its emotion.
 */
export const FACS_EXCLUSIVE_PAIRS: [number, number][] = [
  [26, 27],
  [41, 42],
  [41, 43],
  [42, 43],
  [43, 45],
  [43, 46],
  [45, 46],
  [5, 43],
];

export const RuleSettingsSchema = z.object({
  /** Classes with fewer samples get "insufficient data" instead of label-issue flags. */
  minClassSamples: z.number().int().min(1).default(10),
  /**
   * Read by nothing since the label evidence replaced the blended naive-Bayes score (the
   * AU model is fitted to the data, the literature weighed by the labels); kept so that
   * rule-set files written before still read and round-trip.
   */
  priorBlend: z.number().min(0).max(1).default(0.3),
});
export type RuleSettings = z.infer<typeof RuleSettingsSchema>;

export const RuleSetSchema = z
  .object({
    version: z.literal(RULE_SET_VERSION),
    id: z.string().min(1),
    name: z.string().min(1),
    /** Citation text: where the expected AUs come from. */
    source: z.string(),
    /** The label scheme (LabelScheme.id) whose class ids the rules use. */
    schemeId: z.string().min(1),
    classes: z.array(ClassRuleSchema),
    hallmarks: HallmarksSchema,
    /** AU pairs that tend to appear together (soft, shown in the co-occurrence view). */
    together: z.array(AuPairSchema),
    /** AU pairs that rarely appear together (soft rule for every class). */
    rarely: z.array(AuPairSchema),
    /** AU pairs FACS scores as mutually exclusive: a hard contradiction, not a soft rule. */
    exclusive: z
      .array(AuPairSchema)
      .default(() => FACS_EXCLUSIVE_PAIRS.map(([a, b]): [number, number] => [a, b])),
    settings: RuleSettingsSchema.prefault({}),
  })
  .superRefine((ruleSet, ctx) => {
    const ids = new Set<number>();
    ruleSet.classes.forEach((rule, index) => {
      if (ids.has(rule.classId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['classes', index, 'classId'],
          message: `class ${rule.classId} has two rules`,
        });
      }
      ids.add(rule.classId);
    });
  });
export type RuleSet = z.infer<typeof RuleSetSchema>;
export type RuleSetInput = z.input<typeof RuleSetSchema>;

export interface RuleSetProblem {
  file: string;
  /** Where in the JSON, e.g. `classes[2].variants[0].rate`; '' for the whole file. */
  path: string;
  message: string;
}

export type ParseRuleSetResult = { ruleSet: RuleSet } | { problems: RuleSetProblem[] };

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Read a rule-set file. Bad input never throws: it becomes problems naming where. */
export function parseRuleSetJson(text: string, fileName: string): ParseRuleSetResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { problems: [{ file: fileName, path: '', message: `not valid JSON: ${detail}` }] };
  }
  const result = RuleSetSchema.safeParse(data);
  if (result.success) return { ruleSet: result.data };
  return {
    problems: result.error.issues.map((issue) => ({
      file: fileName,
      path: formatPath(issue.path),
      message: issue.message,
    })),
  };
}

/**
 * The rule set as JSON: keys in schema order (hallmarks in BasicEmotion order), two-space
 * indent, final newline, so saving an unchanged rule set gives the same bytes.
 */
export function ruleSetToJson(ruleSet: RuleSet): string {
  const valid = RuleSetSchema.parse(ruleSet);
  const ordered: RuleSet = {
    version: valid.version,
    id: valid.id,
    name: valid.name,
    source: valid.source,
    schemeId: valid.schemeId,
    classes: valid.classes.map((rule) => ({
      classId: rule.classId,
      required: rule.required,
      anyOf: rule.anyOf,
      variants: rule.variants.map((v) => ({ au: v.au, rate: v.rate })),
      discouragedPairs: rule.discouragedPairs,
      components: rule.components,
    })),
    hallmarks: Object.fromEntries(
      BasicEmotionSchema.options.map((e) => [e, valid.hallmarks[e]]),
    ) as Hallmarks,
    together: valid.together,
    rarely: valid.rarely,
    exclusive: valid.exclusive,
    settings: {
      minClassSamples: valid.settings.minClassSamples,
      priorBlend: valid.settings.priorBlend,
    },
  };
  // Arrays of plain numbers on one line (`"required": [1, 2, 12, 25]`): easier to read and
  // edit. Only pretty-printed arrays match (a newline after `[`), never text inside a string.
  const json = JSON.stringify(ordered, null, 2).replace(
    /\[\n\s*(-?[\d.e+-]+(?:,\n\s*-?[\d.e+-]+)*)\n\s*\]/g,
    (_, numbers: string) => `[${numbers.split(/,\s*/).join(', ')}]`,
  );
  return `${json}\n`;
}

/** The rule of a class id, if the rule set has one. */
export function classRuleOf(ruleSet: RuleSet, classId: number): ClassRule | undefined {
  return ruleSet.classes.find((rule) => rule.classId === classId);
}
