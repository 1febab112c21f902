import type * as Y from 'yjs';
import type { Decision } from '../review/decision';
import { reviewerKeyOf, type TeamSession } from '../team/assignment';
import { BUNDLE_FORMAT, BUNDLE_VERSION, type ReviewBundle } from '../team/bundle';
import { clip, decisionProblems, type DecisionContext } from '../team/checks';
import { verifyContent } from '../team/signature';
import { liveDecisionsOf, type LiveDecision } from './live-doc';

/**
 * The lead's reading of a reviewer's live document: the decisions whose signature is
 * the reviewer's key and which pass every check a bundle file's decisions pass, as a
 * review bundle, ready for the same merge as a bundle file. The server already
 * refuses what is not the reviewer's; the lead checks again, so a server that did
 * not (or a document copied from elsewhere) cannot slip a decision in.
 */
export async function liveBundle(
  doc: Y.Doc,
  input: {
    session: TeamSession;
    reviewer: string;
    classIds: Iterable<number>;
    original?: DecisionContext['original'];
    /**
     * Decisions already found authentic, by id, with their MAC (see LiveBundleReader):
     * a reviewer's document is read again after every change, and only its new
     * decisions need their signature checked.
     */
    authentic?: Map<string, string>;
    /** Entries parsed before (see liveDecisionsOf). */
    parsedBefore?: Map<string, { value: unknown; parsed: LiveDecision }>;
  },
): Promise<{ bundle: ReviewBundle | null; problems: string[] }> {
  const { session, reviewer } = input;
  const where = `${reviewer}'s live document`;
  const key = reviewerKeyOf(session, reviewer);
  if (key === undefined)
    return { bundle: null, problems: [`${where}: the session holds no key for ${reviewer}`] };
  const read = liveDecisionsOf(doc, input.parsedBefore);
  const problems = read.problems.map((p) => `${where}: ${p}`);
  const context: DecisionContext = {
    reviewer,
    datasetId: session.datasetId,
    classIds: new Set(input.classIds),
    assigned: new Set(session.assignments.find((a) => a.reviewer === reviewer)?.samples ?? []),
    ...(input.original ? { original: input.original } : {}),
  };
  const decisions: Decision[] = [];
  for (const { decision, mac } of read.decisions) {
    const which = `${where}: decision ${decision.id.slice(0, 8)} (sample ${decision.sample}, ${JSON.stringify(clip(decision.sampleName))})`;
    const known = input.authentic?.get(decision.id) === mac;
    const authentic =
      known ||
      (await verifyContent(decision as unknown as Record<string, unknown>, mac, key).catch(
        () => false,
      ));
    if (!authentic) {
      problems.push(`${which}: signature does not match ${reviewer}'s key`);
      continue;
    }
    if (!known) input.authentic?.set(decision.id, mac);
    const refused = decisionProblems(decision, context);
    if (refused.length > 0) {
      problems.push(...refused.map((p) => `${which} ${p}`));
      continue;
    }
    decisions.push(decision);
  }
  if (decisions.length === 0) return { bundle: null, problems };
  // A loop, not Math.min(...): a long session's history would overflow the call's arguments.
  let startedAt = Infinity;
  let finishedAt = -Infinity;
  for (const { at } of decisions) {
    startedAt = Math.min(startedAt, at);
    finishedAt = Math.max(finishedAt, at);
  }
  return {
    bundle: {
      format: BUNDLE_FORMAT,
      version: BUNDLE_VERSION,
      sessionId: session.sessionId,
      datasetId: session.datasetId,
      datasetName: session.datasetName,
      reviewer,
      startedAt,
      finishedAt,
      decisions,
    },
    problems,
  };
}

/** Samples with at least one decision in a bundle. */
export function decidedSampleCount(bundle: ReviewBundle | null): number {
  return bundle ? new Set(bundle.decisions.map((d) => d.sample)).size : 0;
}

/** liveBundle with memory: each entry is parsed, and its signature checked, once. */
export class LiveBundleReader {
  private readonly authentic = new Map<string, string>();
  private readonly parsed = new Map<string, { value: unknown; parsed: LiveDecision }>();

  read(doc: Y.Doc, input: Omit<Parameters<typeof liveBundle>[1], 'authentic' | 'parsedBefore'>) {
    return liveBundle(doc, { ...input, authentic: this.authentic, parsedBefore: this.parsed });
  }
}
