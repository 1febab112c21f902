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
  watchReview,
  type ReviewPulse,
} from '../store/review';
import { DatasetNotFoundError, LostWriteError, isStorageFullError } from '../store/errors';
import type { EvidenceBox } from '../review/evidence';
import { textAt } from '../labels/text-column';

/** What a reviewer decides about one sample; the session adds who, when and ids. */
export type DecisionInput = Pick<Decision, 'sample' | 'kind'> &
  Partial<Pick<Decision, 'correction' | 'flagReason' | 'note' | 'reviewSetId'>>;

/** A write of the review that has not reached the disk yet, kept to be retried in order. */
type PendingWrite =
  | { kind: 'decide'; datasetId: string; decisions: Decision[]; entry: HistoryEntry }
  | { kind: 'history'; datasetId: string; entry: HistoryEntry };

/** Why the review stopped taking decisions, in words for the reviewer. */
export interface ReviewStop {
  /** full: the disk or quota; gone: the dataset was deleted; failed: anything else. */
  reason: 'full' | 'lost' | 'gone' | 'failed';
  message: string;
  /** Whether Retry can help (not for a deleted dataset). */
  canRetry: boolean;
}

/**
 * Reviewers' decisions on the open dataset, their undo history, review sets, and
 * who is reviewing. Every change is on disk before the screen shows it as done.
 *
 * A write that fails stops the review: every later decision is refused (so no key
 * press moves on as if it had been saved) until retry() has stored the pending writes
 * in order. Decisions other tabs store appear here as they are made, and the latest
 * decision by time wins, whichever tab's write reached the disk last.
 */
export class ReviewState {
  decisions = $state.raw<Decision[]>([]);
  history = $state.raw<HistoryEntry[]>([]);
  reviewSets = $state.raw<ReviewSet[]>([]);
  reviewer = $state<string | null>(null);
  keymap = $state.raw<Keymap>(DEFAULT_KEYMAP);
  saving = $state(false);
  error = $state<string | null>(null);
  /** Set when a write failed or the dataset went away; decisions are refused until cleared. */
  stopped = $state<ReviewStop | null>(null);
  /** Writes refused by the store, oldest first, that retry() attempts again. */
  pending = $state.raw<PendingWrite[]>([]);
  private datasetId: string | null = null;
  /** Image name of the latest decision known to be on disk, for "nothing after ... was saved". */
  private lastSaved: string | null = null;
  private unwatch: (() => void) | null = null;
  /** Counts reloads so that an older one finishing late cannot undo a newer one. */
  private reloads = 0;
  /**
   * This tab's writes under way, and the latest pulse heard meanwhile: a pulse that
   * arrives between a write's commit and its showing here is looked at once the write
   * is shown, so that the tab's own writes never cost a reload.
   */
  private writing = 0;
  private heard: ReviewPulse | null = null;

  constructor(private readonly table: () => SampleTable | null) {}

  active = $derived(inTimeOrder(activeDecisions(this.history, this.decisions)));
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
    this.reset(datasetId);
    this.decisions = records.decisions;
    this.history = records.history;
    this.reviewSets = records.reviewSets;
    this.lastSaved = latestByTime(records.decisions)?.sampleName ?? null;
    this.unwatch = watchReview(datasetId, (pulse) => void this.onPulse(datasetId, pulse));
  }

  clear(): void {
    this.reset(null);
    this.decisions = [];
    this.history = [];
    this.reviewSets = [];
  }

  private reset(datasetId: string | null): void {
    this.unwatch?.();
    this.unwatch = null;
    this.datasetId = datasetId;
    this.appended = null;
    this.stopped = null;
    this.error = null;
    this.pending = [];
    this.lastSaved = null;
    this.heard = null;
    this.reloads++;
  }

  /** Runs one of this tab's writes; afterwards, the pulses heard during it are looked at. */
  private async writingDo<T>(action: () => Promise<T>): Promise<T> {
    const datasetId = this.datasetId;
    this.writing++;
    try {
      return await action();
    } finally {
      this.writing--;
      if (this.writing === 0 && this.heard && datasetId && datasetId === this.datasetId)
        void this.onPulse(datasetId, this.heard);
    }
  }

  /**
   * Another tab (or this one) changed the dataset: stop when it is gone, and reload the
   * records when the stored history is not the one shown. A tab's own writes arrive
   * here too and, once applied, match: no reload for them.
   */
  private async onPulse(datasetId: string, pulse: ReviewPulse): Promise<void> {
    if (datasetId !== this.datasetId) return;
    this.heard = pulse;
    if (!pulse.exists) {
      if (this.stopped?.reason !== 'gone') this.stop(new DatasetNotFoundError(datasetId));
      return;
    }
    if (this.writing > 0 || pulse.entries === this.history.length) return;
    const reload = ++this.reloads;
    try {
      const records = await loadReviewRecords(datasetId);
      if (reload !== this.reloads || datasetId !== this.datasetId) return;
      this.appended = null;
      this.decisions = records.decisions;
      this.history = records.history;
      this.reviewSets = records.reviewSets;
    } catch {
      // The next change or a reload of the page reads again; what is shown stays valid.
    }
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
    if (!table || !datasetId || !reviewer || inputs.length === 0 || this.stopped) return false;
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
    return this.commit({ kind: 'decide', datasetId, decisions, entry });
  }

  /**
   * Stores the pending writes again, in order, and resumes the review when all are on
   * disk. Returns the samples whose decisions were stored, or null when a write failed
   * again (the review stays stopped, with the message for that failure).
   */
  async retry(): Promise<number[] | null> {
    if (!this.stopped?.canRetry) return null;
    this.stopped = null;
    this.error = null;
    this.saving = true;
    const saved: number[] = [];
    try {
      for (const write of this.pending) {
        await this.persist(write);
        this.pending = this.pending.slice(1);
        if (write.kind === 'decide') saved.push(...write.decisions.map((d) => d.sample));
      }
      return saved;
    } catch (error) {
      this.stop(error);
      return null;
    } finally {
      this.saving = false;
    }
  }

  async undo(): Promise<boolean> {
    return (await this.step(undo)) !== null;
  }

  async redo(): Promise<boolean> {
    return (await this.step(redo)) !== null;
  }

  /** Undoes the latest step; resolves with its decisions (to show their samples), null when nothing was undone. */
  undoStep(): Promise<Decision[] | null> {
    return this.step(undo);
  }

  /** Redoes the latest undone step; resolves with its decisions, null when nothing was redone. */
  redoStep(): Promise<Decision[] | null> {
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
    if (!datasetId || this.stopped) return false;
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
  ): Promise<Decision[] | null> {
    const datasetId = this.datasetId;
    const reviewer = this.reviewer;
    if (!datasetId || !reviewer || this.stopped) return null;
    const entry = make(this.history, this.meta(datasetId, reviewer, Date.now()));
    if (!entry) return null;
    const target = this.history.find((e) => e.kind === 'decide' && e.id === entry.targets);
    const ids = target?.decisionIds ?? [];
    const decisions = this.decisions.filter((d) => ids.includes(d.id));
    return (await this.commit({ kind: 'history', datasetId, entry })) ? decisions : null;
  }

  /** One write of the review: on disk first, then in memory; a failure stops the review. */
  private async commit(write: PendingWrite): Promise<boolean> {
    this.saving = true;
    this.error = null;
    try {
      await this.persist(write);
      return true;
    } catch (error) {
      if (write.datasetId !== this.datasetId) return false;
      this.pending = [...this.pending, write];
      this.stop(error);
      return false;
    } finally {
      this.saving = false;
    }
  }

  /** Stores a write, then shows it. */
  private async persist(write: PendingWrite): Promise<void> {
    await this.writingDo(async () => {
      if (write.kind === 'decide') await recordDecisions(write.decisions, write.entry);
      else await recordHistoryEntry(write.entry);
      this.applied(write);
    });
  }

  /** Shows a write that is on disk, unless a reload from the store already shows it. */
  private applied(write: PendingWrite): void {
    if (write.datasetId !== this.datasetId) return;
    if (write.kind === 'decide') this.lastSaved = write.decisions.at(-1)?.sampleName ?? null;
    if (this.history.some((e) => e.id === write.entry.id)) return;
    if (write.kind === 'decide') {
      // A new decide entry goes on top of the done stack, so the log in effect becomes
      // the current one followed by these decisions.
      this.appended = { before: this.active, decisions: write.decisions };
      this.decisions = [...this.decisions, ...write.decisions];
    } else {
      this.appended = null; // undo and redo resolve in full
    }
    this.history = [...this.history, write.entry];
  }

  /** Stops the review with a sentence that says what was saved and what to do. */
  private stop(error: unknown): void {
    const reason: ReviewStop['reason'] =
      error instanceof DatasetNotFoundError
        ? 'gone'
        : error instanceof LostWriteError
          ? 'lost'
          : isStorageFullError(error) || isKeyGeneratorExhausted(error)
            ? 'full'
            : 'failed';
    this.stopped = describeStop(reason, this.lastSaved, this.pending.length > 0, error);
    this.error = this.stopped.message;
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
 * The reviewer's sentence for a stopped review, naming the last sample on disk:
 * "The disk is full: nothing after 0341.jpg was saved. Free space, then Retry."
 */
export function describeStop(
  reason: ReviewStop['reason'],
  lastSaved: string | null,
  pending: boolean,
  error?: unknown,
): ReviewStop {
  const saved = lastSaved === null ? 'nothing was saved' : `nothing after ${lastSaved} was saved`;
  switch (reason) {
    case 'full':
      return {
        reason,
        message: `The disk is full: ${saved}. Free space, then Retry.`,
        canRetry: true,
      };
    case 'lost':
      return {
        reason,
        message: `The browser did not keep a decision it had accepted (the disk may be full): ${saved}. Free space, then Retry.`,
        canRetry: true,
      };
    case 'gone':
      return {
        reason,
        message: pending
          ? `This dataset was deleted, perhaps in another tab: ${saved}. The review has stopped.`
          : 'This dataset was deleted, perhaps in another tab. The review has stopped.',
        canRetry: false,
      };
    case 'failed': {
      const detail = error instanceof Error ? error.message : String(error);
      return {
        reason,
        message: `Saving failed: ${saved} (${detail}). Retry, or reload the page.`,
        canRetry: true,
      };
    }
  }
}

/**
 * Chromium, out of disk mid-review, refused the first write with "Maximum key
 * generator value reached" (a ConstraintError no real key sequence reaches): a full disk.
 */
function isKeyGeneratorExhausted(error: unknown): boolean {
  const text =
    error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error);
  return /maximum key generator value/i.test(text);
}

/** The latest decision by time; the later in the log among equals. */
function latestByTime(decisions: readonly Decision[]): Decision | undefined {
  let latest: Decision | undefined;
  for (const d of decisions) if (!latest || d.at >= latest.at) latest = d;
  return latest;
}

/**
 * The decisions in effect ordered by when they were made, so that a sample's latest
 * decision wins even when its write reached the disk after an older one (another
 * tab's, or one retried after a full disk): resolveFinalLabels lets the last of a
 * sample win. The sort is stable, so a step's own order and the log order of equal
 * times stay. Already ordered, the usual case in one tab, the array is returned as is.
 */
export function inTimeOrder(decisions: Decision[]): Decision[] {
  for (let i = 1; i < decisions.length; i++) {
    if ((decisions[i] as Decision).at < (decisions[i - 1] as Decision).at) {
      return decisions.slice().sort((a, b) => a.at - b.at);
    }
  }
  return decisions;
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
