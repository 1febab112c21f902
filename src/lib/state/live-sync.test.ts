// @vitest-environment node
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { LiveLink, type LiveDocHandle } from './live-sync';
import { RAFCE_SCHEME } from '../labels/schemes';
import { buildAssignmentFile, reviewerKeyOf, type TeamSession } from '../team/assignment';
import { decision, sessionOf, tableOf } from '../team/test-support';
import {
  addDecisions,
  assignmentTextOf,
  liveBundle,
  liveDocName,
  liveToken,
  signDecision,
  writeAssignment,
  type LiveDecision,
} from '../team-live';
import { startTeamServer, type TeamServer } from '../../team-server/team-server';

const SECRET = 'correct-horse-battery-staple-42';
const REVIEWERS = ['ana', 'bo', 'cy'];

const table = tableOf(Array.from({ length: 12 }, (_, i) => ({ classId: i % 7, au: '6+12' })));
const session: TeamSession = sessionOf(REVIEWERS, 12, 2);

function assignmentText(reviewer: string): string {
  const assignment = buildAssignmentFile(session, reviewer, table, {
    datasetId: 'ds1',
    datasetName: 'RAF-CE',
    lead: 'lena',
    createdAt: 0,
    scheme: RAFCE_SCHEME,
    key: reviewerKeyOf(session, reviewer) as string,
  });
  return JSON.stringify(assignment, null, 2);
}

const samplesOf = (reviewer: string) =>
  session.assignments.find((a) => a.reviewer === reviewer)?.samples ?? [];

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let dataDir = '';
let server: TeamServer | null = null;
/** The server's log: what it refused and why. */
let refusedLines: string[] = [];
const links: LiveLink[] = [];

async function start(port = 0): Promise<TeamServer> {
  server = await startTeamServer({
    port,
    host: '127.0.0.1',
    secret: SECRET,
    dataDir,
    log: (line) => refusedLines.push(line),
  });
  return server;
}

function link(port: number): LiveLink {
  const made = new LiveLink(`ws://127.0.0.1:${port}`, { WebSocketPolyfill: WebSocket });
  links.push(made);
  return made;
}

async function openAs(
  port: number,
  reviewerDoc: string,
  role: { kind: 'lead' } | { kind: 'reviewer'; reviewer: string },
  secret = SECRET,
): Promise<{ handle: LiveDocHandle; refused: string[]; synced: () => boolean }> {
  const refused: string[] = [];
  let synced = false;
  const handle = link(port).open(
    liveDocName(session.sessionId, reviewerDoc),
    await liveToken(secret, session.sessionId, role),
    { onRefused: (reason) => refused.push(reason), onSynced: () => (synced = true) },
  );
  return { handle, refused, synced: () => synced };
}

async function signed(reviewer: string, sample: number, at = 1): Promise<LiveDecision> {
  const key = reviewerKeyOf(session, reviewer) as string;
  return signDecision(
    decision(reviewer, sample, 'accept', { id: crypto.randomUUID(), at, reviewSetId: 'sess-1' }),
    key,
  );
}

beforeEach(() => {
  // Hocuspocus prints each connection it closes; the refusals are read from the server's log.
  vi.spyOn(console, 'error').mockImplementation(() => {});
  refusedLines = [];
  dataDir = mkdtempSync(path.join(tmpdir(), 'au-team-'));
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const made of links.splice(0)) made.close();
  await server?.close();
  server = null;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the team server', () => {
  it('carries the assignment to its reviewer and the decisions back to the lead', async () => {
    const { port } = await start();
    const lead = await openAs(port, 'ana', { kind: 'lead' });
    await until('the lead synced', lead.synced);
    writeAssignment(lead.handle.doc, assignmentText('ana'));
    const ana = await openAs(port, 'ana', { kind: 'reviewer', reviewer: 'ana' });
    await until('the assignment at ana', () => assignmentTextOf(ana.handle.doc) !== null);
    const first = samplesOf('ana')[0] as number;
    addDecisions(ana.handle.doc, [await signed('ana', first)]);
    await until('the decision at the lead', () => lead.handle.doc.getMap('decisions').size === 1);
    const read = await liveBundle(lead.handle.doc, {
      session,
      reviewer: 'ana',
      classIds: RAFCE_SCHEME.classes.map((c) => c.id),
    });
    expect(read.problems).toEqual([]);
    expect(read.bundle?.decisions.map((d) => d.sample)).toEqual([first]);
    expect(server?.refusals()).toBe(0);
  });

  it.each<[string, string, { kind: 'lead' } | { kind: 'reviewer'; reviewer: string }, string]>([
    ["another reviewer's token", 'ana', { kind: 'reviewer', reviewer: 'bo' }, SECRET],
    ['a token made with another secret', 'ana', { kind: 'lead' }, 'not-the-servers-secret-at-all'],
  ])('refuses %s, and the client receives nothing', async (_name, doc, role, secret) => {
    const { port } = await start();
    const lead = await openAs(port, doc, { kind: 'lead' });
    await until('the lead synced', lead.synced);
    writeAssignment(lead.handle.doc, assignmentText(doc));
    await until('the assignment stored', () => lead.handle.unsynced() === 0);
    const forged = await openAs(port, doc, role, secret);
    await until('the refusal', () => forged.refused.length > 0);
    expect(assignmentTextOf(forged.handle.doc)).toBeNull();
    expect(server?.refusals()).toBeGreaterThan(0);
  });

  /** A client that speaks the protocol by hand: it sends what an honest app never would. */
  async function forgedUpdate(
    port: number,
    reviewerDoc: string,
    role: { kind: 'lead' } | { kind: 'reviewer'; reviewer: string },
    write: (doc: Y.Doc) => void | Promise<void>,
  ): Promise<void> {
    const { handle } = await openAs(port, reviewerDoc, role);
    await until('synced', () => handle.synced());
    await write(handle.doc);
    // The server closes the connection; the client then tries again and is refused again.
    await new Promise((resolve) => setTimeout(resolve, 400));
    handle.close();
  }

  it.each<[string, RegExp, (doc: Y.Doc) => Promise<void>]>([
    [
      'a decision on a sample not assigned to the reviewer',
      /sample \d+ is not in ana's assignment/,
      async (doc) => {
        const other = [...Array(12).keys()].find((s) => !samplesOf('ana').includes(s));
        expect(other).toBeDefined();
        addDecisions(doc, [await signed('ana', other as number)]);
      },
    ],
    [
      "a decision in another reviewer's name",
      /a decision by bo cannot come from ana/,
      async (doc) => {
        addDecisions(doc, [await signed('bo', samplesOf('ana')[0] as number)]);
      },
    ],
    [
      'a change to the assignment',
      /may not delete|may only add decisions/,
      async (doc) => {
        doc.getMap('assignment').set('file', '{}');
      },
    ],
    [
      'a deletion',
      /may not delete anything/,
      async (doc) => {
        doc.getMap('assignment').delete('file');
      },
    ],
    [
      'an entry outside the decisions',
      /a reviewer may only add decisions/,
      async (doc) => {
        doc.getMap('notes').set('x', 'hello');
      },
    ],
    [
      'a decision filed under another id',
      /filed under its own id/,
      async (doc) => {
        const entry = await signed('ana', samplesOf('ana')[0] as number);
        doc.getMap('decisions').set('not-its-id', entry);
      },
    ],
    [
      'something that is not a decision',
      /not a signed decision/,
      async (doc) => {
        doc.getMap('decisions').set('x', { decision: { sample: 1 }, mac: 'no' });
      },
    ],
  ])(
    'closes a reviewer connection that sends %s, and applies none of it',
    async (_name, reason, write) => {
      const { port } = await start();
      const lead = await openAs(port, 'ana', { kind: 'lead' });
      await until('the lead synced', lead.synced);
      writeAssignment(lead.handle.doc, assignmentText('ana'));
      await until('the assignment stored', () => lead.handle.unsynced() === 0);
      const before = Y.encodeStateVector(lead.handle.doc);
      await forgedUpdate(port, 'ana', { kind: 'reviewer', reviewer: 'ana' }, write);
      expect(server?.refusals()).toBeGreaterThan(0);
      expect(refusedLines.join('\n')).toMatch(reason);
      // The lead, connected throughout, received nothing of it; nor does a new reader.
      expect(Y.encodeStateVector(lead.handle.doc)).toEqual(before);
      const reader = await openAs(port, 'ana', { kind: 'lead' });
      await until('a fresh reader synced', reader.synced);
      expect(reader.handle.doc.getMap('decisions').size).toBe(0);
      expect(assignmentTextOf(reader.handle.doc)).toBe(assignmentText('ana'));
    },
  );

  it('refuses a lead that writes decisions', async () => {
    const { port } = await start();
    await forgedUpdate(port, 'ana', { kind: 'lead' }, async (doc) => {
      writeAssignment(doc, assignmentText('ana'));
      addDecisions(doc, [await signed('ana', samplesOf('ana')[0] as number)]);
    });
    expect(refusedLines.join('\n')).toMatch(/the lead may only write the assignment/);
  });

  it('a reviewer whose connection drops, or whose app restarts with a fresh document, sends its history again: nothing twice', async () => {
    const { port } = await start();
    const lead = await openAs(port, 'ana', { kind: 'lead' });
    await until('the lead synced', lead.synced);
    writeAssignment(lead.handle.doc, assignmentText('ana'));
    await until('the assignment stored', () => lead.handle.unsynced() === 0);
    const mine = samplesOf('ana');
    const history: LiveDecision[] = [];
    for (let round = 0; round < 4; round++) {
      // A new client each round (a dropped network, a reload): a fresh document, which
      // the app fills from its own store with the whole history, old decisions included.
      const ana = await openAs(port, 'ana', { kind: 'reviewer', reviewer: 'ana' });
      await until('ana synced', ana.synced);
      history.push(await signed('ana', mine[round % mine.length] as number, round));
      addDecisions(ana.handle.doc, history);
      await until('acknowledged', () => ana.handle.unsynced() === 0);
      ana.handle.close();
    }
    await until(
      'all at the lead',
      () => lead.handle.doc.getMap('decisions').size === history.length,
    );
    const ids = [...lead.handle.doc.getMap('decisions').keys()].sort();
    expect(ids).toEqual(history.map((h) => h.decision.id).sort());
    expect(server?.refusals()).toBe(0);
  });

  it('loses no acknowledged decision and duplicates none when killed and restarted, many times', async () => {
    // The server as `npm run team-server` runs it, in a process of its own, killed with
    // SIGKILL (no chance to store anything) and started again on the same port.
    let child = await spawnServer(0);
    const port = child.port;
    const lead = await openAs(port, 'ana', { kind: 'lead' });
    await until('the lead synced', lead.synced);
    writeAssignment(lead.handle.doc, assignmentText('ana'));
    await until('the assignment stored', () => lead.handle.unsynced() === 0);
    const ana = await openAs(port, 'ana', { kind: 'reviewer', reviewer: 'ana' });
    await until('ana synced', ana.synced);
    const mine = samplesOf('ana');
    const made: string[] = [];
    for (let round = 0; round < 5; round++) {
      for (let k = 0; k < 3; k++) {
        const entry = await signed(
          'ana',
          mine[(round * 3 + k) % mine.length] as number,
          round * 10 + k,
        );
        made.push(entry.decision.id);
        addDecisions(ana.handle.doc, [entry]);
      }
      await until('acknowledged', () => ana.handle.unsynced() === 0);
      child.kill();
      await child.exited;
      // One more decision while the server is down: kept here, sent on reconnection.
      const offline = await signed('ana', mine[round % mine.length] as number, round * 10 + 5);
      made.push(offline.decision.id);
      addDecisions(ana.handle.doc, [offline]);
      child = await spawnServer(port);
      await until('caught up', () => ana.handle.synced() && ana.handle.unsynced() === 0);
    }
    await until('all at the lead', () => lead.handle.doc.getMap('decisions').size === made.length);
    // Every client gone and the server killed once more: what a new reader gets can only
    // come from the server's files. Each decision is there, once.
    for (const made of links.splice(0)) made.close();
    child.kill();
    await child.exited;
    child = await spawnServer(port);
    const reader = await openAs(port, 'ana', { kind: 'lead' });
    await until('the reader synced', reader.synced);
    const ids = [...reader.handle.doc.getMap('decisions').keys()].sort();
    expect(ids).toEqual([...made].sort());
    expect(new Set(ids).size).toBe(made.length);
    expect(assignmentTextOf(reader.handle.doc)).toBe(assignmentText('ana'));
    child.kill();
    await child.exited;
  }, 60_000);
});

/** `npm run team-server` in a child process; resolves once it listens. */
async function spawnServer(
  port: number,
): Promise<{ port: number; kill: () => void; exited: Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/team-server/main.ts', '--port', String(port), '--data', dataDir],
    { env: { ...process.env, AU_REVIEW_TEAM_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ws:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the team server exited (${code}): ${out}`)));
  });
  return { port: listening, kill: () => child.kill('SIGKILL'), exited };
}
