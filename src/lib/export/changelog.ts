import type { SampleLabels } from '../labels/types';
import { className } from '../labels/schemes';
import { AuStatus, type LabelScheme } from '../labels/types';
import { FLAG_REASON_LABELS, SampleState } from '../review/decision';
import { REMOVAL_REASON_LABELS, flagReasonOf, removalReasonName } from './policy';
import { auChanged, type ReviewLogInput } from './provenance';
import { LineSink } from '../labels/text-out';
import { isoTime, spreadsheetRow } from './text';
import { textAt } from '../labels/text-column';

/**
 * The change log: one CSV row per change, by sample index. Every sample not
 * exported gets a 'removed' row (with the policy's reason); exported samples get
 * 'class changed' / 'AU changed' rows for applied corrections (or '... not applied'
 * when the policy writes original labels), 'flagged' when they carry a flag, and
 * 'discard not applied' when the policy keeps discarded samples.
 */

export const CHANGELOG_COLUMNS = [
  'sample',
  'image',
  'change',
  'from',
  'to',
  'reason',
  'reviewer',
  'time',
] as const;

export type ChangeKind =
  | 'removed'
  | 'class changed'
  | 'AU changed'
  | 'class change not applied'
  | 'AU change not applied'
  | 'flagged'
  | 'discard not applied';

function classText(scheme: LabelScheme, classId: number): string {
  return classId < 0 ? '' : `${className(scheme, classId)} (${classId})`;
}

function auText(labels: SampleLabels, i: number): string {
  const status = labels.auStatus[i];
  if (status === AuStatus.null) return 'null';
  return status === AuStatus.coded ? (labels.auRaw[i] ?? '') : '';
}

export function writeChangelog(input: ReviewLogInput): string {
  const { table, final, selection, scheme, policy } = input;
  const sink = new LineSink('\n');
  sink.push(CHANGELOG_COLUMNS.join(','));
  const invalidReason = new Map(selection.invalid.map((x) => [x.sample, x.reason]));
  const row = (
    i: number,
    change: ChangeKind,
    from: string,
    to: string,
    reason: string,
    reviewer: string,
    time: string,
  ) =>
    sink.push(
      spreadsheetRow([String(i), textAt(table.names, i), change, from, to, reason, reviewer, time]),
    );

  for (let i = 0; i < table.count; i++) {
    const removed = removalReasonName(selection.removed[i] as number);
    const state = final ? (final.state[i] as number) : SampleState.untouched;
    if (removed === null && state === SampleState.untouched) continue;
    const decision = final?.decisionOf(i);
    const reviewer = decision?.reviewer ?? '';
    const time = decision ? isoTime(decision.at) : '';
    const note = decision?.note ?? '';
    const flag =
      state === SampleState.flagged
        ? FLAG_REASON_LABELS[flagReasonOf((final?.flagReason[i] ?? 255) as number)]
        : '';
    const why = (...parts: string[]) => parts.filter((p) => p !== '').join('; ');

    if (removed !== null) {
      // A removal by a reviewer's decision names the reviewer; a removal by the policy alone
      // does not. A label that cannot be written names whoever decided it, if anyone did.
      const byDecision =
        removed === 'discarded' || removed === 'flagged' || removed === 'invalid-label';
      row(
        i,
        'removed',
        '',
        '',
        why(
          REMOVAL_REASON_LABELS[removed],
          removed === 'flagged' ? flag : '',
          removed === 'invalid-label' ? (invalidReason.get(i) ?? '') : '',
          byDecision ? note : '',
        ),
        byDecision ? reviewer : '',
        byDecision ? time : '',
      );
      continue;
    }
    if (!final) continue;
    if (state === SampleState.corrected) {
      const applied = policy.applyCorrections;
      if (final.classIds[i] !== table.classIds[i]) {
        row(
          i,
          applied ? 'class changed' : 'class change not applied',
          classText(scheme, table.classIds[i] as number),
          classText(scheme, final.classIds[i] as number),
          note,
          reviewer,
          time,
        );
      }
      if (auChanged(table, final, i)) {
        row(
          i,
          applied ? 'AU changed' : 'AU change not applied',
          auText(table, i),
          auText(final, i),
          note,
          reviewer,
          time,
        );
      }
    } else if (state === SampleState.flagged) {
      row(i, 'flagged', '', flag, note, reviewer, time);
    } else if (state === SampleState.discarded) {
      row(
        i,
        'discard not applied',
        '',
        '',
        why('the policy keeps discarded samples', note),
        reviewer,
        time,
      );
    }
  }
  return sink.finish(true);
}
