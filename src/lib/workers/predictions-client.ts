import type { PredictionRunMeta } from '../predictions/run';
import type {
  DumpFiles,
  FiguresRequest,
  LoaderCheckAnswer,
  ModelFigures,
  PredictionsRequest,
  PredictionsResponse,
  RunFiles,
  RunPreview,
} from './predictions-protocol';

export type { DumpFiles, FiguresRequest, LoaderCheckAnswer, ModelFigures, RunFiles, RunPreview };

export type PredictionsStage = Extract<PredictionsResponse, { type: 'progress' }>['stage'];

/** What the Models screen asks of the predictions worker (a fake one in tests). */
export interface PredictionsService {
  /** Reads a run's files against the dataset; null when cancelled. Nothing is stored. */
  readRun(
    datasetId: string,
    request: Omit<Extract<PredictionsRequest, { type: 'read-run' }>, 'type' | 'id' | 'datasetId'>,
    onStage?: (stage: PredictionsStage) => void,
  ): Promise<{ readId: number; preview: RunPreview } | null>;
  /** Stores the run a readRun read. */
  storeRun(readId: number): Promise<PredictionRunMeta>;
  /** Drops a removed run from the worker's memory. */
  forgetRun(runId: string): Promise<void>;
  figures(request: FiguresRequest): Promise<ModelFigures>;
  /** Reads, checks and stores a loader dump; null when cancelled. */
  checkLoader(
    datasetId: string,
    files: DumpFiles,
    onStage?: (stage: PredictionsStage) => void,
  ): Promise<LoaderCheckAnswer | null>;
  /** Stops what is running; its promise resolves with null (reads) or rejects. */
  cancel(): void;
}

const CANCELLED = 'cancelled';

/**
 * The page's side of the predictions worker: one worker, started on first use and
 * kept (it holds the dataset's table and runs between questions). A cancel ends the
 * worker: reading a file is one long synchronous step that a message would reach only
 * at its end, and nothing of a read is stored, so nothing is left half done.
 */
export class PredictionsWorker implements PredictionsService {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    {
      resolve: (response: PredictionsResponse) => void;
      onStage?: (stage: PredictionsStage) => void;
    }
  >();

  async readRun(
    datasetId: string,
    request: Omit<Extract<PredictionsRequest, { type: 'read-run' }>, 'type' | 'id' | 'datasetId'>,
    onStage?: (stage: PredictionsStage) => void,
  ): Promise<{ readId: number; preview: RunPreview } | null> {
    const id = this.nextId++;
    const response = await this.ask({ ...request, type: 'read-run', id, datasetId }, onStage);
    if (response.type === 'run-read') return { readId: id, preview: response.preview };
    if (response.type === 'failed' && response.error === CANCELLED) return null;
    throw unexpected('Reading the predictions failed', response);
  }

  async storeRun(readId: number): Promise<PredictionRunMeta> {
    const response = await this.ask({ type: 'store-run', id: this.nextId++, readId });
    if (response.type === 'run-stored') return response.meta;
    throw unexpected('Storing the run failed', response);
  }

  async forgetRun(runId: string): Promise<void> {
    if (!this.worker) return;
    await this.ask({ type: 'forget-run', id: this.nextId++, runId });
  }

  async figures(request: FiguresRequest): Promise<ModelFigures> {
    const response = await this.ask({ ...request, type: 'figures', id: this.nextId++ });
    if (response.type === 'figures') return response.figures;
    throw unexpected('Scoring the runs failed', response);
  }

  async checkLoader(
    datasetId: string,
    files: DumpFiles,
    onStage?: (stage: PredictionsStage) => void,
  ): Promise<LoaderCheckAnswer | null> {
    const id = this.nextId++;
    const response = await this.ask({ type: 'check-loader', id, datasetId, files }, onStage);
    if (response.type === 'loader-checked') return response.answer;
    if (response.type === 'failed' && response.error === CANCELLED) return null;
    throw unexpected('Checking the loader dump failed', response);
  }

  cancel(): void {
    this.stop(CANCELLED);
  }

  terminate(): void {
    this.stop(CANCELLED);
  }

  private stop(error: string): void {
    this.worker?.terminate();
    this.worker = null;
    for (const [id, waiter] of this.waiting) waiter.resolve({ type: 'failed', id, error });
    this.waiting.clear();
  }

  private ask(
    request: PredictionsRequest,
    onStage?: (stage: PredictionsStage) => void,
  ): Promise<PredictionsResponse> {
    const worker = this.start();
    return new Promise((resolve) => {
      this.waiting.set(request.id, { resolve, onStage });
      worker.postMessage(request);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./predictions.worker.ts', import.meta.url), {
      type: 'module',
    });
    worker.onmessage = (event: MessageEvent<PredictionsResponse>) => {
      const response = event.data;
      const waiter = this.waiting.get(response.id);
      if (!waiter) return;
      if (response.type === 'progress') {
        waiter.onStage?.(response.stage);
        return;
      }
      this.waiting.delete(response.id);
      waiter.resolve(response);
    };
    worker.onerror = (event) => this.stop(event.message || 'the predictions worker failed');
    this.worker = worker;
    return worker;
  }
}

function unexpected(what: string, response: PredictionsResponse): Error {
  return new Error(
    response.type === 'failed' ? `${what}: ${response.error}` : `${what}: unexpected answer`,
  );
}
