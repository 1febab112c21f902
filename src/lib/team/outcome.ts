import { activeAus, maskToAus } from '../labels/au';
import { AuStatus, type SampleTable } from '../labels/types';
import type { Decision } from '../review/decision';

/** What one decision makes of a sample's labels. */
export interface Outcome {
  /** Final class id (-1 = none); null when discarded. */
  classId: number | null;
  /** Final AUs, ascending; null when not coded (`null`, absent) or discarded. */
  aus: number[] | null;
}

/** A sample's labels as they stand before any decision. */
export function originalOutcome(table: SampleTable, sample: number): Outcome {
  return {
    classId: table.classIds[sample] ?? -1,
    aus: table.auStatus[sample] === AuStatus.coded ? maskToAus(table.auMask, sample) : null,
  };
}

/**
 * The labels a decision leaves a sample with: accept and flag keep the original,
 * correct changes what it names, discard removes the sample. A corrected AU text is
 * read by activeAus, the reading of the table's AU mask, so an original and a
 * correction are compared alike: side, intensity and action descriptors ignored
 * (`L12` and `12` are the same AU set).
 */
export function outcomeOf(decision: Decision, table: SampleTable, sample: number): Outcome {
  if (decision.kind === 'discard') return { classId: null, aus: null };
  const original = originalOutcome(table, sample);
  if (decision.kind !== 'correct' || !decision.correction) return original;
  const { classId, au } = decision.correction;
  return {
    classId: classId ?? original.classId,
    aus: au ? (au.status === 'coded' ? activeAus(au.raw) : null) : original.aus,
  };
}

function sameAus(a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((au, i) => au === b[i]);
}

/** Two decisions of the same kind leaving the same class and AU set. */
export function sameOutcome(
  a: Outcome & { kind: Decision['kind'] },
  b: Outcome & { kind: Decision['kind'] },
): boolean {
  return a.kind === b.kind && a.classId === b.classId && sameAus(a.aus, b.aus);
}
