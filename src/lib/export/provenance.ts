import type { SampleLabels } from '../labels/types';
import { z } from 'zod';
import { className } from '../labels/schemes';
import {
  AuStatus,
  SourceFormatSchema,
  SplitNamesSchema,
  type LabelScheme,
  type SampleTable,
  type SourceFormat,
  type SplitNames,
} from '../labels/types';
import {
  DecisionSchema,
  FLAG_REASON_LABELS,
  FlagReasonSchema,
  SampleState,
  type FinalLabels,
} from '../review/decision';
import {
  REMOVAL_REASON_LABELS,
  RemovalReasonNameSchema,
  SerializedPolicySchema,
  describePolicy,
  flagReasonOf,
  removalReasonName,
  serializePolicy,
  type ExportPolicy,
  type ExportSelection,
} from './policy';
import { isoTime } from './text';
import { textAt } from '../labels/text-column';

/**
 * Provenance: for every sample a reviewer touched (exported or not), its original
 * and final labels and the decision behind them; plus the policy and the counts.
 */

const AU_STATUS_NAMES = ['absent', 'null', 'coded'] as const;
const STATE_NAMES = ['untouched', 'accepted', 'corrected', 'flagged', 'discarded'] as const;

export const LabelSnapshotSchema = z.object({
  classId: z.number().int(),
  className: z.string().nullable(),
  au: z.object({ status: z.enum(AU_STATUS_NAMES), raw: z.string() }),
});
export type LabelSnapshot = z.infer<typeof LabelSnapshotSchema>;

export const ProvenanceSampleSchema = z.object({
  sample: z.number().int().min(0),
  image: z.string(),
  split: z.number().int(),
  exported: z.boolean(),
  removedBecause: RemovalReasonNameSchema.nullable(),
  state: z.enum(STATE_NAMES),
  original: LabelSnapshotSchema,
  /** The labels after the decision (whether or not the export applied corrections). */
  final: LabelSnapshotSchema,
  /** Flag reason and removal reason, in words. */
  reasons: z.array(z.string()),
  decision: z
    .object({
      id: z.string(),
      kind: DecisionSchema.shape.kind,
      reviewer: z.string(),
      /** ISO 8601, UTC. */
      at: z.string(),
      flagReason: FlagReasonSchema.nullable(),
      note: z.string().nullable(),
      reviewSetId: z.string().nullable(),
    })
    .nullable(),
});
export type ProvenanceSample = z.infer<typeof ProvenanceSampleSchema>;

/** Provenance versions, append-only: 2 added the removal reason 'invalid-label'. */
export const PROVENANCE_VERSION = 2;

export const ProvenanceSchema = z.object({
  version: z.literal(PROVENANCE_VERSION),
  dataset: z.string(),
  format: SourceFormatSchema,
  scheme: z.object({ id: z.string(), name: z.string() }),
  splitNames: SplitNamesSchema,
  /** ISO 8601 when given; null keeps the export byte-for-byte reproducible. */
  exportedAt: z.string().nullable(),
  policy: SerializedPolicySchema,
  policyDescription: z.array(z.string()),
  correctionsApplied: z.boolean(),
  summary: z.object({
    total: z.number().int(),
    exported: z.number().int(),
    removed: z.number().int(),
    byReason: z.record(z.string(), z.number().int()),
    exportedFlagged: z.number().int(),
    exportedNullAu: z.number().int(),
    touched: z.number().int(),
  }),
  samples: z.array(ProvenanceSampleSchema),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export interface ReviewLogInput {
  dataset: string;
  format: SourceFormat;
  scheme: LabelScheme;
  splitNames: SplitNames;
  table: SampleTable;
  final: FinalLabels | null;
  selection: ExportSelection;
  policy: ExportPolicy;
  /** Milliseconds since the epoch; leave out for a reproducible export. */
  exportedAt?: number;
}

export function snapshot(labels: SampleLabels, scheme: LabelScheme, i: number): LabelSnapshot {
  const classId = labels.classIds[i] as number;
  const status = labels.auStatus[i] as number;
  return {
    classId,
    className: classId < 0 ? null : className(scheme, classId),
    au: { status: AU_STATUS_NAMES[status] ?? 'absent', raw: labels.auRaw[i] ?? '' },
  };
}

/** Reasons in words: the flag reason (when flagged) and why the sample was not exported. */
export function reasonsOf(
  final: FinalLabels | null,
  selection: ExportSelection,
  i: number,
): string[] {
  const reasons: string[] = [];
  if (final && final.state[i] === SampleState.flagged) {
    reasons.push(`flagged: ${FLAG_REASON_LABELS[flagReasonOf(final.flagReason[i] as number)]}`);
  }
  const removed = removalReasonName(selection.removed[i] as number);
  if (removed === 'invalid-label') {
    const why = selection.invalid.find((x) => x.sample === i)?.reason;
    reasons.push(`removed: ${REMOVAL_REASON_LABELS[removed]}${why ? `: ${why}` : ''}`);
  } else if (removed) reasons.push(`removed: ${REMOVAL_REASON_LABELS[removed]}`);
  return reasons;
}

export function buildProvenance(input: ReviewLogInput): Provenance {
  const { table, final, selection, scheme } = input;
  const samples: ProvenanceSample[] = [];
  if (final) {
    for (let i = 0; i < table.count; i++) {
      const state = final.state[i] as number;
      if (state === SampleState.untouched) continue;
      const decision = final.decisionOf(i);
      const removed = removalReasonName(selection.removed[i] as number);
      samples.push({
        sample: i,
        image: textAt(table.names, i),
        split: table.splits[i] as number,
        exported: removed === null,
        removedBecause: removed,
        state: STATE_NAMES[state] ?? 'untouched',
        original: snapshot(table, scheme, i),
        final: snapshot(final, scheme, i),
        reasons: reasonsOf(final, selection, i),
        decision: decision
          ? {
              id: decision.id,
              kind: decision.kind,
              reviewer: decision.reviewer,
              at: isoTime(decision.at),
              flagReason: decision.flagReason ?? null,
              note: decision.note ?? null,
              reviewSetId: decision.reviewSetId ?? null,
            }
          : null,
      });
    }
  }
  return {
    version: PROVENANCE_VERSION,
    dataset: input.dataset,
    format: input.format,
    scheme: { id: scheme.id, name: scheme.name },
    splitNames: { ...input.splitNames },
    exportedAt: input.exportedAt === undefined ? null : isoTime(input.exportedAt),
    policy: serializePolicy(input.policy),
    policyDescription: describePolicy(input.policy, selection.evidence),
    correctionsApplied: input.policy.applyCorrections,
    summary: {
      total: selection.total,
      exported: selection.keptCount,
      removed: selection.removedCount,
      byReason: { ...selection.byReason },
      exportedFlagged: selection.keptFlagged,
      exportedNullAu: selection.keptNullAu,
      touched: samples.length,
    },
    samples,
  };
}

export function writeProvenance(input: ReviewLogInput): string {
  return JSON.stringify(buildProvenance(input), null, 2) + '\n';
}

/** Whether sample i's AU label differs between two label column sets (coded text compared trimmed). */
export function auChanged(a: SampleLabels, b: SampleLabels, i: number): boolean {
  if (a.auStatus[i] !== b.auStatus[i]) return true;
  return (
    a.auStatus[i] === AuStatus.coded && (a.auRaw[i] ?? '').trim() !== (b.auRaw[i] ?? '').trim()
  );
}
