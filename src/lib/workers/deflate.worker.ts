/// <reference lib="webworker" />
import { crc32, deflatePiece, type DeflatedEntry } from '../export/zip';
import { concatBytes } from '../labels/text';

/**
 * Deflates one export file on the second core while the export worker writes and
 * deflates the others: its pieces (see PIECE_BYTES in export/zip.ts) arrive in order,
 * the first ones while the file is still being written, and the file comes back
 * deflated once its last piece is in: the same bytes as deflateEntry would make.
 */

export interface DeflatePieceRequest {
  path: string;
  /** 0, 1, 2...: pieces arrive in this order. */
  index: number;
  /** The whole file's level (compressionLevelFor). */
  level: 1 | 6;
  last: boolean;
  bytes: Uint8Array;
}

export type DeflateResponse = { ok: true; deflated: DeflatedEntry } | { ok: false; error: string };

const parts: Uint8Array[] = [];
let crc = 0;
let size = 0;
let failed = false;

self.onmessage = (event: MessageEvent<DeflatePieceRequest>) => {
  const post = (response: DeflateResponse, transfer: Transferable[] = []) =>
    (self as unknown as Worker).postMessage(response, transfer);
  if (failed) return;
  try {
    const { path, index, level, last, bytes } = event.data;
    if (index !== parts.length) throw new Error(`piece ${index} of ${path} came out of order`);
    parts.push(deflatePiece(bytes, level, last));
    crc = crc32(bytes, crc);
    size += bytes.length;
    if (!last) return;
    const deflated: DeflatedEntry = { path, crc, size, data: concatBytes(...parts) };
    post({ ok: true, deflated }, [deflated.data.buffer as ArrayBuffer]);
  } catch (error) {
    failed = true;
    post({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
