import { imageLookupKeys, sampleImageKey } from '../labels/images';
import { SampleFlag } from '../labels/types';
import type { Decision } from '../review/decision';
import {
  adjudicate as rule,
  agreementReport,
  assignmentFileName,
  buildAssignmentFile,
  conflicts,
  createSession,
  mergeBundles,
  parseBundle,
  planAssignments,
  planProblems,
  newReviewerKey,
  reviewerKeyOf,
  type AdjudicationChoice,
  type ReviewBundle,
  type SampleAgreement,
} from '../team';
import { getImage } from '../store/datasets';
import {
  deleteTeamSession,
  listTeamBundles,
  listTeamSessions,
  putTeamBundles,
  replaceTeamBundles,
  saveTeamSession,
  type TeamBundleRecord,
  type TeamSessionRecord,
} from '../store/team';
import type { DatasetLibrary } from './library.svelte';
import { TeamRole } from './team-role.svelte';
import {
  cleanInput,
  inputOf,
  loadImages,
  newSessionId,
  type FileOutcome,
  type OutgoingFile,
  type ReviewerInput,
  type TextFile,
} from './team-support';
import { textAt } from '../labels/text-column';

/**
 * Team review as the lead sees it, for the open dataset: the sessions, the bundles
 * reviewers sent back, the agreement report and adjudication (recorded as the lead's
 * own decisions, so they are undoable and are what review and export use).
 */
/** How the bundle column names decisions that came through a live session. */
export const LIVE_SOURCE = 'live session';

export class TeamLeadState extends TeamRole {
  sessions = $state.raw<TeamSessionRecord[]>([]);
  sessionId = $state<string | null>(null);
  bundles = $state.raw<TeamBundleRecord[]>([]);

  constructor(private readonly library: DatasetLibrary) {
    super();
  }

  session = $derived(this.sessions.find((s) => s.id === this.sessionId) ?? null);

  /** The lead's decisions made in the selected session (undone ones are not in effect). */
  adjudications = $derived.by((): Decision[] => {
    const session = this.session;
    if (!session) return [];
    return this.library.review.active.filter(
      (d) => d.reviewSetId === session.id && d.datasetId === session.datasetId,
    );
  });

  report = $derived.by(() => {
    const session = this.session;
    const table = this.library.table;
    if (!session || !table || this.library.openId !== session.datasetId) return null;
    return agreementReport(
      session.session,
      this.bundles.map((b) => b.bundle),
      table,
      this.adjudications,
    );
  });

  /** Samples the reviewers disagree on, worst first (adjudicated ones included, marked). */
  conflicts = $derived(this.report ? conflicts(this.report) : []);

  /** Unanimous samples the lead has not yet taken over into the dataset's decisions. */
  agreedPending = $derived(
    this.report ? this.report.samples.filter((s) => s.unanimous && !s.adjudication) : [],
  );

  /** Reads the sessions of the open dataset and the selected session's bundles. */
  async load(datasetId: string | null): Promise<void> {
    await this.run(async () => {
      const sessions = datasetId ? await listTeamSessions(datasetId) : [];
      this.sessions = sessions;
      if (!sessions.some((s) => s.id === this.sessionId)) {
        this.sessionId = sessions.at(-1)?.id ?? null;
      }
      await this.loadBundles();
    });
  }

  async selectSession(id: string | null): Promise<void> {
    this.sessionId = id;
    await this.run(() => this.loadBundles());
  }

  private async loadBundles(): Promise<void> {
    const id = this.sessionId;
    this.bundles = id ? await listTeamBundles(id) : [];
  }

  /** Why a session cannot be created from these inputs; empty when it can. */
  sessionProblems(input: { samples: readonly number[]; reviewers: string[]; overlap: number }) {
    const problems = planProblems({ sessionId: 'x', seed: 0, ...input });
    if (input.samples.length === 0) problems.push('the review set has no samples');
    if (!this.library.review.reviewer) problems.push('enter your name first');
    return problems;
  }

  /** Plans a balanced, seeded assignment of a review set's samples and stores the session. */
  async createSession(input: {
    reviewSetId: string;
    reviewers: string[];
    overlap: number;
    seed: number | string;
  }): Promise<string[]> {
    const library = this.library;
    const set = library.review.reviewSets.find((s) => s.id === input.reviewSetId);
    const open = library.open;
    const lead = library.review.reviewer;
    if (!set || !open || !lead) return ['choose a review set of the open dataset'];
    const problems = this.sessionProblems({ ...input, samples: set.samples });
    if (problems.length > 0) return problems;
    const now = Date.now();
    const plan = planAssignments({
      sessionId: newSessionId(now),
      samples: set.samples,
      reviewers: input.reviewers,
      overlap: input.overlap,
      seed: input.seed,
    });
    const session = createSession(plan, {
      datasetId: open.id,
      datasetName: open.name,
      lead,
      createdAt: now,
      reviewerKeys: Object.fromEntries(plan.reviewers.map((r) => [r, newReviewerKey()])),
    });
    const record: TeamSessionRecord = {
      version: 1,
      id: session.sessionId,
      datasetId: open.id,
      reviewSetId: set.id,
      reviewSetName: set.name,
      session,
    };
    const ok = await this.run(async () => {
      await saveTeamSession(record);
      this.sessions = [...this.sessions, record];
      this.sessionId = record.id;
      this.bundles = [];
    });
    return ok ? [] : [this.error ?? 'not saved'];
  }

  async deleteSession(id: string): Promise<void> {
    await this.run(async () => {
      await deleteTeamSession(id);
      this.sessions = this.sessions.filter((s) => s.id !== id);
      if (this.sessionId === id) {
        this.sessionId = this.sessions.at(-1)?.id ?? null;
        await this.loadBundles();
      }
    });
  }

  /** One reviewer's assignment file, with the images embedded as data URLs when asked. */
  async assignmentFile(reviewer: string, withImages: boolean): Promise<OutgoingFile | null> {
    const session = this.session?.session;
    const table = this.library.table;
    const open = this.library.open;
    if (!session || !table || !open || open.id !== session.datasetId) return null;
    const key = reviewerKeyOf(session, reviewer);
    if (key === undefined) {
      this.error =
        `session ${session.sessionId} was created by an older version of AU Review and holds no ` +
        `signing key for ${reviewer}: its bundles could not be authenticated. Create a new session.`;
      return null;
    }
    let file: OutgoingFile | null = null;
    await this.run(async () => {
      const assigned = session.assignments.find((a) => a.reviewer === reviewer)?.samples ?? [];
      const withImage = withImages
        ? assigned
            .filter((index) => ((table.flags[index] ?? 0) & SampleFlag.hasImage) !== 0)
            .map((index) => ({ index, name: textAt(table.names, index) }))
        : [];
      const images = await loadImages(withImage, async (name) => {
        for (const key of imageLookupKeys(sampleImageKey(name))) {
          const image = await getImage(open.id, key);
          if (image) return image;
        }
        return undefined;
      });
      const assignment = buildAssignmentFile(
        session,
        reviewer,
        table,
        {
          datasetId: open.id,
          datasetName: open.name,
          lead: session.lead,
          createdAt: Date.now(),
          scheme: open.scheme,
          splitNames: open.splitNames,
          key,
        },
        images,
      );
      file = { name: assignmentFileName(assignment), text: JSON.stringify(assignment, null, 2) };
    });
    return file;
  }

  /**
   * Reads review bundles into the selected session, in any order. A bundle read
   * twice changes nothing; a bundle of another dataset or session, one whose
   * signature is not its reviewer's, one with a field an import would refuse, or a
   * file that is not a bundle, is refused with the reasons and nothing stored changes.
   */
  async importBundles(files: readonly TextFile[]): Promise<FileOutcome[]> {
    const record = this.session;
    const open = this.library.open;
    const table = this.library.table;
    const refuse = (message: string): FileOutcome[] =>
      files.map((f) => ({ fileName: f.name, ok: false, messages: [`${f.name}: ${message}`] }));
    if (!record) return refuse('no session');
    const session = record.session;
    if (!open || !table || open.id !== session.datasetId) {
      return refuse(`open ${session.datasetName} first: its bundles are checked against it`);
    }
    const classIds = open.scheme.classes.map((c) => c.id);
    const original = (sample: number) =>
      sample < table.count
        ? { classId: table.classIds[sample] ?? -1, auRaw: table.auRaw[sample] ?? '' }
        : undefined;
    const outcomes: FileOutcome[] = [];
    let bundles: ReviewBundle[] = this.bundles.map((b) => b.bundle);
    const sources: Record<string, string[]> = Object.fromEntries(
      this.bundles.map((b) => [b.reviewer, b.files]),
    );
    let changed = false;
    for (const file of files) {
      const parsed = await parseBundle(file.text, file.name, {
        sessionId: session.sessionId,
        datasetId: session.datasetId,
        datasetName: session.datasetName,
        session,
        classIds,
        original,
      });
      if (!parsed.ok) {
        outcomes.push({ fileName: file.name, ok: false, messages: parsed.problems });
        continue;
      }
      const merged = mergeBundles(session, bundles, parsed.bundle);
      if (merged.problems.length > 0 && merged.added + merged.unchanged + merged.replaced === 0) {
        outcomes.push({ fileName: file.name, ok: false, messages: merged.problems });
        continue;
      }
      const who = parsed.bundle.reviewer;
      const summary =
        merged.added + merged.replaced === 0
          ? `${file.name}: already imported, nothing changed (${who})`
          : `${file.name}: ${merged.added} new decision(s) from ${who}` +
            (merged.replaced > 0 ? `, ${merged.replaced} updated` : '') +
            (merged.unchanged > 0 ? `, ${merged.unchanged} already there` : '');
      outcomes.push({
        fileName: file.name,
        ok: true,
        messages: [summary, ...parsed.warnings, ...merged.problems],
      });
      if (merged.added + merged.replaced > 0) {
        changed = true;
        bundles = merged.bundles;
        const list = sources[who] ?? [];
        if (!list.includes(file.name)) sources[who] = [...list, file.name];
      }
    }
    if (changed) {
      const now = Date.now();
      const records: TeamBundleRecord[] = bundles.map((bundle) => ({
        version: 1,
        sessionId: session.sessionId,
        reviewer: bundle.reviewer,
        bundle,
        files: sources[bundle.reviewer] ?? [],
        updatedAt: now,
      }));
      const ok = await this.run(async () => {
        await replaceTeamBundles(session.sessionId, records);
        this.bundles = records;
      });
      if (!ok) {
        for (const outcome of outcomes) {
          if (outcome.ok) {
            outcome.ok = false;
            outcome.messages = [`${outcome.fileName}: not saved: ${this.error ?? ''}`];
          }
        }
      }
    }
    return outcomes;
  }

  /**
   * Takes in the bundles read from a live session's documents (see liveBundle), as
   * importBundles takes files: merged into the stored bundles, so that agreement,
   * adjudication and export work as with files. Returns the decisions that were new.
   */
  async acceptLiveBundles(incoming: readonly ReviewBundle[]): Promise<number> {
    const record = this.session;
    if (!record || incoming.length === 0) return 0;
    const session = record.session;
    const merged = mergeBundles(
      session,
      this.bundles.map((b) => b.bundle),
      incoming,
    );
    if (merged.added + merged.replaced === 0) return 0;
    const now = Date.now();
    const records: TeamBundleRecord[] = merged.bundles.map((bundle) => {
      const files = this.bundles.find((b) => b.reviewer === bundle.reviewer)?.files ?? [];
      const live = incoming.some((b) => b.reviewer === bundle.reviewer);
      return {
        version: 1,
        sessionId: session.sessionId,
        reviewer: bundle.reviewer,
        bundle,
        files: live && !files.includes(LIVE_SOURCE) ? [...files, LIVE_SOURCE] : files,
        updatedAt: now,
      };
    });
    // Only the bundles that grew are written: a live session writes on every change.
    const stored = (reviewer: string) =>
      this.bundles.find((b) => b.reviewer === reviewer)?.bundle.decisions.length;
    const changed = records.filter((r) => r.bundle.decisions.length !== stored(r.reviewer));
    const ok = await this.run(async () => {
      // Only if the session is still the one shown: a late answer must not cross sessions.
      if (this.sessionId !== record.id) return;
      await putTeamBundles(session.sessionId, changed);
      this.bundles = records;
    });
    return ok ? merged.added + merged.replaced : 0;
  }

  /** The lead's ruling on a sample, recorded as one undoable decision. */
  async adjudicate(sample: SampleAgreement, choice: AdjudicationChoice): Promise<boolean> {
    const lead = this.library.review.reviewer;
    if (!lead) return false;
    const ruling = rule(sample, choice, { lead, id: 'pending', at: Date.now() });
    return this.library.review.decide([inputOf(ruling)]);
  }

  /** The lead's own decision on a sample, made in the adjudication view. */
  async adjudicateEdited(sample: SampleAgreement, input: ReviewerInput): Promise<boolean> {
    const lead = this.library.review.reviewer;
    if (!lead) return false;
    const edited: Decision = {
      version: 1,
      id: 'edited',
      datasetId: sample.datasetId,
      sample: sample.sample,
      sampleName: sample.name,
      reviewer: lead,
      at: Date.now(),
      ...cleanInput($state.snapshot(input)),
    };
    return this.adjudicate(sample, { edited });
  }

  /** Takes over every unanimous result not yet applied, as one undoable step. */
  async applyAgreed(): Promise<boolean> {
    const lead = this.library.review.reviewer;
    const pending = this.agreedPending;
    if (!lead || pending.length === 0) return false;
    const inputs = pending.flatMap((sample) => {
      const first = sample.reviews[0];
      if (!first) return [];
      const ruling = rule(
        sample,
        { from: first.reviewer },
        { lead, id: 'pending', at: Date.now() },
      );
      return [
        {
          ...inputOf(ruling),
          note: `agreed by ${sample.reviews.map((r) => r.reviewer).join(', ')}`,
        },
      ];
    });
    return this.library.review.decide(inputs);
  }

  /** The lead's view of a sample's face (the open dataset's image). */
  async leadImage(sample: number): Promise<string | null> {
    const table = this.library.table;
    if (!table || ((table.flags[sample] ?? 0) & SampleFlag.hasImage) === 0) return null;
    return this.library.images.url(sampleImageKey(textAt(table.names, sample)));
  }
}
