import type { AssignmentRecord } from '../store/team';
import type { DecisionSink, ShownLabels } from './review-session.svelte';
import { auLabelOf, type ReviewerInput } from './team-support';

/** What the assignment sink needs of the team state: the reviewer's side. */
export interface AssignmentDecisions {
  readonly busy: boolean;
  reviewerDecide(
    sessionId: string,
    sample: AssignmentRecord['assignment']['samples'][number],
    input: ReviewerInput,
    elapsedMs: number,
  ): Promise<boolean>;
  addTime(sessionId: string, sample: number, elapsedMs: number): Promise<void>;
  latestDecisions(record: AssignmentRecord): ReadonlyMap<number, unknown>;
}

/**
 * A team reviewer's decisions on an assignment: stored with the assignment in this
 * browser and sent back in the review bundle. A new decision on a sample replaces
 * the earlier one in the bundle, so there is no undo or redo here. The time spent on
 * each sample is measured from the decision or move before it.
 */
export function assignmentSink(
  team: () => AssignmentDecisions,
  record: () => AssignmentRecord,
  now: () => number = () => performance.now(),
): DecisionSink {
  let since = now();
  const elapsed = (): number => {
    const at = now();
    const ms = at - since;
    since = at;
    return ms;
  };
  const sampleAt = (position: number) => record().assignment.samples[position];
  return {
    can: { undo: false, redo: false },
    get length() {
      return record().assignment.samples.length;
    },
    get busy() {
      return team().busy;
    },
    canUndo: false,
    canRedo: false,
    nameAt(position) {
      return sampleAt(position)?.name ?? '';
    },
    labelsAt(position): ShownLabels | null {
      const sample = sampleAt(position);
      return sample ? { classId: sample.classId, au: auLabelOf(sample) } : null;
    },
    isDecided(position) {
      const sample = sampleAt(position);
      return sample !== undefined && team().latestDecisions(record()).has(sample.index);
    },
    decide(position, decision) {
      const sample = sampleAt(position);
      if (!sample) return Promise.resolve(false);
      const input: ReviewerInput = {
        kind: decision.kind,
        ...(decision.correction ? { correction: decision.correction } : {}),
        ...(decision.flagReason ? { flagReason: decision.flagReason } : {}),
        ...(decision.note ? { note: decision.note } : {}),
      };
      return team().reviewerDecide(record().sessionId, sample, input, elapsed());
    },
    async leaving(position) {
      const sample = sampleAt(position);
      const ms = elapsed();
      if (sample) await team().addTime(record().sessionId, sample.index, ms);
    },
    undo: () => Promise.resolve(null),
    redo: () => Promise.resolve(null),
  };
}
