/// <reference lib="webworker" />
import type { AuColumns } from '../label-evidence/au-design';
import {
  fitAuModelOutOfFold,
  type AuModelOptions,
  type AuModelResult,
} from '../label-evidence/au-model';

/**
 * One out-of-fold fit of the AU model, on the second core: the analysis worker fits the
 * model on the labels while this fits it on the calibration copy, the two independent
 * fits that take most of the evidence's time at a million samples.
 */

export interface FitRequest {
  columns: AuColumns;
  classIds: number[];
  labels: Int16Array;
  options: AuModelOptions;
}

export type FitResponse = { ok: true; result: AuModelResult } | { ok: false; error: string };

self.onmessage = (event: MessageEvent<FitRequest>) => {
  const post = (response: FitResponse, transfer: ArrayBuffer[] = []) =>
    (self as unknown as Worker).postMessage(response, transfer);
  try {
    const { columns, classIds, labels, options } = event.data;
    const result = fitAuModelOutOfFold(columns, classIds, options, labels);
    post({ ok: true, result }, [
      result.opinions.rowOf.buffer as ArrayBuffer,
      result.opinions.probs.buffer as ArrayBuffer,
      result.foldOf.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    post({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
