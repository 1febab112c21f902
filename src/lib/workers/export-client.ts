import type { ExportRequest, ExportResponse } from './export-protocol';

/**
 * Builds the export zip in a Web Worker; one worker per export, ended when it answers.
 * The evidence flags go as a transferred copy: the caller keeps its own array.
 */
export function buildExportZipInWorker(request: Omit<ExportRequest, 'id'>): Promise<Uint8Array> {
  const flagged = request.flagged ? request.flagged.slice() : null;
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
    const message: ExportRequest = { ...request, flagged, id: 1 };
    worker.postMessage(message, flagged ? [flagged.buffer] : []);
  });
}
