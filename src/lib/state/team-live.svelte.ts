import {
  DecisionSigner,
  addDecisions,
  decidedSampleCount,
  assignmentTextOf,
  decodeJoinCode,
  encodeJoinCode,
  LiveBundleReader,
  liveDocName,
  liveToken,
  secretProblem,
  writeAssignment,
} from '../team-live';
import type { ReviewBundle } from '../team';
import { deleteLiveJoinCode, liveJoinCodeOf, saveLiveJoinCode } from '../store/team';
import type { DatasetLibrary } from './library.svelte';
import { LiveLink, type LiveDocHandle, type LiveStatus } from './live-sync';
import type { TeamLeadState } from './team-lead.svelte';
import type { TeamReviewerState } from './team-reviewer.svelte';

/**
 * Live team review, on top of the file workflow: the same assignments, signed
 * decisions, merge, agreement and adjudication, with a sync server in place of the
 * files' trips. The lead's side puts each reviewer's assignment in their document
 * and reads their decisions back as they arrive; the reviewer's side sends each
 * decision as it is saved, and everything saved here again after a reconnection.
 */

export const DEFAULT_LIVE_SERVER = 'ws://127.0.0.1:4455';

/** How the screens word a link's state. */
export type LiveState = LiveStatus | 'closed';

export interface LiveReviewerRow {
  reviewer: string;
  joinCode: string;
  /** The reviewer's document holds the server's state here. */
  synced: boolean;
  /** Samples with a decision received, of the assigned samples. */
  decided: number;
  assigned: number;
  problems: string[];
}

/** Waits (after the current task) so that a burst of updates is read once. */
const REFRESH_DELAY_MS = 100;

export class LiveLeadState {
  server = $state(DEFAULT_LIVE_SERVER);
  status = $state<LiveState>('closed');
  rows = $state.raw<LiveReviewerRow[]>([]);
  error = $state<string | null>(null);
  /** The session the live link is for (the lead may switch sessions meanwhile). */
  sessionId = $state<string | null>(null);
  private link: LiveLink | null = null;
  /** Each reviewer's document, in the session's order. */
  private docs: { reviewer: string; handle: LiveDocHandle }[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private reader = new LiveBundleReader();

  constructor(
    private readonly team: TeamLeadState,
    private readonly library: DatasetLibrary,
  ) {}

  /** Connects to the server and opens every reviewer's document of the selected session. */
  async start(secret: string, withImages: boolean): Promise<boolean> {
    this.stop();
    const record = this.team.session;
    if (!record) return this.fail('choose a session first');
    const problem = secretProblem(secret);
    if (problem) return this.fail(problem);
    if (!/^wss?:\/\/\S+$/.test(this.server))
      return this.fail(`${this.server}: a server address starts with ws:// or wss://`);
    const session = record.session;
    const leadToken = await liveToken(secret, session.sessionId, { kind: 'lead' });
    const rows: LiveReviewerRow[] = [];
    for (const { reviewer, samples } of session.assignments) {
      const token = await liveToken(secret, session.sessionId, { kind: 'reviewer', reviewer });
      rows.push({
        reviewer,
        joinCode: encodeJoinCode({
          server: this.server,
          sessionId: session.sessionId,
          reviewer,
          token,
        }),
        synced: false,
        decided: 0,
        assigned: samples.length,
        problems: [],
      });
    }
    this.rows = rows;
    this.error = null;
    this.sessionId = record.id;
    this.status = 'connecting';
    const link = new LiveLink(this.server, { onStatus: (status) => (this.status = status) });
    this.link = link;
    for (const { reviewer } of rows) {
      const handle = link.open(liveDocName(session.sessionId, reviewer), leadToken, {
        onSynced: () => void this.afterSync(reviewer, withImages),
        onRefused: (reason) =>
          (this.error = `the server refused the lead's connection (${reason}): is it started with the same secret?`),
      });
      handle.doc.on('update', () => this.scheduleRefresh());
      this.docs.push({ reviewer, handle });
    }
    return true;
  }

  stop(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    this.link?.close();
    this.link = null;
    this.docs = [];
    this.reader = new LiveBundleReader();
    this.status = 'closed';
    this.sessionId = null;
    this.rows = [];
  }

  private fail(message: string): false {
    this.error = message;
    return false;
  }

  /** Once a document holds the server's state: its assignment is put there if missing. */
  private async afterSync(reviewer: string, withImages: boolean): Promise<void> {
    const handle = this.docs.find((d) => d.reviewer === reviewer)?.handle;
    if (!handle) return;
    this.patchRow(reviewer, { synced: true });
    if (assignmentTextOf(handle.doc) === null) {
      const file = await this.team.assignmentFile(reviewer, withImages);
      if (!file) {
        this.error = this.team.error ?? `no assignment for ${reviewer}`;
        return;
      }
      writeAssignment(handle.doc, file.text);
    }
    this.scheduleRefresh();
  }

  private patchRow(reviewer: string, patch: Partial<LiveReviewerRow>): void {
    this.rows = this.rows.map((row) => (row.reviewer === reviewer ? { ...row, ...patch } : row));
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refresh();
    }, REFRESH_DELAY_MS);
  }

  /** Reads every reviewer's decisions and merges the new ones into the session's bundles. */
  async refresh(): Promise<void> {
    const record = this.team.session;
    const open = this.library.open;
    const table = this.library.table;
    if (!record || record.id !== this.sessionId || !open || !table) return;
    const classIds = open.scheme.classes.map((c) => c.id);
    const original = (sample: number) =>
      sample < table.count
        ? { classId: table.classIds[sample] ?? -1, auRaw: table.auRaw[sample] ?? '' }
        : undefined;
    const bundles: ReviewBundle[] = [];
    for (const { reviewer, handle } of this.docs) {
      const read = await this.reader.read(handle.doc, {
        session: record.session,
        reviewer,
        classIds,
        original,
      });
      if (read.bundle) bundles.push(read.bundle);
      this.patchRow(reviewer, {
        decided: decidedSampleCount(read.bundle),
        problems: read.problems,
      });
    }
    await this.team.acceptLiveBundles(bundles);
  }
}

export interface LiveJoin {
  sessionId: string;
  reviewer: string;
  server: string;
  status: LiveState;
  /** Decisions saved here that the server has not confirmed yet. */
  unsent: number;
  error: string | null;
}

export class LiveReviewerState {
  joined = $state<LiveJoin | null>(null);
  error = $state<string | null>(null);
  private link: LiveLink | null = null;
  private handle: LiveDocHandle | null = null;
  private readonly signer = new DecisionSigner();

  constructor(private readonly team: TeamReviewerState) {
    team.onSaved = (record) => {
      if (record.sessionId === this.joined?.sessionId) void this.send();
    };
  }

  /**
   * Joins with a code from the lead: connects, waits for the assignment to arrive
   * through the reviewer's document, opens it as an assignment file would open, and
   * keeps the code so that this browser reconnects after a reload.
   */
  async join(text: string): Promise<boolean> {
    const read = decodeJoinCode(text);
    if (!read.ok) {
      this.error = read.problem;
      return false;
    }
    const { code } = read;
    this.error = null;
    this.connect(code.server, code.sessionId, code.reviewer, code.token);
    const assignmentText = await this.assignmentArrives();
    if (assignmentText === null) {
      this.error =
        this.joined?.error ??
        `no assignment arrived from ${code.server}: is the server running, and the lead's live session open?`;
      this.leave(false);
      return false;
    }
    const outcome = await this.team.openAssignment({
      name: `live session ${code.sessionId}`,
      text: assignmentText,
    });
    if (!outcome.ok) {
      this.error = outcome.messages.join(' ');
      this.leave(false);
      return false;
    }
    await saveLiveJoinCode(code.sessionId, text.trim());
    this.team.assignmentId = code.sessionId;
    await this.send();
    return true;
  }

  /** Reconnects to the live session of an assignment joined before (after a reload). */
  async resume(sessionId: string): Promise<void> {
    if (this.joined?.sessionId === sessionId) return;
    const text = await liveJoinCodeOf(sessionId);
    if (!text) return;
    const read = decodeJoinCode(text);
    if (!read.ok) return;
    this.connect(read.code.server, sessionId, read.code.reviewer, read.code.token);
    await this.send();
  }

  /** Leaves the live session (the assignment and its decisions stay in this browser). */
  leave(forget = true): void {
    const sessionId = this.joined?.sessionId;
    this.link?.close();
    this.link = null;
    this.handle = null;
    this.joined = null;
    if (forget && sessionId) void deleteLiveJoinCode(sessionId);
  }

  private connect(server: string, sessionId: string, reviewer: string, token: string): void {
    this.leave(false);
    this.joined = { sessionId, reviewer, server, status: 'connecting', unsent: 0, error: null };
    const link = new LiveLink(server, {
      onStatus: (status) => this.patch({ status }),
    });
    this.link = link;
    this.handle = link.open(liveDocName(sessionId, reviewer), token, {
      onSynced: () => void this.send(),
      onRefused: (reason) => this.patch({ error: `the server refused this join code (${reason})` }),
      onUnsynced: (unsent) => this.patch({ unsent }),
    });
  }

  private patch(patch: Partial<LiveJoin>): void {
    if (this.joined) this.joined = { ...this.joined, ...patch };
  }

  /** The assignment's text once it is in the document; null if refused or after the timeout. */
  private async assignmentArrives(timeoutMs = 15_000): Promise<string | null> {
    const handle = this.handle;
    if (!handle) return null;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const text = assignmentTextOf(handle.doc);
      if (text !== null) return text;
      // Refused (a code from another server, or revoked): no need to wait longer.
      if (this.handle !== handle || this.joined?.error) return null;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return null;
  }

  /** Puts every decision saved here that the document lacks into it (signed). */
  private async send(): Promise<void> {
    const joined = this.joined;
    const handle = this.handle;
    if (!joined || !handle) return;
    const record = this.team.assignments.find((a) => a.sessionId === joined.sessionId);
    if (!record) return;
    const key = record.assignment.key;
    if (!key) {
      this.patch({ error: 'this assignment has no signing key: ask the lead for a new session' });
      return;
    }
    const entries = await this.signer.sign(record.decisions, key);
    // The handle may have changed while signing (a reconnection): the next send covers it.
    if (this.handle === handle) addDecisions(handle.doc, entries);
  }
}
