import { activeAus } from '../labels/au';
import type { AuLabel, Decision, FlagReason } from '../review/decision';
import type { Assignment, AssignmentSample } from '../team/assignment';
import { buildBundle, bundleFileName, signBundle } from '../team/bundle';
import type { AssignmentRecord } from '../store/team';
import type { DecisionInput } from './review.svelte';

/**
 * Plain helpers of the team state (no runes): the state's records are replaced,
 * never mutated, and the maps built here are temporaries, not UI state.
 */

/** A file the user picked, read as text. */
export interface TextFile {
  name: string;
  text: string;
}

/** What became of one file the user opened: what was done, or why nothing was. */
export interface FileOutcome {
  fileName: string;
  ok: boolean;
  messages: string[];
}

/** A file to hand to the download helper. */
export interface OutgoingFile {
  name: string;
  text: string;
}

/** What a reviewer (or the lead, editing a ruling) decides about one sample. */
export interface ReviewerInput {
  kind: Decision['kind'];
  correction?: { classId?: number; au?: AuLabel };
  flagReason?: FlagReason;
  note?: string;
}

/**
 * The AUs an AU text sets (see activeAus): the team screens read a text as the merge
 * and the agreement report do. Kept under this name for the screens that import it.
 */
export const ausOfText = activeAus;

/** The AU label a sample of an assignment carries (null when it has none). */
export function auLabelOf(sample: AssignmentSample): AuLabel | null {
  if (sample.auStatus === 'null') return { status: 'null' };
  if (sample.auStatus === 'coded') return { status: 'coded', raw: sample.auRaw };
  return null;
}

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
};

/** An image blob as a data URL; the type comes from the blob, else from the file name. */
export async function blobToDataUrl(blob: Blob, name: string): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  const extension = name.split('.').pop()?.toLowerCase() ?? '';
  const type = blob.type || IMAGE_TYPES[extension] || 'application/octet-stream';
  return `data:${type};base64,${btoa(binary)}`;
}

/** Data URLs of the samples' images that `load` finds, by sample index. */
export async function loadImages(
  samples: readonly { index: number; name: string }[],
  load: (name: string) => Promise<Blob | undefined>,
): Promise<Map<number, string>> {
  const images = new Map<number, string>();
  for (const { index, name } of samples) {
    const blob = await load(name);
    if (blob) images.set(index, await blobToDataUrl(blob, name));
  }
  return images;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A readable, unique session id: team-YYYYMMDD-xxxxxxxx. */
export function newSessionId(now: number, random: string = crypto.randomUUID()): string {
  const day = new Date(now).toISOString().slice(0, 10).replaceAll('-', '');
  return `team-${day}-${random.replaceAll('-', '').slice(0, 8)}`;
}

/** Only the fields a decision of this kind carries; the note trimmed, left out when empty. */
export function cleanInput(input: ReviewerInput): ReviewerInput {
  const note = input.note?.trim();
  return {
    kind: input.kind,
    ...(input.kind === 'correct' && input.correction ? { correction: input.correction } : {}),
    ...(input.kind === 'flag' ? { flagReason: input.flagReason ?? 'other' } : {}),
    ...(note ? { note } : {}),
  };
}

/** A ruling as ReviewState.decide takes it (it adds id, time and the lead's name). */
export function inputOf(ruling: Decision): DecisionInput {
  return {
    sample: ruling.sample,
    kind: ruling.kind,
    ...(ruling.correction ? { correction: ruling.correction } : {}),
    ...(ruling.flagReason ? { flagReason: ruling.flagReason } : {}),
    ...(ruling.note ? { note: ruling.note } : {}),
    ...(ruling.reviewSetId ? { reviewSetId: ruling.reviewSetId } : {}),
  };
}

/** The record with `elapsedMs` more spent on `sample`. */
export function withTime(
  record: AssignmentRecord,
  sample: number,
  elapsedMs: number,
): AssignmentRecord {
  const ms = Math.max(0, Math.round(elapsedMs));
  if (ms === 0) return record;
  const found = record.durations.some((d) => d.sample === sample);
  const durations = found
    ? record.durations.map((d) => (d.sample === sample ? { sample, ms: d.ms + ms } : d))
    : [...record.durations, { sample, ms }];
  return { ...record, durations };
}

/** The latest decision per sample (by time; of equal times, the later in the list). */
export function latestDecisions(decisions: readonly Decision[]): Map<number, Decision> {
  const latest = new Map<number, Decision>();
  for (const d of decisions) {
    const old = latest.get(d.sample);
    if (!old || d.at >= old.at) latest.set(d.sample, d);
  }
  return latest;
}

/**
 * The review bundle of an assignment record, signed, as a file to send back to the
 * lead; a problem instead when the assignment holds no key (opened by an older app).
 */
export async function bundleFileOf(
  record: AssignmentRecord,
): Promise<{ ok: true; file: OutgoingFile } | { ok: false; problem: string }> {
  const key = record.assignment.key;
  if (key === undefined) {
    return {
      ok: false,
      problem:
        `${record.fileName} is an assignment file version ${record.assignment.version}, which holds ` +
        'no signing key, so the lead could not authenticate its bundle: ask the lead for a new ' +
        'assignment file from a new session',
    };
  }
  const lastAt = Math.max(record.openedAt, ...record.decisions.map((d) => d.at));
  const bundle = buildBundle({
    assignment: record.assignment,
    decisions: record.decisions,
    startedAt: record.startedAt ?? record.openedAt,
    finishedAt: lastAt,
    durationsMs: new Map(record.durations.map((d) => [d.sample, d.ms])),
  });
  const file = await signBundle(bundle, key);
  return { ok: true, file: { name: bundleFileName(bundle), text: JSON.stringify(file, null, 2) } };
}

/**
 * An assignment with each class id and each sample index once (the first kept).
 * Files are checked for this when opened; records stored by older versions were
 * not, and a repeated key would break the reviewer's screen.
 */
export function withoutRepeats(assignment: Assignment): Assignment {
  const classIds = new Set<number>();
  const samples = new Set<number>();
  const classes = assignment.classes.filter((c) => !classIds.has(c.id) && !!classIds.add(c.id));
  const unique = assignment.samples.filter((s) => !samples.has(s.index) && !!samples.add(s.index));
  if (classes.length === assignment.classes.length && unique.length === assignment.samples.length) {
    return assignment;
  }
  return { ...assignment, classes, samples: unique };
}
