import { maskHas, maskToAus } from '../../labels/au';
import { textAt } from '../../labels/text-column';
import { LineSink, csvRow, utf8 } from '../../labels/text-out';
import { AuStatus } from '../../labels/types';
import type { ExportFile, LabelWriterInput } from '../format';
import { OPENFACE_AUS, openFaceAuName, readOpenFaceHeader } from './read';

/** The one file an OpenFace dataset is exported as. */
export const OPENFACE_LABELS_FILE = 'openface_labels.csv';

/**
 * OpenFace's CSVs are a tool's output, not label files anyone edits: hundreds of
 * landmark, pose and gaze columns of which the app keeps none. Rather than pretend to
 * write them back, the export is one plain table, `openface_labels.csv`: `image`, then
 * one column per AU (`AU01` ...) holding 1 (present), 0 (absent) or -1 (not coded:
 * OpenFace lost the face, or no label). The AU columns are those the imported headers
 * gave, and any AU a reviewer added; UTF-8, LF line ends. So an untouched export is
 * not the imported bytes: it is the same labels, in a file made to be read.
 */
export function writeOpenFaceLabels(input: LabelWriterInput): ExportFile[] {
  const { table, labels, kept, sourceFiles } = input;
  const aus = new Set<number>();
  for (const source of sourceFiles) {
    const header = source.header ? readOpenFaceHeader(source.name, 1, source.header) : null;
    for (const { au } of header?.aus ?? []) aus.add(au);
  }
  if (aus.size === 0) for (const au of OPENFACE_AUS) aus.add(au);
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    if (labels.auStatus[i] === AuStatus.coded)
      for (const au of maskToAus(labels.auMask, i)) aus.add(au);
  }
  const columns = [...aus].sort((a, b) => a - b);
  const sink = new LineSink('\n');
  sink.push(csvRow(['image', ...columns.map(openFaceAuName)]));
  const cells = new Array<string>(columns.length + 1);
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    const coded = labels.auStatus[i] === AuStatus.coded;
    cells[0] = textAt(table.names, i);
    for (let c = 0; c < columns.length; c++)
      cells[c + 1] = !coded ? '-1' : maskHas(labels.auMask, i, columns[c] as number) ? '1' : '0';
    sink.push(csvRow(cells));
  }
  return [{ path: OPENFACE_LABELS_FILE, bytes: utf8(sink.finish(true)) }];
}
