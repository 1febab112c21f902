import { Server } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import {
  assignedSamples,
  liveUpdateProblem,
  parseLiveDocName,
  secretProblem,
  verifyLiveToken,
  type LiveWriter,
} from '../lib/team-live';
import { DocFiles } from './doc-files';

/**
 * The lab's sync server for live team review: a Hocuspocus server (a standard Yjs
 * server) with three additions. Every connection proves its role with a token made
 * from the shared secret (the lead's opens every document of its session, a
 * reviewer's only their own); every update is checked before it is applied (see
 * liveUpdateProblem: only additions, the lead's to the assignment, a reviewer's to
 * their decisions on their own samples), and a connection that sends anything else is
 * closed; every applied update is on disk before the next message is read.
 */

export interface TeamServerOptions {
  port: number;
  /** 127.0.0.1 unless the lab's reviewers connect from other machines. */
  host: string;
  secret: string;
  /** Folder of the documents' files. */
  dataDir: string;
  /** Told of each refused connection or update (the server's log). */
  log?: (line: string) => void;
}

export interface TeamServer {
  port: number;
  /** Refused updates and connections so far (for tests and the log). */
  refusals: () => number;
  close(): Promise<void>;
}

interface Context {
  writer: LiveWriter;
  reviewer: string;
}

/** Yjs sync message types (y-protocols) and Hocuspocus's message types they travel in. */
const MESSAGE_SYNC = 0;
const MESSAGE_SYNC_REPLY = 4;
const MESSAGE_STATELESS = 5;
const MESSAGE_BROADCAST_STATELESS = 6;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/** Close code of a connection that sent what it may not. */
export const REFUSED_CODE = 4403;

export async function startTeamServer(options: TeamServerOptions): Promise<TeamServer> {
  const problem = secretProblem(options.secret);
  if (problem) throw new Error(problem);
  const files = new DocFiles(options.dataDir);
  const log = options.log ?? (() => {});
  const assigned = new WeakMap<Y.Doc, Set<number> | null>();
  let refusals = 0;
  const refuse = (message: string): never => {
    refusals++;
    log(`refused: ${message}`);
    throw Object.assign(new Error(message), {
      code: REFUSED_CODE,
      reason: message.slice(0, 120),
    });
  };

  const server = new Server({
    port: options.port,
    address: options.host,
    quiet: true,
    stopOnSignals: false,
    // Snapshots now and then; every update is in the log meanwhile.
    debounce: 2000,
    maxDebounce: 10000,
    async onAuthenticate({ token, documentName }): Promise<Context> {
      const doc = parseLiveDocName(documentName);
      if (!doc) return refuse(`no such document: ${JSON.stringify(documentName.slice(0, 80))}`);
      const who = await verifyLiveToken(options.secret, token);
      if (!who) return refuse(`a token not made with this server's secret, for ${documentName}`);
      if (who.sessionId !== doc.sessionId)
        return refuse(`a token of session ${who.sessionId} for ${documentName}`);
      if (who.role.kind === 'reviewer' && who.role.reviewer !== doc.reviewer)
        return refuse(`${who.role.reviewer}'s token for ${doc.reviewer}'s document`);
      const writer: LiveWriter =
        who.role.kind === 'lead'
          ? { kind: 'lead' }
          : { kind: 'reviewer', reviewer: who.role.reviewer };
      return { writer, reviewer: doc.reviewer };
    },
    async onLoadDocument({ documentName, document }) {
      for (const update of files.load(documentName)) Y.applyUpdate(document, update);
    },
    async beforeHandleMessage({ update, document, context }) {
      const { writer, reviewer } = context as Context;
      const decoder = decoding.createDecoder(update);
      decoding.readVarString(decoder);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_STATELESS || type === MESSAGE_BROADCAST_STATELESS)
        refuse('stateless messages are not used');
      if (type !== MESSAGE_SYNC && type !== MESSAGE_SYNC_REPLY) return;
      const step = decoding.readVarUint(decoder);
      if (step !== SYNC_STEP_2 && step !== SYNC_UPDATE) return;
      const payload = decoding.readVarUint8Array(decoder);
      let samples = assigned.get(document);
      if (samples === undefined || samples === null) {
        samples = assignedSamples(document);
        assigned.set(document, samples);
      }
      const problem = liveUpdateProblem(document, payload, writer, reviewer, samples);
      if (problem) refuse(`${describe(writer)} on ${reviewer}'s document: ${problem}`);
    },
    async onChange({ documentName, update, document }) {
      files.append(documentName, update);
      // The assignment arrives once; the samples are read again after it.
      if (assigned.get(document) === null) assigned.delete(document);
    },
    async onStoreDocument({ documentName, document }) {
      files.snapshot(documentName, Y.encodeStateAsUpdate(document));
    },
  });
  await server.listen();
  return {
    port: server.address.port,
    refusals: () => refusals,
    close: () => server.destroy(),
  };
}

function describe(writer: LiveWriter): string {
  return writer.kind === 'lead' ? 'the lead' : writer.reviewer;
}
