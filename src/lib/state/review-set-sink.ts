import { textAt } from '../labels/text-column';
import { AuStatus, type SampleTable } from '../labels/types';
import { SampleState, type Decision } from '../review/decision';
import { finalLabel } from '../review/decisions';
import type { ReviewSet } from '../review/review-set';
import type {
  DecisionSink,
  SessionDecision,
  ShownLabels,
  SteppedDecision,
} from './review-session.svelte';
import type { ReviewState } from './review.svelte';

/**
 * The single reviewer's decisions on a review set: stored in the dataset's decision
 * log, with undo and redo (which survive a reload). Reads the review state's runes,
 * so a screen that reads the sink follows every decision.
 */
export function reviewSetSink(
  review: () => ReviewState,
  set: () => ReviewSet,
  table: () => SampleTable | null,
): DecisionSink {
  const sampleAt = (position: number): number => set().samples[position] ?? -1;
  const positionOf = (sample: number): number => set().samples.indexOf(sample);
  const stepped = (decisions: Decision[] | null): SteppedDecision | null => {
    const first = decisions?.[0];
    if (!first) return null;
    // A bulk step undoes many; the first of them in this set is the one shown.
    const inSet = decisions.find((d) => positionOf(d.sample) >= 0);
    return inSet
      ? { name: inSet.sampleName, position: positionOf(inSet.sample) }
      : { name: first.sampleName, position: -1 };
  };
  return {
    can: { undo: true, redo: true },
    get length() {
      return set().samples.length;
    },
    get busy() {
      return review().saving || review().stopped !== null;
    },
    get canUndo() {
      return review().canUndo;
    },
    get canRedo() {
      return review().canRedo;
    },
    nameAt(position) {
      const names = table()?.names;
      const sample = sampleAt(position);
      return names && sample >= 0 ? textAt(names, sample) : '';
    },
    labelsAt(position): ShownLabels | null {
      const sample = sampleAt(position);
      const final = review().final;
      if (!final || sample < 0 || sample >= final.count) return null;
      const label = finalLabel(final, sample);
      return {
        classId: label.classId,
        au:
          label.auStatus === AuStatus.null
            ? { status: 'null' }
            : label.auStatus === AuStatus.coded
              ? { status: 'coded', raw: label.auRaw }
              : null,
      };
    },
    isDecided(position) {
      const sample = sampleAt(position);
      const state = review().final?.state[sample];
      return state !== undefined && state !== SampleState.untouched;
    },
    decide(position, decision: SessionDecision) {
      const sample = sampleAt(position);
      if (sample < 0) return Promise.resolve(false);
      return review().decide([
        {
          sample,
          kind: decision.kind,
          reviewSetId: set().id,
          ...(decision.correction ? { correction: decision.correction } : {}),
          ...(decision.flagReason ? { flagReason: decision.flagReason } : {}),
          ...(decision.note ? { note: decision.note } : {}),
        },
      ]);
    },
    async undo() {
      return stepped(await review().undoStep());
    },
    async redo() {
      return stepped(await review().redoStep());
    },
  };
}
