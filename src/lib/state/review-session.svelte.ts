import type { AuLabel, FlagReason } from '../review/decision';
import { toggleAu } from '../review/correction';
import {
  AU_ENTRY_OFF,
  actionFor,
  auEntryKey,
  eventToKey,
  flagReasonOfAction,
  type ActionId,
  type AuEntryState,
  type KeyEventLike,
  type Keymap,
} from '../review/keymap';

/**
 * One review session behind both review screens: the single reviewer's workspace and
 * the team reviewer's. It holds what the reviewer is putting together (a correction,
 * a note, an AU being typed), turns keys into intents one after the other, and hands
 * each decision to a sink, which stores it. The screens only render it.
 *
 * A new review key: add the action to review/keymap.ts (its id, label and default
 * keys), then say what it does in `run` below. Nothing else handles keys.
 */

/** The labels a sample carries now (its original ones with the decisions in effect). */
export interface ShownLabels {
  classId: number;
  au: AuLabel | null;
}

/** A correction being put together: only what the reviewer changed. */
export interface Draft {
  classId?: number;
  au?: AuLabel;
}

export type SessionDecisionKind = 'accept' | 'discard' | 'flag' | 'correct';

export interface SessionDecision {
  kind: SessionDecisionKind;
  correction?: Draft;
  flagReason?: FlagReason;
  /** Trimmed; absent when empty. */
  note?: string;
}

/** A decision undone or redone: which sample, and where it sits in this session (-1: elsewhere). */
export interface SteppedDecision {
  name: string;
  position: number;
}

/**
 * Where a session's decisions go. The single review stores them in the dataset's log;
 * the team reviewer in the assignment's session. `can` says what it supports, and a
 * screen shows only that.
 */
export interface DecisionSink {
  readonly can: { undo: boolean; redo: boolean };
  /** Samples in the session, in order. */
  readonly length: number;
  /** True while a write is under way or the sink refuses decisions (a failed write). */
  readonly busy: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  nameAt(position: number): string;
  labelsAt(position: number): ShownLabels | null;
  isDecided(position: number): boolean;
  /** Stores a decision on the sample at position; false when it was not stored. */
  decide(position: number, decision: SessionDecision): Promise<boolean>;
  /** The decision undone (or redone), null when there was none or it failed. */
  undo(): Promise<SteppedDecision | null>;
  redo(): Promise<SteppedDecision | null>;
  /** Told before the reviewer leaves a sample (the team reviewer times each sample). */
  leaving?(position: number): Promise<void>;
}

/** Where the session's position lives: the URL for the single review, memory for the team. */
export interface PositionStore {
  get(): number;
  set(position: number): void;
}

export interface SessionHooks {
  /** Escape with nothing else to close: the screen may leave. */
  leave?: () => void;
}

export function memoryPosition(start = 0): PositionStore & { value: number } {
  const store = $state({ value: start });
  return {
    get value() {
      return store.value;
    },
    set value(position: number) {
      store.value = position;
    },
    get: () => store.value,
    set: (position) => {
      store.value = position;
    },
  };
}

/** The position of the first sample not decided yet; the end when all are. */
export function firstUndecided(sink: Pick<DecisionSink, 'length' | 'isDecided'>): number {
  for (let position = 0; position < sink.length; position++)
    if (!sink.isDecided(position)) return position;
  return sink.length;
}

export class ReviewSession {
  draft = $state<Draft | null>(null);
  note = $state('');
  auEntry = $state<AuEntryState>(AU_ENTRY_OFF);
  showHelp = $state(false);
  /** The class chooser is open (the `change-class` key): the class picked is the decision. */
  choosingClass = $state(false);
  /** What the last key or intent did that the screen would not otherwise show (an undo, a refusal). */
  notice = $state<string | null>(null);

  /** Where the queued keys will leave the AU entry: whether a key is ours is decided at once. */
  private predictedEntry: AuEntryState = AU_ENTRY_OFF;
  /** Likewise, whether the queued keys will leave the help sheet or the class chooser open. */
  private predictedOverlay: 'none' | 'help' | 'class' = 'none';
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(
    private readonly sink: DecisionSink,
    private readonly keymap: () => Keymap,
    private readonly positionStore: PositionStore,
    private readonly hooks: SessionHooks = {},
  ) {}

  get position(): number {
    return Math.max(0, Math.min(this.positionStore.get(), this.sink.length));
  }

  get done(): boolean {
    return this.position >= this.sink.length;
  }

  get can(): DecisionSink['can'] {
    return this.sink.can;
  }

  get canUndo(): boolean {
    return this.sink.canUndo;
  }

  get canRedo(): boolean {
    return this.sink.canRedo;
  }

  /** The sample's labels before the draft. */
  get labels(): ShownLabels | null {
    return this.done ? null : this.sink.labelsAt(this.position);
  }

  /** The labels as they will be saved: the sample's, with the draft over them. */
  get shown(): ShownLabels | null {
    const labels = this.done ? null : this.sink.labelsAt(this.position);
    if (!labels) return null;
    return {
      classId: this.draft?.classId ?? labels.classId,
      au: this.draft?.au ?? labels.au,
    };
  }

  // -------------------------------------------------------------------------
  // Intents

  /** Shows another sample, which starts with no draft, note or AU entry. */
  async go(to: number): Promise<void> {
    const next = Math.max(0, Math.min(to, this.sink.length));
    const from = this.position;
    this.clearSample();
    if (next === from) return;
    if (!this.done) await this.sink.leaving?.(from);
    this.positionStore.set(next);
  }

  next(): Promise<void> {
    return this.go(this.position + 1);
  }

  previous(): Promise<void> {
    return this.go(this.position - 1);
  }

  /** The set resumes where work is left: its first undecided sample. */
  resume(): Promise<void> {
    return this.go(firstUndecided(this.sink));
  }

  /**
   * Stores a decision on the sample shown and only then moves on. Accepting with a
   * draft saves the correction; flagging or discarding leaves the draft unsaved.
   */
  async decide(kind: 'accept' | 'discard' | 'flag', flagReason?: FlagReason): Promise<boolean> {
    const correcting = kind === 'accept' && this.draft !== null;
    return this.store({
      kind: correcting ? 'correct' : kind,
      ...(correcting && this.draft ? { correction: $state.snapshot(this.draft) } : {}),
      ...(kind === 'flag' ? { flagReason: flagReason ?? 'other' } : {}),
    });
  }

  /** The AUs were never coded: saved at once (with any class change staged), and on to the next. */
  markNotCoded(): Promise<boolean> {
    const staged = $state.snapshot(this.draft);
    return this.store({ kind: 'correct', correction: { ...staged, au: { status: 'null' } } });
  }

  /** A class picked in the class chooser is a decision: saved at once (with any AU change staged), and on to the next. */
  chooseClass(classId: number): Promise<boolean> {
    this.choosingClass = false;
    this.sync();
    const labels = this.done ? null : this.sink.labelsAt(this.position);
    if (labels && classId === labels.classId && !this.draft?.au) return this.decide('accept');
    const staged = $state.snapshot(this.draft);
    return this.store({ kind: 'correct', correction: { ...staged, classId } });
  }

  /** Puts a class change in the draft (saved with the accept key or button, as a correction). */
  setClass(classId: number): void {
    this.draft = { ...this.draft, classId };
  }

  /** Adds or removes an AU in the draft (the sample's own AU label is the start). */
  toggleAu(au: number): void {
    const shown = this.shown?.au;
    const base = shown?.status === 'coded' ? shown.raw : '';
    this.draft = { ...this.draft, au: { status: 'coded', raw: toggleAu(base, au) } };
  }

  /** The AU label typed out in full. */
  setAuText(raw: string): void {
    this.draft = { ...this.draft, au: { status: 'coded', raw: raw.trim() } };
  }

  dropDraft(): void {
    this.draft = null;
  }

  /**
   * Undo takes back what is nearest first: a correction being put together, then the
   * last decision, whose sample is then shown so the reviewer sees what changed.
   */
  async undo(): Promise<void> {
    if (this.draft) {
      this.draft = null;
      this.notice = 'Dropped the correction you were putting together.';
      return;
    }
    await this.step('undo');
  }

  async redo(): Promise<void> {
    await this.step('redo');
  }

  toggleHelp(): void {
    this.showHelp = !this.showHelp;
    this.sync();
  }

  openClassChooser(): void {
    if (this.done) return;
    this.choosingClass = true;
    this.sync();
  }

  closeClassChooser(): void {
    this.choosingClass = false;
    this.sync();
  }

  // -------------------------------------------------------------------------
  // Keys

  /**
   * A key press on the review screen. Whether it is ours is decided now (so that the
   * page does not also act on it: the canvas zooming on a digit); what it does runs
   * after the keys before it, so a key pressed while a decision is stored acts on the
   * sample that follows, never on the one being left. Returns whether it was ours.
   */
  key(event: KeyEventLike & { target?: EventTarget | null }): boolean {
    // The help sheet and the class chooser take their own keys; Escape closes them.
    const overlay = this.predictedOverlay;
    if (overlay !== 'none') {
      const closes = event.key === 'Escape' || (overlay === 'help' && event.key === '?');
      if (!closes) return false;
    }
    if (isTextField(event.target)) return false;
    const key = eventToKey(event);
    const keymap = this.keymap();
    const step = auEntryKey(keymap, this.predictedEntry, key);
    const action = step.consumed ? null : actionFor(keymap, key);
    // A key that will leave the sample also leaves its AU entry.
    this.predictedEntry = action && leavesEntryOpen(action) ? step.state : AU_ENTRY_OFF;
    if (step.consumed) this.predictedEntry = step.state;
    if (overlay !== 'none') this.predictedOverlay = 'none';
    else if (action === 'help') this.predictedOverlay = 'help';
    else if (action === 'change-class' && !this.done) this.predictedOverlay = 'class';
    const ours = step.consumed || event.key === 'Escape' || action !== null;
    if (!ours) return false;
    const rawKey = event.key;
    this.queued++;
    this.queue = this.queue
      .then(() => this.handle(key, rawKey))
      .finally(() => {
        this.queued--;
        this.sync();
      });
    return true;
  }

  /**
   * A keydown on the review screen (the window, before anything else sees it): Escape
   * leaves a field (the note, a menu) for the review keys, and a key of ours is kept
   * from the page (the canvas would zoom on a digit).
   */
  keydown(
    event: KeyEventLike & {
      target: EventTarget | null;
      preventDefault(): void;
      stopImmediatePropagation(): void;
    },
  ): void {
    if (event.key === 'Escape' && isTextField(event.target))
      (event.target as { blur?: () => void } | null)?.blur?.();
    if (!this.key(event)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  /** Resolves when every key pressed so far has done what it does. */
  settled(): Promise<void> {
    return this.queue;
  }

  private async handle(key: string | null, rawKey: string): Promise<void> {
    const keymap = this.keymap();
    const entry = auEntryKey(keymap, this.auEntry, key);
    this.auEntry = entry.state;
    if (entry.consumed) {
      if (entry.toggle !== null && !this.done) this.toggleAu(entry.toggle);
      return;
    }
    if (rawKey === 'Escape') return this.escape();
    const action = actionFor(keymap, key);
    if (action) await this.run(action);
  }

  private escape(): void {
    if (this.choosingClass) this.choosingClass = false;
    else if (this.showHelp) this.showHelp = false;
    else if (this.draft) this.draft = null;
    else this.hooks.leave?.();
  }

  /** What each review action does. */
  private async run(action: ActionId): Promise<void> {
    this.notice = null;
    const reason = flagReasonOfAction(action);
    const onSample = !this.done;
    if (reason) {
      if (onSample) await this.decide('flag', reason);
      return;
    }
    switch (action) {
      case 'accept':
        if (onSample) await this.decide('accept');
        return;
      case 'discard':
        if (onSample) await this.decide('discard');
        return;
      case 'au-not-coded':
        if (onSample) await this.markNotCoded();
        return;
      case 'change-class':
        return this.openClassChooser();
      case 'next':
        return this.next();
      case 'previous':
        return this.previous();
      case 'undo':
        return this.undo();
      case 'redo':
        return this.redo();
      case 'help':
        return this.toggleHelp();
      case 'au-entry':
        // Entering is the AU entry's own key (handled before actions).
        return;
    }
  }

  // -------------------------------------------------------------------------

  private async store(decision: SessionDecision): Promise<boolean> {
    if (this.done || this.sink.busy) return false;
    const note = this.note.trim();
    this.notice = null;
    const ok = await this.sink.decide(this.position, note ? { ...decision, note } : decision);
    if (ok) await this.go(this.position + 1);
    return ok;
  }

  private async step(kind: 'undo' | 'redo'): Promise<void> {
    if (!this.sink.can[kind]) {
      this.notice =
        kind === 'undo'
          ? 'Undo is not available here: decide again, and the new decision replaces the earlier one.'
          : 'Redo is not available here.';
      return;
    }
    const stepped = kind === 'undo' ? await this.sink.undo() : await this.sink.redo();
    if (!stepped) {
      this.notice = kind === 'undo' ? 'Nothing to undo.' : 'Nothing to redo.';
      return;
    }
    const what = kind === 'undo' ? 'Undid' : 'Redid';
    if (stepped.position >= 0) {
      await this.go(stepped.position);
      this.notice = `${what} the decision on ${stepped.name}.`;
    } else {
      this.notice = `${what} the decision on ${stepped.name}, which is not in this set.`;
    }
  }

  private clearSample(): void {
    this.draft = null;
    this.note = '';
    this.auEntry = AU_ENTRY_OFF;
    this.choosingClass = false;
    this.sync();
  }

  /**
   * With no key waiting, what the next key is judged against is what is: a button or a
   * click may have changed it. Keys still queued were judged against where they would leave it.
   */
  private sync(): void {
    if (this.queued > 0) return;
    this.predictedEntry = this.auEntry;
    this.predictedOverlay = this.showHelp ? 'help' : this.choosingClass ? 'class' : 'none';
  }
}

/** Actions after which the reviewer is still on the same sample, AU entry and all. */
function leavesEntryOpen(action: ActionId): boolean {
  return action === 'help' || action === 'change-class' || action === 'au-entry';
}

function isTextField(target: EventTarget | null | undefined): boolean {
  const tag = (target as { tagName?: unknown } | null | undefined)?.tagName;
  return tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA';
}
