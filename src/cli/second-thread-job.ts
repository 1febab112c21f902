import { parentPort } from 'node:worker_threads';
import { deflateEntry } from '../lib/export/zip';
import { fitAuModelOutOfFold } from '../lib/label-evidence/au-model';
import type { SecondThreadJob, SecondThreadReply } from './second-thread';

/** The second thread's side: one job per message, answered with its result. */
const port = parentPort;
if (!port) throw new Error('second-thread-job runs in a worker thread');

function answer(job: SecondThreadJob): { reply: SecondThreadReply; transfer: ArrayBuffer[] } {
  if (job.kind === 'fit') {
    const result = fitAuModelOutOfFold(job.columns, job.classIds, job.options, job.labels);
    const { opinions, foldOf } = result;
    return {
      reply: { ok: true, kind: 'fit', result },
      transfer: [opinions.rowOf.buffer, opinions.probs.buffer, foldOf.buffer] as ArrayBuffer[],
    };
  }
  const result = deflateEntry(job.entry);
  return {
    reply: { ok: true, kind: 'deflate', result },
    transfer: [result.data.buffer as ArrayBuffer],
  };
}

port.on('message', (job: SecondThreadJob) => {
  try {
    const { reply, transfer } = answer(job);
    port.postMessage(reply, transfer);
  } catch (error) {
    port.postMessage({
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    } satisfies SecondThreadReply);
  }
});
