/// <reference lib="webworker" />
import '../zod-setup';
import { buildExportZip } from '../export/bundle';
import { resolveFinalLabels } from '../review/decisions';
import { loadSampleTable } from '../store/datasets';
import type { ExportRequest, ExportResponse } from './export-protocol';

/** Writes the export zip off the main thread: a million samples take seconds to compress. */
self.onmessage = async (event: MessageEvent<ExportRequest>) => {
  const { id, datasetId, decisions, flagged, ...input } = event.data;
  const post = (response: ExportResponse, transfer: Transferable[] = []) =>
    (self as unknown as Worker).postMessage(response, transfer);
  try {
    const table = await loadSampleTable(datasetId);
    const final = decisions.length > 0 ? resolveFinalLabels(table, decisions) : null;
    // The bundle makes the selection, with the evidence flags and the check of what is written.
    const zip = buildExportZip({ ...input, table, final, flagged });
    post({ id, ok: true, zip }, [zip.buffer]);
  } catch (error) {
    post({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
