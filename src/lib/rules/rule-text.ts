import type { AuPair, ClassRule, Variant } from './schema';
import { MAX_MASK_AU } from '../labels/au';

/**
 * The short text forms a rule is edited in:
 * required `1+2+12+25`; any-of groups `6/12; 1/2/5`; variants `5 64%, 26 67%`;
 * pairs `12-15, 10-17`. Each parser returns the value or a message naming what is wrong.
 */

export type Parsed<T> = { value: T } | { error: string };

const auPattern = /^(?:AU)?(\d{1,2})$/i;

function parseAu(token: string, where: string): number | string {
  const match = auPattern.exec(token.trim());
  const au = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(au) || au < 1 || au > MAX_MASK_AU) {
    return `${where}: '${token.trim()}' is not an AU number (1-${MAX_MASK_AU})`;
  }
  return au;
}

function splitList(text: string, separators: RegExp): string[] {
  return text
    .split(separators)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

export function formatAuList(aus: readonly number[]): string {
  return aus.join('+');
}

export function parseAuList(text: string, where = 'AUs'): Parsed<number[]> {
  const aus: number[] = [];
  for (const token of splitList(text, /[+,\s]+/)) {
    const au = parseAu(token, where);
    if (typeof au === 'string') return { error: au };
    if (aus.includes(au)) return { error: `${where}: AU${au} is listed twice` };
    aus.push(au);
  }
  return { value: aus };
}

export function formatGroups(groups: readonly (readonly number[])[]): string {
  return groups.map((group) => group.join('/')).join('; ');
}

export function parseGroups(text: string, where = 'Any-of groups'): Parsed<number[][]> {
  const groups: number[][] = [];
  for (const part of splitList(text, /;/)) {
    const parsed = parseAuList(part.replaceAll('/', '+'), where);
    if ('error' in parsed) return parsed;
    groups.push(parsed.value);
  }
  return { value: groups };
}

export function formatVariants(variants: readonly Variant[]): string {
  return variants.map((v) => `${v.au} ${Math.round(v.rate * 100)}%`).join(', ');
}

export function parseVariants(text: string, where = 'Variants'): Parsed<Variant[]> {
  const variants: Variant[] = [];
  for (const part of splitList(text, /,/)) {
    const match = /^(\S+)\s*(?:\(?\s*(\d{1,3}(?:\.\d+)?)\s*%\s*\)?)?$/.exec(part);
    if (!match)
      return { error: `${where}: write each variant as "AU rate%", e.g. "5 64%" (got '${part}')` };
    const au = parseAu(match[1] ?? '', where);
    if (typeof au === 'string') return { error: au };
    const rate = match[2] === undefined ? 0.5 : Number(match[2]) / 100;
    if (rate < 0 || rate > 1)
      return { error: `${where}: a rate is between 0% and 100% (got '${part}')` };
    if (variants.some((v) => v.au === au)) return { error: `${where}: AU${au} is listed twice` };
    variants.push({ au, rate });
  }
  return { value: variants };
}

export function formatPairs(pairs: readonly AuPair[]): string {
  return pairs.map(([a, b]) => `${a}-${b}`).join(', ');
}

export function parsePairs(text: string, where = 'Pairs'): Parsed<AuPair[]> {
  const pairs: AuPair[] = [];
  for (const part of splitList(text, /,/)) {
    const sides = part.split('-');
    if (sides.length !== 2)
      return { error: `${where}: write each pair as "12-15" (got '${part}')` };
    const a = parseAu(sides[0] ?? '', where);
    const b = parseAu(sides[1] ?? '', where);
    if (typeof a === 'string') return { error: a };
    if (typeof b === 'string') return { error: b };
    if (a === b) return { error: `${where}: a pair needs two different AUs (got '${part}')` };
    pairs.push([a, b]);
  }
  return { value: pairs };
}

export interface ClassRuleText {
  required: string;
  anyOf: string;
  variants: string;
  discouragedPairs: string;
}

export function classRuleToText(rule: ClassRule): ClassRuleText {
  return {
    required: formatAuList(rule.required),
    anyOf: formatGroups(rule.anyOf),
    variants: formatVariants(rule.variants),
    discouragedPairs: formatPairs(rule.discouragedPairs),
  };
}

/** The edited rule, or every problem found in the text fields. */
export function classRuleFromText(
  base: ClassRule,
  text: ClassRuleText,
): { rule: ClassRule } | { errors: string[] } {
  const required = parseAuList(text.required, 'Required AUs');
  const anyOf = parseGroups(text.anyOf);
  const variants = parseVariants(text.variants);
  const pairs = parsePairs(text.discouragedPairs, 'Discouraged pairs');
  const errors = [required, anyOf, variants, pairs].flatMap((p) => ('error' in p ? [p.error] : []));
  if ('error' in required || 'error' in anyOf || 'error' in variants || 'error' in pairs) {
    return { errors };
  }
  const overlap = variants.value.filter((v) => required.value.includes(v.au));
  if (overlap.length > 0) {
    return {
      errors: overlap.map((v) => `Variants: AU${v.au} is already required`),
    };
  }
  return {
    rule: {
      ...base,
      required: required.value,
      anyOf: anyOf.value,
      variants: variants.value,
      discouragedPairs: pairs.value,
    },
  };
}
