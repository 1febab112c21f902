import { z } from 'zod';
import { className } from '../labels/schemes';
import type { LabelScheme, SampleTable } from '../labels/types';
import { FLAG_REASON_LABELS, type Decision, type FlagReason } from './decision';
import { labelAfterDecision, originalLabel, type SampleLabel } from './decisions';
import { auDisplay, describeCorrection } from './correction';

/**
 * Undo and redo as an append-only log: IndexedDB stores the entries, so a reload
 * keeps the undo stack, and nothing is ever deleted (an undone decision stays in the
 * record, marked undone). The stacks are rebuilt by replaying the log:
 *
 *  - decide e: push e on the done stack; the redo stack is cleared (a new decision
 *    after undos abandons the undone branch, as in every editor);
 *  - undo (targets e): move e from the done stack to the redo stack;
 *  - redo (targets e): move e back.
 *
 * undo/redo both target a DECIDE entry. Replay is lenient so that two tabs appending
 * to one log cannot wedge it: an undo of an entry that is not done, or a redo of one
 * that is not redoable, is ignored; an undo/redo that is not of the top still moves
 * its target. Steps are unbounded; a bulk decision is one entry, so one step.
 */

export const HISTORY_ENTRY_VERSION = 1;

export const HistoryEntryKindSchema = z.enum(['decide', 'undo', 'redo']);
export type HistoryEntryKind = z.infer<typeof HistoryEntryKindSchema>;

export const HistoryEntrySchema = z
  .object({
    version: z.literal(HISTORY_ENTRY_VERSION),
    id: z.string().min(1),
    /** The dataset the log belongs to, so the store can index entries by it. */
    datasetId: z.string().min(1),
    /** Milliseconds since the epoch. */
    at: z.number(),
    reviewer: z.string().min(1),
    kind: HistoryEntryKindSchema,
    /** 'decide': the decisions made in one step (many for a bulk decision); else empty. */
    decisionIds: z.array(z.string().min(1)),
    /** 'undo' / 'redo': the id of the decide entry undone or redone. */
    targets: z.string().min(1).optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.kind === 'decide') {
      if (entry.decisionIds.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['decisionIds'],
          message: 'a decide entry needs decisions',
        });
      }
      if (entry.targets !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['targets'],
          message: 'a decide entry targets nothing',
        });
      }
    } else if (entry.targets === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['targets'],
        message: `an ${entry.kind} entry needs a target`,
      });
    }
  });
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** Who appends an entry, and its id: passed in so these functions stay pure. */
export interface EntryMeta {
  id: string;
  datasetId: string;
  at: number;
  reviewer: string;
}

export interface HistoryState {
  /** Decide entry ids in effect, oldest first (the top of the undo stack is last). */
  done: string[];
  /** Decide entry ids that redo would restore, the next one last. */
  redoable: string[];
  decideEntries: Map<string, HistoryEntry>;
  /** For an entry currently undone: the undo entry that undid it (latest). */
  undoneBy: Map<string, HistoryEntry>;
}

function removeLast(stack: string[], id: string): boolean {
  const at = stack.lastIndexOf(id);
  if (at < 0) return false;
  stack.splice(at, 1);
  return true;
}

/** A step of the replay that changed the stacks; `target` is a decide entry id. */
export interface ReplayStep {
  kind: HistoryEntryKind;
  target: string;
  entry: HistoryEntry;
}

/**
 * The undo and redo stacks the log leads to. O(entries): stack moves are at the top
 * except after concurrent appends. `onStep` sees each effective step, in order.
 */
export function replayHistory(
  log: readonly HistoryEntry[],
  onStep?: (step: ReplayStep) => void,
): HistoryState {
  const done: string[] = [];
  let redoable: string[] = [];
  const decideEntries = new Map<string, HistoryEntry>();
  const undoneBy = new Map<string, HistoryEntry>();
  for (const entry of log) {
    if (entry.kind === 'decide') {
      if (decideEntries.has(entry.id)) continue; // the same step stored twice
      decideEntries.set(entry.id, entry);
      done.push(entry.id);
      // The abandoned branch stays in undoneBy: those decisions remain undone for good.
      redoable = [];
      onStep?.({ kind: 'decide', target: entry.id, entry });
    } else if (entry.targets !== undefined) {
      const target = entry.targets;
      if (entry.kind === 'undo' && removeLast(done, target)) {
        redoable.push(target);
        undoneBy.set(target, entry);
        onStep?.({ kind: 'undo', target, entry });
      } else if (entry.kind === 'redo' && removeLast(redoable, target)) {
        done.push(target);
        undoneBy.delete(target);
        onStep?.({ kind: 'redo', target, entry });
      }
    }
  }
  return { done, redoable, decideEntries, undoneBy };
}

export function canUndo(log: readonly HistoryEntry[]): boolean {
  return replayHistory(log).done.length > 0;
}

export function canRedo(log: readonly HistoryEntry[]): boolean {
  return replayHistory(log).redoable.length > 0;
}

/**
 * The entry recording a decision step (one entry for a bulk decision, so it undoes
 * as one). Throws for no decisions or a decision already in the log: both are bugs.
 */
export function applyDecide(
  log: readonly HistoryEntry[],
  decisions: readonly Pick<Decision, 'id'>[],
  meta: EntryMeta,
): HistoryEntry {
  if (decisions.length === 0) throw new Error('a decide step needs at least one decision');
  const ids = new Set(decisions.map((d) => d.id));
  if (ids.size !== decisions.length) throw new Error('a decision appears twice in one step');
  for (const entry of log) {
    for (const id of entry.decisionIds) {
      if (ids.has(id)) throw new Error(`decision ${id} is already in the log`);
    }
  }
  return {
    version: HISTORY_ENTRY_VERSION,
    ...meta,
    kind: 'decide',
    decisionIds: [...ids],
  };
}

/** The entry undoing the latest step in effect, or null when there is nothing to undo. */
export function undo(log: readonly HistoryEntry[], meta: EntryMeta): HistoryEntry | null {
  const target = replayHistory(log).done.at(-1);
  if (target === undefined) return null;
  return {
    version: HISTORY_ENTRY_VERSION,
    ...meta,
    kind: 'undo',
    decisionIds: [],
    targets: target,
  };
}

/** The entry redoing the latest undone step, or null when there is nothing to redo. */
export function redo(log: readonly HistoryEntry[], meta: EntryMeta): HistoryEntry | null {
  const target = replayHistory(log).redoable.at(-1);
  if (target === undefined) return null;
  return {
    version: HISTORY_ENTRY_VERSION,
    ...meta,
    kind: 'redo',
    decisionIds: [],
    targets: target,
  };
}

/**
 * The decisions in effect, in the order resolveFinalLabels needs (steps in done-stack
 * order, decisions within a step in their order). Decisions no decide entry names are
 * not in effect; ids without a stored decision are skipped.
 */
export function activeDecisions(
  log: readonly HistoryEntry[],
  allDecisions: readonly Decision[],
): Decision[] {
  const byId = new Map(allDecisions.map((d) => [d.id, d]));
  const { done, decideEntries } = replayHistory(log);
  const active: Decision[] = [];
  for (const entryId of done) {
    for (const id of decideEntries.get(entryId)?.decisionIds ?? []) {
      const decision = byId.get(id);
      if (decision) active.push(decision);
    }
  }
  return active;
}

// ---------------------------------------------------------------------------
// One sample's history, for people

export interface LabelView {
  classId: number;
  className: string;
  /** AU value for display ('not coded', 'no AU label' or the AU string). */
  au: string;
}

export interface SampleHistoryItem {
  decisionId: string;
  entryId: string;
  reviewer: string;
  /** When the decision was made (ms since the epoch). */
  at: number;
  kind: Decision['kind'];
  /** Made in a bulk step with other decisions (undone together). */
  bulk: boolean;
  /** The label in effect just before this decision, and the one it set. */
  from: LabelView;
  to: LabelView;
  flagReason: FlagReason | null;
  flagReasonLabel: string | null;
  note: string | null;
  /** 'in-effect': the sample's current decision; 'superseded': a later decision replaced it. */
  status: 'in-effect' | 'superseded' | 'undone';
  undoneBy: string | null;
  undoneAt: number | null;
  /** One line, e.g. "Class Sadly angry → Sadly fearful; AUs 4+15 → 1+4+15+20 (+1, +20)". */
  summary: string;
}

function viewOf(label: SampleLabel, scheme: LabelScheme): LabelView {
  return {
    classId: label.classId,
    className: className(scheme, label.classId),
    au: auDisplay(label),
  };
}

/**
 * Every decision ever made about one sample, oldest first, undone ones included and
 * marked. "from" is the label in effect when the decision was made (after the undos
 * and redos before it), so a history reads as a story even across undos.
 */
export function sampleHistory(
  sample: number,
  log: readonly HistoryEntry[],
  decisions: readonly Decision[],
  table: SampleTable,
  scheme: LabelScheme,
): SampleHistoryItem[] {
  const original = originalLabel(table, sample);
  const mine = new Map<string, Decision>();
  for (const d of decisions) if (d.sample === sample) mine.set(d.id, d);
  if (mine.size === 0) return [];

  const items: SampleHistoryItem[] = [];
  const itemOf = new Map<string, SampleHistoryItem>();
  // This sample's decisions in effect during the replay, in done-stack order.
  let applied: { entryId: string; decision: Decision }[] = [];
  const decideEntries = new Map<string, HistoryEntry>();
  const stepDecisions = (entryId: string): Decision[] =>
    (decideEntries.get(entryId)?.decisionIds ?? []).flatMap((id) => {
      const d = mine.get(id);
      return d ? [d] : [];
    });

  const final = replayHistory(log, ({ kind, target, entry }) => {
    if (kind === 'undo') {
      applied = applied.filter((a) => a.entryId !== target);
      return;
    }
    if (kind === 'redo') {
      for (const decision of stepDecisions(target)) applied.push({ entryId: target, decision });
      return;
    }
    decideEntries.set(target, entry);
    for (const decision of stepDecisions(target)) {
      const last = applied.at(-1);
      const before = last ? labelAfterDecision(original, last.decision) : original;
      const item: SampleHistoryItem = {
        decisionId: decision.id,
        entryId: target,
        reviewer: decision.reviewer,
        at: decision.at,
        kind: decision.kind,
        bulk: entry.decisionIds.length > 1,
        from: viewOf(before, scheme),
        to: viewOf(labelAfterDecision(original, decision), scheme),
        flagReason: decision.flagReason ?? null,
        flagReasonLabel: decision.flagReason ? FLAG_REASON_LABELS[decision.flagReason] : null,
        note: decision.note ?? null,
        status: 'superseded',
        undoneBy: null,
        undoneAt: null,
        summary: describeCorrection(original, decision, scheme, before).summary,
      };
      items.push(item);
      itemOf.set(decision.id, item);
      applied.push({ entryId: target, decision });
    }
  });

  for (const [entryId, undoEntry] of final.undoneBy) {
    for (const decision of stepDecisions(entryId)) {
      const item = itemOf.get(decision.id);
      if (!item) continue;
      item.status = 'undone';
      item.undoneBy = undoEntry.reviewer;
      item.undoneAt = undoEntry.at;
    }
  }
  const inEffect = applied.at(-1);
  if (inEffect) {
    const item = itemOf.get(inEffect.decision.id);
    if (item) item.status = 'in-effect';
  }
  return items;
}
