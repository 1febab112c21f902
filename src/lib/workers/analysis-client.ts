import type { AnalysisRequest, AnalysisResponse } from './analysis-protocol';

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, (response: AnalysisResponse) => void>();

/** Runs the check, label-issue score and overview in a worker; answers come back in order of asking. */
export function analyseInWorker(request: Omit<AnalysisRequest, 'id'>): Promise<AnalysisResponse> {
  if (!worker) {
    worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<AnalysisResponse>) => {
      waiting.get(event.data.id)?.(event.data);
      waiting.delete(event.data.id);
    };
    worker.onerror = (event) => {
      for (const [id, resolve] of waiting) resolve({ id, ok: false, error: event.message });
      waiting.clear();
      worker?.terminate();
      worker = null;
    };
  }
  const id = nextId++;
  const running = worker;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    running.postMessage({ ...request, id });
  });
}
