import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { seededRandom } from '../src/lib/random/seeded-random';
import { parseAssignment } from '../src/lib/team/assignment';
import type { Decision } from '../src/lib/review/decision';
import {
  addDecisions,
  assignmentTextOf,
  decodeJoinCode,
  liveDocName,
  signDecision,
} from '../src/lib/team-live';
import { LiveLink } from '../src/lib/state/live-sync';

/**
 * The reviewers of the live-review load bench (issue 20): one Node process holding a
 * client per join code, each deciding at typing speed (a decision every 150-400 ms,
 * seeded) on its own assignment through the app's own sync client, for a fixed time.
 * Writes each decision's id and the time it was made (epoch ms) to --out.
 *
 * node --import tsx bench/team-load.ts --codes codes.json --seconds 30 --out made.json
 */

const { values } = parseArgs({
  options: {
    codes: { type: 'string' },
    seconds: { type: 'string', default: '30' },
    out: { type: 'string' },
  },
});
const codes = JSON.parse(readFileSync(values.codes as string, 'utf8')) as Record<string, string>;
const seconds = Number(values.seconds);
const made: { id: string; reviewer: string; at: number }[] = [];
const links: LiveLink[] = [];

async function reviewer(name: string, text: string, index: number): Promise<void> {
  const read = decodeJoinCode(text);
  if (!read.ok) throw new Error(`${name}: ${read.problem}`);
  const { code } = read;
  const link = new LiveLink(code.server, { WebSocketPolyfill: WebSocket });
  links.push(link);
  const handle = link.open(liveDocName(code.sessionId, name), code.token, {
    onRefused: (reason) => console.error(`${name} refused: ${reason}`),
  });
  const deadline = Date.now() + 60_000;
  let assignmentText = assignmentTextOf(handle.doc);
  while (assignmentText === null) {
    if (Date.now() > deadline) throw new Error(`${name}: no assignment arrived`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assignmentText = assignmentTextOf(handle.doc);
  }
  const parsed = parseAssignment(assignmentText, name);
  if (!parsed.ok) throw new Error(`${name}: ${parsed.problems.join('; ')}`);
  const { assignment } = parsed;
  const key = assignment.key as string;
  const random = seededRandom(1000 + index);
  const end = Date.now() + seconds * 1000;
  for (let k = 0; Date.now() < end; k++) {
    await new Promise((resolve) => setTimeout(resolve, 150 + random() * 250));
    const sample = assignment.samples[k % assignment.samples.length];
    if (!sample) break;
    const at = Date.now();
    const decision: Decision = {
      version: 1,
      id: crypto.randomUUID(),
      datasetId: assignment.datasetId,
      sample: sample.index,
      sampleName: sample.name,
      kind: random() < 0.85 ? 'accept' : 'discard',
      reviewer: name,
      at,
      reviewSetId: assignment.sessionId,
    };
    addDecisions(handle.doc, [await signDecision(decision, key)]);
    made.push({ id: decision.id, reviewer: name, at });
  }
  // Until the server has everything.
  while (handle.unsynced() > 0) await new Promise((resolve) => setTimeout(resolve, 50));
}

try {
  await Promise.all(Object.entries(codes).map(([name, text], i) => reviewer(name, text, i)));
  writeFileSync(values.out as string, JSON.stringify({ made }));
} finally {
  for (const link of links) link.close();
}
process.exit(0);
