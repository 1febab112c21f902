import { isNullAuValue, parseAuString } from '../labels/au';
import type { Decision } from '../review/decision';

/**
 * Field by field checks of what a team file carries, as strict as an import: a
 * bundle's corrections end up in the lead's export, and an assignment's fields on
 * the reviewer's screen, so nothing may slip through that an import would refuse
 * (line breaks in AU text, class ids outside the scheme, unbounded text, repeated
 * samples). Every check returns plain-language problems; nothing throws.
 */

export const TEAM_LIMITS = {
  /** Names of people, datasets, samples and classes. */
  nameChars: 200,
  /** Image names can carry folders. */
  sampleNameChars: 1000,
  /** Session, dataset, decision and review-set ids. */
  idChars: 200,
  noteChars: 4000,
  auChars: 500,
  classes: 1000,
  /** Samples in one assignment. */
  samples: 100_000,
  /** Decisions per assigned sample, history included (a reviewer rarely changes their mind twice). */
  decisionsPerSample: 50,
  /** A single embedded image, as data-URL text. */
  imageChars: 20_000_000,
  /** Whole files, in characters: a bundle has no images, an assignment may. */
  bundleChars: 64_000_000,
  assignmentChars: 400_000_000,
} as const;

/** Class ids fit the Int16 column the lead stores them in. */
export const MAX_CLASS_ID = 32_767;

/** Control characters, line and paragraph separators: never in a name, id or AU text. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
/** In a note, a line break and a tab are fine (it is quoted wherever it is written). */
// eslint-disable-next-line no-control-regex
const NOTE_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/u;

function describeChar(c: string): string {
  if (c === '\n') return 'a line break';
  if (c === '\r') return 'a carriage return';
  if (c === '\t') return 'a tab';
  const code = c.codePointAt(0) ?? 0;
  return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** Why a string field is unacceptable, or null. */
export function textProblem(
  value: string,
  max: number,
  options: { multiline?: boolean; nonEmpty?: boolean } = {},
): string | null {
  if (options.nonEmpty && value === '') return 'is empty';
  if (value.length > max) {
    return `is ${value.length.toLocaleString('en')} characters long; at most ${max.toLocaleString('en')} are allowed`;
  }
  const bad = (options.multiline ? NOTE_CONTROL : CONTROL).exec(value);
  if (bad) return `contains ${describeChar(bad[0])}`;
  return null;
}

/**
 * Why an AU text cannot be a coded AU label, or null. It must be within the AU
 * grammar; a token outside it is let through only when the sample's original label
 * already holds it (an edit keeps whatever the coder wrote).
 */
export function auTextProblem(raw: string, originalRaw = ''): string | null {
  const text = textProblem(raw, TEAM_LIMITS.auChars);
  if (text) return `AU text ${JSON.stringify(clip(raw))} ${text}`;
  if (isNullAuValue(raw)) return `AU text "null" must be written as "not coded", not as AU text`;
  if (raw.trim() === '') return null; // coded, no AU active
  const parsed = parseAuString(raw);
  const known = new Set(parseAuString(originalRaw).unknown.filter((token) => token !== ''));
  const outside = parsed.unknown.filter((token) => !known.has(token));
  if (outside.length === 0) return null;
  const token = outside[0] ?? '';
  return token === ''
    ? `AU text ${JSON.stringify(raw)} has an empty token (nothing between two '+')`
    : `AU text ${JSON.stringify(raw)}: token ${JSON.stringify(token)} is outside the AU grammar [L|R|B|T]<number>[A-E] or AD<number>`;
}

/** A long value cut short for a message. */
export function clip(value: string, max = 40): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/** What a decision's checks need to know about its sample in the lead's dataset. */
export interface DecisionContext {
  /** The reviewer the decisions must be by. */
  reviewer: string;
  datasetId: string;
  /** Class ids of the dataset's scheme. */
  classIds: ReadonlySet<number>;
  /** The samples this reviewer was assigned (lead's indexes). */
  assigned: ReadonlySet<number>;
  /** The sample's original labels, when known (a class of -1 may stay -1, an odd AU token may stay). */
  original?: (sample: number) => { classId: number; auRaw: string } | undefined;
}

/** Every problem of one decision, without the file name or its position (the caller adds those). */
export function decisionProblems(d: Decision, context: DecisionContext): string[] {
  const problems: string[] = [];
  const field = (name: string, problem: string | null): void => {
    if (problem) problems.push(`${name} ${problem}`);
  };
  field('id', textProblem(d.id, TEAM_LIMITS.idChars));
  field('sample name', textProblem(d.sampleName, TEAM_LIMITS.sampleNameChars));
  if (d.reviewSetId !== undefined) {
    field('review set id', textProblem(d.reviewSetId, TEAM_LIMITS.idChars));
  }
  if (d.note !== undefined) {
    field('note', textProblem(d.note, TEAM_LIMITS.noteChars, { multiline: true }));
  }
  if (d.reviewer !== context.reviewer) {
    problems.push(`is by ${JSON.stringify(clip(d.reviewer))}, not ${context.reviewer}`);
  }
  if (d.datasetId !== context.datasetId) {
    problems.push(`is for dataset ${JSON.stringify(clip(d.datasetId))}, not ${context.datasetId}`);
  }
  if (!context.assigned.has(d.sample)) {
    problems.push(`is for sample ${d.sample}, which is not in ${context.reviewer}'s assignment`);
  }
  if (!Number.isFinite(d.at) || d.at < 0) problems.push(`has no valid time`);
  const original = context.assigned.has(d.sample) ? context.original?.(d.sample) : undefined;
  if (d.kind === 'correct' && !d.correction) problems.push('is a correction that changes nothing');
  if (d.kind !== 'correct' && d.correction) problems.push(`is a ${d.kind} with a correction`);
  if (d.kind !== 'flag' && d.flagReason) problems.push(`is a ${d.kind} with a flag reason`);
  const classId = d.correction?.classId;
  if (classId !== undefined && !context.classIds.has(classId)) {
    const keptNone = classId === -1 && original?.classId === -1;
    if (!keptNone) {
      const ids = [...context.classIds].sort((a, b) => a - b);
      problems.push(
        `sets class id ${classId}, which is not in the dataset's scheme (${clip(ids.join(', '), 60)})`,
      );
    }
  }
  const au = d.correction?.au;
  if (au?.status === 'coded') field('sets', auTextProblem(au.raw, original?.auRaw));
  return problems;
}
