import * as Y from 'yjs';
import { z } from 'zod';
import { DecisionSchema, type Decision } from '../review/decision';
import { MAC_PATTERN, signContent } from '../team/signature';

/**
 * A live team session moves the file workflow's two artefacts through a Yjs
 * document per reviewer, synced by a standard Yjs server (Hocuspocus): the lead puts
 * the reviewer's assignment file in it once, and the reviewer adds each decision as
 * it is made, signed with their assignment's key as a bundle would be. A reviewer's
 * document holds nothing of any other reviewer, so blind review holds by
 * construction: a reviewer's browser only ever opens its own document.
 *
 * Both parts only grow: the assignment is written once, and a decision is a new
 * entry under its own id (a changed mind is a new decision, as in the review
 * history). So there is nothing to merge, a decision sent twice is one entry, and
 * the server can refuse any update that deletes or overwrites.
 */

/** Version of the documents' layout: a later layout is a new version, read beside this one. */
export const LIVE_DOC_VERSION = 1;

/** Root maps of a reviewer's document. */
export const ASSIGNMENT_ROOT = 'assignment';
export const DECISIONS_ROOT = 'decisions';
/** Under ASSIGNMENT_ROOT: the assignment file's text, as the file workflow writes it. */
export const ASSIGNMENT_FILE_KEY = 'file';
/** Under ASSIGNMENT_ROOT: LIVE_DOC_VERSION. */
export const VERSION_KEY = 'version';

/** A decision as a reviewer's document holds it: the review layer's record and its MAC. */
export const LiveDecisionSchema = z.object({
  decision: DecisionSchema,
  /** HMAC-SHA-256 of the decision's canonical JSON under the reviewer's assignment key. */
  mac: z.string().regex(MAC_PATTERN, 'a signature is 43 base64url characters'),
});
export type LiveDecision = z.infer<typeof LiveDecisionSchema>;

const DOC_PREFIX = 'au-review/';

/** The name of a reviewer's document in a session: what the server authorises. */
export function liveDocName(sessionId: string, reviewer: string): string {
  return `${DOC_PREFIX}${encodeURIComponent(sessionId)}/${encodeURIComponent(reviewer)}`;
}

/** The session and reviewer a document name stands for; null for any other name. */
export function parseLiveDocName(name: string): { sessionId: string; reviewer: string } | null {
  if (!name.startsWith(DOC_PREFIX)) return null;
  const parts = name.slice(DOC_PREFIX.length).split('/');
  if (parts.length !== 2) return null;
  try {
    const [sessionId, reviewer] = parts.map((part) => decodeURIComponent(part)) as [string, string];
    if (sessionId === '' || reviewer === '') return null;
    // Only the one spelling liveDocName makes: two names must never mean one document.
    return liveDocName(sessionId, reviewer) === name ? { sessionId, reviewer } : null;
  } catch {
    return null;
  }
}

/** Puts the assignment file in a reviewer's document, unless it holds one already. */
export function writeAssignment(doc: Y.Doc, assignmentText: string): boolean {
  const root = doc.getMap(ASSIGNMENT_ROOT);
  if (root.has(ASSIGNMENT_FILE_KEY)) return false;
  doc.transact(() => {
    root.set(VERSION_KEY, LIVE_DOC_VERSION);
    root.set(ASSIGNMENT_FILE_KEY, assignmentText);
  });
  return true;
}

/** The assignment file's text in a reviewer's document, once the lead has put it there. */
export function assignmentTextOf(doc: Y.Doc): string | null {
  const text = doc.getMap(ASSIGNMENT_ROOT).get(ASSIGNMENT_FILE_KEY);
  return typeof text === 'string' ? text : null;
}

/** A decision with its MAC under the reviewer's key (the bundle's signature, per decision). */
export async function signDecision(decision: Decision, key: string): Promise<LiveDecision> {
  return { decision, mac: await signContent(decision as unknown as Record<string, unknown>, key) };
}

/** Signs decisions once each (a reviewer's whole history is sent again after each reconnection). */
export class DecisionSigner {
  private readonly signed = new Map<string, LiveDecision>();

  async sign(decisions: readonly Decision[], key: string): Promise<LiveDecision[]> {
    const entries: LiveDecision[] = [];
    for (const decision of decisions) {
      let entry = this.signed.get(decision.id);
      if (!entry) {
        entry = await signDecision(decision, key);
        this.signed.set(decision.id, entry);
      }
      entries.push(entry);
    }
    return entries;
  }
}

/** Adds the decisions the document does not hold yet, in one update; returns how many. */
export function addDecisions(doc: Y.Doc, decisions: readonly LiveDecision[]): number {
  const root = doc.getMap(DECISIONS_ROOT);
  const missing = decisions.filter(({ decision }) => !root.has(decision.id));
  if (missing.length === 0) return 0;
  doc.transact(() => {
    for (const entry of missing) root.set(entry.decision.id, entry);
  });
  return missing.length;
}

/** The ids of the decisions a document holds. */
export function decisionIdsOf(doc: Y.Doc): Set<string> {
  return new Set(doc.getMap(DECISIONS_ROOT).keys());
}

/**
 * Every entry of a document's decisions, each read by the schema: the well-formed
 * ones, and a message for each other (the server refuses those; a document from a
 * server that did not is still read safely).
 */
export function liveDecisionsOf(
  doc: Y.Doc,
  /**
   * Entries read before, by id, with the value they were read from: an entry never
   * changes under its id (the server refuses that), so a document read again after
   * each change only parses its new entries.
   */
  parsedBefore?: Map<string, { value: unknown; parsed: LiveDecision }>,
): { decisions: LiveDecision[]; problems: string[] } {
  const decisions: LiveDecision[] = [];
  const problems: string[] = [];
  for (const [id, value] of doc.getMap(DECISIONS_ROOT).entries()) {
    const known = parsedBefore?.get(id);
    if (known && known.value === value) {
      decisions.push(known.parsed);
      continue;
    }
    const parsed = LiveDecisionSchema.safeParse(value);
    if (!parsed.success) problems.push(`entry ${JSON.stringify(id)} is not a signed decision`);
    else if (parsed.data.decision.id !== id)
      problems.push(`entry ${JSON.stringify(id)} holds decision ${parsed.data.decision.id}`);
    else {
      decisions.push(parsed.data);
      parsedBefore?.set(id, { value, parsed: parsed.data });
    }
  }
  decisions.sort(
    (a, b) => a.decision.at - b.decision.at || (a.decision.id < b.decision.id ? -1 : 1),
  );
  return { decisions, problems };
}
