import { baseName } from '../../labels/records';
import { textAt } from '../../labels/text-column';
import { DEFAULT_SOURCE, LineSink, encodeLike } from '../../labels/text-out';
import { AuStatus, type SourceFile } from '../../labels/types';
import type { ExportFile, LabelWriterInput } from '../format';
import { PresentAus, decodeRuns, decodeSide, frameOfImage, samplesByVideo } from '../frames';
import { DEFAULT_PRESENCE_THRESHOLD, DISFA_AUS, INTENSITY_LETTERS, disfaFileOf } from './read';

/**
 * DISFA's drop-in files: a `frame,intensity` file per subject and AU the source had,
 * the subject's frames in table order (its files' order). A present AU is written at
 * the intensity its letter gives (`12C`: 3), at least the threshold the import used
 * (a reviewer's plain `12`: the threshold); an absent one at the intensity below the
 * threshold the source had (its side values), else 0. So an untouched export is
 * byte-identical to the input (see read.ts on presence).
 *
 * DISFA has no value for "not coded": a frame the export leaves out (dropped, or not
 * coded) loses its line in every file of its subject. Each line names its frame, so
 * the lines left keep their frames; writing 0 instead would claim the AU absent.
 */
export function writeDisfa(input: LabelWriterInput): ExportFile[] {
  const { table, labels, kept } = input;
  const keptMask = new Uint8Array(table.count);
  for (let k = 0; k < kept.length; k++) keptMask[kept[k] as number] = 1;
  const bySubject = samplesByVideo(table.names, table.count);
  const sources = input.sourceFiles.length > 0 ? input.sourceFiles : defaultSources(bySubject);
  const present = new PresentAus();
  const files: ExportFile[] = [];
  for (const source of sources) {
    const named = disfaFileOf(source.name);
    // The reader keeps only files whose name gives both.
    if (!named) throw new Error(`writeDisfa: ${source.name} names no subject and AU`);
    const side = decodeSide(source.sideValues);
    const threshold = Number(side.get('t') ?? DEFAULT_PRESENCE_THRESHOLD);
    const lacking = decodeRuns(side.get('-') ?? '');
    const below: [number, Set<number>][] = [];
    for (let value = 1; value < threshold; value++) {
      const runs = side.get(String(value));
      if (runs !== undefined) below.push([value, decodeRuns(runs)]);
    }
    const sink = new LineSink(source.eol);
    for (const i of bySubject.get(named.subject) ?? []) {
      if (keptMask[i] !== 1 || labels.auStatus[i] !== AuStatus.coded) continue;
      const frame = frameOfImage(textAt(table.names, i))?.frame;
      if (frame === undefined || lacking.has(frame)) continue;
      const on = present.of(labels.auRaw[i] ?? '');
      let intensity = 0;
      if (on.has(named.au)) {
        const letter = on.get(named.au);
        intensity = Math.max(letter ? INTENSITY_LETTERS.indexOf(letter) + 1 : 0, threshold);
      } else {
        for (const [value, frames] of below) if (frames.has(frame)) intensity = value;
      }
      sink.push(`${frame},${intensity}`);
    }
    files.push({
      path: baseName(source.name),
      bytes: encodeLike(sink.finish(source.finalNewline), source),
    });
  }
  return files;
}

/** For labels read from no file: a file per subject and DISFA AU, at the usual threshold. */
function defaultSources(bySubject: ReadonlyMap<string, number[]>): SourceFile[] {
  return [...bySubject.keys()].flatMap((subject) =>
    DISFA_AUS.map((au) => ({
      ...DEFAULT_SOURCE,
      name: `${subject}_au${au}.txt`,
      role: 'au' as const,
    })),
  );
}
