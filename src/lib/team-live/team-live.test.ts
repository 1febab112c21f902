import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RAFCE_SCHEME } from '../labels/schemes';
import { reviewerKeyOf } from '../team/assignment';
import { decision, sessionOf } from '../team/test-support';
import {
  addDecisions,
  decodeJoinCode,
  liveUpdateProblem,
  writeAssignment,
  encodeJoinCode,
  LiveBundleReader,
  liveBundle,
  liveDecisionsOf,
  liveDocName,
  liveToken,
  parseLiveDocName,
  secretProblem,
  signDecision,
  verifyLiveToken,
} from '.';

const SECRET = 'a-shared-secret-of-enough-length';

describe('live document names', () => {
  it.each([
    ['sess-1', 'ana'],
    ['s/with/slashes', 'Bo Ek'],
    ['ü', 'reviewer%20'],
  ])('%s / %s reads back as itself', (sessionId, reviewer) => {
    expect(parseLiveDocName(liveDocName(sessionId, reviewer))).toEqual({ sessionId, reviewer });
  });

  it.each([
    'other/x/y',
    'au-review/only-one',
    'au-review/a/b/c',
    'au-review/%41/b',
    'au-review//b',
  ])('%s names no document', (name) => {
    expect(parseLiveDocName(name)).toBeNull();
  });
});

describe('tokens', () => {
  it('a token says its session and role, under the secret it was made with only', async () => {
    const token = await liveToken(SECRET, 'sess-1', { kind: 'reviewer', reviewer: 'ana' });
    expect(await verifyLiveToken(SECRET, token)).toEqual({
      sessionId: 'sess-1',
      role: { kind: 'reviewer', reviewer: 'ana' },
    });
    expect(await verifyLiveToken(`${SECRET}x`, token)).toBeNull();
  });

  it('a token edited to name another reviewer or the lead is refused', async () => {
    const token = await liveToken(SECRET, 'sess-1', { kind: 'reviewer', reviewer: 'ana' });
    const [, mac] = token.split('.');
    for (const role of [{ kind: 'reviewer', reviewer: 'bo' }, { kind: 'lead' }]) {
      const body = Buffer.from(JSON.stringify({ v: 1, session: 'sess-1', role })).toString(
        'base64url',
      );
      expect(await verifyLiveToken(SECRET, `${body}.${mac}`)).toBeNull();
    }
  });

  it.each(['', 'x', 'a.b.c', 'not base64!.x'])('%j is no token', async (token) => {
    expect(await verifyLiveToken(SECRET, token)).toBeNull();
  });

  it.each([
    ['short', /5 characters; at least 22/],
    [SECRET, null],
  ])('secret %j', (secret, problem) => {
    const found = secretProblem(secret);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeNull();
  });
});

describe('join codes', () => {
  const code = { server: 'ws://127.0.0.1:4455', sessionId: 's1', reviewer: 'ana', token: 't.m' };

  it.each([
    (text: string) => text,
    (text: string) => `  ${text}\n`,
    (text: string) => `http://127.0.0.1:5173/#/team?join=${text}`,
    (text: string) => `http://lab-host:4173/#/team/join/${text}`,
  ])('reads back what it encodes (%#)', (wrap) => {
    expect(decodeJoinCode(wrap(encodeJoinCode(code)))).toEqual({
      ok: true,
      code: { v: 1, ...code },
    });
  });

  it.each([
    ['hello', /not a join code/],
    [encodeJoinCode(code).slice(0, 30), /damaged/],
    [encodeJoinCode({ ...code, server: 'http://x' }), /server: a ws:\/\/ or wss:\/\/ address/],
  ])('%j is refused with a reason', (text, reason) => {
    const read = decodeJoinCode(text);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem).toMatch(reason);
  });
});

describe('liveBundle (the lead reading a reviewer document)', () => {
  const session = sessionOf(['ana', 'bo', 'cy'], 12, 2);
  const mine = session.assignments.find((a) => a.reviewer === 'ana')?.samples ?? [];
  const classIds = RAFCE_SCHEME.classes.map((c) => c.id);

  it('keeps the decisions signed with the reviewer key and names each other one', async () => {
    const doc = new Y.Doc();
    const key = reviewerKeyOf(session, 'ana') as string;
    const boKey = reviewerKeyOf(session, 'bo') as string;
    const good = await signDecision(
      decision('ana', mine[0] as number, 'accept', { id: 'g1' }),
      key,
    );
    const edited = await signDecision(
      decision('ana', mine[1] as number, 'accept', { id: 'e1' }),
      key,
    );
    edited.decision = { ...edited.decision, kind: 'discard' };
    const wrongKey = await signDecision(
      decision('ana', mine[2] as number, 'accept', { id: 'w1' }),
      boKey,
    );
    addDecisions(doc, [good, edited, wrongKey]);
    // Sent twice: one entry.
    expect(addDecisions(doc, [good])).toBe(0);
    const read = await liveBundle(doc, { session, reviewer: 'ana', classIds });
    expect(read.bundle?.decisions.map((d) => d.id)).toEqual(['g1']);
    expect(read.problems).toHaveLength(2);
    expect(read.problems.join('\n')).toMatch(/e1.*signature does not match ana's key/);
    expect(read.problems.join('\n')).toMatch(/w1.*signature does not match ana's key/);
  });

  it('refuses a correctly signed decision on a sample not assigned', async () => {
    const doc = new Y.Doc();
    const other = [...Array(12).keys()].find((s) => !mine.includes(s)) as number;
    const key = reviewerKeyOf(session, 'ana') as string;
    addDecisions(doc, [await signDecision(decision('ana', other, 'accept', { id: 'x1' }), key)]);
    const read = await liveBundle(doc, { session, reviewer: 'ana', classIds });
    expect(read.bundle).toBeNull();
    expect(read.problems.join('\n')).toMatch(/x1/);
  });

  it('a reader remembers authentic decisions by id and MAC, and checks a changed MAC again', async () => {
    const key = reviewerKeyOf(session, 'ana') as string;
    const good = await signDecision(
      decision('ana', mine[0] as number, 'accept', { id: 'g1' }),
      key,
    );
    const reader = new LiveBundleReader();
    const doc = new Y.Doc();
    addDecisions(doc, [good]);
    const first = await reader.read(doc, { session, reviewer: 'ana', classIds });
    const again = await reader.read(doc, { session, reviewer: 'ana', classIds });
    expect(again).toEqual(first);
    expect(again.bundle?.decisions).toHaveLength(1);
    // The same id with another decision and MAC (a document from elsewhere): checked, refused.
    const forged = new Y.Doc();
    addDecisions(forged, [
      {
        decision: { ...good.decision, kind: 'discard' },
        mac: good.mac.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
      },
    ]);
    const read = await reader.read(forged, { session, reviewer: 'ana', classIds });
    expect(read.bundle).toBeNull();
    expect(read.problems.join('\n')).toMatch(/g1.*signature does not match/);
  });
});

describe('liveUpdateProblem (what the server lets into a reviewer document)', () => {
  const session = sessionOf(['ana', 'bo', 'cy'], 12, 2);
  const mine = session.assignments.find((a) => a.reviewer === 'ana')?.samples ?? [];
  const key = reviewerKeyOf(session, 'ana') as string;
  const ana = { kind: 'reviewer', reviewer: 'ana' } as const;

  /** The update a client sends: what its document holds that the server's lacks. */
  const updateOf = (client: Y.Doc, server: Y.Doc) =>
    Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));

  it('takes a decision the document already holds from a client that had not synced, and refuses another under its id', async () => {
    const server = new Y.Doc();
    const held = await signDecision(
      decision('ana', mine[0] as number, 'accept', { id: 'd1' }),
      key,
    );
    addDecisions(server, [held]);
    const assigned = new Set(mine);
    const same = new Y.Doc();
    addDecisions(same, [held]);
    expect(liveUpdateProblem(server, updateOf(same, server), ana, 'ana', assigned)).toBeNull();
    const other = new Y.Doc();
    const changed = await signDecision({ ...held.decision, kind: 'discard' }, key);
    other.getMap('decisions').set('d1', changed);
    expect(liveUpdateProblem(server, updateOf(other, server), ana, 'ana', assigned)).toMatch(
      /d1 is already held with other content/,
    );
  });

  it('lets the lead write the assignment once, of the document reviewer only', () => {
    const server = new Y.Doc();
    const lead = new Y.Doc();
    writeAssignment(lead, JSON.stringify({ not: 'an assignment' }));
    expect(
      liveUpdateProblem(server, updateOf(lead, server), { kind: 'lead' }, 'ana', null),
    ).toMatch(/the assignment is not valid/);
  });

  it('refuses bytes that are no update', () => {
    expect(
      liveUpdateProblem(new Y.Doc(), new Uint8Array([1, 2, 3, 250]), ana, 'ana', new Set()),
    ).toMatch(/cannot be decoded/);
  });
});

describe('liveDecisionsOf with entries read before', () => {
  it('parses each entry once, and again only if its value is another object', async () => {
    const session = sessionOf(['ana'], 4, 1);
    const key = reviewerKeyOf(session, 'ana') as string;
    const doc = new Y.Doc();
    addDecisions(doc, [await signDecision(decision('ana', 0, 'accept', { id: 'a' }), key)]);
    const before = new Map<string, { value: unknown; parsed: never }>() as Parameters<
      typeof liveDecisionsOf
    >[1];
    const first = liveDecisionsOf(doc, before);
    expect(before?.size).toBe(1);
    addDecisions(doc, [await signDecision(decision('ana', 1, 'accept', { id: 'b' }), key)]);
    const second = liveDecisionsOf(doc, before);
    expect(second.decisions.map((d) => d.decision.id)).toEqual(['a', 'b']);
    expect(second.decisions[0]).toBe(first.decisions[0]);
    // The same id holding another value (a document from elsewhere) is parsed afresh.
    const other = new Y.Doc();
    other.getMap('decisions').set('a', { decision: { id: 'a' }, mac: 'x' });
    expect(liveDecisionsOf(other, before).problems).toEqual(['entry "a" is not a signed decision']);
  });
});
