import type { ImportOptions } from '../labels/import';
import type { InputFile } from '../labels/types';
import type { DatasetMeta } from '../store/records';
import type { ImageToSave, ImportRequest, ImportResponse, ParseSummary } from './import-protocol';

export type { ImageToSave, ParseSummary };

export interface SaveProgress {
  rowsDone: number;
  rowsTotal: number;
}

/**
 * The page's side of the import worker: parse files, then save the parsed dataset
 * with progress, or cancel. One worker per import session.
 */
export class ImportWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    {
      resolve: (response: ImportResponse) => void;
      onProgress?: (progress: SaveProgress) => void;
    }
  >();

  async parse(
    files: InputFile[],
    options: ImportOptions,
  ): Promise<{ parseId: number; summary: ParseSummary }> {
    const id = this.nextId++;
    const response = await this.ask({ type: 'parse', id, files, options });
    if (response.type === 'parsed') return { parseId: id, summary: response.summary };
    throw new Error(
      response.type === 'failed'
        ? `Reading the files failed: ${response.error}`
        : 'unexpected answer',
    );
  }

  /** Resolves with the stored dataset, or with null when cancelled; nothing is stored then. */
  async save(
    parseId: number,
    name: string,
    images: ImageToSave[],
    onProgress: (progress: SaveProgress) => void,
  ): Promise<DatasetMeta | null> {
    const id = this.nextId++;
    this.savingId = id;
    const response = await this.ask({ type: 'save', id, parseId, name, images }, onProgress);
    this.savingId = null;
    if (response.type === 'saved') return response.meta;
    if (response.type === 'failed' && response.cancelled) return null;
    throw new Error(response.type === 'failed' ? response.error : 'unexpected answer');
  }

  cancel(): void {
    if (this.savingId !== null) this.worker?.postMessage({ type: 'cancel', id: this.savingId });
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const [id, waiter] of this.waiting) {
      waiter.resolve({ type: 'failed', id, error: 'The import was stopped.', cancelled: true });
    }
    this.waiting.clear();
  }

  private savingId: number | null = null;

  private ask(
    request: ImportRequest,
    onProgress?: (progress: SaveProgress) => void,
  ): Promise<ImportResponse> {
    const worker = this.start();
    return new Promise((resolve) => {
      this.waiting.set(request.id, { resolve, onProgress });
      worker.postMessage(request);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<ImportResponse>) => {
      const response = event.data;
      const waiter = this.waiting.get(response.id);
      if (!waiter) return;
      if (response.type === 'progress') {
        waiter.onProgress?.({ rowsDone: response.rowsDone, rowsTotal: response.rowsTotal });
        return;
      }
      this.waiting.delete(response.id);
      waiter.resolve(response);
    };
    worker.onerror = (event) => {
      for (const [id, waiter] of this.waiting) {
        waiter.resolve({ type: 'failed', id, error: event.message, cancelled: false });
      }
      this.waiting.clear();
      worker.terminate();
      this.worker = null;
    };
    this.worker = worker;
    return worker;
  }
}
