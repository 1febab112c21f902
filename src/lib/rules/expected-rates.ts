import type { ClassRule, RuleSet } from './schema';

/**
 * The literature's expected P(AU | class), read off a class rule: what the heatmap shows
 * beside the observed rates and what the evidence layer's literature source reads.
 */

/** Expected P(AU | class) of a required (prototypical, > 70% of subjects) AU. */
export const REQUIRED_AU_RATE = 0.9;
/** Expected P(AU | class) of a member of an any-of group that is not also a variant. */
export const ANY_OF_AU_RATE = 0.5;
/**
 * Expected P(AU | class) of an AU the rule does not name: in-the-wild faces show
 * unlisted AUs now and then, and a zero would let one stray AU veto a class.
 */
export const BASE_AU_RATE = 0.05;
/** Rates are kept in [RATE_FLOOR, 1 - RATE_FLOOR] so no single AU is decisive. */
export const RATE_FLOOR = 0.01;

/** The expected P(AU present | class) from a class rule (before any blending). */
export function expectedAuRate(rule: ClassRule, au: number): number {
  if (rule.required.includes(au)) return REQUIRED_AU_RATE;
  const variant = rule.variants.find((v) => v.au === au);
  if (variant) return variant.rate;
  if (rule.anyOf.some((group) => group.includes(au))) return ANY_OF_AU_RATE;
  return BASE_AU_RATE;
}

/** AUs a rule set names in its class rules. */
export function ruleAus(ruleSet: RuleSet): number[] {
  const aus = new Set<number>();
  for (const rule of ruleSet.classes) {
    for (const au of rule.required) aus.add(au);
    for (const group of rule.anyOf) for (const au of group) aus.add(au);
    for (const v of rule.variants) aus.add(v.au);
  }
  return [...aus].sort((a, b) => a - b);
}
