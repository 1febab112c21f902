import { auMaskWords, parseAuString } from '../labels/au';
import { AuStatus, type SampleTable } from '../labels/types';
import type { SampleLabels } from '../labels/types';
import {
  FlagReasonSchema,
  SampleState,
  type Decision,
  type FinalLabels,
  type FlagReason,
} from '../review/decision';
import { textAt, textColumnOf } from '../labels/text-column';

/**
 * Test support only: FinalLabels built from a table and a few decisions, without
 * depending on the review layer's resolver. The last decision of a sample wins.
 */
export interface TestDecision {
  sample: number;
  kind: Decision['kind'];
  classId?: number;
  /** For 'correct': an AU string, or null for "not coded". */
  au?: string | null;
  flagReason?: FlagReason;
  note?: string;
  reviewer?: string;
  at?: number;
}

const STATE_OF: Readonly<Record<Decision['kind'], number>> = {
  accept: SampleState.accepted,
  correct: SampleState.corrected,
  flag: SampleState.flagged,
  discard: SampleState.discarded,
};

export function finalOf(table: SampleTable, decisions: readonly TestDecision[] = []): FinalLabels {
  const n = table.count;
  const final: FinalLabels = {
    count: n,
    state: new Uint8Array(n),
    classIds: table.classIds.slice(),
    auStatus: table.auStatus.slice(),
    auRaw: table.auRaw.slice(),
    auMask: table.auMask.slice(),
    flagReason: new Uint8Array(n).fill(255),
    decisionOf: () => undefined,
  };
  const byIndex = new Map<number, Decision>();
  decisions.forEach((d, k) => {
    const decision: Decision = {
      version: 1,
      id: `d${k}`,
      datasetId: 'test',
      sample: d.sample,
      sampleName: textAt(table.names, d.sample),
      kind: d.kind,
      reviewer: d.reviewer ?? 'ana',
      at: d.at ?? Date.UTC(2025, 0, 2, 3, 4, 5) + k * 1000,
    };
    if (d.kind === 'correct') {
      decision.correction = {};
      if (d.classId !== undefined) decision.correction.classId = d.classId;
      if (d.au !== undefined) {
        decision.correction.au =
          d.au === null ? { status: 'null' } : { status: 'coded', raw: d.au };
      }
    }
    if (d.flagReason) decision.flagReason = d.flagReason;
    if (d.note !== undefined) decision.note = d.note;
    byIndex.set(d.sample, decision);
  });
  for (const [i, d] of byIndex) {
    // Start from the original again: only the latest decision counts.
    final.classIds[i] = table.classIds[i] as number;
    final.auStatus[i] = table.auStatus[i] as number;
    final.auRaw[i] = table.auRaw[i] as string;
    final.auMask[2 * i] = table.auMask[2 * i] as number;
    final.auMask[2 * i + 1] = table.auMask[2 * i + 1] as number;
    final.state[i] = STATE_OF[d.kind];
    if (d.kind === 'flag')
      final.flagReason[i] = FlagReasonSchema.options.indexOf(d.flagReason ?? 'other');
    const correction = d.correction;
    if (d.kind !== 'correct' || !correction) continue;
    if (correction.classId !== undefined) final.classIds[i] = correction.classId;
    if (correction.au) {
      if (correction.au.status === 'null') {
        final.auStatus[i] = AuStatus.null;
        final.auRaw[i] = 'null';
        final.auMask[2 * i] = 0;
        final.auMask[2 * i + 1] = 0;
      } else {
        const [lo, hi] = auMaskWords(parseAuString(correction.au.raw).tokens);
        final.auStatus[i] = AuStatus.coded;
        final.auRaw[i] = correction.au.raw;
        final.auMask[2 * i] = lo;
        final.auMask[2 * i + 1] = hi;
      }
    }
  }
  final.decisionOf = (sample) => byIndex.get(sample);
  return final;
}

/** A small table from rows: `aus` is the AU text ('null' = not coded, undefined = absent). */
export interface Row {
  name?: string;
  classId?: number;
  split?: number;
  aus?: string;
}

export function tableFrom(rows: readonly Row[]): SampleTable {
  const n = rows.length;
  const table: SampleTable = {
    count: n,
    names: textColumnOf(rows.map((r, i) => r.name ?? `${String(i + 1).padStart(4, '0')}.jpg`)),
    classIds: Int16Array.from(rows, (r) => r.classId ?? -1),
    splits: Int8Array.from(rows, (r) => r.split ?? -1),
    auStatus: new Uint8Array(n),
    auRaw: rows.map((r) => r.aus ?? ''),
    auMask: new Uint32Array(2 * n),
    flags: new Uint8Array(n),
  };
  rows.forEach((r, i) => {
    if (r.aus === undefined) return;
    const parsed = parseAuString(r.aus);
    table.auStatus[i] = parsed.status === 'null' ? AuStatus.null : AuStatus.coded;
    const [lo, hi] = auMaskWords(parsed.tokens);
    table.auMask[2 * i] = lo;
    table.auMask[2 * i + 1] = hi;
  });
  return table;
}

/** The labels of samples as plain rows, for comparing an export's re-import with what was exported. */
export function labelRows(
  table: SampleTable,
  labels: SampleLabels,
  indices: Iterable<number>,
): { name: string; classId: number; split: number; auStatus: number; auRaw: string }[] {
  return Array.from(indices, (i) => ({
    name: textAt(table.names, i),
    classId: labels.classIds[i] as number,
    split: table.splits[i] as number,
    auStatus: labels.auStatus[i] as number,
    auRaw: labels.auRaw[i] as string,
  }));
}

/** 0 .. n-1. */
export function allIndices(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}
