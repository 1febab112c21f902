import { parentPort } from 'node:worker_threads';
import { fitAuModelOutOfFold } from '../lib/label-evidence/au-model';
import type { FitJob, FitReply } from './fit-thread';

/** The fit thread's side: one out-of-fold fit per message, answered with its result. */
const port = parentPort;
if (!port) throw new Error('fit-thread-job runs in a worker thread');
port.on('message', (job: FitJob) => {
  let reply: FitReply;
  try {
    reply = {
      ok: true,
      result: fitAuModelOutOfFold(job.columns, job.classIds, job.options, job.labels),
    };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const { opinions, foldOf } = reply.ok ? reply.result : { opinions: null, foldOf: null };
  port.postMessage(
    reply,
    opinions && foldOf
      ? ([opinions.rowOf.buffer, opinions.probs.buffer, foldOf.buffer] as ArrayBuffer[])
      : [],
  );
});
