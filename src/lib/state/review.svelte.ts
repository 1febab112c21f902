import type { Decision, FinalLabels } from '../review/decision';
import { applyDecisionsInPlace, resolveFinalLabels } from '../review/decisions';
import {
  activeDecisions,
  applyDecide,
  canRedo,
  canUndo,
  redo,
  undo,
  type HistoryEntry,
} from '../review/history';
import { DEFAULT_KEYMAP, restoreKeymap, type Keymap } from '../review/keymap';
import { newReviewSet, type ReviewSet, type ReviewSetInit } from '../review/review-set';
import type { SampleTable } from '../labels/types';
import { getSetting, putSetting } from '../store/annotations';
import {
  deleteReviewSet,
  listEvidence,
  loadReviewRecords,
  recordDecisions,
  recordHistoryEntry,
  replaceEvidence,
  saveReviewSet,
} from '../store/review';
import type { EvidenceBox } from '../review/evidence';
import { textAt } from '../labels/text-column';

/** What a reviewer decides about one sample; the session adds who, when and ids. */
export type DecisionInput = Pick<Decision, 'sample' | 'kind'> &
  Partial<Pick<Decision, 'correction' | 'flagReason' | 'note' | 'reviewSetId'>>;

/**
 * Reviewers' decisions on the open dataset, their undo history, review sets, and
 * who is reviewing. Every change is on disk before the screen shows it as done.
 */
export class ReviewState {
  decisions = $state.raw<Decision[]>([]);
  history = $state.raw<HistoryEntry[]>([]);
  reviewSets = $state.raw<ReviewSet[]>([]);
  reviewer = $state<string | null>(null);
  keymap = $state.raw<Keymap>(DEFAULT_KEYMAP);
  saving = $state(false);
  error = $state<string | null>(null);
  private datasetId: string | null = null;

  constructor(private readonly table: () => SampleTable | null) {}

  active = $derived(activeDecisions(this.history, this.decisions));
  /**
   * Original labels with the decisions in effect applied; the originals are never
   * changed. Resolved in full when the table or the log in effect changes, except
   * for a step decide() appended, which is applied to the previous final labels in
   * place (see finalFor).
   */
  final = $derived.by(() => {
    const table = this.table();
    return table ? this.finalFor(table, this.active) : null;
  });
  canUndo = $derived(canUndo(this.history));
  canRedo = $derived(canRedo(this.history));

  /**
   * The final labels last published and what they were made from. Plain memory, not
   * state: only the `final` derived reads and writes it.
   */
  private built: { table: SampleTable; active: Decision[]; labels: FinalLabels } | null = null;
  /** The step decide() appended to the log in effect `before`, for finalFor to apply. */
  private appended: { before: Decision[]; decisions: Decision[] } | null = null;

  /** Reviewer name and keymap belong to this browser, not to a dataset. */
  async loadSettings(): Promise<void> {
    this.reviewer = (await getSetting<string>('reviewer')) ?? null;
    const stored = await getSetting<unknown>('keymap');
    if (stored !== undefined) this.keymap = restoreKeymap(stored).keymap;
  }

  async load(datasetId: string): Promise<void> {
    const records = await loadReviewRecords(datasetId);
    this.datasetId = datasetId;
    this.appended = null;
    this.decisions = records.decisions;
    this.history = records.history;
    this.reviewSets = records.reviewSets;
  }

  clear(): void {
    this.datasetId = null;
    this.appended = null;
    this.decisions = [];
    this.history = [];
    this.reviewSets = [];
  }

  async setReviewer(name: string): Promise<void> {
    const trimmed = name.trim();
    if (!trimmed) return;
    await putSetting('reviewer', trimmed);
    this.reviewer = trimmed;
  }

  async setKeymap(keymap: Keymap): Promise<void> {
    await putSetting('keymap', keymap);
    this.keymap = keymap;
  }

  /** Records one step (one decision, or many for a bulk action) that undoes as one. */
  async decide(inputs: DecisionInput[]): Promise<boolean> {
    const table = this.table();
    const datasetId = this.datasetId;
    const reviewer = this.reviewer;
    if (!table || !datasetId || !reviewer || inputs.length === 0) return false;
    const at = Date.now();
    const decisions: Decision[] = inputs.map((input) => ({
      version: 1,
      id: crypto.randomUUID(),
      datasetId,
      sampleName: textAt(table.names, input.sample),
      reviewer,
      at,
      ...input,
    }));
    const entry = applyDecide(this.history, decisions, this.meta(datasetId, reviewer, at));
    return this.write(async () => {
      await recordDecisions(decisions, entry);
      // A new decide entry goes on top of the done stack, so the log in effect becomes
      // the current one followed by these decisions.
      this.appended = { before: this.active, decisions };
      this.decisions = [...this.decisions, ...decisions];
      this.history = [...this.history, entry];
    });
  }

  async undo(): Promise<boolean> {
    return this.step(undo);
  }

  async redo(): Promise<boolean> {
    return this.step(redo);
  }

  async createSet(
    init: Omit<ReviewSetInit, 'id' | 'datasetId' | 'createdAt'>,
    samples: Int32Array,
  ) {
    if (!this.datasetId) return null;
    const set = newReviewSet(
      { ...init, id: crypto.randomUUID(), datasetId: this.datasetId, createdAt: Date.now() },
      samples,
    );
    await saveReviewSet(set);
    this.reviewSets = [...this.reviewSets, set];
    return set;
  }

  async deleteSet(id: string): Promise<void> {
    await deleteReviewSet(id);
    this.reviewSets = this.reviewSets.filter((s) => s.id !== id);
  }

  async evidenceFor(sample: number): Promise<EvidenceBox[]> {
    return this.datasetId ? listEvidence(this.datasetId, sample) : [];
  }

  /** Stores the boxes of one sample (image coordinates 0-1) as the canvas reports them. */
  async saveEvidence(sample: number, boxes: EvidenceBox[]): Promise<boolean> {
    const datasetId = this.datasetId;
    if (!datasetId) return false;
    return this.write(() => replaceEvidence(datasetId, sample, boxes));
  }

  /** Who and where new evidence boxes belong to, for the canvas to stamp them. */
  evidenceContext(sample: number): { datasetId: string; sample: number; reviewer: string } | null {
    return this.datasetId && this.reviewer
      ? { datasetId: this.datasetId, sample, reviewer: this.reviewer }
      : null;
  }

  private async step(
    make: (
      log: readonly HistoryEntry[],
      meta: ReturnType<ReviewState['meta']>,
    ) => HistoryEntry | null,
  ): Promise<boolean> {
    const datasetId = this.datasetId;
    const reviewer = this.reviewer;
    if (!datasetId || !reviewer) return false;
    const entry = make(this.history, this.meta(datasetId, reviewer, Date.now()));
    if (!entry) return false;
    return this.write(async () => {
      await recordHistoryEntry(entry);
      this.appended = null; // undo and redo resolve in full
      this.history = [...this.history, entry];
    });
  }

  /**
   * Final labels for the table and the log in effect. When they differ from the last
   * ones only by the step decide() appended, the step is applied to the last final
   * labels in place: O(decisions in the step) instead of a copy of every column
   * (at a million samples ~15 ms and ~25 MB of garbage per key press). That breaks
   * the rule that large collections are replaced, not mutated: the columns are shared
   * and written, and a new wrapper object (with new views of the typed columns) is
   * published so that consumers re-render. No consumer keeps earlier final labels to
   * compare with. Anything else (another table, load, undo, redo) resolves in full.
   */
  private finalFor(table: SampleTable, active: Decision[]): FinalLabels {
    const { built, appended } = this;
    let labels: FinalLabels;
    if (built && built.table === table && built.active === active) {
      labels = built.labels;
    } else if (
      built &&
      built.table === table &&
      appended &&
      isAppend(built.active, active, appended)
    ) {
      labels = applyDecisionsInPlace(built.labels, table, appended.decisions);
    } else {
      labels = resolveFinalLabels(table, active);
    }
    this.built = { table, active, labels };
    this.appended = null;
    return labels;
  }

  private meta(datasetId: string, reviewer: string, at: number) {
    return { id: crypto.randomUUID(), datasetId, at, reviewer };
  }

  private async write(action: () => Promise<void>): Promise<boolean> {
    this.saving = true;
    this.error = null;
    try {
      await action();
      return true;
    } catch (error) {
      this.error = `Not saved: ${error instanceof Error ? error.message : String(error)}`;
      return false;
    } finally {
      this.saving = false;
    }
  }
}

/**
 * Whether `active` is `previous` followed by the step's decisions: the step was made
 * on `previous` (the same array), and the tail of `active` is that step. O(step).
 */
function isAppend(
  previous: readonly Decision[],
  active: readonly Decision[],
  step: { before: readonly Decision[]; decisions: readonly Decision[] },
): boolean {
  if (step.before !== previous) return false;
  if (active.length !== previous.length + step.decisions.length) return false;
  return step.decisions.every((decision, k) => active[previous.length + k] === decision);
}
