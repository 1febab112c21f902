import {
  auMaskWords,
  canonicalToken,
  isNullAuValue,
  parseAuString,
  parseAuToken,
} from '../labels/au';
import { AuStatus, type AuStatusCode, type SampleTable } from '../labels/types';
import {
  FlagReasonSchema,
  SampleState,
  type AuLabel,
  type Decision,
  type FinalLabels,
  type SampleStateCode,
} from './decision';

/**
 * From the decision log to final labels. Original labels are never overwritten:
 * the final label of a sample is its original label with its latest decision
 * applied. Decisions do not stack: a 'flag' after a 'correct' shows the original
 * labels again (the flag is what the reviewer said last), which keeps "what does
 * this sample look like now" answerable from one decision.
 */

/** Flag reason code of FinalLabels.flagReason meaning "none". */
export const NO_FLAG_REASON = 255;

const DECISION_STATE: Readonly<Record<Decision['kind'], SampleStateCode>> = {
  accept: SampleState.accepted,
  correct: SampleState.corrected,
  flag: SampleState.flagged,
  discard: SampleState.discarded,
};

/** One sample's labels as a small value, for single-sample views and history. */
export interface SampleLabel {
  classId: number;
  auStatus: AuStatusCode;
  /** The AU value text ('' when absent, the file's own `null` spelling when not coded). */
  auRaw: string;
  state: SampleStateCode;
}

export function originalLabel(table: SampleTable, sample: number): SampleLabel {
  if (!Number.isInteger(sample) || sample < 0 || sample >= table.count) {
    throw new RangeError(`sample ${sample} is outside the table (${table.count} samples)`);
  }
  return {
    classId: table.classIds[sample] as number,
    auStatus: table.auStatus[sample] as AuStatusCode,
    auRaw: table.auRaw[sample] as string,
    state: SampleState.untouched,
  };
}

/**
 * An AU value text reduced to what it means as written: canonical tokens in their
 * order, unknown tokens trimmed, empty tokens dropped. Two texts with the same form
 * differ only in spacing or letter case, so the original text may be kept.
 */
export function normalizedAuText(raw: string): string {
  if (isNullAuValue(raw)) return 'null';
  const parts: string[] = [];
  // Split here rather than use parseAuString, which lists tokens and unknown text apart
  // and so loses their order.
  for (const part of raw.split('+')) {
    const text = part.trim();
    if (text === '') continue;
    const token = parseAuToken(text);
    parts.push(token ? canonicalToken(token) : text);
  }
  return parts.join('+');
}

interface ResolvedAu {
  auStatus: AuStatusCode;
  auRaw: string;
  /** true: the original value stands (same meaning, so its text and mask are kept). */
  keptOriginal: boolean;
}

/** The AU value a correction sets, keeping the original text when the meaning is unchanged. */
export function resolveAuLabel(
  original: Pick<SampleLabel, 'auStatus' | 'auRaw'>,
  au: AuLabel,
  normalize: (raw: string) => string = normalizedAuText,
): ResolvedAu {
  // A coded value typed as `null` means "not coded", whatever the UI called it.
  if (au.status === 'null' || isNullAuValue(au.raw)) {
    return original.auStatus === AuStatus.null
      ? { auStatus: AuStatus.null, auRaw: original.auRaw, keptOriginal: true }
      : { auStatus: AuStatus.null, auRaw: 'null', keptOriginal: false };
  }
  if (original.auStatus === AuStatus.coded && normalize(original.auRaw) === normalize(au.raw)) {
    // Same meaning: keep the file's own text (spacing, case) so an export changes nothing.
    return { auStatus: AuStatus.coded, auRaw: original.auRaw, keptOriginal: true };
  }
  return { auStatus: AuStatus.coded, auRaw: au.raw.trim(), keptOriginal: false };
}

/** fn with its results kept by argument: AU texts repeat (RAF-CE: 1,746 distinct in 4,549 samples). */
function memoized<T>(fn: (raw: string) => T): (raw: string) => T {
  const cache = new Map<string, T>();
  return (raw) => {
    let value = cache.get(raw);
    if (value === undefined) {
      value = fn(raw);
      cache.set(raw, value);
    }
    return value;
  };
}

/** The label a decision makes of a sample's ORIGINAL label (decisions replace, never stack). */
export function labelAfterDecision(original: SampleLabel, decision: Decision): SampleLabel {
  const label: SampleLabel = { ...original, state: DECISION_STATE[decision.kind] };
  if (decision.kind !== 'correct' || !decision.correction) return label;
  const { classId, au } = decision.correction;
  if (classId !== undefined) label.classId = classId;
  if (au) {
    const resolved = resolveAuLabel(original, au);
    label.auStatus = resolved.auStatus;
    label.auRaw = resolved.auRaw;
  }
  return label;
}

/**
 * Why a decision cannot be applied to this table: its sample is outside the table,
 * or its recorded image name differs from the table's (the dataset was re-imported
 * in another order). Such decisions are skipped rather than applied to the wrong face.
 */
export function staleReason(table: SampleTable, decision: Decision): string | null {
  const { sample, sampleName } = decision;
  if (!Number.isInteger(sample) || sample < 0 || sample >= table.count) {
    return `sample ${sample} is outside the dataset (${table.count} samples)`;
  }
  const name = table.names[sample] as string;
  if (sampleName !== '' && sampleName !== name) {
    return `decision names image '${sampleName}' but sample ${sample} is '${name}'`;
  }
  return null;
}

/** The decisions resolveFinalLabels skips, with the reason, for a warning. */
export function staleDecisions(
  table: SampleTable,
  decisions: readonly Decision[],
): { decision: Decision; reason: string }[] {
  const stale: { decision: Decision; reason: string }[] = [];
  for (const decision of decisions) {
    const reason = staleReason(table, decision);
    if (reason !== null) stale.push({ decision, reason });
  }
  return stale;
}

/**
 * Final labels of the whole table. `decisions` is the log of decisions in effect, in
 * log order (history.activeDecisions); the last one of each sample wins. One pass
 * over the decisions to find each sample's latest, one copy of the columns, then one
 * application per decided sample: O(samples + decisions).
 */
export function resolveFinalLabels(
  table: SampleTable,
  decisions: readonly Decision[],
): FinalLabels {
  const n = table.count;
  const latest = new Int32Array(n).fill(-1);
  decisions.forEach((decision, j) => {
    if (staleReason(table, decision) === null) latest[decision.sample] = j;
  });

  const state = new Uint8Array(n);
  const classIds = table.classIds.slice();
  const auStatus = table.auStatus.slice();
  const auRaw = table.auRaw.slice();
  const auMask = table.auMask.slice();
  const flagReason = new Uint8Array(n).fill(NO_FLAG_REASON);
  const normalize = memoized(normalizedAuText);
  const maskOfText = memoized((raw) => auMaskWords(parseAuString(raw).tokens));

  decisions.forEach((decision, j) => {
    const i = decision.sample;
    if (latest[i] !== j) return;
    state[i] = DECISION_STATE[decision.kind];
    if (decision.kind === 'flag' && decision.flagReason) {
      flagReason[i] = FlagReasonSchema.options.indexOf(decision.flagReason);
    }
    if (decision.kind !== 'correct' || !decision.correction) return;
    const { classId, au } = decision.correction;
    if (classId !== undefined) classIds[i] = classId;
    if (!au) return;
    const original = {
      auStatus: table.auStatus[i] as AuStatusCode,
      auRaw: table.auRaw[i] as string,
    };
    const resolved = resolveAuLabel(original, au, normalize);
    if (resolved.keptOriginal) return;
    auStatus[i] = resolved.auStatus;
    auRaw[i] = resolved.auRaw;
    const [lo, hi] = resolved.auStatus === AuStatus.coded ? maskOfText(resolved.auRaw) : [0, 0];
    auMask[2 * i] = lo;
    auMask[2 * i + 1] = hi;
  });

  return {
    count: n,
    state,
    classIds,
    auStatus,
    auRaw,
    auMask,
    flagReason,
    decisionOf: (sample) => {
      const j = latest[sample];
      return j === undefined || j < 0 ? undefined : decisions[j];
    },
  };
}

/** One sample of the final labels as a SampleLabel. */
export function finalLabel(final: FinalLabels, sample: number): SampleLabel {
  if (!Number.isInteger(sample) || sample < 0 || sample >= final.count) {
    throw new RangeError(`sample ${sample} is outside the final labels (${final.count} samples)`);
  }
  return {
    classId: final.classIds[sample] as number,
    auStatus: final.auStatus[sample] as AuStatusCode,
    auRaw: final.auRaw[sample] as string,
    state: final.state[sample] as SampleStateCode,
  };
}

/** How many samples are in each state, indexed by SampleStateCode. */
export function countStates(final: FinalLabels): number[] {
  const counts = [0, 0, 0, 0, 0];
  for (let i = 0; i < final.count; i++) {
    const s = final.state[i] as number;
    counts[s] = (counts[s] ?? 0) + 1;
  }
  return counts;
}
