import { Worker } from 'node:worker_threads';
import type { AuColumns } from '../lib/label-evidence/au-design';
import type { AuModelOptions, AuModelResult } from '../lib/label-evidence/au-model';

/**
 * A second thread for the AU model's out-of-fold fits: most of the label evidence's time
 * at a million samples, and two of them (the labels and the calibration copy) are
 * independent, so the command line runs one here while the main thread runs the other,
 * as a machine with two cores allows. Started before the files are read, so that its
 * loading overlaps the reading.
 */

export interface FitJob {
  columns: AuColumns;
  classIds: number[];
  labels: Int16Array;
  options: AuModelOptions;
}

export type FitReply = { ok: true; result: AuModelResult } | { ok: false; message: string };

export interface FitThread {
  fit(job: FitJob): Promise<AuModelResult>;
  close(): Promise<void>;
}

export function startFitThread(): FitThread {
  const worker = new Worker(new URL('./fit-thread-entry.mjs', import.meta.url));
  // A command that ends early (bad input, --help) must not wait for the thread.
  worker.unref();
  let failure: Error | null = null;
  worker.on('error', (error) => {
    failure = error;
  });
  return {
    fit(job) {
      return new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        const onError = (error: Error) => reject(error);
        worker.once('error', onError);
        worker.once('message', (reply: FitReply) => {
          worker.off('error', onError);
          if (reply.ok) resolve(reply.result);
          else reject(new Error(`the fit thread failed: ${reply.message}`));
        });
        worker.postMessage(job);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
