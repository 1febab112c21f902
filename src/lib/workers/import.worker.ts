/// <reference lib="webworker" />
import { importLabelFiles } from '../labels/import';
import type { ImportRequest, ImportResponse } from './import-protocol';

/**
 * Parses label files off the main thread. The sample table's typed arrays are
 * transferred back, not copied.
 */
self.onmessage = (event: MessageEvent<ImportRequest>) => {
  const { id, files, options } = event.data;
  try {
    const result = importLabelFiles(files, options);
    const { table } = result;
    const response: ImportResponse = { id, ok: true, result };
    const transfer = [
      table.classIds.buffer,
      table.splits.buffer,
      table.auStatus.buffer,
      table.auMask.buffer,
      table.flags.buffer,
    ] as ArrayBuffer[];
    (self as unknown as Worker).postMessage(response, transfer);
  } catch (error) {
    const response: ImportResponse = {
      id,
      ok: false,
      error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error),
    };
    (self as unknown as Worker).postMessage(response);
  }
};
