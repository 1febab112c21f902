import { activeAus, isNullAuValue, parseAuString, parseAuToken } from '../labels/au';
import { className } from '../labels/schemes';
import { AuStatus, type LabelScheme } from '../labels/types';
import { FLAG_REASON_LABELS, type AuLabel, type Decision } from './decision';
import { labelAfterDecision, type SampleLabel } from './decisions';

/**
 * Helpers to build and explain corrections. AU strings are edited as text so that
 * whatever the coder wrote (sides, intensities, unknown tokens) survives an edit of
 * another AU.
 */

/**
 * Toggle one AU in an AU value text. When the AU is present in any spelling (`12`,
 * `L12`, `12B`, duplicates), every token of it is removed; otherwise a plain `12` is
 * inserted before the first AU token with a higher number (after the last AU token
 * when none is higher), so a sorted string stays sorted. Other tokens keep their
 * spelling; empty tokens are dropped. `null` or '' (absent) start from no AUs.
 * Action descriptors (AD19) are never touched: they are not the AU of that number.
 * The result is '' when the last AU is removed.
 */
export function toggleAu(raw: string, au: number): string {
  if (!Number.isInteger(au) || au < 1) throw new RangeError(`AU ${au} is not an AU number`);
  const parts = isNullAuValue(raw)
    ? []
    : raw
        .split('+')
        .map((part) => part.trim())
        .filter((part) => part !== '');
  const tokens = parts.map((text) => ({ text, token: parseAuToken(text) }));
  const isThisAu = (t: (typeof tokens)[number]) => t.token?.kind === 'AU' && t.token.au === au;
  if (tokens.some(isThisAu)) {
    return tokens
      .filter((t) => !isThisAu(t))
      .map((t) => t.text)
      .join('+');
  }
  const auNumber = (t: (typeof tokens)[number]) => (t.token?.kind === 'AU' ? t.token.au : null);
  let at = tokens.findIndex((t) => {
    const n = auNumber(t);
    return n !== null && n > au;
  });
  if (at < 0) {
    let lastAu = -1;
    tokens.forEach((t, i) => {
      if (auNumber(t) !== null) lastAu = i;
    });
    at = lastAu < 0 ? tokens.length : lastAu + 1;
  }
  const texts = tokens.map((t) => t.text);
  texts.splice(at, 0, String(au));
  return texts.join('+');
}

/** An AU value for people: never shows `null` or '' as if they were AU strings. */
export function auDisplay(label: Pick<SampleLabel, 'auStatus' | 'auRaw'>): string {
  if (label.auStatus === AuStatus.null) return 'not coded';
  if (label.auStatus === AuStatus.absent) return 'no AU label';
  const text = label.auRaw.trim();
  return text === '' ? 'no AUs' : text;
}

/** The AU numbers written in a label (AU tokens only, any side or intensity). */
function ausOf(label: Pick<SampleLabel, 'auStatus' | 'auRaw'>): Set<number> {
  if (label.auStatus !== AuStatus.coded) return new Set();
  const aus = new Set<number>();
  for (const token of parseAuString(label.auRaw).tokens) if (token.kind === 'AU') aus.add(token.au);
  return aus;
}

export interface CorrectionDescription {
  /** One line, e.g. "Class Sadly angry → Sadly fearful; AUs 4+15 → 1+4+15+20 (+1, +20)". */
  summary: string;
  classFrom: string;
  classTo: string;
  classChanged: boolean;
  auFrom: string;
  auTo: string;
  auChanged: boolean;
  /** AU numbers present after the decision and not before, ascending. */
  addedAus: number[];
  removedAus: number[];
}

function signedAus(added: number[], removed: number[]): string {
  return [...added.map((au) => `+${au}`), ...removed.map((au) => `-${au}`)].join(', ');
}

/**
 * What a decision does to a label, for people. `before` is the label the decision
 * replaces (usually the original; in a history, the label in effect before it).
 * The decision is applied to `original`, as resolveFinalLabels does.
 */
export function describeCorrection(
  original: SampleLabel,
  decision: Decision,
  scheme: LabelScheme,
  before: SampleLabel = original,
): CorrectionDescription {
  const after = labelAfterDecision(original, decision);
  const classFrom = className(scheme, before.classId);
  const classTo = className(scheme, after.classId);
  const auFrom = auDisplay(before);
  const auTo = auDisplay(after);
  const fromAus = ausOf(before);
  const toAus = ausOf(after);
  const addedAus = [...toAus].filter((au) => !fromAus.has(au)).sort((a, b) => a - b);
  const removedAus = [...fromAus].filter((au) => !toAus.has(au)).sort((a, b) => a - b);
  const classChanged = before.classId !== after.classId;
  const auChanged = before.auStatus !== after.auStatus || before.auRaw !== after.auRaw;

  const changes: string[] = [];
  if (classChanged) changes.push(`Class ${classFrom} → ${classTo}`);
  if (auChanged) {
    const detail = signedAus(addedAus, removedAus);
    changes.push(`AUs ${auFrom} → ${auTo}${detail ? ` (${detail})` : ''}`);
  }
  const labelText = `${classTo}, AUs ${auTo}`;
  let summary: string;
  switch (decision.kind) {
    case 'accept':
      summary =
        changes.length > 0 ? `Accepted original: ${changes.join('; ')}` : `Accepted: ${labelText}`;
      break;
    case 'correct':
      summary =
        changes.length > 0 ? changes.join('; ') : `Corrected without a change: ${labelText}`;
      break;
    case 'flag':
      summary = `Flagged: ${decision.flagReason ? FLAG_REASON_LABELS[decision.flagReason] : 'no reason given'}`;
      break;
    case 'discard':
      summary = 'Discarded';
      break;
  }
  if (decision.kind !== 'accept' && decision.kind !== 'correct' && changes.length > 0) {
    // A flag or discard after a correction brings the original labels back: say so.
    summary += ` (labels back to original: ${changes.join('; ')})`;
  }
  return {
    summary,
    classFrom,
    classTo,
    classChanged,
    auFrom,
    auTo,
    auChanged,
    addedAus,
    removedAus,
  };
}

/** The AUs an AU label sets (activeAus: the sample mask's reading); none for `null` or no label. */
export function ausOfAuLabel(label: AuLabel | null): number[] {
  return label?.status === 'coded' ? (activeAus(label.raw) ?? []) : [];
}
