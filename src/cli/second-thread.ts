import { Worker } from 'node:worker_threads';
import type { AuColumns } from '../lib/label-evidence/au-design';
import type { AuModelOptions, AuModelResult } from '../lib/label-evidence/au-model';
import type { DeflatedEntry, ZipEntry } from '../lib/export/zip';

/**
 * A second thread for the command line's two heavy, independent pieces of work: the AU
 * model's out-of-fold fits (most of the label evidence's time at a million samples; the
 * fits on the labels and on the calibration copy are independent) and the export's
 * largest file's compression. The main thread runs one while this runs the other, as a
 * machine with two cores allows; the results are the same as on one thread. Started
 * before the files are read, so that its loading overlaps the reading.
 */

export interface FitJob {
  kind: 'fit';
  columns: AuColumns;
  classIds: number[];
  labels: Int16Array;
  options: AuModelOptions;
}

export interface DeflateJob {
  kind: 'deflate';
  entry: ZipEntry;
}

export type SecondThreadJob = FitJob | DeflateJob;

export type SecondThreadReply =
  | { ok: true; kind: 'fit'; result: AuModelResult }
  | { ok: true; kind: 'deflate'; result: DeflatedEntry }
  | { ok: false; message: string };

export interface SecondThread {
  fit(job: Omit<FitJob, 'kind'>): Promise<AuModelResult>;
  /** Deflates a file as deflateEntry does; its bytes are copied, the caller keeps them. */
  deflate(entry: ZipEntry): Promise<DeflatedEntry>;
  close(): Promise<void>;
}

export function startSecondThread(): SecondThread {
  const worker = new Worker(new URL('./second-thread-entry.mjs', import.meta.url));
  // A command that ends early (bad input, --help) must not wait for the thread.
  worker.unref();
  let failure: Error | null = null;
  worker.on('error', (error) => {
    failure = error;
  });
  // One job at a time: the thread answers in order.
  const call = (job: SecondThreadJob): Promise<SecondThreadReply> =>
    new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      const onError = (error: Error) => reject(error);
      worker.once('error', onError);
      worker.once('message', (reply: SecondThreadReply) => {
        worker.off('error', onError);
        resolve(reply);
      });
      worker.postMessage(job);
    });
  const failed = (reply: SecondThreadReply) =>
    new Error(`the second thread failed: ${reply.ok ? `answered ${reply.kind}` : reply.message}`);
  return {
    async fit(job) {
      const reply = await call({ kind: 'fit', ...job });
      if (reply.ok && reply.kind === 'fit') return reply.result;
      throw failed(reply);
    },
    async deflate(entry) {
      const reply = await call({ kind: 'deflate', entry });
      if (reply.ok && reply.kind === 'deflate') return reply.result;
      throw failed(reply);
    },
    async close() {
      await worker.terminate();
    },
  };
}
