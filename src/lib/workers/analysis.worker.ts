/// <reference lib="webworker" />
import '../zod-setup';
import { checkTable } from '../rules/check';
import { buildOverview } from '../rules/overview';
import { EMPTY_TEXT_COLUMN } from '../labels/text-column';
import {
  assessLabels,
  DEFAULT_EVIDENCE_OPTIONS,
  evidenceTransferables,
  planEvidence,
  type EvidencePlan,
} from '../label-evidence/assess';
import {
  fitAuModelOutOfFold,
  type AuModelOptions,
  type AuModelResult,
} from '../label-evidence/au-model';
import type { FitRequest, FitResponse } from './fit.worker';
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

/** Below this many samples in the calibration copy, a second worker costs more than the fit. */
const SECOND_WORKER_SAMPLES = 50_000;

/**
 * The calibration copy's fit in a second worker, started now; null when the copy is small
 * or no worker can be started (the caller fits it here).
 */
function fitElsewhere(
  job: NonNullable<EvidencePlan['calibration']>,
  classIds: number[],
  options: AuModelOptions,
): Promise<AuModelResult> | null {
  if (job.columns.count < SECOND_WORKER_SAMPLES) return null;
  let worker: Worker;
  try {
    worker = new Worker(new URL('./fit.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return null;
  }
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<FitResponse>) => {
      worker.terminate();
      if (event.data.ok) resolve(event.data.result);
      else reject(new Error(event.data.error));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`the fit worker failed: ${event.message}`));
    };
    // Only the four columns the fit reads are copied.
    const { count, classIds: classColumn, auStatus, auMask } = job.columns;
    const request: FitRequest = {
      columns: { count, classIds: classColumn, auStatus, auMask },
      classIds,
      labels: job.labels,
      options,
    };
    worker.postMessage(request);
  });
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
    const options = {
      ...DEFAULT_EVIDENCE_OPTIONS,
      minClassSamples: ruleSet.settings.minClassSamples,
    };
    // The two AU-model fits are independent: the calibration copy's starts on the second
    // core now, while this worker gathers the other sources and fits the labels'.
    const plan = planEvidence({ columns: table, scheme, ruleSet }, options);
    const away = plan.calibration
      ? fitElsewhere(plan.calibration, plan.classIds, options.auModel)
      : null;
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
    const fitHere = (job: EvidencePlan['labels']) =>
      job ? fitAuModelOutOfFold(job.columns, plan.classIds, options.auModel, job.labels) : null;
    const labels = fitHere(plan.labels);
    // A second worker that failed costs time, not the evidence: the fit is made here.
    const calibration = away
      ? await away.catch(() => fitHere(plan.calibration))
      : fitHere(plan.calibration);
    const evidence = assessLabels({ columns: table, scheme, ruleSet, extraSources }, options, {
      plan,
      fits: { labels, calibration },
    });
    const overview = buildOverview(table, scheme, splitNames, ruleSet, check, evidence);
    post({ id, ok: true, phase: 'evidence', evidence, overview }, evidenceTransferables(evidence));
  } catch (error) {
    post({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
