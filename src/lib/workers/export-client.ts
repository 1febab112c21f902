import type { ExportRequest, ExportResponse } from './export-protocol';

/** Builds the export zip in a Web Worker; one worker per export, ended when it answers. */
export function buildExportZipInWorker(request: Omit<ExportRequest, 'id'>): Promise<Uint8Array> {
  const worker = new Worker(new URL('./export.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<Uint8Array>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<ExportResponse>) => {
      const response = event.data;
      worker.terminate();
      if (response.ok) resolve(response.zip);
      else reject(new Error(`The export failed: ${response.error}`));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`The export worker failed: ${event.message}`));
    };
    worker.postMessage({ ...request, id: 1 });
  });
}
