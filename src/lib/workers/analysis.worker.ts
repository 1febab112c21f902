/// <reference lib="webworker" />
import '../zod-setup';
import { checkTable } from '../rules/check';
import { buildOverview } from '../rules/overview';
import { EMPTY_TEXT_COLUMN } from '../labels/text-column';
import {
  assessLabels,
  DEFAULT_EVIDENCE_OPTIONS,
  evidenceTransferables,
} from '../label-evidence/assess';
import { crowdOpinions } from '../label-evidence/crowd-source';
import type { ClassOpinions } from '../label-evidence/opinion';
import { expressionOpinions, geometryOpinions } from '../label-evidence/face-source';
import { heldOutOpinions } from '../predictions/held-out';
import type { PredictionRun } from '../predictions/run';
import { listPredictionRuns } from '../store/predictions';
import type { AnalysisRequest, AnalysisResponse } from './analysis-protocol';

/**
 * Checks every sample, builds the overview and weighs the evidence about every label off
 * the main thread: at a million samples the model fits alone take seconds.
 */
/** The dataset's stored runs; none when they cannot be read (the Models page says why). */
async function storedRuns(datasetId: string | null): Promise<PredictionRun[]> {
  if (!datasetId) return [];
  try {
    return (await listPredictionRuns(datasetId)).runs;
  } catch {
    return [];
  }
}

self.onmessage = async (event: MessageEvent<AnalysisRequest>) => {
  const { id, columns, ruleSet, scheme, splitNames, crowd, faces, datasetId } = event.data;
  const post = (response: AnalysisResponse, transfer: ArrayBuffer[] = []) =>
    (self as unknown as Worker).postMessage(response, transfer);
  try {
    // The rules read only typed columns; names and AU texts stay on the page.
    const table = { ...columns, names: EMPTY_TEXT_COLUMN, auRaw: [] };
    const check = checkTable(table, ruleSet);
    post({
      id,
      ok: true,
      phase: 'check',
      check,
      overview: buildOverview(table, scheme, splitNames, ruleSet, check, null),
    });
    const extraSources: ClassOpinions[] = crowd
      ? [crowdOpinions(crowd, scheme, table.classIds)]
      : [];
    for (const run of await storedRuns(datasetId)) {
      const opinions = heldOutOpinions(run, table, scheme, splitNames);
      if (opinions) extraSources.push(opinions);
    }
    if (faces) {
      extraSources.push(expressionOpinions(faces, scheme, table.classIds));
      const geometry = geometryOpinions(
        faces,
        table.classIds,
        scheme.classes.map((c) => c.id),
      );
      if (geometry) extraSources.push(geometry);
    }
    const evidence = assessLabels(
      { columns: table, scheme, ruleSet, extraSources },
      { ...DEFAULT_EVIDENCE_OPTIONS, minClassSamples: ruleSet.settings.minClassSamples },
    );
    const overview = buildOverview(table, scheme, splitNames, ruleSet, check, evidence);
    post({ id, ok: true, phase: 'evidence', evidence, overview }, evidenceTransferables(evidence));
  } catch (error) {
    post({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
