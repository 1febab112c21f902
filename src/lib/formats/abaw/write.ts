import { type TextColumn } from '../../labels/text-column';
import { DEFAULT_SOURCE, LineSink, encodeLike } from '../../labels/text-out';
import { AuStatus, type SampleLabels, type SourceFile } from '../../labels/types';
import type { ExportFile, LabelWriterInput } from '../format';
import { parseAbawHeader, videoOfPath, type AbawSet } from './read';
import { ABAW_AU_HEADER, ABAW_EXPR_HEADER } from './scheme';

/**
 * Aff-Wild2 / ABAW's drop-in files: one file per video and set, as the source had
 * them (its path, header, end-of-line, final newline, BOM and encoding), so that an
 * untouched export is byte-identical to the imported files.
 *
 * The files are positional (line n after the header is frame n), so a file keeps its
 * frame count: a frame the export drops, or that has no label of the file's set,
 * becomes a line of -1 (not annotated), never a removed line. AU values are written
 * in the header's column order: 1 for an AU present, 0 for one absent, -1 on every
 * column for a frame not coded; an AU the header has no column for cannot be written.
 */

/** Kept samples by video and frame: index frame - 1 holds the sample, or -1. */
function keptFramesByVideo(names: TextColumn, kept: Int32Array): Map<string, Int32Array> {
  const text = names.text;
  const ends = names.ends;
  const videoIds = new Map<string, number>();
  const lastFrames: number[] = [];
  /** Each kept sample's video id and frame (-1: not a frame name). */
  const videoOfKept = new Int32Array(kept.length).fill(-1);
  const frameOfKept = new Int32Array(kept.length);
  let video = '';
  let videoId = -1;
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    const start = i === 0 ? 0 : (ends[i - 1] as number) + 1;
    const end = ends[i] as number;
    // Most names end in `/<5 digits>.jpg`: read there first, without a search.
    let slash = end - 10;
    let frame = slash > start && text.charCodeAt(slash) === 47 ? fiveDigits(text, slash + 1) : -1;
    if (frame < 0 || text.charCodeAt(end - 4) !== 46) {
      slash = text.lastIndexOf('/', end - 1);
      if (slash <= start) continue;
      frame = 0;
      let j = slash + 1;
      for (let c = text.charCodeAt(j); j < end && c >= 48 && c <= 57; c = text.charCodeAt(++j))
        frame = frame * 10 + (c - 48);
      if (j === slash + 1 || j === end || text.charCodeAt(j) !== 46) continue;
    }
    if (frame < 1) continue;
    // Samples of one video come together: its name is compared, not cut out, each time.
    if (videoId < 0 || slash - start !== video.length || !text.startsWith(video, start)) {
      video = text.slice(start, slash);
      const known = videoIds.get(video);
      videoId = known ?? videoIds.size;
      if (known === undefined) {
        videoIds.set(video, videoId);
        lastFrames.push(0);
      }
    }
    videoOfKept[k] = videoId;
    frameOfKept[k] = frame;
    if (frame > (lastFrames[videoId] as number)) lastFrames[videoId] = frame;
  }
  const sampleOf = lastFrames.map((last) => new Int32Array(last).fill(-1));
  for (let k = 0; k < kept.length; k++) {
    const id = videoOfKept[k] as number;
    if (id >= 0) (sampleOf[id] as Int32Array)[(frameOfKept[k] as number) - 1] = kept[k] as number;
  }
  const byVideo = new Map<string, Int32Array>();
  for (const [name, id] of videoIds) byVideo.set(name, sampleOf[id] as Int32Array);
  return byVideo;
}

/** The number written in five digits at text[at], or -1 when they are not all digits. */
function fiveDigits(text: string, at: number): number {
  let value = 0;
  for (let k = at; k < at + 5; k++) {
    const digit = text.charCodeAt(k) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** A path inside the export from a name as imported: forward slashes, no drive, no `..`. */
export function exportPath(name: string): string {
  return name
    .replace(/\\/g, '/')
    .replace(/^[A-Za-z]:/, '')
    .split('/')
    .filter((part) => part !== '' && part !== '.' && part !== '..')
    .join('/');
}

const SET_FOLDERS: Readonly<Record<AbawSet, string>> = { au: 'AU_Set', emotion: 'EXPR_Set' };
const SPLIT_FOLDERS: Readonly<Record<number, string>> = { 0: 'Train_Set', 1: 'Validation_Set' };

/** A file to write, and the video whose frames it holds. */
interface Target {
  source: SourceFile;
  video: string;
}

/** The files a dataset without ABAW sources gets: one per video and set, in folders by split. */
function defaultTargets(
  byVideo: Map<string, Int32Array>,
  labels: SampleLabels,
  splits: Int8Array,
): Target[] {
  const targets: Target[] = [];
  for (const [video, sampleOf] of byVideo) {
    let split = -1;
    let hasClass = false;
    for (const sample of sampleOf) {
      if (sample < 0) continue;
      if (split < 0) split = splits[sample] as number;
      if ((labels.classIds[sample] as number) >= 0) hasClass = true;
    }
    const splitFolder = SPLIT_FOLDERS[split];
    const folder = (set: AbawSet) => [SET_FOLDERS[set], splitFolder].filter(Boolean).join('/');
    const lines = 1 + sampleOf.length;
    const target = (set: AbawSet, header: string): Target => ({
      source: { ...DEFAULT_SOURCE, name: `${folder(set)}/${video}.txt`, role: set, lines, header },
      video,
    });
    targets.push(target('au', ABAW_AU_HEADER));
    if (hasClass) targets.push(target('emotion', ABAW_EXPR_HEADER));
  }
  return targets;
}

/** The AU lines of one file: each frame's values in the header's columns. */
function auLines(
  aus: readonly number[],
  frames: number,
  sampleOf: Int32Array | undefined,
  labels: SampleLabels,
): string[] {
  const notCoded = aus.map(() => '-1').join(',');
  // A dataset has a few hundred AU combinations: each line is built once per file.
  const lineOfMask = new Map<number, string>();
  const { auStatus, auMask } = labels;
  const lineOf = (lo: number, hi: number) =>
    aus
      .map((au) => {
        const word = au <= 32 ? lo : hi;
        return (word >>> (au <= 32 ? au - 1 : au - 33)) & 1 ? '1' : '0';
      })
      .join(',');
  const lines = new Array<string>(frames);
  for (let f = 0; f < frames; f++) {
    const sample = sampleOf && f < sampleOf.length ? (sampleOf[f] as number) : -1;
    if (sample < 0 || auStatus[sample] !== AuStatus.coded) {
      lines[f] = notCoded;
      continue;
    }
    const lo = auMask[2 * sample] as number;
    const hi = auMask[2 * sample + 1] as number;
    if (hi !== 0) {
      lines[f] = lineOf(lo, hi);
      continue;
    }
    let line = lineOfMask.get(lo);
    if (line === undefined) {
      line = lineOf(lo, 0);
      lineOfMask.set(lo, line);
    }
    lines[f] = line;
  }
  return lines;
}

function expressionLines(
  frames: number,
  sampleOf: Int32Array | undefined,
  labels: SampleLabels,
): string[] {
  const classText: string[] = [];
  const lines = new Array<string>(frames);
  for (let f = 0; f < frames; f++) {
    const sample = sampleOf && f < sampleOf.length ? (sampleOf[f] as number) : -1;
    const classId = sample < 0 ? -1 : (labels.classIds[sample] as number);
    lines[f] = classId < 0 ? '-1' : (classText[classId] ??= String(classId));
  }
  return lines;
}

/**
 * The file's bytes as its source was written. UTF-8 is written straight to bytes,
 * each distinct line encoded once: a file repeats a few dozen lines over thousands of
 * frames, and 2.6 million lines joined into strings and encoded again cost more.
 */
function encodeFile(header: string, lines: readonly string[], source: SourceFile): Uint8Array {
  if (source.encoding !== undefined && source.encoding !== 'utf-8') {
    const sink = new LineSink(source.eol);
    sink.push(header);
    for (const line of lines) sink.push(line);
    return encodeLike(sink.finish(source.finalNewline), source);
  }
  const encoder = new TextEncoder();
  const eol = encoder.encode(source.eol);
  const headerBytes = encoder.encode(header);
  const bytesOf = new Map<string, Uint8Array>();
  const parts = new Array<Uint8Array>(lines.length);
  let total = (source.bom ? 3 : 0) + headerBytes.length + eol.length * lines.length;
  if (source.finalNewline) total += eol.length;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k] as string;
    let bytes = bytesOf.get(line);
    if (bytes === undefined) {
      bytes = encoder.encode(line);
      bytesOf.set(line, bytes);
    }
    parts[k] = bytes;
    total += bytes.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  if (source.bom) {
    out.set([0xef, 0xbb, 0xbf]);
    at = 3;
  }
  out.set(headerBytes, at);
  at += headerBytes.length;
  const eolLength = eol.length;
  for (let k = 0; k < parts.length; k++) {
    for (let e = 0; e < eolLength; e++) out[at++] = eol[e] as number;
    const part = parts[k] as Uint8Array;
    // Lines are a few dozen bytes: a loop beats set() at that size.
    for (let b = 0; b < part.length; b++) out[at++] = part[b] as number;
  }
  if (source.finalNewline) out.set(eol, at);
  return out;
}

/** One file per video and set the source had, in its path; frames in frame order. */
export function writeAbaw(input: LabelWriterInput): ExportFile[] {
  const { table, labels, kept } = input;
  const byVideo = keptFramesByVideo(table.names, kept);
  let targets: Target[] = input.sourceFiles
    .filter((source) => source.role === 'au' || source.role === 'emotion')
    .map((source) => ({ source, video: videoOfPath(source.name) }));
  if (targets.length === 0) targets = defaultTargets(byVideo, labels, table.splits);
  // Files of the two sets share their video's name: given without their set's folder,
  // two would land on one path.
  const paths = targets.map(({ source }) => exportPath(source.name));
  const uses = new Map<string, number>();
  for (const path of paths) uses.set(path, (uses.get(path) ?? 0) + 1);
  const files: ExportFile[] = [];
  targets.forEach(({ source, video }, at) => {
    const set: AbawSet = source.role === 'emotion' ? 'emotion' : 'au';
    const own = paths[at] as string;
    const path = (uses.get(own) ?? 0) > 1 ? `${SET_FOLDERS[set]}/${own}` : own;
    const defaultHeader = set === 'au' ? ABAW_AU_HEADER : ABAW_EXPR_HEADER;
    let headerText = source.header ?? defaultHeader;
    let header = parseAbawHeader(headerText);
    if ('refused' in header || header.set !== set) {
      headerText = defaultHeader;
      header = parseAbawHeader(headerText);
    }
    const frames = Math.max(0, source.lines - 1);
    const sampleOf = byVideo.get(video);
    const lines =
      'aus' in header
        ? auLines(header.aus, frames, sampleOf, labels)
        : expressionLines(frames, sampleOf, labels);
    files.push({ path, bytes: encodeFile(headerText, lines, source) });
  });
  return files;
}
