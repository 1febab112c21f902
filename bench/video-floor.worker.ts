/// <reference lib="webworker" />

/**
 * The floor of a video AU set's import (Aff-Wild2 / ABAW: one file per video, a header
 * of AU names, one line of 0/1/-1 values per frame): one pass over each file's bytes
 * that finds the line and field boundaries and parses every value into one Int8Array.
 * No string, no validation, no AU text, no join, no report: the least any importer
 * must do to know every frame's AUs. The pages it stands for are written by the harness.
 */

export interface VideoFloorRequest {
  files: ArrayBuffer[];
  /** Values per frame (the AU columns). */
  columns: number;
}

export interface VideoFloorResponse {
  frames: number;
  /** Frames whose values were all -1 (not coded), as a check against the app. */
  notCoded: number;
}

const LF = 10;
const COMMA = 44;
const MINUS = 45;

self.onmessage = (event: MessageEvent<VideoFloorRequest>) => {
  const { files, columns } = event.data;
  let capacity = 0;
  for (const file of files) capacity += file.byteLength >> 3;
  let values = new Int8Array(capacity * columns);
  let frames = 0;
  let notCoded = 0;
  for (const buffer of files) {
    const bytes = new Uint8Array(buffer);
    // The header line names the columns: skipped.
    let at = bytes.indexOf(LF) + 1;
    const n = bytes.length;
    while (at > 0 && at < n) {
      if ((frames + 1) * columns > values.length) {
        const grown = new Int8Array(values.length * 2);
        grown.set(values);
        values = grown;
      }
      const row = frames * columns;
      let k = 0;
      let uncoded = 0;
      let value = 0;
      let negative = false;
      for (; at < n; at++) {
        const c = bytes[at] as number;
        if (c === COMMA || c === LF) {
          const v = negative ? -value : value;
          values[row + k++] = v;
          if (v < 0) uncoded++;
          value = 0;
          negative = false;
          if (c === LF) break;
        } else if (c === MINUS) negative = true;
        else if (c >= 48 && c <= 57) value = value * 10 + (c - 48);
      }
      if (at >= n && k < columns) {
        // A last line without a line feed.
        const v = negative ? -value : value;
        values[row + k++] = v;
        if (v < 0) uncoded++;
      }
      at++;
      if (k > 0) {
        frames++;
        if (uncoded === k) notCoded++;
      }
    }
  }
  const response: VideoFloorResponse = { frames, notCoded };
  (self as unknown as Worker).postMessage(response);
};
