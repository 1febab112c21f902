import { className } from '../../labels/schemes';
import type { LabelScheme } from '../../labels/types';
import { FLAG_REASON_LABELS, type Decision } from '../../review/decision';

/** A score to two decimals, or "n/a" when undefined. */
export function score(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(2);
}

/** A share as a whole percentage, or "n/a". */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value)
    ? 'n/a'
    : `${Math.round(value * 100)}%`;
}

/** A duration for people: "850 ms", "12.4 s", "3 min 05 s". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return 'n/a';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.round(seconds - minutes * 60)).padStart(2, '0')} s`;
}

/** AUs for people: "1+2+25", "none", "not coded". */
export function ausText(aus: readonly number[] | null): string {
  if (aus === null) return 'not coded';
  return aus.length === 0 ? 'none' : aus.join('+');
}

/** Class for people; null = the sample is discarded. */
export function classText(scheme: LabelScheme, classId: number | null): string {
  if (classId === null) return 'discarded';
  return classId < 0 ? 'no emotion label' : className(scheme, classId);
}

const KIND_WORDS: Record<Decision['kind'], string> = {
  accept: 'accepted',
  correct: 'corrected',
  flag: 'flagged',
  discard: 'discarded',
};

/** "flagged: Occluded", "corrected", ... */
export function kindText(decision: Pick<Decision, 'kind' | 'flagReason'>): string {
  const word = KIND_WORDS[decision.kind];
  return decision.kind === 'flag' && decision.flagReason
    ? `${word}: ${FLAG_REASON_LABELS[decision.flagReason]}`
    : word;
}

/** What an AU set adds to and removes from the original: "+26 −4", '' when the same. */
export function ausChange(
  aus: readonly number[] | null,
  original: readonly number[] | null,
): string {
  if (aus === null || original === null) return '';
  const added = aus.filter((au) => !original.includes(au)).map((au) => `+${au}`);
  const removed = original.filter((au) => !aus.includes(au)).map((au) => `−${au}`);
  return [...added, ...removed].join(' ');
}
