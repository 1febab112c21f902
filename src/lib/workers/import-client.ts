import type { ImportOptions } from '../formats/import';
import type { DatasetMeta } from '../store/records';
import type {
  ArchiveFile,
  ImageToSave,
  ImportRequest,
  ImportResponse,
  LabelFileToRead,
  ParseSummary,
} from './import-protocol';

export type { ArchiveFile, ImageToSave, LabelFileToRead, ParseSummary };

export interface SaveProgress {
  rowsDone: number;
  rowsTotal: number;
}

/** A parse's progress: the files read (bytes, rows), then the rows of a CSV checked. */
export type ParseProgress =
  | {
      stage: 'reading';
      bytesRead: number;
      bytesTotal: number;
      rowsRead: number;
      filesDone: number;
      filesTotal: number;
    }
  | { stage: 'checking'; rowsDone: number; rowsTotal: number };

type ProgressResponse = Extract<ImportResponse, { type: 'progress' | 'reading' | 'checking' }>;

/**
 * The page's side of the import worker: parse files (streamed in the worker), then
 * save the parsed dataset, both with progress and a cancel. One worker per import
 * session.
 */
export class ImportWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  /** The parse or save in progress, which cancel() stops. */
  private running: { id: number; type: ImportRequest['type'] } | null = null;
  private readonly waiting = new Map<
    number,
    {
      resolve: (response: ImportResponse) => void;
      onProgress?: (progress: ProgressResponse) => void;
    }
  >();

  /**
   * Starts the worker ahead of the first request: loading its code takes a good part
   * of a small import, and the import screen is open well before files are dropped.
   */
  warmUp(): void {
    if (typeof Worker !== 'undefined') this.start();
  }

  /**
   * The files of a zip archive, unzipped in the worker, and the entries refused with
   * their reasons; a damaged archive, or one over the limits, gives { error }.
   */
  async expand(
    name: string,
    archive: Blob,
  ): Promise<{ files: ArchiveFile[]; refused: string[] } | { error: string }> {
    const id = this.nextId++;
    const response = await this.ask({ type: 'expand', id, name, archive });
    if (response.type === 'expanded') return { files: response.files, refused: response.refused };
    if (response.type === 'not-an-archive') return { error: response.error };
    throw new Error(response.type === 'failed' ? response.error : 'unexpected answer');
  }

  /** Resolves with the parse, or with null when cancelled. */
  async parse(
    files: LabelFileToRead[],
    options: ImportOptions,
    onProgress?: (progress: ParseProgress) => void,
  ): Promise<{ parseId: number; summary: ParseSummary } | null> {
    const id = this.nextId++;
    const response = await this.ask({ type: 'parse', id, files, options }, (progress) => {
      if (progress.type === 'reading') {
        const { bytesRead, bytesTotal, rowsRead, filesDone, filesTotal } = progress;
        onProgress?.({ stage: 'reading', bytesRead, bytesTotal, rowsRead, filesDone, filesTotal });
      } else if (progress.type === 'checking') {
        const { rowsDone, rowsTotal } = progress;
        onProgress?.({ stage: 'checking', rowsDone, rowsTotal });
      }
    });
    if (response.type === 'parsed') return { parseId: id, summary: response.summary };
    if (response.type === 'parse-cancelled') return null;
    throw new Error(
      response.type === 'failed'
        ? `Reading the files failed: ${response.error}`
        : 'unexpected answer',
    );
  }

  /**
   * Resolves with the stored dataset and the keys of the linked images (see the 'saved'
   * answer), or with null when cancelled; nothing is stored then.
   */
  async save(
    parseId: number,
    name: string,
    images: ImageToSave[],
    onProgress: (progress: SaveProgress) => void,
  ): Promise<{ meta: DatasetMeta; linkedKeys: string[] } | null> {
    const id = this.nextId++;
    const response = await this.ask({ type: 'save', id, parseId, name, images }, (progress) => {
      if (progress.type === 'progress') onProgress(progress);
    });
    if (response.type === 'saved') return { meta: response.meta, linkedKeys: response.linkedKeys };
    if (response.type === 'failed' && response.cancelled) return null;
    throw new Error(response.type === 'failed' ? response.error : 'unexpected answer');
  }

  cancel(): void {
    const running = this.running;
    if (running === null) return;
    if (running.type === 'parse') {
      // A parse may be inside a long synchronous step (checking a CSV's rows) that a
      // message would only reach at its end: stop the worker instead. Nothing of a
      // parse is stored, so nothing can be left half done; the next request starts
      // a new worker.
      const waiter = this.waiting.get(running.id);
      this.waiting.delete(running.id);
      this.worker?.terminate();
      this.worker = null;
      waiter?.resolve({ type: 'parse-cancelled', id: running.id });
      return;
    }
    // A save stops between its writes, and its transaction is aborted: ask the worker.
    this.worker?.postMessage({ type: 'cancel', id: running.id });
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const [id, waiter] of this.waiting) {
      waiter.resolve({ type: 'failed', id, error: 'The import was stopped.', cancelled: true });
    }
    this.waiting.clear();
  }

  private async ask(
    request: ImportRequest,
    onProgress?: (progress: ProgressResponse) => void,
  ): Promise<ImportResponse> {
    const worker = this.start();
    this.running = { id: request.id, type: request.type };
    try {
      return await new Promise((resolve) => {
        this.waiting.set(request.id, { resolve, onProgress });
        worker.postMessage(request);
      });
    } finally {
      if (this.running?.id === request.id) this.running = null;
    }
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<ImportResponse>) => {
      const response = event.data;
      const waiter = this.waiting.get(response.id);
      if (!waiter) return;
      if (
        response.type === 'progress' ||
        response.type === 'reading' ||
        response.type === 'checking'
      ) {
        waiter.onProgress?.(response);
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
