import type { SampleLabels } from '../labels/types';
import { z } from 'zod';
import { LabelFlag } from '../label-evidence/assess';
import { AuStatus, type SampleTable } from '../labels/types';
import { labelChecker, type LabelCheckOptions } from './validate';
import {
  FLAG_REASON_LABELS,
  FlagReasonSchema,
  SampleState,
  type FinalLabels,
  type FlagReason,
} from '../review/decision';

/**
 * What an export keeps. The policy is data (zod is the source of truth); the
 * selection it makes is columns: one reason code per sample.
 */

/** The betas of the effective-number class weights (Cui et al., CVPR 2019). */
export const BETAS = [0.9, 0.99, 0.999, 0.9999] as const;
export const BetaSchema = z.union([
  z.literal(0.9),
  z.literal(0.99),
  z.literal(0.999),
  z.literal(0.9999),
]);
export type Beta = z.infer<typeof BetaSchema>;

/**
 * Policy versions, append-only: 1 had no `dropLikelyMislabelled` (it reads as false,
 * which is what a version 1 policy did); 2 added it.
 */
export const EXPORT_POLICY_VERSION = 2;

export const ExportPolicySchema = z.object({
  version: z.union([z.literal(1), z.literal(2)]).default(EXPORT_POLICY_VERSION),
  /** Drop samples whose latest decision is 'discard'. */
  dropDiscarded: z.boolean().default(true),
  /**
   * Flagged samples with one of these reasons are dropped. Default none: a flag
   * means "needs a look", not "wrong"; the preview says that flagged samples are kept.
   */
  dropFlagged: z.array(FlagReasonSchema).default([]),
  /** 'keep-uncoded': a `null` AU label stays (-1 in the AU matrix); 'drop': the sample is dropped. */
  nullAu: z.enum(['keep-uncoded', 'drop']).default('keep-uncoded'),
  /** Drop samples whose check score is below this; NaN scores (not scored) are never dropped by it. */
  minScore: z.number().nullable().default(null),
  /**
   * Drop samples the label evidence calls likely mislabelled. Default false: evidence
   * is a reason to look, the reviewer decides. A sample a reviewer accepted or corrected
   * is never dropped for it; without evidence (not computed yet) nothing is.
   */
  dropLikelyMislabelled: z.boolean().default(false),
  /** Keep only samples with a decision (accepted, corrected, or flagged and not dropped). */
  onlyReviewed: z.boolean().default(false),
  /** Write corrected labels; false writes the original labels (decisions still decide what is dropped). */
  applyCorrections: z.boolean().default(true),
  beta: BetaSchema.default(0.999),
  /** Sample indices of the current filter or selection; null = every sample. */
  subset: z.instanceof(Int32Array).nullable().default(null),
});
export type ExportPolicy = z.infer<typeof ExportPolicySchema>;
export type ExportPolicyInput = z.input<typeof ExportPolicySchema>;

export function defaultExportPolicy(): ExportPolicy {
  return ExportPolicySchema.parse({});
}

/** The policy as written into JSON files: the subset is given by its size. */
export const SerializedPolicySchema = ExportPolicySchema.omit({ subset: true }).extend({
  subsetSize: z.number().int().min(0).nullable(),
});
export type SerializedPolicy = z.infer<typeof SerializedPolicySchema>;

export function serializePolicy(policy: ExportPolicy): SerializedPolicy {
  const { subset, ...rest } = policy;
  return { ...rest, dropFlagged: [...rest.dropFlagged], subsetSize: subset ? subset.length : null };
}

/**
 * Why a sample is not exported; 0 = kept. When several apply, the first in this
 * order is recorded: selection first, then decisions, then label filters, and last
 * the check of what would be written (validate.ts).
 */
export const RemovalReason = {
  kept: 0,
  outsideSubset: 1,
  discarded: 2,
  flagged: 3,
  notReviewed: 4,
  nullAu: 5,
  lowScore: 6,
  likelyMislabelled: 7,
  invalidLabel: 8,
} as const;
export type RemovalReasonCode = (typeof RemovalReason)[keyof typeof RemovalReason];

/** Names of the removal reasons, in code order (code 1 first). */
export const RemovalReasonNameSchema = z.enum([
  'outside-subset',
  'discarded',
  'flagged',
  'not-reviewed',
  'null-au',
  'low-score',
  'likely-mislabelled',
  'invalid-label',
]);
export type RemovalReasonName = z.infer<typeof RemovalReasonNameSchema>;

/** Index = RemovalReason code. */
export const REMOVAL_REASON_NAMES = ['kept', ...RemovalReasonNameSchema.options] as const;

export const REMOVAL_REASON_LABELS: Readonly<Record<RemovalReasonName, string>> = {
  'outside-subset': 'outside the exported filter or selection',
  discarded: 'discarded by a reviewer',
  flagged: 'flagged with a reason the policy drops',
  'not-reviewed': 'not reviewed (only reviewed samples exported)',
  'null-au': 'AU label is null (not coded)',
  'low-score': 'check score below the minimum',
  'likely-mislabelled': 'likely mislabelled (evidence)',
  'invalid-label': 'a stored label cannot be written safely (left out of every label file)',
};

export function removalReasonName(code: number): RemovalReasonName | null {
  const name = REMOVAL_REASON_NAMES[code];
  if (name === undefined) throw new RangeError(`unknown removal reason code ${code}`);
  return name === 'kept' ? null : name;
}

/** A flag reason from its FinalLabels code; an unknown code (255 = none) reads as 'other'. */
export function flagReasonOf(code: number): FlagReason {
  return FlagReasonSchema.options[code] ?? 'other';
}

/** The label columns an export writes: corrected ones, or the originals. */

export function exportLabels(
  table: SampleTable,
  final: FinalLabels | null,
  policy: Pick<ExportPolicy, 'applyCorrections'>,
): SampleLabels {
  return policy.applyCorrections && final ? final : table;
}

export interface GroupCounts {
  kept: number;
  removed: number;
}

export interface EvidenceCounts {
  /** False when no flags were given (the evidence is not computed yet): nothing is dropped for it. */
  computed: boolean;
  /**
   * Samples `dropLikelyMislabelled` drops, or would drop when it is off: called likely
   * mislabelled, not accepted or corrected by a reviewer, not removed for another reason.
   */
  droppable: number;
  /** Samples called likely mislabelled that a reviewer accepted or corrected: never dropped for it. */
  decided: number;
  /** Exported samples the evidence calls likely mislabelled (the option is off, or they were decided). */
  kept: number;
}

export interface ExportSelection {
  /** Indices of the exported samples, ascending (input order). */
  kept: Int32Array;
  /** Per sample: RemovalReason code, 0 = kept. */
  removed: Uint8Array;
  total: number;
  keptCount: number;
  removedCount: number;
  byReason: Record<RemovalReasonName, number>;
  /** Kept samples that carry a flag (the policy did not drop their reason). */
  keptFlagged: number;
  /** Kept samples whose AU label is null (exported as not coded). */
  keptNullAu: number;
  /** The label evidence's flags as given (null = not computed yet) and what they do to the export. */
  evidence: EvidenceCounts;
  /**
   * Samples the check of what is written left out (reason 'invalid-label'), ascending,
   * each with why; empty when the selection was made without the check.
   */
  invalid: { sample: number; reason: string }[];
  /** Whether the selection was made with the check (the export makes it so; see selectForExport). */
  labelsChecked: boolean;
  /** By the class written (corrected when corrections apply), ascending id; -1 = no class. */
  byClass: ({ classId: number } & GroupCounts)[];
  /** By split id, ascending; -1 = no split. */
  bySplit: ({ split: number } & GroupCounts)[];
}

function checkFinal(table: SampleTable, final: FinalLabels | null): void {
  if (final && final.count !== table.count) {
    throw new Error(
      `final labels hold ${final.count} samples but the table holds ${table.count}; they must come from the same dataset`,
    );
  }
}

function grouped<K extends string>(
  key: K,
  keptBy: Map<number, number>,
  removedBy: Map<number, number>,
): ({ [P in K]: number } & GroupCounts)[] {
  const ids = [...new Set([...keptBy.keys(), ...removedBy.keys()])].sort((a, b) => a - b);
  return ids.map(
    (id) =>
      ({ [key]: id, kept: keptBy.get(id) ?? 0, removed: removedBy.get(id) ?? 0 }) as {
        [P in K]: number;
      } & GroupCounts,
  );
}

const bump = (map: Map<number, number>, key: number) => map.set(key, (map.get(key) ?? 0) + 1);

/**
 * Apply the policy: which samples are exported, and why each other one is not.
 * One pass over the columns; the counts are the export preview.
 */
export function selectForExport(
  table: SampleTable,
  final: FinalLabels | null,
  checkScore: ArrayLike<number> | null,
  policy: ExportPolicy,
  /** LabelEvidence.flagged (LabelFlag codes); null when the evidence is not computed yet. */
  flagged: ArrayLike<number> | null = null,
  /**
   * The scheme and format to check the written labels against (validate.ts); null skips
   * the check. The export always checks; the preview checks so that it shows the count.
   */
  check: LabelCheckOptions | null = null,
): ExportSelection {
  checkFinal(table, final);
  const n = table.count;
  if (checkScore && checkScore.length !== n) {
    throw new Error(`check scores hold ${checkScore.length} samples, the table ${n}`);
  }
  if (flagged && flagged.length !== n) {
    throw new Error(`evidence flags hold ${flagged.length} samples, the table ${n}`);
  }
  let inSubset: Uint8Array | null = null;
  if (policy.subset) {
    inSubset = new Uint8Array(n);
    for (const index of policy.subset) {
      if (index < 0 || index >= n) {
        throw new RangeError(`subset sample ${index} is outside the table (${n} samples)`);
      }
      inSubset[index] = 1;
    }
  }
  const dropFlag = new Uint8Array(256);
  for (const reason of policy.dropFlagged) {
    dropFlag[FlagReasonSchema.options.indexOf(reason)] = 1;
  }
  // An unknown flag code reads as 'other' (flagReasonOf).
  const otherCode = FlagReasonSchema.options.indexOf('other');
  const labels = exportLabels(table, final, policy);
  const minScore = policy.minScore;
  const likely = LabelFlag['likely-mislabelled'];
  const problemOf = check ? labelChecker(table, labels, check) : null;
  const invalid: { sample: number; reason: string }[] = [];

  const removed = new Uint8Array(n);
  const kept = new Int32Array(n);
  let keptCount = 0;
  let keptFlagged = 0;
  let keptNullAu = 0;
  let droppable = 0;
  let decided = 0;
  let keptLikely = 0;
  const reasonCounts = new Int32Array(REMOVAL_REASON_NAMES.length);
  const classKept = new Map<number, number>();
  const classRemoved = new Map<number, number>();
  const splitKept = new Map<number, number>();
  const splitRemoved = new Map<number, number>();

  for (let i = 0; i < n; i++) {
    const state = final ? (final.state[i] as number) : SampleState.untouched;
    let reason: number = RemovalReason.kept;
    if (inSubset && inSubset[i] === 0) reason = RemovalReason.outsideSubset;
    else if (state === SampleState.discarded && policy.dropDiscarded) {
      reason = RemovalReason.discarded;
    } else if (state === SampleState.flagged) {
      const code = (final as FinalLabels).flagReason[i] as number;
      const known = code < FlagReasonSchema.options.length ? code : otherCode;
      if (dropFlag[known]) reason = RemovalReason.flagged;
    }
    if (reason === RemovalReason.kept) {
      if (policy.onlyReviewed && state === SampleState.untouched) {
        reason = RemovalReason.notReviewed;
      } else if (policy.nullAu === 'drop' && labels.auStatus[i] === AuStatus.null) {
        reason = RemovalReason.nullAu;
      } else if (minScore !== null && checkScore && (checkScore[i] as number) < minScore) {
        // NaN < x is false: samples that were not scored are never dropped here.
        reason = RemovalReason.lowScore;
      } else if (flagged && flagged[i] === likely) {
        // A human decision beats the model: accepted and corrected samples stay.
        if (state === SampleState.accepted || state === SampleState.corrected) decided++;
        else {
          droppable++;
          if (policy.dropLikelyMislabelled) reason = RemovalReason.likelyMislabelled;
        }
      }
    }
    if (reason === RemovalReason.kept && problemOf) {
      const problem = problemOf(i);
      if (problem !== null) {
        reason = RemovalReason.invalidLabel;
        invalid.push({ sample: i, reason: problem });
      }
    }
    const classId = labels.classIds[i] as number;
    const split = table.splits[i] as number;
    if (reason === RemovalReason.kept) {
      kept[keptCount++] = i;
      if (state === SampleState.flagged) keptFlagged++;
      if (labels.auStatus[i] === AuStatus.null) keptNullAu++;
      if (flagged && flagged[i] === likely) keptLikely++;
      bump(classKept, classId);
      bump(splitKept, split);
    } else {
      removed[i] = reason;
      reasonCounts[reason] = (reasonCounts[reason] as number) + 1;
      bump(classRemoved, classId);
      bump(splitRemoved, split);
    }
  }

  const byReason = {} as Record<RemovalReasonName, number>;
  REMOVAL_REASON_NAMES.forEach((name, code) => {
    if (name !== 'kept') byReason[name] = reasonCounts[code] as number;
  });
  return {
    kept: kept.slice(0, keptCount),
    removed,
    total: n,
    keptCount,
    removedCount: n - keptCount,
    byReason,
    keptFlagged,
    keptNullAu,
    evidence: { computed: flagged !== null, droppable, decided, kept: keptLikely },
    invalid,
    labelsChecked: check !== null,
    byClass: grouped('classId', classKept, classRemoved),
    bySplit: grouped('split', splitKept, splitRemoved),
  };
}

/**
 * The policy in plain sentences, for the preview and the README. With the selection's
 * evidence counts, the sentence on likely mislabelled samples says what happened to them.
 */
export function describePolicy(policy: ExportPolicy, evidence?: EvidenceCounts): string[] {
  const lines: string[] = [];
  if (policy.subset) {
    lines.push(
      `Only the ${policy.subset.length} samples of the current filter or selection are exported.`,
    );
  }
  lines.push(
    policy.dropDiscarded
      ? 'Discarded samples are dropped.'
      : 'Discarded samples are kept (the policy does not drop them).',
  );
  if (policy.dropFlagged.length === 0) {
    lines.push(
      'Flagged samples are kept: a flag means "needs a look", and no flag reason is set to be dropped.',
    );
  } else {
    const names = policy.dropFlagged.map((r) => FLAG_REASON_LABELS[r]).join(', ');
    const all = policy.dropFlagged.length === FlagReasonSchema.options.length;
    lines.push(
      all
        ? 'Flagged samples are dropped, whatever the reason.'
        : `Flagged samples are dropped when the reason is: ${names}; other flagged samples are kept.`,
    );
  }
  lines.push(
    policy.nullAu === 'drop'
      ? 'Samples whose AU label is null (not coded) are dropped.'
      : 'Samples whose AU label is null (not coded) are kept; the AU matrix marks every AU of them -1 (unknown), never 0.',
  );
  if (policy.minScore !== null) {
    lines.push(
      `Samples whose check score is below ${policy.minScore} are dropped; samples without a score are kept.`,
    );
  }
  lines.push(describeLikelyMislabelled(policy, evidence));
  if (policy.onlyReviewed) lines.push('Only reviewed samples (with a decision) are exported.');
  lines.push(
    policy.applyCorrections
      ? 'Corrected labels are written; untouched samples keep their original text.'
      : 'Original labels are written: corrections are NOT applied.',
  );
  lines.push(`Class weights use beta = ${policy.beta} (effective number of samples).`);
  return lines;
}

function describeLikelyMislabelled(policy: ExportPolicy, evidence?: EvidenceCounts): string {
  const subject = 'Samples the label evidence calls likely mislabelled';
  if (!policy.dropLikelyMislabelled) {
    return `${subject} are kept: evidence is a reason to look, and the reviewer decides.`;
  }
  if (evidence && !evidence.computed) {
    return `${subject} are to be dropped, but the evidence is not computed yet: no sample is dropped for it.`;
  }
  const line = `${subject} are dropped, unless a reviewer accepted or corrected them: a human decision beats the model.`;
  if (!evidence || evidence.decided === 0) return line;
  const them = evidence.decided === 1 ? '1 such sample is' : `${evidence.decided} such samples are`;
  return `${line} ${them} kept for that reason.`;
}
