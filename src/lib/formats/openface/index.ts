import { columnsFromRecords, type LabelRecord, type ReadResult } from '../../labels/records';
import type { Detection, FileHead, FormatRead, FormatReadInput, LabelFormat } from '../format';
import { headLines } from '../sniff';
import { OPENFACE_AUS, auValuesOf, openFaceAuName, readOpenFace, readOpenFaceHeader } from './read';
import { OPENFACE_LABELS_FILE, writeOpenFaceLabels } from './write';

/**
 * OpenFace 2 output as AU labels: a CSV per image or per video, read into one set of
 * samples (`0001.jpg`, or `<video>/<frame:05d>.jpg`). An AU is present where its `_c`
 * column says 1; where a file has only `_r`, where its intensity reaches
 * FormatSettings.presenceThreshold (1 by default). Rows where OpenFace lost the face
 * (success 0) are not coded (`null`). Exported as one clean table, not as OpenFace's
 * own files (see write.ts).
 */

function detect(file: FileHead): Detection | null {
  const [first] = headLines(file, 1);
  if (first === undefined) return null;
  const header = readOpenFaceHeader(file.name, 1, first);
  if (!header || header.aus.length === 0) return null;
  // OpenFace writes a frame or a face column before all else: a table of AU columns
  // alone (a user's own, named after OpenFace's) is not its output, and read as one
  // would give a single image. AU01 is the first AU it writes.
  if (header.frame < 0 && header.face < 0) return null;
  const columns = new Set(header.columns);
  const ownAus = columns.has('AU01_r') || columns.has('AU01_c');
  const rows =
    header.kind === 'video' ? 'one row per frame of a video' : 'one row per face of an image';
  const named = header.aus
    .slice(0, 3)
    .map(({ au, intensity }) => `${openFaceAuName(au)}_${intensity >= 0 ? 'r' : 'c'}`);
  return {
    format: 'openface',
    role: 'au',
    confidence: ownAus ? 'certain' : 'likely',
    why: `a header with OpenFace's AU columns (${named.join(', ')} ...), ${rows}`,
  };
}

function read(input: FormatReadInput): FormatRead {
  const files = input.files.map(({ file }) => file);
  const openFace = readOpenFace(
    files,
    input.settings.presenceThreshold === undefined
      ? {}
      : { presenceThreshold: input.settings.presenceThreshold },
  );
  const valueOf = auValuesOf();
  const records: LabelRecord[] = openFace.rows.map((row) => ({
    line: row.line,
    image: row.image,
    au: valueOf(row),
  }));
  const sourceFiles = openFace.files.flatMap((f) => (f.source ? [f.source] : []));
  // All files in one read, so that the join sees one source and needs no lookup by
  // name; the rows' lines are each in its own file.
  const joined: ReadResult = {
    rows: columnsFromRecords(records),
    problems: openFace.problems,
    rowsRead: openFace.files.reduce((sum, f) => sum + f.rowsRead, 0),
    source: sourceFiles[0] ?? null,
  };
  const first = input.files[0];
  return {
    format: 'openface',
    scheme: null,
    splitNames: {},
    reads: first ? [{ file: first.file, role: 'au', read: joined }] : [],
    problems: [],
    sourceFiles,
    reportFiles: openFace.files.map((f) => ({
      name: f.name,
      role: 'au',
      lines: f.rowsRead,
      accepted: f.accepted,
    })),
  };
}

export const OPENFACE_FORMAT: LabelFormat = {
  id: 'openface',
  name: 'OpenFace output',
  files:
    'OpenFace 2 CSVs (FaceLandmarkImg per image, FeatureExtraction per video) with AU01_r ... AU45_c columns',
  sourceFormats: ['openface'],
  detect,
  read,
  write: writeOpenFaceLabels,
  readmeName: () =>
    `OpenFace output, exported as ${OPENFACE_LABELS_FILE} (image, then one column per AU: 1 present, 0 absent, -1 not coded); OpenFace's own CSVs are tool output and are not written back`,
  // OpenFace names its CSVs after the video and says nothing of who it shows.
  subjectOf: (video) => video,
  auVocabulary: OPENFACE_AUS,
};
