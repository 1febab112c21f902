/// <reference lib="webworker" />

/**
 * The import floor's parser: the least any importer of these files must do. One pass
 * over each file's bytes finds the line and field boundaries; class and split ids are
 * parsed into typed arrays; each name of the AU and partition files is compared, byte
 * for byte, with the emotion file's name on the same line (the check that the files
 * name the same images). No string is made: no decoding, no validation beyond that, no
 * AU parsing, no join by name (the files are assumed in the same order, and checked),
 * no report. The pages it stands for are written by the harness. Written as plain
 * loops over the bytes, with no call per line, so that the floor is as low as it can be.
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

/** Grows an Int32Array to hold at least `need` values. */
function grown(array: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= array.length) return array;
  const next = new Int32Array(Math.max(need, array.length * 2));
  next.set(array);
  return next;
}

self.onmessage = (event: MessageEvent<FloorRequest>) => {
  const emotion = new Uint8Array(event.data.emotion);
  const au = new Uint8Array(event.data.au);
  const split = new Uint8Array(event.data.split);

  // The emotion file: names' byte ranges and class ids.
  let nameStart = new Int32Array((emotion.length >> 3) + 1);
  let nameEnd = new Int32Array(nameStart.length);
  let classIds = new Int32Array(nameStart.length);
  let count = 0;
  let at = 0;
  const n = emotion.length;
  while (at < n) {
    const start = at;
    let c = emotion[at] as number;
    while (at < n && c !== SPACE && c !== TAB && c !== LF) c = emotion[++at] as number;
    const end = at;
    while (at < n && (c === SPACE || c === TAB)) c = emotion[++at] as number;
    let value = 0;
    while (at < n && c !== LF && c !== CR) {
      value = value * 10 + (c - 48);
      c = emotion[++at] as number;
    }
    while (at < n && emotion[at] !== LF) at++;
    at++;
    if (end === start) continue;
    if (count === nameStart.length) {
      nameStart = grown(nameStart, count + 1);
      nameEnd = grown(nameEnd, count + 1);
      classIds = grown(classIds, count + 1);
    }
    nameStart[count] = start;
    nameEnd[count] = end;
    classIds[count] = value;
    count++;
  }
  let lines = count;
  let nameMismatches = 0;

  // The AU file: the same names, and each AU value's byte range.
  const auStart = new Int32Array(count);
  const auEnd = new Int32Array(count);
  let row = 0;
  at = 0;
  const m = au.length;
  while (at < m) {
    const start = at;
    let c = au[at] as number;
    while (at < m && c !== SPACE && c !== TAB && c !== LF) c = au[++at] as number;
    const end = at;
    while (at < m && (c === SPACE || c === TAB)) c = au[++at] as number;
    const valueStart = at;
    while (at < m && au[at] !== LF) at++;
    const lineEnd = at > valueStart && au[at - 1] === CR ? at - 1 : at;
    at++;
    if (end === start) continue;
    lines++;
    let same = row < count && end - start === (nameEnd[row] as number) - (nameStart[row] as number);
    for (let i = 0, from = nameStart[row] as number; same && i < end - start; i++)
      same = au[start + i] === emotion[from + i];
    if (same) {
      auStart[row] = valueStart;
      auEnd[row] = lineEnd;
    } else nameMismatches++;
    row++;
  }

  // The partition file: the same names, and split ids.
  const splits = new Int8Array(count);
  row = 0;
  at = 0;
  const k = split.length;
  while (at < k) {
    const start = at;
    let c = split[at] as number;
    while (at < k && c !== SPACE && c !== TAB && c !== LF) c = split[++at] as number;
    const end = at;
    while (at < k && (c === SPACE || c === TAB)) c = split[++at] as number;
    let value = 0;
    while (at < k && c !== LF && c !== CR) {
      value = value * 10 + (c - 48);
      c = split[++at] as number;
    }
    while (at < k && split[at] !== LF) at++;
    at++;
    if (end === start) continue;
    lines++;
    let same = row < count && end - start === (nameEnd[row] as number) - (nameStart[row] as number);
    for (let i = 0, from = nameStart[row] as number; same && i < end - start; i++)
      same = split[start + i] === emotion[from + i];
    if (same) splits[row] = value;
    else nameMismatches++;
    row++;
  }

  const ids = Int16Array.from(classIds.subarray(0, count));
  const response: FloorResponse = {
    count,
    classIds: ids,
    splits,
    auStart,
    auEnd,
    nameMismatches,
    lines,
  };
  (self as unknown as Worker).postMessage(response, [
    ids.buffer,
    splits.buffer,
    auStart.buffer,
    auEnd.buffer,
  ]);
};
