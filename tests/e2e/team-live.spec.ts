import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { LiveLink } from '../../src/lib/state/live-sync';
import {
  assignmentTextOf,
  decodeJoinCode,
  encodeJoinCode,
  liveDocName,
  liveToken,
} from '../../src/lib/team-live';
import { AuReviewApp } from './pages/app';
import { TeamLeadPage, TeamReviewerPage } from './pages/team';

/**
 * Live team review with the sync server started here, on localhost, as the README
 * starts it (`npm run team-server`): a lead and two reviewers in three browsers.
 */

const SECRET = 'e2e-shared-secret-for-live-review';
let dataDir = '';
let port = 0;
let server: ChildProcess | null = null;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startServer(): Promise<void> {
  const child = spawn(
    'npm',
    ['run', '--silent', 'team-server', '--', '--port', String(port), '--data', dataDir],
    {
      env: { ...process.env, AU_REVIEW_TEAM_SECRET: SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A group of its own: npm runs the server in a child, and a kill must reach it.
      detached: true,
    },
  );
  server = child;
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(`ws://127.0.0.1:${port}`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the team server exited (${code}): ${out}`)));
  });
}

async function killServer(): Promise<void> {
  const child = server;
  server = null;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // The whole group at once, as a crash would: npm and the server it runs.
  process.kill(-(child.pid as number), 'SIGKILL');
  await exited;
  await new Promise((resolve) => setTimeout(resolve, 200));
}

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'au-live-e2e-'));
  port = await freePort();
});

test.afterAll(async () => {
  await killServer();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A fresh browser context: one person's own browser, with its own IndexedDB. */
async function person(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  await new AuReviewApp(page).open();
  return page;
}

test('a lead and two reviewers review live: decisions arrive as made, an offline reviewer catches up, files still agree', async ({
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  await startServer();
  const url = `ws://127.0.0.1:${port}`;

  // --- The lead splits six samples between Ada and Bo and opens the session live.
  const leadPage = await person(browser, testInfo);
  const leadApp = new AuReviewApp(leadPage);
  await leadApp.goTo('Review');
  await leadApp.review.start('Lee', 6, 7);
  await leadApp.goTo('Team');
  const lead = new TeamLeadPage(leadPage);
  await lead.createSession(['Ada', 'Bo'], 2, 1);
  await lead.goLive(url, SECRET);
  const adaCode = await lead.joinCode('Ada');
  const boCode = await lead.joinCode('Bo');
  expect(adaCode).toMatch(/^aurl1\./);
  expect(boCode).not.toBe(adaCode);

  // --- What leaves the lead's machine: Ada's document holds her samples only, and Bo's
  // code does not open it (a client speaking the protocol from outside the app).
  const adaJoin = decodeJoinCode(adaCode);
  const boJoin = decodeJoinCode(boCode);
  if (!adaJoin.ok || !boJoin.ok) throw new Error('the lead gave a bad join code');
  const outside = new LiveLink(url, { WebSocketPolyfill: WebSocket });
  const intruder = new LiveLink(url, { WebSocketPolyfill: WebSocket });
  try {
    const refused: string[] = [];
    const forged = intruder.open(liveDocName(adaJoin.code.sessionId, 'Ada'), boJoin.code.token, {
      onRefused: (reason) => refused.push(reason),
    });
    const honest = outside.open(liveDocName(adaJoin.code.sessionId, 'Ada'), adaJoin.code.token);
    await expect.poll(() => refused.length).toBeGreaterThan(0);
    await expect.poll(() => assignmentTextOf(honest.doc) !== null).toBe(true);
    expect(assignmentTextOf(forged.doc)).toBeNull();
    const sent = JSON.parse(assignmentTextOf(honest.doc) as string);
    expect(sent.reviewer).toBe('Ada');
    expect(sent.samples).toHaveLength(6);
    // Nothing else is in the document: no other reviewer's samples or decisions.
    expect([...honest.doc.share.keys()]).toEqual(['assignment']);
  } finally {
    outside.close();
    intruder.close();
  }

  // --- Ada joins with her code: the assignment arrives through the server.
  const adaPage = await person(browser, testInfo);
  await new AuReviewApp(adaPage).goTo('Team');
  const ada = new TeamReviewerPage(adaPage);
  await ada.chooseReviewer();
  await ada.joinLive('not a code');
  await expect(adaPage.getByRole('alert')).toContainText('not a join code');
  // A code whose token another secret made (another lab's server, a forged code).
  const forgedCode = encodeJoinCode({
    ...adaJoin.code,
    token: await liveToken('some-other-secret-entirely', adaJoin.code.sessionId, {
      kind: 'reviewer',
      reviewer: 'Ada',
    }),
  });
  await ada.joinLive(forgedCode);
  await expect(adaPage.getByRole('alert')).toContainText('the server refused this join code');
  await ada.joinLive(adaCode);
  await expect(ada.liveStatus).toContainText('connected');
  await expect(ada.face).toBeVisible();
  await ada.decide(['a'], 1, 6);
  await ada.decide(['a'], 2, 6);
  // Her decisions reach the lead's screen as she makes them.
  await expect(lead.liveDecided('Ada')).toHaveText('2 of 6');
  await expect(lead.bundleCell('Ada')).toContainText('live session');

  // --- Bo joins, then the server goes down while he works: nothing is lost.
  // Bo follows the join link the lead copied: the reviewer's side opens with it filled in.
  const boPage = await person(browser, testInfo);
  await leadPage.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await leadPage.getByRole('button', { name: 'Copy join link for Bo' }).click();
  const boLink = await leadPage.evaluate(() => navigator.clipboard.readText());
  expect(boLink).toContain('#/team/join/');
  await boPage.goto(boLink);
  const bo = new TeamReviewerPage(boPage);
  await expect(boPage.getByLabel('Join code from the lead')).toHaveValue(boCode);
  await boPage.getByRole('button', { name: 'Join live session' }).click();
  await expect(bo.liveStatus).toContainText('connected');
  await bo.decide(['a'], 1, 6);
  await expect(lead.liveDecided('Bo')).toHaveText('1 of 6');
  await killServer();
  await expect(bo.liveStatus).toContainText('offline');
  await bo.decide(['a'], 2, 6);
  await bo.decide(['d'], 3, 6);
  await boPage.screenshot({ path: testInfo.outputPath('reviewer-offline.png') });
  await startServer();
  await expect(bo.liveStatus).toContainText('every decision sent', { timeout: 20_000 });
  await expect(lead.liveDecided('Bo')).toHaveText('3 of 6', { timeout: 20_000 });

  // --- Ada finishes; the lead sees the agreement fill in, and it survives a reload.
  for (let i = 3; i <= 6; i++) await ada.decide(['a'], i, 6);
  await expect(lead.liveDecided('Ada')).toHaveText('6 of 6');
  await expect(lead.reviewerRow('Ada')).toBeVisible();
  await leadPage.screenshot({ path: testInfo.outputPath('lead-live.png') });
  await leadPage.reload();
  await leadApp.goTo('Team');
  await expect(lead.bundleCell('Ada')).toContainText('6 samples decided');
  await expect(lead.bundleCell('Bo')).toContainText('3 samples decided');

  // --- The file workflow agrees: Ada's bundle file, imported, adds nothing new.
  const adaBundle = await ada.exportBundle(testInfo, 'ada-live');
  await lead.importBundles([adaBundle]);
  await expect(lead.results.first()).toContainText('already imported, nothing changed');

  // --- A reviewer reloads: the join is kept and the link comes back by itself.
  await boPage.reload();
  await new AuReviewApp(boPage).goTo('Team');
  await bo.chooseReviewer();
  await expect(bo.liveStatus).toContainText('every decision sent');
});
