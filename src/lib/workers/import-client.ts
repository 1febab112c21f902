import type { ImportOptions, ImportResult } from '../labels/import';
import type { InputFile } from '../labels/types';
import type { ImportRequest, ImportResponse } from './import-protocol';

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<
  number,
  { resolve: (r: ImportResult) => void; reject: (e: Error) => void }
>();

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<ImportResponse>) => {
      const response = event.data;
      const waiter = pending.get(response.id);
      if (!waiter) return;
      pending.delete(response.id);
      if (response.ok) waiter.resolve(response.result);
      else waiter.reject(new Error(`The import worker failed: ${response.error}`));
    };
    worker.onerror = (event) => {
      for (const waiter of pending.values()) waiter.reject(new Error(event.message));
      pending.clear();
      worker?.terminate();
      worker = undefined;
    };
  }
  return worker;
}

/** Parses label files in a Web Worker so that a large file never blocks the page. */
export function parseLabelFilesInWorker(
  files: InputFile[],
  options: ImportOptions,
): Promise<ImportResult> {
  const id = nextId++;
  const request: ImportRequest = { id, files, options };
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    // Copies, not transfers: the caller may parse the same files again with other options.
    getWorker().postMessage(request);
  });
}
