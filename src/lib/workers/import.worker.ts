/// <reference lib="webworker" />
import '../zod-setup';
import { importLabelStreams, type ImportResult } from '../formats/import';
import { saveImportedDataset } from '../store/datasets';
import { classifyInputName, expandZip, imageMimeType } from '../input/input-files';
import type { ImportRequest, ImportResponse } from './import-protocol';
import { warmUpImport, warmUpVideoImport } from './import-warm-up';
import { blobSource, sliceStream } from './slice-stream';

/**
 * Parses label files and writes the dataset to IndexedDB off the main thread. The
 * sample table never crosses to the page: the page gets the parse report, and
 * later opens the stored dataset page by page.
 */

let lastParse: { id: number; result: ImportResult } | null = null;
/** Saves and parses in progress, by request id, so that a cancel can stop them. */
const running = new Map<number, AbortController>();

/** Progress messages at most this often: each one costs the page a render. */
const PROGRESS_INTERVAL_MS = 100;

function post(response: ImportResponse): void {
  (self as unknown as Worker).postMessage(response);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function save(request: Extract<ImportRequest, { type: 'save' }>): Promise<void> {
  const parsed = lastParse?.id === request.parseId ? lastParse.result : null;
  if (!parsed) {
    post({
      type: 'failed',
      id: request.id,
      error: 'The files changed; read them again.',
      cancelled: false,
    });
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  // Only images that a label names are kept (the others are listed in the report), under
  // the key they were matched by: frames of two videos may share a base name.
  const keyOfImage = parsed.imageMatch?.keyOfImage ?? [];
  const images = request.images.flatMap((image, index) => {
    const key = keyOfImage[index];
    return key ? [{ ...image, key }] : [];
  });
  const linkedKeys = keyOfImage.slice(request.images.length).map((key) => key ?? '');
  const rowsTotal = parsed.table.count;
  try {
    const meta = await saveImportedDataset(
      {
        meta: {
          name: request.name,
          format: parsed.format,
          scheme: parsed.scheme,
          splitNames: parsed.splitNames,
          sourceFiles: parsed.sourceFiles,
          report: parsed.report,
          sampleCount: rowsTotal,
          isDemo: false,
          csv: parsed.csv,
        },
        table: parsed.table,
        images,
      },
      {
        signal: controller.signal,
        onProgress: (done, total) =>
          post({
            type: 'progress',
            id: request.id,
            rowsDone: Math.round((rowsTotal * done) / Math.max(total, 1)),
            rowsTotal,
          }),
      },
    );
    post({ type: 'saved', id: request.id, meta, linkedKeys });
  } catch (error) {
    post({
      type: 'failed',
      id: request.id,
      error: message(error),
      cancelled: controller.signal.aborted,
    });
  } finally {
    running.delete(request.id);
  }
}

async function parse(request: Extract<ImportRequest, { type: 'parse' }>): Promise<void> {
  const controller = new AbortController();
  running.set(request.id, controller);
  let lastProgress = 0;
  try {
    const result = await importLabelStreams(
      request.files.map(({ name, blob }) => ({
        name,
        size: blob.size,
        stream: () => sliceStream(blob),
      })),
      request.options,
      {
        signal: controller.signal,
        onProgress: (progress) => {
          const now = performance.now();
          if (now - lastProgress < PROGRESS_INTERVAL_MS && progress.bytesRead < progress.bytesTotal)
            return;
          lastProgress = now;
          post({ type: 'reading', id: request.id, ...progress });
        },
        onRowsChecked: (rowsDone, rowsTotal) => {
          const now = performance.now();
          if (now - lastProgress < PROGRESS_INTERVAL_MS && rowsDone < rowsTotal) return;
          lastProgress = now;
          post({ type: 'checking', id: request.id, rowsDone, rowsTotal });
        },
      },
    );
    if (!result) {
      post({ type: 'parse-cancelled', id: request.id });
      return;
    }
    lastParse = { id: request.id, result };
    const { format, detection, scheme, splitNames, sourceFiles, report, csv } = result;
    post({
      type: 'parsed',
      id: request.id,
      summary: {
        format,
        detection,
        scheme,
        splitNames,
        sourceFiles,
        report,
        csv,
        count: result.table.count,
      },
    });
  } catch (error) {
    post({ type: 'failed', id: request.id, error: message(error), cancelled: false });
  } finally {
    running.delete(request.id);
  }
}

/** Unzips off the main thread: a zip of many images takes seconds to inflate. */
async function expand(request: Extract<ImportRequest, { type: 'expand' }>): Promise<void> {
  try {
    // Read a range at a time and unpacked within limits (see expandZip): each entry
    // becomes a Blob as soon as it is unpacked, so that its bytes can go.
    const expanded = await expandZip(request.name, blobSource(request.archive), {
      toFile: ({ name, parts }) => ({
        name,
        blob: new Blob(parts as Uint8Array<ArrayBuffer>[], {
          type: classifyInputName(name) === 'image' ? imageMimeType(name) : '',
        }),
      }),
    });
    if ('error' in expanded) {
      post({ type: 'not-an-archive', id: request.id, error: expanded.error });
      return;
    }
    post({ type: 'expanded', id: request.id, files: expanded.files, refused: expanded.refused });
  } catch (error) {
    post({ type: 'failed', id: request.id, error: message(error), cancelled: false });
  }
}

// Before any request is read: requests that arrive meanwhile wait in the queue.
setTimeout(() => {
  warmUpImport();
  warmUpVideoImport();
}, 0);

self.onmessage = (event: MessageEvent<ImportRequest>) => {
  const request = event.data;
  if (request.type === 'expand') {
    void expand(request);
  } else if (request.type === 'cancel') {
    running.get(request.id)?.abort(new DOMException('The import was cancelled.', 'AbortError'));
  } else if (request.type === 'save') {
    void save(request);
  } else {
    void parse(request);
  }
};
