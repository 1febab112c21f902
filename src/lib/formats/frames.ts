import { parseAuString, type AuIntensity } from '../labels/au';
import { makeProblem, nonCanonicalIdMessage, type AuValue } from '../labels/records';
import { textAt, type TextColumn } from '../labels/text-column';
import type { InputFile, Problem } from '../labels/types';

/**
 * What the video formats (ABAW, BP4D, DISFA, OpenFace) share: frame image names, the
 * runs of frames their side values are kept as, and the AU value of a frame that has no
 * AU active.
 */

/** `F001_T1/00012.jpg`: a frame's sample name, its number zero-padded to 5. */
export function frameImageName(video: string, frame: number): string {
  return `${video}/${String(frame).padStart(5, '0')}.jpg`;
}

/** The video and frame number of a sample name `<video>/<digits>.<ext>`; null when it is not one. */
export function frameOfImage(name: string): { video: string; frame: number } | null {
  const slash = name.lastIndexOf('/');
  if (slash <= 0) return null;
  const match = /^(\d+)(?:\.[^./]*)?$/.exec(name.slice(slash + 1));
  if (!match) return null;
  return { video: name.slice(0, slash), frame: Number(match[1]) };
}

/** The samples of each video, in table order (the order their files listed the frames). */
export function samplesByVideo(names: TextColumn, count: number): Map<string, number[]> {
  const byVideo = new Map<string, number[]>();
  for (let i = 0; i < count; i++) {
    const name = textAt(names, i);
    const slash = name.lastIndexOf('/');
    if (slash <= 0) continue;
    const video = name.slice(0, slash);
    let samples = byVideo.get(video);
    if (!samples) byVideo.set(video, (samples = []));
    samples.push(i);
  }
  return byVideo;
}

/** Videos and subjects in the order people number them (`F001_T2` before `F001_T10`). */
export const naturalOrder = (a: string, b: string): number =>
  a.localeCompare(b, 'en', { numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);

/** A frame number as written back: digits without leading zeros (so the export can give it back). */
export const FRAME_NUMBER = /^(?:0|[1-9]\d{0,8})$/;

/** The number text[start, end) writes when FRAME_NUMBER matches it, else -1; no string is made. */
export function frameNumberAt(text: string, start: number, end: number): number {
  const length = end - start;
  if (length < 1 || length > 9 || (length > 1 && text.charCodeAt(start) === 48)) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Why a frame field is refused, for a problem's message. */
export function badFrameMessage(raw: string): string {
  return /^\+?\d+$/.test(raw)
    ? `${nonCanonicalIdMessage('frame number', raw)}; row rejected`
    : `frame number '${raw}' is not a whole number; row rejected`;
}

/**
 * The frames a file gave so far, and on which line. Files list their frames rising:
 * while they do, a frame cannot repeat an earlier one and no lookup is needed; the
 * first frame out of order builds the lookup.
 */
export class FramesSeen {
  /** The highest frame so far (-1: none). */
  highest = -1;
  private readonly frames: number[] = [];
  private readonly lines: number[] = [];
  private byFrame: Map<number, number> | null = null;

  /** The line that first gave the frame, or undefined when it is new (then it is recorded). */
  firstLineOrAdd(frame: number, line: number): number | undefined {
    if (!this.byFrame && frame > this.highest) {
      this.highest = frame;
      this.frames.push(frame);
      this.lines.push(line);
      return undefined;
    }
    if (!this.byFrame) {
      const byFrame = new Map<number, number>();
      this.frames.forEach((seen, k) => byFrame.set(seen, this.lines[k] as number));
      this.byFrame = byFrame;
    }
    const first = this.byFrame.get(frame);
    if (first === undefined) {
      this.byFrame.set(frame, line);
      this.highest = Math.max(this.highest, frame);
    }
    return first;
  }
}

/** The warning of a frame listed after a higher one (kept: its name is its own). */
export function frameOrderProblem(
  file: string,
  line: number,
  frame: number,
  highest: number,
): Problem {
  return makeProblem(
    file,
    line,
    'conflict',
    'warning',
    'frame',
    String(frame),
    `frame ${frame} comes after frame ${highest}: frames are expected in ascending order; kept`,
  );
}

export function repeatedFrameProblem(
  file: string,
  line: number,
  frame: number,
  first: number,
): Problem {
  return makeProblem(
    file,
    line,
    'duplicate-image',
    'error',
    'frame',
    String(frame),
    `frame ${frame} already given on line ${first}; row rejected`,
  );
}

/**
 * Frame numbers as runs of consecutive numbers, `3-7,12,20-21`, in the order given:
 * the side values' notation (BP4D's 9s, DISFA's intensities below the threshold),
 * short because such values come in runs of frames.
 */
export function encodeRuns(frames: readonly number[]): string {
  const runs: string[] = [];
  let k = 0;
  while (k < frames.length) {
    const start = frames[k] as number;
    let end = start;
    while (k + 1 < frames.length && frames[k + 1] === end + 1) end = frames[++k] as number;
    runs.push(start === end ? String(start) : `${start}-${end}`);
    k++;
  }
  return runs.join(',');
}

/** The frames of encodeRuns' text; a text it did not write is a bug. */
export function decodeRuns(text: string): Set<number> {
  const frames = new Set<number>();
  if (text === '') return frames;
  for (const run of text.split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(run);
    if (!match) throw new Error(`decodeRuns: '${run}' is not a run of frames`);
    const start = Number(match[1]);
    const end = match[2] === undefined ? start : Number(match[2]);
    for (let frame = start; frame <= end; frame++) frames.add(frame);
  }
  return frames;
}

/**
 * Side values as `key=value` entries joined by `;` (SourceFile.sideValues): the
 * formats' keys are AU numbers, `t` or `-`, their values runs or `*`.
 */
export function encodeSide(entries: readonly (readonly [string, string])[]): string | undefined {
  return entries.length === 0 ? undefined : entries.map(([k, v]) => `${k}=${v}`).join(';');
}

export function decodeSide(text: string | undefined): Map<string, string> {
  const entries = new Map<string, string>();
  if (!text) return entries;
  for (const entry of text.split(';')) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new Error(`decodeSide: '${entry}' is not key=value`);
    entries.set(entry.slice(0, at), entry.slice(at + 1));
  }
  return entries;
}

/**
 * A frame with no AU active: coded, with nothing in it, which FACS writes `0` (the
 * neutral face; labels/au.ts). The readers build it from an empty list of AUs.
 */
export const NO_AU: AuValue = Object.freeze({ raw: '0', parsed: parseAuString('0') }) as AuValue;

/** AU values by text, each parsed once: a dataset of frames repeats a few hundred over all frames. */
export class AuValues {
  private readonly byText = new Map<string, AuValue>([
    ['', NO_AU],
    ['0', NO_AU],
  ]);

  of(raw: string): AuValue {
    let value = this.byText.get(raw);
    if (!value) this.byText.set(raw, (value = { raw, parsed: parseAuString(raw) }));
    return value;
  }
}

/**
 * The AUs an AU text makes present (its AU tokens, any side), each with the intensity
 * of its first token: what a writer puts in a frame's columns. Texts are parsed once.
 */
export class PresentAus {
  private readonly byText = new Map<string, Map<number, AuIntensity | null>>();

  of(raw: string): Map<number, AuIntensity | null> {
    let present = this.byText.get(raw);
    if (!present) {
      present = new Map();
      if (raw.trim() !== '')
        for (const token of parseAuString(raw).tokens)
          if (token.kind === 'AU' && !present.has(token.au)) present.set(token.au, token.intensity);
      this.byText.set(raw, present);
    }
    return present;
  }
}

/**
 * The one InputFile a joined read of many files stands for: named after the files, so
 * that a problem of the join (an image without a label) names them.
 */
export function joinedFile(files: readonly InputFile[], what: string): InputFile {
  const only = files.length === 1 ? files[0] : undefined;
  return {
    name: only ? only.name : `${files.length} ${what} files`,
    bytes: new Uint8Array(0),
  };
}
