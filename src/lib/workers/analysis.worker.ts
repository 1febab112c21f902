/// <reference lib="webworker" />
import { checkTable } from '../rules/check';
import { scoreLabelIssues } from '../rules/label-issues';
import { buildOverview } from '../rules/overview';
import { EMPTY_TEXT_COLUMN } from '../labels/text-column';
import type { AnalysisRequest, AnalysisResponse } from './analysis-protocol';

/**
 * Checks every sample, scores label issues and builds the overview off the main
 * thread: at a million samples the label-issue score alone takes seconds.
 */
self.onmessage = (event: MessageEvent<AnalysisRequest>) => {
  const { id, columns, ruleSet, scheme, splitNames } = event.data;
  try {
    // The rules read only typed columns; names and AU texts stay on the page.
    const table = { ...columns, names: EMPTY_TEXT_COLUMN, auRaw: [] };
    const check = checkTable(table, ruleSet);
    const issues = scoreLabelIssues(table, ruleSet);
    const overview = buildOverview(table, scheme, splitNames, ruleSet, check, issues);
    const response: AnalysisResponse = { id, ok: true, check, issues, overview };
    (self as unknown as Worker).postMessage(response, [
      check.verdict.buffer,
      check.score.buffer,
      check.reasons.buffer,
      check.missing.buffer,
      issues.posterior.buffer,
      issues.likeliest.buffer,
      issues.likeliestPosterior.buffer,
      issues.suggested.buffer,
      issues.flagged.buffer,
    ] as ArrayBuffer[]);
  } catch (error) {
    const response: AnalysisResponse = {
      id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    };
    (self as unknown as Worker).postMessage(response);
  }
};
