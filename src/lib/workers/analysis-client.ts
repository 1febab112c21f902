import type { AnalysisRequest, AnalysisResponse } from './analysis-protocol';

type CheckAnswer = Extract<AnalysisResponse, { phase: 'check' }>;
type FinalAnswer = Exclude<AnalysisResponse, { phase: 'check' }>;

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<
  number,
  { onCheck: (answer: CheckAnswer) => void; resolve: (answer: FinalAnswer) => void }
>();

/**
 * Runs the check, the overview and the label evidence in a worker. `onCheck` hears the
 * check as soon as it is done; the promise settles with the evidence (or an error).
 * Answers come back in the order asked.
 */
export function analyseInWorker(
  request: Omit<AnalysisRequest, 'id'>,
  onCheck: (answer: CheckAnswer) => void,
): Promise<FinalAnswer> {
  if (!worker) {
    worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<AnalysisResponse>) => {
      const answer = event.data;
      const entry = waiting.get(answer.id);
      if (!entry) return;
      if (answer.ok && answer.phase === 'check') {
        entry.onCheck(answer);
        return;
      }
      entry.resolve(answer);
      waiting.delete(answer.id);
    };
    worker.onerror = (event) => {
      for (const [id, entry] of waiting) entry.resolve({ id, ok: false, error: event.message });
      waiting.clear();
      worker?.terminate();
      worker = null;
    };
  }
  const id = nextId++;
  const running = worker;
  return new Promise((resolve) => {
    waiting.set(id, { onCheck, resolve });
    running.postMessage({ ...request, id });
  });
}
