import { baseName } from '../../labels/records';
import { textAt } from '../../labels/text-column';
import { DEFAULT_SOURCE, LineSink, encodeLike } from '../../labels/text-out';
import { AuStatus, type SourceFile } from '../../labels/types';
import type { ExportFile, LabelWriterInput } from '../format';
import { PresentAus, decodeRuns, decodeSide, frameOfImage, samplesByVideo } from '../frames';
import { BP4D_AUS, bp4dVideoOf, parseBp4dHeader } from './read';

/**
 * BP4D's drop-in files: one occurrence CSV per video the source had, its header as
 * written, then a row per frame in the order the file listed them. A frame the export
 * leaves out (dropped, or not coded) keeps its row, every AU written 9 (not coded):
 * loaders index frames by row as often as by the frame column, and a missing row would
 * shift every frame after it. An AU a frame's label makes present is 1; an AU it does
 * not is 0, or 9 where the source file had 9 (its side values); an AU without a column
 * in the file cannot be written. So an untouched export is byte-identical to the input.
 */
export function writeBp4d(input: LabelWriterInput): ExportFile[] {
  const { table, labels, kept } = input;
  const keptMask = new Uint8Array(table.count);
  for (let k = 0; k < kept.length; k++) keptMask[kept[k] as number] = 1;
  const byVideo = samplesByVideo(table.names, table.count);
  const sources = input.sourceFiles.length > 0 ? input.sourceFiles : defaultSources(byVideo);
  const present = new PresentAus();
  const files: ExportFile[] = [];
  for (const source of sources) {
    const header = source.header ?? defaultHeader();
    const parsed = parseBp4dHeader(header);
    // The reader keeps only files whose header it read.
    if ('problem' in parsed) throw new Error(`writeBp4d: ${source.name} has no BP4D header`);
    const aus = parsed.aus;
    const side = decodeSide(source.sideValues);
    const nines = aus.map((au) => {
      const runs = side.get(String(au));
      return runs === undefined ? null : runs === '*' ? 'all' : decodeRuns(runs);
    });
    const notCoded = ',9'.repeat(aus.length);
    const sink = new LineSink(source.eol);
    sink.push(header);
    for (const i of byVideo.get(bp4dVideoOf(source.name)) ?? []) {
      const frame = frameOfImage(textAt(table.names, i))?.frame;
      if (frame === undefined) continue;
      if (keptMask[i] !== 1 || labels.auStatus[i] !== AuStatus.coded) {
        sink.push(`${frame}${notCoded}`);
        continue;
      }
      const on = present.of(labels.auRaw[i] ?? '');
      let row = String(frame);
      for (let c = 0; c < aus.length; c++) {
        const nine = nines[c];
        row += on.has(aus[c] as number)
          ? ',1'
          : nine === 'all' || nine?.has(frame) === true
            ? ',9'
            : ',0';
      }
      sink.push(row);
    }
    files.push({
      path: baseName(source.name),
      bytes: encodeLike(sink.finish(source.finalNewline), source),
    });
  }
  return files;
}

function defaultHeader(): string {
  return `frame,${BP4D_AUS.join(',')}`;
}

/** For labels read from no file: a file per video, BP4D's 12 AUs. */
function defaultSources(byVideo: ReadonlyMap<string, number[]>): SourceFile[] {
  return [...byVideo.keys()].map((video) => ({
    ...DEFAULT_SOURCE,
    name: `${video}.csv`,
    role: 'au' as const,
    header: defaultHeader(),
  }));
}
