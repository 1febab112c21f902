import type { Decision } from '../review/decision';
import type { TeamSession } from './assignment';
import { BUNDLE_FORMAT, BUNDLE_VERSION, type ReviewBundle } from './bundle';
import { canonicalJson } from './signature';

/**
 * The lead's side of a team review, first step: merging the bundles reviewers send
 * back into one canonical bundle per reviewer. What the merged bundles say is
 * measured in agreement-report.ts and ruled on in adjudication.ts.
 */

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
