/// <reference lib="webworker" />
import type { LabelScheme, SplitNames } from '../src/lib/labels/types';
import type { RuleSet } from '../src/lib/rules/schema';
import { assessLabels } from '../src/lib/label-evidence/assess';
import { EMPTY_TEXT_COLUMN } from '../src/lib/labels/text-column';
import { checkTable } from '../src/lib/rules/check';
import { buildOverview } from '../src/lib/rules/overview';
import { buildAuDesign } from '../src/lib/label-evidence/au-design';
import { DEFAULT_AU_MODEL_OPTIONS, fitAuModelOutOfFold } from '../src/lib/label-evidence/au-model';
import { poolAt } from '../src/lib/label-evidence/pool';
import { ruleOpinions } from '../src/lib/label-evidence/rules-source';

/**
 * Where the label evidence's time goes: its pieces timed alone in a worker, on the same
 * columns the analysis worker gets (not the user's path; the analysis worker's own run
 * is timed on the page, from posting the request to the 'evidence' answer).
 */

export interface EvidencePiecesRequest {
  count: number;
  classIds: Int16Array;
  auStatus: Uint8Array;
  auMask: Uint32Array;
  /** The AUs coded on one side only, as the library sends them (AnalysisColumns). */
  auOneSided: Uint32Array;
  splits: Int8Array;
  flags: Uint8Array;
  splitNames: SplitNames;
  scheme: LabelScheme;
  ruleSet: RuleSet;
  /** Run every piece once untimed first. */
  warm: boolean;
}

export interface EvidencePiecesResponse {
  /** Piece -> ms. */
  pieces: Record<string, number>;
  patterns: number;
  vocabulary: number;
  auAccuracy: number;
  scored: number;
  likelyMislabelled: number;
}

const PIECES = {
  assess: 'assessLabels alone (no check, no overview, no messages)',
  design: 'buildAuDesign (AU patterns as grouped rows)',
  fit: 'fitAuModelOutOfFold: one out-of-fold fit (5 models, design included)',
  rules: 'ruleOpinions (the literature as class probabilities)',
  pool: 'one poolAt pass over every sample (AU model and literature)',
  worker:
    "the analysis worker's work in one call: checkTable, buildOverview, assessLabels, buildOverview",
} as const;

function run(request: EvidencePiecesRequest): EvidencePiecesResponse {
  const columns = {
    count: request.count,
    classIds: request.classIds,
    auStatus: request.auStatus,
    auMask: request.auMask,
    auOneSided: request.auOneSided,
  };
  const { scheme, ruleSet } = request;
  const classIds = scheme.classes.map((c) => c.id);
  const k = classIds.length;
  const time = <T>(f: () => T): [T, number] => {
    if (request.warm) f();
    const t0 = performance.now();
    const value = f();
    return [value, performance.now() - t0];
  };
  const [design, designMs] = time(() => buildAuDesign(columns, classIds));
  const [model, fitMs] = time(() =>
    fitAuModelOutOfFold(columns, classIds, DEFAULT_AU_MODEL_OPTIONS),
  );
  const [rules, rulesMs] = time(() => ruleOpinions(columns, ruleSet, classIds));
  const sources = [
    { opinions: model.opinions, weight: 1 },
    { opinions: rules, weight: 0.5 },
  ];
  const [, poolMs] = time(() => {
    const out = new Float64Array(k);
    let sum = 0;
    for (let i = 0; i < columns.count; i++) if (poolAt(sources, i, out)) sum += out[0] as number;
    return sum;
  });
  const [evidence, assessMs] = time(() => assessLabels({ columns, scheme, ruleSet }));
  // As src/lib/workers/analysis.worker.ts runs it, without the messages.
  const table = {
    ...columns,
    splits: request.splits,
    flags: request.flags,
    names: EMPTY_TEXT_COLUMN,
    auRaw: [],
  };
  const [, workerMs] = time(() => {
    const check = checkTable(table, ruleSet);
    buildOverview(table, scheme, request.splitNames, ruleSet, check, null);
    const again = assessLabels({ columns: table, scheme, ruleSet, extraSources: [] });
    return buildOverview(table, scheme, request.splitNames, ruleSet, check, again);
  });
  return {
    pieces: {
      [PIECES.assess]: assessMs,
      [PIECES.design]: designMs,
      [PIECES.fit]: fitMs,
      [PIECES.rules]: rulesMs,
      [PIECES.pool]: poolMs,
      [PIECES.worker]: workerMs,
    },
    patterns: design.rows.count,
    vocabulary: design.vocabulary.length,
    auAccuracy: evidence.auModel?.accuracy ?? NaN,
    scored: evidence.scored,
    likelyMislabelled: evidence.likelyMislabelled,
  };
}

self.onmessage = (event: MessageEvent<EvidencePiecesRequest>) => {
  try {
    (self as unknown as Worker).postMessage({ ok: true, ...run(event.data) });
  } catch (error) {
    (self as unknown as Worker).postMessage({
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    });
  }
};
