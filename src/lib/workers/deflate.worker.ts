/// <reference lib="webworker" />
import { deflateEntry, type DeflatedEntry, type ZipEntry } from '../export/zip';

/**
 * Deflates export files on the second core while the export worker deflates the
 * others: the zip is assembled from both, the same bytes as if one worker did all.
 */

export interface DeflateRequest {
  files: ZipEntry[];
}

export type DeflateResponse =
  { ok: true; deflated: DeflatedEntry[] } | { ok: false; error: string };

self.onmessage = (event: MessageEvent<DeflateRequest>) => {
  const post = (response: DeflateResponse, transfer: Transferable[] = []) =>
    (self as unknown as Worker).postMessage(response, transfer);
  try {
    const deflated = event.data.files.map(deflateEntry);
    post(
      { ok: true, deflated },
      deflated.map((d) => d.data.buffer as ArrayBuffer),
    );
  } catch (error) {
    post({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
