import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startTeamServer, type TeamServer } from '../../team-server/team-server';
import { newReviewSet } from '../review/review-set';
import type { Decision } from '../review/decision';
import { tableOf } from '../team/test-support';
import type { DatasetLibrary } from './library.svelte';
import { LiveLeadState, LiveReviewerState, TeamLeadState, TeamReviewerState } from './team.svelte';

const SECRET = 'a-shared-secret-for-these-tests';
const table = tableOf(Array.from({ length: 6 }, (_, i) => ({ classId: i % 3, au: '6+12' })));

function fakeLibrary(datasetId: string): DatasetLibrary {
  return {
    openId: datasetId,
    open: {
      id: datasetId,
      name: 'Demo',
      scheme: {
        id: 'raf-ce',
        name: 'RAF-CE',
        classes: ['A', 'B', 'C'].map((name, id) => ({ id, name, components: [] })),
      },
      splitNames: {},
    },
    table,
    images: { url: vi.fn(async () => null) },
    review: {
      reviewer: 'Lee',
      active: [] as Decision[],
      reviewSets: [
        newReviewSet(
          { id: 'set1', datasetId, name: 'Six', createdAt: 1, kind: 'filter', stratified: false },
          [0, 1, 2, 3, 4, 5],
        ),
      ],
    },
  } as unknown as DatasetLibrary;
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let server: TeamServer | null = null;
let dataDir = '';

afterEach(async () => {
  vi.unstubAllGlobals();
  await server?.close();
  server = null;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('live team review, the lead and a reviewer state against the real server', () => {
  it('a reviewer who began from the assignment file joins live: the decisions made before arrive at the lead', async () => {
    // Node 20 has no WebSocket of its own; the browser's is what the app uses.
    vi.stubGlobal('WebSocket', WebSocket);
    dataDir = mkdtempSync(path.join(tmpdir(), 'au-live-state-'));
    server = await startTeamServer({ port: 0, host: '127.0.0.1', secret: SECRET, dataDir });
    const datasetId = `ds-${crypto.randomUUID()}`;
    const library = fakeLibrary(datasetId);
    const lead = new TeamLeadState(library);
    await lead.load(datasetId);
    expect(
      await lead.createSession({ reviewSetId: 'set1', reviewers: ['Ada'], overlap: 1, seed: 1 }),
    ).toEqual([]);
    const sessionId = lead.session?.session.sessionId ?? '';

    // Ada works from the file first, offline.
    const file = await lead.assignmentFile('Ada', false);
    if (!file) throw new Error('no assignment file');
    const ada = new TeamReviewerState(fakeLibrary('her-own'));
    await ada.load();
    expect((await ada.openAssignment(file)).ok).toBe(true);
    const samples = ada.assignment?.assignment.samples ?? [];
    for (const sample of samples.slice(0, 2))
      expect(await ada.reviewerDecide(sessionId, sample, { kind: 'accept' }, 500)).toBe(true);

    // The lead goes live; a wrong secret is refused before anything connects.
    const live = new LiveLeadState(lead, library);
    live.server = `ws://127.0.0.1:${server.port}`;
    expect(await live.start('short', false)).toBe(false);
    expect(live.error).toMatch(/at least 22/);
    expect(await live.start(SECRET, false)).toBe(true);
    await until('the lead synced', () => live.rows.every((row) => row.synced));
    const code = live.rows[0]?.joinCode ?? '';

    // Ada joins: her assignment is already open here, and her two decisions go up.
    const adaLive = new LiveReviewerState(ada);
    expect(await adaLive.join(code)).toBe(true);
    await until('two decisions at the lead', () => live.rows[0]?.decided === 2);
    // One more, made live.
    expect(await ada.reviewerDecide(sessionId, samples[2]!, { kind: 'discard' }, 500)).toBe(true);
    await until('three at the lead', () => live.rows[0]?.decided === 3);
    await until('stored in the session', () =>
      lead.bundles.some((b) => b.bundle.decisions.length === 3),
    );
    expect(lead.bundles[0]?.files).toContain('live session');
    expect(lead.report?.overall.reviewed).toBe(3);
    expect(server.refusals()).toBe(0);
    adaLive.leave();
    live.stop();
  });
});
