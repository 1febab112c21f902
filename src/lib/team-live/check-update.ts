import * as Y from 'yjs';
import { parseAssignment } from '../team/assignment';
import { canonicalJson } from '../team/signature';
import {
  ASSIGNMENT_FILE_KEY,
  ASSIGNMENT_ROOT,
  DECISIONS_ROOT,
  LIVE_DOC_VERSION,
  LiveDecisionSchema,
  VERSION_KEY,
  assignmentTextOf,
} from './live-doc';

/**
 * What the sync server lets into a reviewer's document, checked on the update's
 * bytes before it is applied (so a refused update changes nothing). An update may
 * only add entries: the lead adds the assignment, the reviewer adds decisions,
 * each under its own id, for their own samples. Nothing may be deleted or
 * overwritten, and nothing may be added anywhere else. What the document already
 * holds (a client re-sending it on reconnect) passes untouched.
 */

export type LiveWriter = { kind: 'lead' } | { kind: 'reviewer'; reviewer: string };

/** The samples of the assignment a document holds, by the lead's index; null before it holds one. */
export function assignedSamples(doc: Y.Doc): Set<number> | null {
  const text = assignmentTextOf(doc);
  if (text === null) return null;
  const parsed = parseAssignment(text, 'assignment');
  return parsed.ok ? new Set(parsed.assignment.samples.map((s) => s.index)) : new Set();
}

/**
 * Why an update from this writer is refused; null when it is taken. assigned: the
 * samples of the document's assignment (assignedSamples, which the caller may cache).
 */
export function liveUpdateProblem(
  doc: Y.Doc,
  update: Uint8Array,
  writer: LiveWriter,
  documentReviewer: string,
  assigned: ReadonlySet<number> | null,
): string | null {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return 'the update cannot be decoded';
  }
  if (decoded.ds.clients.size > 0) return 'an update may not delete anything';
  const known = new Map<number, number>();
  const stateOf = (client: number) => {
    let state = known.get(client);
    if (state === undefined) {
      state = Y.getState(doc.store, client);
      known.set(client, state);
    }
    return state;
  };
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    // Already in the document: a reconnecting client sends what it has.
    if (clock + struct.length <= stateOf(client)) continue;
    if (!(struct instanceof Y.Item)) return 'an update may only add entries';
    const problem = itemProblem(doc, struct, writer, documentReviewer, assigned);
    if (problem) return problem;
  }
  return null;
}

function itemProblem(
  doc: Y.Doc,
  item: Y.Item,
  writer: LiveWriter,
  documentReviewer: string,
  assigned: ReadonlySet<number> | null,
): string | null {
  // A new map entry names its root and key; one with an origin would overwrite an entry.
  if (item.origin !== null || item.rightOrigin !== null)
    return 'an update may not overwrite an entry';
  if (typeof item.parent !== 'string' || item.parentSub === null)
    return "an update may only add entries to the document's maps";
  if (!(item.content instanceof Y.ContentAny) || item.content.arr.length !== 1)
    return 'an entry must hold one plain value';
  const key = item.parentSub;
  const value = item.content.arr[0];
  if (writer.kind === 'lead') {
    if (item.parent !== ASSIGNMENT_ROOT) return 'the lead may only write the assignment';
    if (key === VERSION_KEY) return value === LIVE_DOC_VERSION ? null : 'unknown document version';
    if (key !== ASSIGNMENT_FILE_KEY) return `the assignment has no entry ${JSON.stringify(key)}`;
    if (typeof value !== 'string') return "the assignment must be the file's text";
    const parsed = parseAssignment(value, 'assignment');
    if (!parsed.ok) return `the assignment is not valid: ${parsed.problems[0] ?? ''}`;
    if (parsed.assignment.reviewer !== documentReviewer)
      return `the assignment is ${parsed.assignment.reviewer}'s, the document ${documentReviewer}'s`;
    return null;
  }
  if (item.parent !== DECISIONS_ROOT) return 'a reviewer may only add decisions';
  if (writer.reviewer !== documentReviewer) return 'a reviewer may only write their own document';
  const parsed = LiveDecisionSchema.safeParse(value);
  if (!parsed.success) return 'an entry is not a signed decision';
  const { decision } = parsed.data;
  if (decision.id !== key) return 'a decision must be filed under its own id';
  if (decision.reviewer !== writer.reviewer)
    return `a decision by ${decision.reviewer} cannot come from ${writer.reviewer}`;
  if (!assigned) return 'no assignment yet: there is nothing to decide on';
  if (!assigned.has(decision.sample))
    return `sample ${decision.sample} is not in ${writer.reviewer}'s assignment`;
  // A client that had not yet synced may send a decision the document holds: the same
  // one is harmless (one entry either way), another one under its id would change it.
  const held: unknown = doc.getMap(DECISIONS_ROOT).get(key);
  if (held !== undefined && canonicalJson(held) !== canonicalJson(parsed.data))
    return `decision ${key} is already held with other content; a decision cannot be changed`;
  return null;
}
