import type { DatasetLibrary } from './library.svelte';
import { TeamLeadState } from './team-lead.svelte';
import { TeamReviewerState } from './team-reviewer.svelte';
import { LiveLeadState, LiveReviewerState } from './team-live.svelte';

export type { AssignmentRecord, TeamBundleRecord, TeamSessionRecord } from '../store/team';
export { auLabelOf, ausOfText } from './team-support';
export type { FileOutcome, OutgoingFile, ReviewerInput, TextFile } from './team-support';
export { TeamLeadState, TeamReviewerState, LiveLeadState, LiveReviewerState };
export { DEFAULT_LIVE_SERVER } from './team-live.svelte';

/**
 * Team review in this browser, in its two roles: the lead's (sessions of the open
 * dataset, bundles, agreement, adjudication) and the reviewer's (assignments opened
 * here). Each screen takes the role it shows.
 */
export class TeamState {
  readonly lead: TeamLeadState;
  readonly reviewer: TeamReviewerState;
  /** The live session, on either side: open while the Team page is. */
  readonly liveLead: LiveLeadState;
  readonly liveReviewer: LiveReviewerState;

  constructor(library: DatasetLibrary) {
    this.lead = new TeamLeadState(library);
    this.reviewer = new TeamReviewerState(library);
    this.liveLead = new LiveLeadState(this.lead, library);
    this.liveReviewer = new LiveReviewerState(this.reviewer);
  }

  /** Closes the live connections (the page is leaving); everything saved stays. */
  dispose(): void {
    this.liveLead.stop();
    this.liveReviewer.leave(false);
  }

  /** Reads the lead's sessions of the open dataset and the assignments opened here. */
  async load(datasetId: string | null): Promise<void> {
    await Promise.all([this.lead.load(datasetId), this.reviewer.load()]);
  }

  get error(): string | null {
    return this.lead.error ?? this.reviewer.error;
  }
}
