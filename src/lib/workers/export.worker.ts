/// <reference lib="webworker" />
import '../zod-setup';
import { buildExportFiles } from '../export/bundle';
import { AU_MATRIX_FILE } from '../export/readme';
import {
  PIECE_BYTES,
  assembleZip,
  compressionLevelFor,
  deflateEntry,
  pieceCount,
  type DeflatedEntry,
} from '../export/zip';
import { resolveFinalLabels } from '../review/decisions';
import { loadSampleTable } from '../store/datasets';
import type { DeflatePieceRequest, DeflateResponse } from './deflate.worker';
import type { ExportRequest, ExportResponse } from './export-protocol';

/**
 * Writes the export zip off the main thread: a million samples take seconds to
 * compress. The files are compressed on two cores: the AU matrix in a second worker,
 * piece by piece as it is written, the rest here.
 */

/**
 * The second worker, which deflates the AU matrix piece by piece as it is written (see
 * deflate.worker.ts); null when one cannot be started (this worker then deflates it).
 */
interface PieceDeflater {
  send(request: DeflatePieceRequest): void;
  /** The file deflated, once its last piece is sent; rejects when the worker failed. */
  result: Promise<DeflatedEntry>;
}

function startPieceDeflater(): PieceDeflater | null {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./deflate.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return null;
  }
  const result = new Promise<DeflatedEntry>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<DeflateResponse>) => {
      worker.terminate();
      if (event.data.ok) resolve(event.data.deflated);
      else reject(new Error(event.data.error));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`the compression worker failed: ${event.message}`));
    };
  });
  return {
    // A copy of the piece goes (the caller's bytes are still written to), transferred.
    send: (request) => worker.postMessage(request, [request.bytes.buffer as ArrayBuffer]),
    result,
  };
}

self.onmessage = async (event: MessageEvent<ExportRequest>) => {
  const { id, datasetId, decisions, flagged, ...input } = event.data;
  const post = (response: ExportResponse, transfer: Transferable[] = []) =>
    (self as unknown as Worker).postMessage(response, transfer);
  // Started now, so that it has loaded by the time the matrix's first piece is written.
  const deflater = startPieceDeflater();
  try {
    const table = await loadSampleTable(datasetId);
    const final = decisions.length > 0 ? resolveFinalLabels(table, decisions) : null;
    // The matrix, the largest file, is written first: each full piece goes to the second
    // core as soon as the bytes after it are written (so it is not the last), while this
    // core writes on, then writes the other files and deflates them.
    let sent = 0;
    /** Sends the pieces before `upTo` of bytes[0, length); piece `last` is the final one. */
    const sendPieces = (bytes: Uint8Array, length: number, upTo: number, last: number) => {
      for (; deflater && sent < upTo; sent++)
        deflater.send({
          path: AU_MATRIX_FILE,
          index: sent,
          level: compressionLevelFor(bytes.subarray(0, length)),
          last: sent === last,
          bytes: bytes.slice(sent * PIECE_BYTES, Math.min(length, (sent + 1) * PIECE_BYTES)),
        });
    };
    const { files } = buildExportFiles({ ...input, table, final, flagged }, (bytes, length) =>
      // Only full pieces with bytes after them, so that none of them is the last.
      sendPieces(bytes, length, Math.ceil(length / PIECE_BYTES) - 1, -1),
    );
    const matrix = files.find((file) => file.path === AU_MATRIX_FILE);
    if (matrix) {
      const { bytes } = matrix;
      const pieces = pieceCount(bytes.length);
      sendPieces(bytes, bytes.length, pieces, pieces - 1);
    }
    const away = deflater && matrix ? deflater.result : null;
    const deflated = new Map(
      files.filter((f) => !away || f !== matrix).map((f) => [f.path, deflateEntry(f)]),
    );
    if (away) {
      // A failed second worker costs time, not the export: assembleZip deflates what is missing.
      const fromAway = await away.catch(() => null);
      if (fromAway) deflated.set(fromAway.path, fromAway);
    }
    const zip = assembleZip(files, deflated);
    post({ id, ok: true, zip }, [zip.buffer]);
  } catch (error) {
    post({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
