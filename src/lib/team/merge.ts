import { auMaskWords, auName, maskToAus, parseAuString } from '../labels/au';
import { AuStatus, type SampleTable } from '../labels/types';
import { DecisionSchema, type Decision } from '../review/decision';
import { cohensKappaDetail, ekmanFriesen, fleissKappa, krippendorffAlpha } from './agreement';
import type { BinaryRating } from './agreement';
import type { TeamSession } from './assignment';
import { BUNDLE_FORMAT, BUNDLE_VERSION, type ReviewBundle } from './bundle';
import { canonicalJson } from './signature';
import { textAt } from '../labels/text-column';

/**
 * The lead's side of a team review: merging the reviewers' bundles, measuring
 * their agreement, ranking conflicts and adjudicating them. Adjudications are
 * plain Decisions by the lead, so review and export use them unchanged.
 */

type Kind = Decision['kind'];
export const DECISION_KINDS: readonly Kind[] = ['accept', 'correct', 'flag', 'discard'];

/* ------------------------------------------------------------------ merge */

export interface MergeResult {
  /** One bundle per reviewer, in the session's reviewer order, in canonical form. */
  bundles: ReviewBundle[];
  /** Decisions (reviewer + id) that were not there before. */
  added: number;
  /** Incoming decisions already present. */
  unchanged: number;
  /** Incoming decisions whose id was present with other content (kept: the later one). */
  replaced: number;
  /** Incoming bundles or decisions that were not merged, and why. */
  problems: string[];
}

export { canonicalJson };

/** Structural equality of JSON-like values (undefined properties count as absent). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  const ea = Object.entries(a).filter(([, v]) => v !== undefined);
  const eb = Object.entries(b).filter(([, v]) => v !== undefined);
  if (ea.length !== eb.length) return false;
  const rb = b as Record<string, unknown>;
  return ea.every(([k, v]) => Object.hasOwn(rb, k) && sameJson(v, rb[k]));
}

/** Of two versions of one decision id, the one kept: the later, then the larger text. */
function preferred(a: Decision, b: Decision): Decision {
  if (a === b || a.at !== b.at) return a.at >= b.at ? a : b;
  if (sameJson(a, b)) return a;
  return canonicalJson(a) >= canonicalJson(b) ? a : b;
}

function byReviewerAndId(bundles: readonly ReviewBundle[]): Map<string, Map<string, Decision>> {
  const map = new Map<string, Map<string, Decision>>();
  for (const bundle of bundles) {
    const decisions = map.get(bundle.reviewer) ?? new Map<string, Decision>();
    map.set(bundle.reviewer, decisions);
    for (const d of bundle.decisions) {
      const old = decisions.get(d.id);
      decisions.set(d.id, old ? preferred(old, d) : d);
    }
  }
  return map;
}

function bundleProblems(session: TeamSession, bundle: ReviewBundle): string[] {
  const who = `the bundle from "${bundle.reviewer}"`;
  if (bundle.sessionId !== session.sessionId) {
    return [`${who} belongs to session ${bundle.sessionId}, not ${session.sessionId}`];
  }
  if (bundle.datasetId !== session.datasetId) {
    return [`${who} is from dataset ${bundle.datasetId}, this session is for ${session.datasetId}`];
  }
  if (!session.reviewers.includes(bundle.reviewer)) {
    return [`${who}: "${bundle.reviewer}" is not a reviewer of this session`];
  }
  return [];
}

/** Keep only the decisions that really are this reviewer's on this dataset. */
function cleanBundle(
  session: TeamSession,
  bundle: ReviewBundle,
): { bundle: ReviewBundle; problems: string[] } {
  const problems: string[] = [];
  const decisions = bundle.decisions.filter((d) => {
    const ok = d.reviewer === bundle.reviewer && d.datasetId === session.datasetId;
    if (!ok) {
      problems.push(
        `decision ${d.id} in the bundle from "${bundle.reviewer}" is by "${d.reviewer}" ` +
          `on dataset ${d.datasetId}; left out`,
      );
    }
    return ok;
  });
  return { bundle: { ...bundle, decisions }, problems };
}

/** Canonical form: one bundle per reviewer, decisions unique by id, sorted. */
function canonicalBundles(session: TeamSession, bundles: readonly ReviewBundle[]): ReviewBundle[] {
  const decisions = byReviewerAndId(bundles);
  const result: ReviewBundle[] = [];
  for (const reviewer of session.reviewers) {
    const mine = bundles.filter((b) => b.reviewer === reviewer);
    if (mine.length === 0) continue;
    const sorted = [...(decisions.get(reviewer)?.values() ?? [])].sort(
      (a, b) => a.sample - b.sample || a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    const durations = new Map<number, number>();
    let anyDurations = false;
    for (const b of mine) {
      if (!b.durationsMs) continue;
      anyDurations = true;
      for (const { sample, ms } of b.durationsMs) {
        durations.set(sample, Math.max(ms, durations.get(sample) ?? 0));
      }
    }
    result.push({
      format: BUNDLE_FORMAT,
      version: BUNDLE_VERSION,
      sessionId: session.sessionId,
      datasetId: session.datasetId,
      datasetName: session.datasetName,
      reviewer,
      startedAt: Math.min(...mine.map((b) => b.startedAt)),
      finishedAt: Math.max(...mine.map((b) => b.finishedAt)),
      decisions: sorted,
      ...(anyDurations
        ? {
            durationsMs: [...durations]
              .sort((a, b) => a[0] - b[0])
              .map(([sample, ms]) => ({ sample, ms })),
          }
        : {}),
    });
  }
  return result;
}

/**
 * Merge incoming bundles into the ones already imported. Decisions are keyed by
 * reviewer + decision id, so importing a bundle twice changes nothing, and the
 * result does not depend on the order bundles arrive in (the canonical form is a
 * function of the set of decisions; times merge by min/max, durations by max).
 * A reviewer may send several bundles (partial, then complete). Bundles of another
 * session or dataset, or from someone not in the session, are refused with a
 * problem; nothing throws.
 */
export function mergeBundles(
  session: TeamSession,
  existing: readonly ReviewBundle[],
  incoming: ReviewBundle | readonly ReviewBundle[],
): MergeResult {
  const problems: string[] = [];
  const accept = (bundle: ReviewBundle): ReviewBundle[] => {
    const refused = bundleProblems(session, bundle);
    if (refused.length > 0) {
      for (const problem of refused) problems.push(problem);
      return [];
    }
    const cleaned = cleanBundle(session, bundle);
    for (const problem of cleaned.problems) problems.push(problem);
    return [cleaned.bundle];
  };
  const before = existing.flatMap(accept);
  const beforeKeys = byReviewerAndId(before);
  const arriving = (Array.isArray(incoming) ? incoming : [incoming]) as readonly ReviewBundle[];
  const added = arriving.flatMap(accept);
  const bundles = canonicalBundles(session, [...before, ...added]);
  const afterKeys = byReviewerAndId(bundles);
  let addedCount = 0;
  for (const [reviewer, decisions] of afterKeys) {
    for (const id of decisions.keys()) if (!beforeKeys.get(reviewer)?.has(id)) addedCount++;
  }
  let unchanged = 0;
  let replaced = 0;
  for (const bundle of added) {
    for (const d of bundle.decisions) {
      const old = beforeKeys.get(bundle.reviewer)?.get(d.id);
      if (!old) continue;
      if (sameJson(old, d)) unchanged++;
      else replaced++;
    }
  }
  return { bundles, added: addedCount, unchanged, replaced, problems };
}

/* -------------------------------------------------------------- agreement */

/** What one decision makes of a sample's labels. */
export interface Outcome {
  /** Final class id (-1 = none); null when discarded. */
  classId: number | null;
  /** Final AUs, ascending; null when not coded (`null`, absent) or discarded. */
  aus: number[] | null;
}

function ausOfRaw(raw: string): number[] | null {
  const parsed = parseAuString(raw);
  if (parsed.status === 'null') return null;
  return maskToAus(new Uint32Array(auMaskWords(parsed.tokens)), 0);
}

/**
 * The labels a decision leaves a sample with: accept and flag keep the original,
 * correct changes what it names, discard removes the sample. AUs are read as
 * numbers 1-64, intensity, side and action descriptors ignored (as the table's AU
 * mask reads them).
 */
export function outcomeOf(decision: Decision, table: SampleTable, sample: number): Outcome {
  if (decision.kind === 'discard') return { classId: null, aus: null };
  const originalAus =
    table.auStatus[sample] === AuStatus.coded ? maskToAus(table.auMask, sample) : null;
  let classId = table.classIds[sample] ?? -1;
  let aus = originalAus;
  if (decision.kind === 'correct' && decision.correction) {
    if (decision.correction.classId !== undefined) classId = decision.correction.classId;
    const au = decision.correction.au;
    if (au) aus = au.status === 'coded' ? ausOfRaw(au.raw) : null;
  }
  return { classId, aus };
}

function sameAus(a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((au, i) => au === b[i]);
}

function sameOutcome(a: Outcome & { kind: Kind }, b: Outcome & { kind: Kind }): boolean {
  return a.kind === b.kind && a.classId === b.classId && sameAus(a.aus, b.aus);
}

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
  const assignedTo = new Map<number, string[]>();
  for (const reviewer of session.reviewers) {
    for (const a of session.assignments) {
      if (a.reviewer !== reviewer) continue;
      for (const s of a.samples) {
        if (s >= table.count) continue;
        assignedTo.set(s, [...(assignedTo.get(s) ?? []), reviewer]);
      }
    }
  }
  const sampleIndexes = [...assignedTo.keys()].sort((a, b) => a - b);

  const samples = sampleIndexes.map((sample): SampleAgreement => {
    const assigned = assignedTo.get(sample) ?? [];
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
      original: {
        classId: table.classIds[sample] ?? -1,
        aus: table.auStatus[sample] === AuStatus.coded ? maskToAus(table.auMask, sample) : null,
      },
      assigned,
      reviews,
      missing,
      pairs,
      meanEf: mean(pairs.flatMap((p) => (p.ef === null ? [] : [p.ef]))),
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
      samples: samples.length,
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

/* -------------------------------------------------------------- conflicts */

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
      const auAgreement = mean(scores) ?? 1;
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
