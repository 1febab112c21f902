import type { DatasetLibrary } from './library.svelte';
import { TeamLeadState } from './team-lead.svelte';
import { TeamReviewerState } from './team-reviewer.svelte';

export type { AssignmentRecord, TeamBundleRecord, TeamSessionRecord } from '../store/team';
export { auLabelOf, ausOfText } from './team-support';
export type { FileOutcome, OutgoingFile, ReviewerInput, TextFile } from './team-support';
export { TeamLeadState, TeamReviewerState };

/**
 * Team review in this browser, in its two roles: the lead's (sessions of the open
 * dataset, bundles, agreement, adjudication) and the reviewer's (assignments opened
 * here). Each screen takes the role it shows.
 */
export class TeamState {
  readonly lead: TeamLeadState;
  readonly reviewer: TeamReviewerState;

  constructor(library: DatasetLibrary) {
    this.lead = new TeamLeadState(library);
    this.reviewer = new TeamReviewerState(library);
  }

  /** Reads the lead's sessions of the open dataset and the assignments opened here. */
  async load(datasetId: string | null): Promise<void> {
    await Promise.all([this.lead.load(datasetId), this.reviewer.load()]);
  }

  get error(): string | null {
    return this.lead.error ?? this.reviewer.error;
  }
}
