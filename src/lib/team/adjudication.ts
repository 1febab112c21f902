import { DecisionSchema, type Decision } from '../review/decision';
import { ekmanFriesen } from './agreement';
import type { AgreementReport, ReviewOutcome, SampleAgreement } from './agreement-report';

/**
 * The lead's rulings: the samples whose reviews disagree, worst first, and the
 * ruling on one of them. Rulings are plain Decisions by the lead, so review and
 * export use them unchanged.
 */

export interface Conflict {
  sample: SampleAgreement;
  /**
   * AU agreement used for ranking: mean over pairs of EF when both coded, 0 when
   * one coded and the other did not (null AUs or discard); pairs where neither
   * coded are left out; 1 when no pair is left.
   */
  auAgreement: number;
  /** Plain-language reasons, worst first. */
  reasons: string[];
}

function formatScore(x: number): string {
  return x.toFixed(2);
}

/**
 * Samples whose reviews disagree (two or more reviews, not unanimous), worst
 * first: lowest AU agreement, then lowest kind agreement (differing kinds), then
 * lowest class agreement, then sample index. `pendingOnly` leaves out samples the
 * lead has already adjudicated.
 */
export function conflicts(
  report: AgreementReport,
  options: { pendingOnly?: boolean } = {},
): Conflict[] {
  const list = report.samples
    .filter((s) => s.reviews.length >= 2 && !s.unanimous)
    .filter((s) => !(options.pendingOnly && s.adjudication))
    .map((sample): Conflict => {
      const scores: number[] = [];
      for (let i = 0; i < sample.reviews.length; i++) {
        for (let j = i + 1; j < sample.reviews.length; j++) {
          const a = sample.reviews[i]?.aus ?? null;
          const b = sample.reviews[j]?.aus ?? null;
          if (a !== null && b !== null) scores.push(ekmanFriesen(a, b));
          else if (a !== null || b !== null) scores.push(0);
        }
      }
      const auAgreement =
        scores.length === 0 ? 1 : scores.reduce((sum, x) => sum + x, 0) / scores.length;
      const reasons: string[] = [];
      const list = (f: (r: ReviewOutcome) => string): string =>
        sample.reviews.map((r) => `${f(r)} (${r.reviewer})`).join(' vs ');
      if (new Set(sample.reviews.map((r) => r.kind)).size > 1) {
        reasons.push(`decisions differ: ${list((r) => r.kind)}`);
      }
      if (auAgreement < 1) {
        reasons.push(
          `AU agreement ${formatScore(auAgreement)}: ${list((r) => (r.aus === null ? 'not coded' : r.aus.join('+') || 'none'))}`,
        );
      }
      if (new Set(sample.reviews.map((r) => r.classId)).size > 1) {
        reasons.push(
          `classes differ: ${list((r) => (r.classId === null ? 'discarded' : String(r.classId)))}`,
        );
      }
      return { sample, auAgreement, reasons };
    });
  return list.sort(
    (x, y) =>
      x.auAgreement - y.auAgreement ||
      (x.sample.kindAgreement ?? 1) - (y.sample.kindAgreement ?? 1) ||
      (x.sample.classAgreement ?? 1) - (y.sample.classAgreement ?? 1) ||
      x.sample.sample - y.sample.sample,
  );
}

/* ----------------------------------------------------------- adjudication */

export type AdjudicationChoice = { from: string } | { edited: Decision };

/**
 * The lead's ruling on a sample, as a plain Decision: reviewer = the lead,
 * reviewSetId = the session id, a new id and time from `stamp` (kept pure: the
 * caller passes crypto.randomUUID() and Date.now()). `{ from }` copies that
 * reviewer's decision (kind, correction, flag reason; the note says where it came
 * from); `{ edited }` takes the lead's own decision for this sample.
 * Throws RangeError when the reviewer did not review the sample or the edited
 * decision is about another sample (bugs in the caller).
 */
export function adjudicate(
  sample: SampleAgreement,
  choice: AdjudicationChoice,
  stamp: { lead: string; id: string; at: number },
): Decision {
  let base: Decision;
  let note: string | undefined;
  if ('from' in choice) {
    const review = sample.reviews.find((r) => r.reviewer === choice.from);
    if (!review) {
      throw new RangeError(`"${choice.from}" has no decision on sample ${sample.sample}`);
    }
    base = review.decision;
    note = `adjudicated: chose ${choice.from}` + (base.note ? `; ${base.note}` : '');
  } else {
    base = choice.edited;
    if (base.sample !== sample.sample) {
      throw new RangeError(
        `the edited decision is about sample ${base.sample}, not ${sample.sample}`,
      );
    }
    note = base.note;
  }
  return DecisionSchema.parse({
    version: 1,
    id: stamp.id,
    datasetId: sample.datasetId,
    sample: sample.sample,
    sampleName: sample.name,
    kind: base.kind,
    reviewer: stamp.lead,
    at: stamp.at,
    ...(base.correction ? { correction: base.correction } : {}),
    ...(base.flagReason ? { flagReason: base.flagReason } : {}),
    ...(note ? { note } : {}),
    reviewSetId: sample.sessionId,
  });
}
