/// <reference lib="webworker" />
import '../zod-setup';
import { buildExportFiles } from '../export/bundle';
import { assembleZip, deflateEntry, type DeflatedEntry, type ZipEntry } from '../export/zip';
import { resolveFinalLabels } from '../review/decisions';
import { loadSampleTable } from '../store/datasets';
import type { DeflateRequest, DeflateResponse } from './deflate.worker';
import type { ExportRequest, ExportResponse } from './export-protocol';

/**
 * Writes the export zip off the main thread: a million samples take seconds to
 * compress. The files are compressed on two cores: the AU matrix in a second worker as
 * soon as it is written, the rest here, at once.
 */

/** Deflates files in a second worker; null when one cannot be started (the caller does it all). */
function deflateElsewhere(files: ZipEntry[]): Promise<DeflatedEntry[]> | null {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./deflate.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return null;
  }
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<DeflateResponse>) => {
      worker.terminate();
      if (event.data.ok) resolve(event.data.deflated);
      else reject(new Error(event.data.error));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`the compression worker failed: ${event.message}`));
    };
    // Copies, not transfers: the files are still needed here to check and assemble.
    const request: DeflateRequest = { files };
    worker.postMessage(request);
  });
}

self.onmessage = async (event: MessageEvent<ExportRequest>) => {
  const { id, datasetId, decisions, flagged, ...input } = event.data;
  const post = (response: ExportResponse, transfer: Transferable[] = []) =>
    (self as unknown as Worker).postMessage(response, transfer);
  try {
    const table = await loadSampleTable(datasetId);
    const final = decisions.length > 0 ? resolveFinalLabels(table, decisions) : null;
    // The matrix, the largest file, is written first and compressed on the second core
    // while this one writes the other files and compresses them.
    let away: Promise<DeflatedEntry[]> | null = null;
    let awayPath: string | null = null;
    // The bundle makes the selection, with the evidence flags and the check of what is written.
    const { files } = buildExportFiles({ ...input, table, final, flagged }, (matrix) => {
      away = deflateElsewhere([matrix]);
      if (away) awayPath = matrix.path;
    });
    const deflated = new Map(
      files.filter((f) => f.path !== awayPath).map((f) => [f.path, deflateEntry(f)]),
    );
    if (away) {
      // A failed second worker costs time, not the export: assembleZip deflates what is missing.
      const fromAway = await (away as Promise<DeflatedEntry[]>).catch(() => []);
      for (const entry of fromAway) deflated.set(entry.path, entry);
    }
    const zip = assembleZip(files, deflated);
    post({ id, ok: true, zip }, [zip.buffer]);
  } catch (error) {
    post({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
