import { formatOf } from '../formats/registry';
import { groupFrames, type FrameGroups, type SubjectOfVideo } from '../labels/groups';
import type { LabelScheme, SampleTable, SourceFormat } from '../labels/types';
import { buildFrameOverview, type FrameOverview } from '../rules/frame-overview';

/**
 * The subject rule of a stored format: the format's subjectOf when its samples are
 * frames, null for stills (and for a format this build does not know).
 */
export function subjectRuleOf(format: SourceFormat): SubjectOfVideo | null {
  let labelFormat;
  try {
    labelFormat = formatOf(format);
  } catch {
    return null;
  }
  const subjectOf = labelFormat.subjectOf;
  return subjectOf ? (video) => subjectOf.call(labelFormat, video) : null;
}

/**
 * The open dataset's videos and subjects, when its samples are frames: grouped once
 * per loaded table (the table is replaced, never mutated, so a new table is a new
 * grouping) and only when something asks. null for a dataset of stills, which costs
 * nothing.
 */
export class FrameState {
  constructor(
    private readonly table: () => SampleTable | null,
    private readonly format: () => SourceFormat | null,
    private readonly scheme: () => LabelScheme | null,
    private readonly ruleOf: (format: SourceFormat) => SubjectOfVideo | null = subjectRuleOf,
  ) {}

  /** The subject rule of the open dataset's format; null: its samples are stills. */
  private rule = $derived.by(() => {
    const format = this.format();
    return format ? this.ruleOf(format) : null;
  });

  groups = $derived.by((): FrameGroups | null => {
    const table = this.table();
    const rule = this.rule;
    return table && rule ? groupFrames(table.names, rule) : null;
  });

  /** Whether the open dataset's samples are frames of videos (without grouping them). */
  hasFrames = $derived.by(() => this.rule !== null && this.table() !== null);

  /** Counts per subject and per video, for the overview. */
  overview = $derived.by((): FrameOverview | null => {
    const table = this.table();
    const groups = this.groups;
    const scheme = this.scheme();
    return table && groups && scheme ? buildFrameOverview(table, groups, scheme) : null;
  });
}
