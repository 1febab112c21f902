import { sampleImageKey } from '../labels/images';
import { SampleFlag } from '../labels/types';
import type { Decision } from '../review/decision';
import {
  assignmentDecisionContext,
  decisionProblems,
  parseAssignment,
  type Assignment,
  type AssignmentSample,
} from '../team';
import {
  deleteAssignment,
  listAssignments,
  saveAssignment,
  type AssignmentRecord,
} from '../store/team';
import type { DatasetLibrary } from './library.svelte';
import { TeamRole } from './team-role.svelte';
import {
  bundleFileOf,
  cleanInput,
  latestDecisions,
  withTime,
  withoutRepeats,
  type FileOutcome,
  type OutgoingFile,
  type ReviewerInput,
  type TextFile,
} from './team-support';
import { textAt } from '../labels/text-column';

/**
 * Team review as a reviewer sees it: the assignments opened in this browser and the
 * work on them, kept apart from this browser's own datasets and decisions.
 */
export class TeamReviewerState extends TeamRole {
  assignments = $state.raw<AssignmentRecord[]>([]);
  assignmentId = $state<string | null>(null);

  /** Told of every assignment record saved (a live session sends its new decisions). */
  onSaved: ((record: AssignmentRecord) => void) | null = null;

  constructor(private readonly library: DatasetLibrary) {
    super();
  }

  assignment = $derived(this.assignments.find((a) => a.sessionId === this.assignmentId) ?? null);

  /** Reads the assignments opened in this browser (of any dataset). */
  async load(): Promise<void> {
    await this.run(async () => {
      const assignments = await listAssignments();
      this.assignments = assignments.map((a) => ({
        ...a,
        assignment: withoutRepeats(a.assignment),
      }));
      if (!assignments.some((a) => a.sessionId === this.assignmentId)) {
        this.assignmentId = assignments[0]?.sessionId ?? null;
      }
    });
  }

  /** Opens an assignment file in this browser. Never throws; a bad file changes nothing. */
  async openAssignment(file: TextFile): Promise<FileOutcome> {
    const parsed = parseAssignment(file.text, file.name);
    if (!parsed.ok) return { fileName: file.name, ok: false, messages: parsed.problems };
    const assignment = parsed.assignment;
    const existing = this.assignments.find((a) => a.sessionId === assignment.sessionId);
    if (existing && existing.assignment.reviewer !== assignment.reviewer) {
      return {
        fileName: file.name,
        ok: false,
        messages: [
          `${file.name} is ${assignment.reviewer}'s assignment for session ${assignment.sessionId}; ` +
            `this browser already holds ${existing.assignment.reviewer}'s for that session. ` +
            `Remove it first, or open the file in another browser profile.`,
        ],
      };
    }
    if (existing) {
      this.assignmentId = existing.sessionId;
      return {
        fileName: file.name,
        ok: true,
        messages: [
          `${file.name}: already open; your ${existing.decisions.length} decision(s) are kept`,
        ],
      };
    }
    const record: AssignmentRecord = {
      version: 1,
      sessionId: assignment.sessionId,
      datasetId: assignment.datasetId,
      fileName: file.name,
      openedAt: Date.now(),
      assignment,
      decisions: [],
      durations: [],
      startedAt: null,
    };
    const ok = await this.run(async () => {
      await saveAssignment(record);
      this.assignments = [record, ...this.assignments];
      this.assignmentId = record.sessionId;
    });
    return ok
      ? {
          fileName: file.name,
          ok: true,
          messages: [
            `${file.name}: ${assignment.samples.length} samples for ${assignment.reviewer} from ${assignment.lead}`,
          ],
        }
      : { fileName: file.name, ok: false, messages: [this.error ?? 'not saved'] };
  }

  async removeAssignment(sessionId: string): Promise<void> {
    await this.run(async () => {
      await deleteAssignment(sessionId);
      this.assignments = this.assignments.filter((a) => a.sessionId !== sessionId);
      if (this.assignmentId === sessionId)
        this.assignmentId = this.assignments[0]?.sessionId ?? null;
    });
  }

  /** Records a reviewer's decision on sample `index` (the lead's index) and the time spent on it. */
  async reviewerDecide(
    sessionId: string,
    sample: AssignmentSample,
    input: ReviewerInput,
    elapsedMs: number,
  ): Promise<boolean> {
    const record = this.assignments.find((a) => a.sessionId === sessionId);
    if (!record) return false;
    const now = Date.now();
    const checked = $state.snapshot(input);
    const decision: Decision = {
      version: 1,
      id: crypto.randomUUID(),
      datasetId: record.assignment.datasetId,
      sample: sample.index,
      sampleName: sample.name,
      reviewer: record.assignment.reviewer,
      at: now,
      reviewSetId: sessionId,
      ...cleanInput(checked),
    };
    // What the lead would refuse is refused here, while the reviewer can still fix it.
    const problems = decisionProblems(decision, assignmentDecisionContext(record.assignment));
    if (problems.length > 0) {
      this.error = `${sample.name}: not saved: this decision ${problems.join('; ')}`;
      return false;
    }
    return this.update({
      ...withTime(record, sample.index, elapsedMs),
      decisions: [...record.decisions, decision],
      startedAt: record.startedAt ?? now - Math.max(0, elapsedMs),
    });
  }

  /** Adds time spent looking at a sample without deciding on it. */
  async addTime(sessionId: string, sample: number, elapsedMs: number): Promise<void> {
    const record = this.assignments.find((a) => a.sessionId === sessionId);
    if (!record || elapsedMs <= 0) return;
    await this.update(withTime(record, sample, elapsedMs));
  }

  /** The reviewer's latest decision on each sample of an assignment. */
  latestDecisions(record: AssignmentRecord): ReadonlyMap<number, Decision> {
    return latestDecisions(record.decisions);
  }

  /** The signed review bundle to send back to the lead; null (and the reason in `error`) when it cannot be made. */
  async bundleFile(sessionId: string): Promise<OutgoingFile | null> {
    const record = this.assignments.find((a) => a.sessionId === sessionId);
    if (!record) return null;
    let file: OutgoingFile | null = null;
    await this.run(async () => {
      const made = await bundleFileOf(record);
      if (!made.ok) throw new Error(made.problem);
      file = made.file;
    });
    return file;
  }

  /**
   * The face of an assignment's sample: embedded in the file, else from this
   * browser's copy of the dataset (the same dataset id, or the same dataset name
   * with the same image name at the same index), else null.
   */
  async imageFor(assignment: Assignment, sample: AssignmentSample): Promise<string | null> {
    if (sample.image) return sample.image;
    const table = this.library.table;
    const open = this.library.open;
    if (!table || !open) return null;
    const sameDataset =
      open.id === assignment.datasetId ||
      (open.name === assignment.datasetName && textAt(table.names, sample.index) === sample.name);
    if (!sameDataset || textAt(table.names, sample.index) !== sample.name) return null;
    if (((table.flags[sample.index] ?? 0) & SampleFlag.hasImage) === 0) return null;
    return this.library.images.url(sampleImageKey(sample.name));
  }

  private async update(record: AssignmentRecord): Promise<boolean> {
    const ok = await this.run(async () => {
      await saveAssignment(record);
      this.assignments = this.assignments.map((a) =>
        a.sessionId === record.sessionId ? record : a,
      );
    });
    if (ok) this.onSaved?.(record);
    return ok;
  }
}
