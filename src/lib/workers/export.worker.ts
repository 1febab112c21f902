/// <reference lib="webworker" />
import { buildExportZip } from '../export/bundle';
import { selectForExport } from '../export/policy';
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
    // The selection is made here, where the evidence flags are: the bundle takes it as is.
    const selection = selectForExport(table, final, input.checkScore, input.policy, flagged);
    const zip = buildExportZip({ ...input, table, final, selection });
    post({ id, ok: true, zip }, [zip.buffer]);
  } catch (error) {
    post({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
