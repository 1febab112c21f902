/// <reference lib="webworker" />

/**
 * The import floor's parser: the least any importer of these files must do. One pass
 * over each file's bytes finds the line and field boundaries; class and split ids are
 * parsed into typed arrays; each name of the AU and partition files is compared, byte
 * for byte, with the emotion file's name on the same line (the check that the files
 * name the same images). No string is made: no decoding, no validation beyond that, no
 * AU parsing, no join by name (the files are assumed in the same order, and checked),
 * no report. The pages it stands for are written by the harness.
 */

export interface FloorRequest {
  /** The three RAF-CE files' bytes, by role. */
  emotion: ArrayBuffer;
  au: ArrayBuffer;
  split: ArrayBuffer;
}

export interface FloorResponse {
  /** Samples (lines of the emotion file). */
  count: number;
  classIds: Int16Array;
  splits: Int8Array;
  /** Each AU value's byte range in the AU file. */
  auStart: Int32Array;
  auEnd: Int32Array;
  /** Lines of the AU and partition files whose name differs from the emotion file's. */
  nameMismatches: number;
  /** Lines read over the three files. */
  lines: number;
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** Line count, for sizing the arrays (a line feed count, plus an unterminated last line). */
function countLines(bytes: Uint8Array): number {
  let lines = 0;
  let at = bytes.indexOf(LF);
  while (at >= 0) {
    lines++;
    at = bytes.indexOf(LF, at + 1);
  }
  return bytes.length > 0 && bytes[bytes.length - 1] !== LF ? lines + 1 : lines;
}

/**
 * Visits each non-blank line: where its name ends (the first space or tab) and where
 * its value starts and ends (a CR before the LF left out).
 */
function scan(
  bytes: Uint8Array,
  visit: (row: number, start: number, nameEnd: number, valueStart: number, end: number) => void,
): number {
  let row = 0;
  let start = 0;
  const n = bytes.length;
  while (start < n) {
    let end = bytes.indexOf(LF, start);
    if (end < 0) end = n;
    let lineEnd = end;
    if (lineEnd > start && bytes[lineEnd - 1] === CR) lineEnd--;
    let nameEnd = start;
    while (nameEnd < lineEnd && bytes[nameEnd] !== SPACE && bytes[nameEnd] !== TAB) nameEnd++;
    let valueStart = nameEnd;
    while (valueStart < lineEnd && (bytes[valueStart] === SPACE || bytes[valueStart] === TAB))
      valueStart++;
    if (nameEnd > start) visit(row++, start, nameEnd, valueStart, lineEnd);
    start = end + 1;
  }
  return row;
}

function intAt(bytes: Uint8Array, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + ((bytes[i] as number) - 48);
  return value;
}

self.onmessage = (event: MessageEvent<FloorRequest>) => {
  const emotion = new Uint8Array(event.data.emotion);
  const au = new Uint8Array(event.data.au);
  const split = new Uint8Array(event.data.split);
  const capacity = countLines(emotion);
  const nameStart = new Int32Array(capacity);
  const nameEnd = new Int32Array(capacity);
  const classIds = new Int16Array(capacity);
  let lines = scan(emotion, (row, start, end, valueStart, lineEnd) => {
    nameStart[row] = start;
    nameEnd[row] = end;
    classIds[row] = intAt(emotion, valueStart, lineEnd);
  });
  const count = lines;
  let nameMismatches = 0;
  const sameName = (bytes: Uint8Array, row: number, start: number, end: number): boolean => {
    if (row >= count) return false;
    const from = nameStart[row] as number;
    if (end - start !== (nameEnd[row] as number) - from) return false;
    for (let i = 0; i < end - start; i++) if (bytes[start + i] !== emotion[from + i]) return false;
    return true;
  };
  const auStart = new Int32Array(count);
  const auEnd = new Int32Array(count);
  lines += scan(au, (row, start, end, valueStart, lineEnd) => {
    if (!sameName(au, row, start, end)) nameMismatches++;
    else {
      auStart[row] = valueStart;
      auEnd[row] = lineEnd;
    }
  });
  const splits = new Int8Array(count);
  lines += scan(split, (row, start, end, valueStart, lineEnd) => {
    if (!sameName(split, row, start, end)) nameMismatches++;
    else splits[row] = intAt(split, valueStart, lineEnd);
  });
  const response: FloorResponse = {
    count,
    classIds: classIds.slice(0, count),
    splits,
    auStart,
    auEnd,
    nameMismatches,
    lines,
  };
  (self as unknown as Worker).postMessage(response, [
    response.classIds.buffer,
    splits.buffer,
    auStart.buffer,
    auEnd.buffer,
  ]);
};
