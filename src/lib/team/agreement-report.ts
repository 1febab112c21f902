import { auName } from '../labels/au';
import type { SampleTable } from '../labels/types';
import { textAt } from '../labels/text-column';
import type { Decision } from '../review/decision';
import {
  cohensKappaDetail,
  ekmanFriesen,
  fleissKappa,
  krippendorffAlpha,
  type BinaryRating,
} from './agreement';
import type { TeamSession } from './assignment';
import type { ReviewBundle } from './bundle';
import { mergeBundles } from './merge';
import { originalOutcome, outcomeOf, sameOutcome, type Outcome } from './outcome';

/**
 * How far the reviewers of a team session agree, per sample, per AU, per decision
 * kind and per reviewer: the measures of agreement.ts applied to the merged bundles.
 */

type Kind = Decision['kind'];
export const DECISION_KINDS: readonly Kind[] = ['accept', 'correct', 'flag', 'discard'];

export interface ReviewOutcome extends Outcome {
  reviewer: string;
  /** The reviewer's latest decision on the sample. */
  decision: Decision;
  kind: Kind;
  durationMs: number | null;
}

export interface PairAgreement {
  a: string;
  b: string;
  /** Ekman-Friesen agreement of the two final AU sets; null unless both are coded. */
  ef: number | null;
  sameKind: boolean;
  sameClass: boolean;
}

export interface SampleAgreement {
  sessionId: string;
  datasetId: string;
  sample: number;
  name: string;
  original: Outcome;
  /** Reviewers the plan gave this sample to. */
  assigned: string[];
  /** Reviews received, in the session's reviewer order. */
  reviews: ReviewOutcome[];
  /** Assigned reviewers with no decision on it yet. */
  missing: string[];
  pairs: PairAgreement[];
  /** Mean EF over pairs where both coded AUs; null when no such pair. */
  meanEf: number | null;
  /** Share of pairs with the same decision kind; null with fewer than two reviews. */
  kindAgreement: number | null;
  /** Share of pairs leaving the same class; null with fewer than two reviews. */
  classAgreement: number | null;
  /** At least two reviews, all with the same kind, class and AU set. */
  unanimous: boolean;
  /** The lead's latest adjudication, if any. */
  adjudication: Decision | null;
  /** The settled result: the adjudication, else the unanimous outcome, else null (pending). */
  final: (Outcome & { source: 'adjudication' | 'unanimous'; decision: Decision }) | null;
}

export interface AuAgreement {
  au: number;
  name: string | null;
  /** Share of ratings (reviewer x sample, coded only) with the AU: show beside the score. */
  baseRate: number;
  positives: number;
  ratings: number;
  /** Samples with at least two coded ratings (what alpha pairs over). */
  units: number;
  /** Cohen's kappa over samples with exactly two reviews (first/second in the session's reviewer order); null when undefined. */
  kappa: number | null;
  kappaSamples: number;
  /** Krippendorff's alpha (nominal) over every sample with two or more reviews; null when undefined. */
  alpha: number | null;
  /** 'cohen-kappa' when every compared sample has exactly two reviews, else 'krippendorff-alpha'. */
  measure: 'cohen-kappa' | 'krippendorff-alpha';
  score: number | null;
  /** Why the score is missing, when it is. */
  note: string | null;
}

export interface ReviewerSummary {
  reviewer: string;
  assigned: number;
  /** Assigned samples with a decision. */
  done: number;
  /** Sum of per-sample durations when the bundle has them, else finishedAt - startedAt; null when neither. */
  timeMs: number | null;
  timeSource: 'durations' | 'span' | 'none';
  /** Mean EF over this reviewer's pairs (both coded); null when none. */
  meanEfWithOthers: number | null;
  kindAgreementWithOthers: number | null;
  pairsWithOthers: number;
  /** Mean EF against the final result (both coded); null when none. */
  meanEfWithFinal: number | null;
  kindAgreementWithFinal: number | null;
  /** Samples with a final result that this reviewer reviewed. */
  finalCompared: number;
}

export interface AgreementReport {
  sessionId: string;
  datasetId: string;
  overlap: number;
  /**
   * The samples at least one reviewer decided on, or the lead ruled on, in index order
   * (the session's other samples are only counted, in overall.samples).
   */
  samples: SampleAgreement[];
  perAu: AuAgreement[];
  /** Fleiss' kappa over decision kinds, on samples reviewed by exactly `overlap` reviewers. */
  kinds: { fleissKappa: number | null; subjects: number; raters: number; note: string | null };
  reviewers: ReviewerSummary[];
  overall: {
    samples: number;
    /** Samples with at least one review. */
    reviewed: number;
    /** Samples with at least two reviews. */
    compared: number;
    meanEf: number | null;
    kindAgreement: number | null;
    unanimous: number;
    adjudicated: number;
  };
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function latest(decisions: Iterable<Decision>): Map<number, Decision> {
  const bySample = new Map<number, Decision>();
  for (const d of decisions) {
    const old = bySample.get(d.sample);
    if (!old || d.at > old.at || (d.at === old.at && d.id > old.id)) bySample.set(d.sample, d);
  }
  return bySample;
}

/**
 * How far the reviewers agree, per sample, per AU, per reviewer. Only assigned
 * samples count (a decision on an unassigned sample is kept but not measured).
 * `adjudications` are the lead's decisions (see adjudicate); with unanimous
 * samples they make the "final" result reviewers are compared with.
 */
export function agreementReport(
  session: TeamSession,
  bundles: readonly ReviewBundle[],
  table: SampleTable,
  adjudications: readonly Decision[] = [],
): AgreementReport {
  const merged = mergeBundles(session, [], bundles).bundles;
  const latestByReviewer = new Map(merged.map((b) => [b.reviewer, latest(b.decisions)]));
  const durations = new Map(
    merged.map((b) => [b.reviewer, new Map((b.durationsMs ?? []).map((d) => [d.sample, d.ms]))]),
  );
  const adjudicated = latest(adjudications.filter((d) => d.datasetId === session.datasetId));
  // By sample index, so that the samples come out in order without a sort (a live
  // session of 100k samples recomputes this report as decisions arrive).
  const assignedTo: (string[] | undefined)[] = new Array<string[] | undefined>(table.count);
  for (const reviewer of session.reviewers) {
    for (const a of session.assignments) {
      if (a.reviewer !== reviewer) continue;
      for (const s of a.samples) {
        if (s >= table.count) continue;
        const list = assignedTo[s];
        if (list) list.push(reviewer);
        else assignedTo[s] = [reviewer];
      }
    }
  }
  // Only the samples someone has reviewed or the lead has ruled on get a row: the
  // others are counted, and a session of 100k samples costs what its decisions cost.
  let assignedCount = 0;
  const sampleIndexes: number[] = [];
  for (let s = 0; s < assignedTo.length; s++) {
    const reviewers = assignedTo[s];
    if (!reviewers) continue;
    assignedCount++;
    if (adjudicated.has(s) || reviewers.some((r) => latestByReviewer.get(r)?.has(s)))
      sampleIndexes.push(s);
  }

  const samples = sampleIndexes.map((sample): SampleAgreement => {
    const assigned = assignedTo[sample] ?? [];
    const reviews: ReviewOutcome[] = [];
    const missing: string[] = [];
    for (const reviewer of assigned) {
      const decision = latestByReviewer.get(reviewer)?.get(sample);
      if (!decision) {
        missing.push(reviewer);
        continue;
      }
      reviews.push({
        reviewer,
        decision,
        kind: decision.kind,
        ...outcomeOf(decision, table, sample),
        durationMs: durations.get(reviewer)?.get(sample) ?? null,
      });
    }
    const pairs: PairAgreement[] = [];
    for (let i = 0; i < reviews.length; i++) {
      for (let j = i + 1; j < reviews.length; j++) {
        const a = reviews[i] as ReviewOutcome;
        const b = reviews[j] as ReviewOutcome;
        pairs.push({
          a: a.reviewer,
          b: b.reviewer,
          ef: a.aus !== null && b.aus !== null ? ekmanFriesen(a.aus, b.aus) : null,
          sameKind: a.kind === b.kind,
          sameClass: a.classId === b.classId,
        });
      }
    }
    const first = reviews[0];
    const unanimous =
      reviews.length >= 2 && first !== undefined && reviews.every((r) => sameOutcome(r, first));
    const adjudication = adjudicated.get(sample) ?? null;
    const final: SampleAgreement['final'] = adjudication
      ? {
          source: 'adjudication',
          decision: adjudication,
          ...outcomeOf(adjudication, table, sample),
        }
      : unanimous && first
        ? { source: 'unanimous', decision: first.decision, classId: first.classId, aus: first.aus }
        : null;
    return {
      sessionId: session.sessionId,
      datasetId: session.datasetId,
      sample,
      name: textAt(table.names, sample),
      original: originalOutcome(table, sample),
      assigned,
      reviews,
      missing,
      pairs,
      meanEf: pairs.length === 0 ? null : mean(pairs.flatMap((p) => (p.ef === null ? [] : [p.ef]))),
      kindAgreement:
        pairs.length === 0 ? null : pairs.filter((p) => p.sameKind).length / pairs.length,
      classAgreement:
        pairs.length === 0 ? null : pairs.filter((p) => p.sameClass).length / pairs.length,
      unanimous,
      adjudication,
      final,
    };
  });

  const compared = samples.filter((s) => s.reviews.length >= 2);
  const allPairs = compared.flatMap((s) => s.pairs);

  return {
    sessionId: session.sessionId,
    datasetId: session.datasetId,
    overlap: session.overlap,
    samples,
    perAu: perAuAgreement(session.reviewers, compared),
    kinds: kindsAgreement(session.overlap, samples),
    reviewers: session.reviewers.map((reviewer) =>
      reviewerSummary(session, reviewer, samples, merged),
    ),
    overall: {
      samples: assignedCount,
      reviewed: samples.filter((s) => s.reviews.length > 0).length,
      compared: compared.length,
      meanEf: mean(allPairs.flatMap((p) => (p.ef === null ? [] : [p.ef]))),
      kindAgreement:
        allPairs.length === 0 ? null : allPairs.filter((p) => p.sameKind).length / allPairs.length,
      unanimous: samples.filter((s) => s.unanimous).length,
      adjudicated: samples.filter((s) => s.adjudication !== null).length,
    },
  };
}

function perAuAgreement(
  reviewers: readonly string[],
  compared: readonly SampleAgreement[],
): AuAgreement[] {
  const aus = [...new Set(compared.flatMap((s) => s.reviews.flatMap((r) => r.aus ?? [])))].sort(
    (a, b) => a - b,
  );
  const twoOnly = compared.every((s) => s.reviews.length === 2);
  const pairSamples = compared.filter((s) => s.reviews.length === 2);
  // Each reviewer's AU set per compared sample: undefined = not reviewed, null = not coded.
  const sets = reviewers.map((reviewer) =>
    compared.map((s): ReadonlySet<number> | null | undefined => {
      const review = s.reviews.find((r) => r.reviewer === reviewer);
      return review === undefined ? undefined : review.aus === null ? null : new Set(review.aus);
    }),
  );
  const pairSets = pairSamples.map((s) =>
    s.reviews.map((r) => (r.aus === null ? null : new Set(r.aus))),
  );
  return aus.map((au): AuAgreement => {
    const rate = (set: ReadonlySet<number> | null | undefined): BinaryRating =>
      set === undefined || set === null ? null : set.has(au) ? 1 : 0;
    // Coders x units, in the session's reviewer order; unreviewed = missing.
    const matrix = sets.map((row) => row.map(rate));
    let ratings = 0;
    let positives = 0;
    const perUnit = new Array<number>(compared.length).fill(0);
    for (const row of matrix) {
      row.forEach((v, u) => {
        if (v === null) return;
        ratings++;
        positives += v;
        perUnit[u] = (perUnit[u] ?? 0) + 1;
      });
    }
    const units = perUnit.filter((count) => count >= 2).length;
    const alpha = finite(krippendorffAlpha(matrix));
    const kappaDetail = cohensKappaDetail(
      pairSets.map((p) => rate(p[0])),
      pairSets.map((p) => rate(p[1])),
    );
    const kappa = finite(kappaDetail.kappa);
    const measure = twoOnly ? 'cohen-kappa' : 'krippendorff-alpha';
    const score = twoOnly ? kappa : alpha;
    let note: string | null = null;
    if (score === null) {
      // With pairable ratings, alpha and kappa are undefined only when they never vary.
      note =
        units === 0
          ? 'no sample has two coded ratings'
          : 'every compared rating is the same: chance-corrected agreement is undefined';
    }
    return {
      au,
      name: auName(au),
      baseRate: ratings === 0 ? 0 : positives / ratings,
      positives,
      ratings,
      units,
      kappa,
      kappaSamples: kappaDetail.n,
      alpha,
      measure,
      score,
      note,
    };
  });
}

function kindsAgreement(
  overlap: number,
  samples: readonly SampleAgreement[],
): AgreementReport['kinds'] {
  const full = samples.filter((s) => s.reviews.length === overlap);
  if (overlap < 2) {
    return {
      fleissKappa: null,
      subjects: 0,
      raters: overlap,
      note: 'needs an overlap of 2 or more',
    };
  }
  const counts = full.map((s) =>
    DECISION_KINDS.map((k) => s.reviews.filter((r) => r.kind === k).length),
  );
  const kappa = finite(fleissKappa(counts));
  return {
    fleissKappa: kappa,
    subjects: full.length,
    raters: overlap,
    note:
      kappa !== null
        ? null
        : full.length === 0
          ? 'no sample has all its reviews yet'
          : 'every review has the same kind: chance-corrected agreement is undefined',
  };
}

function reviewerSummary(
  session: TeamSession,
  reviewer: string,
  samples: readonly SampleAgreement[],
  bundles: readonly ReviewBundle[],
): ReviewerSummary {
  let done = 0;
  let pairCount = 0;
  let sameKindPairs = 0;
  const efs: number[] = [];
  let finalCompared = 0;
  let sameKindFinal = 0;
  const efsWithFinal: number[] = [];
  for (const s of samples) {
    const review = s.reviews.find((r) => r.reviewer === reviewer);
    if (!review || !s.assigned.includes(reviewer)) continue;
    done++;
    for (const p of s.pairs) {
      if (p.a !== reviewer && p.b !== reviewer) continue;
      pairCount++;
      if (p.sameKind) sameKindPairs++;
      if (p.ef !== null) efs.push(p.ef);
    }
    if (s.final) {
      finalCompared++;
      if (review.kind === s.final.decision.kind) sameKindFinal++;
      if (review.aus !== null && s.final.aus !== null) {
        efsWithFinal.push(ekmanFriesen(review.aus, s.final.aus));
      }
    }
  }
  const bundle = bundles.find((b) => b.reviewer === reviewer);
  let timeMs: number | null = null;
  let timeSource: ReviewerSummary['timeSource'] = 'none';
  if (bundle?.durationsMs && bundle.durationsMs.length > 0) {
    timeMs = bundle.durationsMs.reduce((sum, d) => sum + d.ms, 0);
    timeSource = 'durations';
  } else if (bundle && bundle.finishedAt >= bundle.startedAt) {
    timeMs = bundle.finishedAt - bundle.startedAt;
    timeSource = 'span';
  }
  return {
    reviewer,
    assigned: session.assignments.find((a) => a.reviewer === reviewer)?.samples.length ?? 0,
    done,
    timeMs,
    timeSource,
    meanEfWithOthers: mean(efs),
    kindAgreementWithOthers: pairCount === 0 ? null : sameKindPairs / pairCount,
    pairsWithOthers: pairCount,
    meanEfWithFinal: mean(efsWithFinal),
    kindAgreementWithFinal: finalCompared === 0 ? null : sameKindFinal / finalCompared,
    finalCompared,
  };
}
