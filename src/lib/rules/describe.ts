import { auName } from '../labels/au';
import type { BasicEmotion } from '../labels/types';
import type { ClassRule } from './schema';

/** "AU12 Lip Corner Puller", or "AU99" when the number is not a FACS code. */
export function auLabel(au: number): string {
  const name = auName(au);
  return name ? `AU${au} ${name}` : `AU${au}`;
}

function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

/** "AU1+AU4" for one hallmark alternative. */
export function auSetText(aus: readonly number[]): string {
  return aus.map((au) => `AU${au}`).join('+');
}

/** "AU12 or AU6", "AU20, AU1+AU2+AU4 or AU5": the alternatives of a hallmark. */
export function alternativesText(alternatives: readonly (readonly number[])[]): string {
  const parts = alternatives.map(auSetText);
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

/** "no hallmark of happy (AU12 or AU6)", given the alternatives that would show it. */
export function componentMissingText(
  component: BasicEmotion,
  alternatives: readonly (readonly number[])[],
): string {
  return `no hallmark of ${component} (${alternativesText(alternatives)})`;
}

/**
 * One sentence a researcher reads at a glance, e.g. "Happily surprised: AU1 Inner Brow
 * Raiser + AU2 Outer Brow Raiser + AU12 Lip Corner Puller + AU25 Lips Part; often AU5
 * (64%), AU26 (67%)". Names only for required AUs: the variants would make it too long.
 */
export function describeClassRule(rule: ClassRule, className: string): string {
  const parts: string[] = [];
  if (rule.required.length > 0) parts.push(rule.required.map(auLabel).join(' + '));
  for (const group of rule.anyOf) {
    parts.push(
      group.length === 1
        ? auLabel(group[0] as number)
        : `one of ${group.map((au) => `AU${au}`).join('/')}`,
    );
  }
  const head =
    parts.length > 0
      ? parts.join(' + ')
      : rule.variants.length > 0
        ? 'no AU required'
        : 'no AU expected';
  const tail: string[] = [];
  if (rule.variants.length > 0) {
    const sorted = [...rule.variants].sort((a, b) => a.au - b.au);
    tail.push(`often ${sorted.map((v) => `AU${v.au} (${percent(v.rate)})`).join(', ')}`);
  }
  if (rule.discouragedPairs.length > 0) {
    tail.push(`not ${rule.discouragedPairs.map(([a, b]) => `AU${a} with AU${b}`).join(', ')}`);
  }
  return [`${className}: ${head}`, ...tail].join('; ');
}
