import type { SourceFormat } from '../labels/types';
import {
  CONFIDENCE_RANK,
  type Detection,
  type FileHead,
  type FormatId,
  type LabelFormat,
} from './format';
import { ABAW_FORMAT } from './abaw';
import { BP4D_FORMAT } from './bp4d';
import { CK_PLUS_FORMAT } from './ck-plus';
import { DISFA_FORMAT } from './disfa';
import { GENERIC_TABLE_FORMAT } from './generic-table';
import { OPENFACE_FORMAT } from './openface';
import { RAF_AU_FORMAT } from './raf-au';
import { RAF_CE_FORMAT } from './raf-ce';
import { RAF_DB_FORMAT } from './raf-db';
import { WHITESPACE_TABLE_FORMAT } from './whitespace-table';

/**
 * Every label format the app reads and writes, one line each. The importer, the
 * export and the import screen ask this list; nothing else knows the formats. Where
 * two formats are equally sure of a file, the one listed first is the guess (and the
 * import screen asks).
 */
export const FORMATS: readonly LabelFormat[] = [
  RAF_CE_FORMAT,
  RAF_DB_FORMAT,
  OPENFACE_FORMAT,
  ABAW_FORMAT,
  BP4D_FORMAT,
  DISFA_FORMAT,
  RAF_AU_FORMAT,
  CK_PLUS_FORMAT,
  WHITESPACE_TABLE_FORMAT,
  GENERIC_TABLE_FORMAT,
];

export function formatById(id: FormatId): LabelFormat {
  const format = FORMATS.find((f) => f.id === id);
  if (!format) throw new Error(`formatById: no format '${id}'`);
  return format;
}

/** The format that reads and writes a stored format id. */
export function formatOf(source: SourceFormat): LabelFormat {
  const format = FORMATS.find((f) => f.sourceFormats.includes(source));
  if (!format) throw new Error(`formatOf: no format writes '${source}'`);
  return format;
}

/** What every format makes of one file, the surest first (registry order between equals). */
export function detectFile(file: FileHead): Detection[] {
  const found: Detection[] = [];
  for (const format of FORMATS) {
    const detection = format.detect(file);
    if (detection) found.push(detection);
  }
  return found.sort((a, b) => CONFIDENCE_RANK[b.confidence] - CONFIDENCE_RANK[a.confidence]);
}

export interface ImportDetection {
  /** Per file, what the formats make of it, the surest first. */
  files: { name: string; detections: Detection[] }[];
  /** The format the files are read as; null when no format takes any of them. */
  format: FormatId | null;
  /**
   * Why the choice is not sure, in plain words, when it is not: another format is as
   * sure of some file, or only 'possible' detections were found. The import screen
   * then asks the user to say what the files are.
   */
  unsure: string | null;
}

/**
 * The format of an import: the one with the surest detections over all files (a
 * certain file counts 3, likely 2, possible 1; ties go to the format listed first).
 */
export function detectImport(files: readonly FileHead[]): ImportDetection {
  const perFile = files.map((file) => ({ name: file.name, detections: detectFile(file) }));
  const score = new Map<FormatId, number>();
  for (const { detections } of perFile)
    for (const d of detections)
      score.set(d.format, (score.get(d.format) ?? 0) + CONFIDENCE_RANK[d.confidence]);
  let format: FormatId | null = null;
  let best = 0;
  for (const f of FORMATS) {
    const s = score.get(f.id) ?? 0;
    if (s > best) {
      best = s;
      format = f.id;
    }
  }
  let unsure: string | null = null;
  if (format !== null) {
    const chosen = formatById(format);
    const rivals = FORMATS.filter((f) => f.id !== format && score.get(f.id) === best);
    const surest = Math.max(
      ...perFile.flatMap(({ detections }) =>
        detections.filter((d) => d.format === format).map((d) => CONFIDENCE_RANK[d.confidence]),
      ),
    );
    if (rivals.length > 0)
      unsure = `read as ${chosen.name}, but ${rivals.map((f) => f.name).join(' or ')} would fit as well`;
    else if (surest <= CONFIDENCE_RANK.possible)
      unsure = `read as ${chosen.name} by content alone: nothing in the files' names or headers says so`;
  }
  return { files: perFile, format, unsure };
}
