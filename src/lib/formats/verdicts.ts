import type { ParseReport, SourceFile, SourceFormat } from '../labels/types';
import type { FormatId } from './format';
import { FORMATS, formatById, type ImportDetection } from './registry';

/**
 * What the import screen says of each file: what it was read as and why, or plainly
 * why it was not taken; and the choices a user has to say what the files are.
 */

export const ROLE_NAMES: Readonly<Record<SourceFile['role'], string>> = {
  emotion: 'emotion labels',
  au: 'AU labels',
  split: 'splits',
  combined: 'labels (all in one)',
};

export interface FileVerdict {
  name: string;
  /** "RAF-CE, AU labels", or null when the file was not read. */
  readAs: string | null;
  /** The role it was read in; null when it was not read. */
  role: SourceFile['role'] | null;
  /** How detection knew (or what it guessed), in plain words. */
  why: string | null;
  /** Why the file was not read, in plain words; null when it was. */
  notTaken: string | null;
}

const NOT_TAKEN_KINDS = new Set(['unknown-file', 'file-too-large']);

/** One verdict per file, in the files' order. */
export function fileVerdicts(
  detection: ImportDetection,
  report: Pick<ParseReport, 'problems' | 'files'>,
  format: SourceFormat,
  roles: Readonly<Record<string, SourceFile['role']>> = {},
): FileVerdict[] {
  const formatId = FORMATS.find((f) => f.sourceFormats.includes(format))?.id ?? null;
  return detection.files.map(({ name, detections }) => {
    const refusal = report.problems.find((p) => p.file === name && NOT_TAKEN_KINDS.has(p.kind));
    const own = detections.find((d) => d.format === formatId);
    const role = roles[name] ?? own?.role;
    if (refusal || !formatId || !role)
      return {
        name,
        readAs: null,
        role: null,
        why: detections[0]?.why ?? null,
        notTaken: refusal?.message ?? 'not read',
      };
    return {
      name,
      readAs: `${formatById(formatId).name}, ${ROLE_NAMES[role]}`,
      role,
      why: roles[name] ? 'as you said' : (own?.why ?? null),
      notTaken: null,
    };
  });
}

export interface FormatChoice {
  value: SourceFormat;
  label: string;
  /** The format's own name (RAF-DB for both its sets). */
  name: string;
  /** What the format's files look like, for the screen. */
  files: string;
  format: FormatId;
}

/** Every stored format a user can ask for, in the registry's order. */
export function formatChoices(): FormatChoice[] {
  return FORMATS.flatMap((f) =>
    f.sourceFormats.map((value) => ({
      value,
      label: f.sourceFormats.length > 1 ? f.readmeName(value) : f.name,
      name: f.name,
      files: f.files,
      format: f.id,
    })),
  );
}

/** The roles a user can give a file of this format (more than one: the screen offers a choice). */
export function roleChoices(format: SourceFormat): SourceFile['role'][] {
  const found = FORMATS.find((f) => f.sourceFormats.includes(format));
  return [...(found?.roles ?? ['combined'])];
}
