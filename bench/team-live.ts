import type { DatasetLibrary } from '../src/lib/state/library.svelte';
import { LiveLeadState } from '../src/lib/state/team-live.svelte';
import { TeamLeadState } from '../src/lib/state/team-lead.svelte';
import { getDataset, loadSampleTable } from '../src/lib/store/datasets';

/**
 * Live team review under load (issue 20), the lead's side: the app's own
 * TeamLeadState and LiveLeadState on a stored dataset, with the library stubbed to
 * what they read (the open dataset, its table, the lead's name and one review set of
 * every sample). The reviewers are Node processes (bench/team-load.ts). A decision
 * counts as on the lead's screen once the lead's state holds it in its stored bundles
 * and the agreement report the Team tab renders has been computed with it (the
 * rendering itself is not timed).
 */

let live: LiveLeadState | null = null;
let team: TeamLeadState | null = null;
let watch: ReturnType<typeof setInterval> | null = null;
const seenAt = new Map<string, number>();
const reportMs: number[] = [];
const longTasks: number[] = [];
let observer: PerformanceObserver | null = null;

export async function teamPrepare(input: {
  datasetId: string;
  reviewers: number;
  overlap: number;
  server: string;
  secret: string;
}): Promise<{ sessionId: string; codes: Record<string, string>; samples: number }> {
  const meta = await getDataset(input.datasetId);
  if (!meta) throw new Error(`no dataset ${input.datasetId}`);
  const table = await loadSampleTable(input.datasetId);
  const set = {
    id: 'bench-set',
    name: 'every sample',
    size: table.count,
    samples: Array.from({ length: table.count }, (_, i) => i),
  };
  const library = {
    open: meta,
    openId: meta.id,
    table,
    review: { active: [], reviewer: 'Lead', reviewSets: [set] },
  } as unknown as DatasetLibrary;
  team = new TeamLeadState(library);
  await team.load(meta.id);
  const reviewers = Array.from({ length: input.reviewers }, (_, i) => `R${i + 1}`);
  const problems = await team.createSession({
    reviewSetId: set.id,
    reviewers,
    overlap: input.overlap,
    seed: 1,
  });
  if (problems.length > 0) throw new Error(`no session: ${problems.join('; ')}`);
  live = new LiveLeadState(team, library);
  live.server = input.server;
  if (!(await live.start(input.secret, false))) throw new Error(live.error ?? 'not live');
  const deadline = performance.now() + 60_000;
  while (live.rows.some((row) => !row.synced) || live.status !== 'connected') {
    if (performance.now() > deadline) throw new Error(`live session not ready: ${live.error}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    sessionId: team.session?.session.sessionId ?? '',
    codes: Object.fromEntries(live.rows.map((row) => [row.reviewer, row.joinCode])),
    samples: table.count,
  };
}

/** Starts watching the lead's state: each decision's first time on the screen, epoch ms. */
export function teamWatch(): void {
  seenAt.clear();
  reportMs.length = 0;
  longTasks.length = 0;
  observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  let last: unknown = null;
  watch = setInterval(() => {
    const bundles = team?.bundles ?? [];
    if (bundles === last) return;
    last = bundles;
    const t = performance.now();
    // What the Team tab renders from the bundles.
    void team?.report;
    reportMs.push(performance.now() - t);
    const at = performance.timeOrigin + performance.now();
    for (const record of bundles)
      for (const decision of record.bundle.decisions)
        if (!seenAt.has(decision.id)) seenAt.set(decision.id, at);
  }, 10);
}

export function teamResult(): {
  seenAt: Record<string, number>;
  reportMs: number[];
  longTasks: number[];
  rows: { reviewer: string; decided: number; problems: number }[];
} {
  return {
    seenAt: Object.fromEntries(seenAt),
    reportMs: [...reportMs],
    longTasks: [...longTasks],
    rows: (live?.rows ?? []).map((row) => ({
      reviewer: row.reviewer,
      decided: row.decided,
      problems: row.problems.length,
    })),
  };
}

export function teamStop(): void {
  if (watch) clearInterval(watch);
  watch = null;
  observer?.disconnect();
  live?.stop();
  live = null;
  team = null;
}
