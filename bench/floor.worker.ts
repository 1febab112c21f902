/// <reference lib="webworker" />

/**
 * The import floor's parser: what any importer of these files must do at least, and
 * nothing more. Decode UTF-8, split lines, split each line at its first space, and send
 * back the same columns the app's worker sends (image names once, the AU texts as
 * strings, class and split ids as typed arrays, transferred). No validation, no AU
 * parsing, no join by image name (the files are assumed to list the same images in the
 * same order), no report.
 */

export interface FloorRequest {
  /** The three RAF-CE files' bytes, by role. */
  emotion: ArrayBuffer;
  au: ArrayBuffer;
  split: ArrayBuffer;
}

export interface FloorResponse {
  names: string[];
  auRaw: string[];
  classIds: Int16Array;
  splits: Int8Array;
  /** Lines read over the three files. */
  lines: number;
}

function eachLine(
  buffer: ArrayBuffer,
  visit: (text: string, start: number, space: number, end: number) => void,
): number {
  const text = new TextDecoder().decode(buffer);
  let lines = 0;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const space = text.indexOf(' ', start);
    if (space >= 0 && space < end) {
      visit(text, start, space, end);
      lines++;
    }
    start = end + 1;
  }
  return lines;
}

/** A small non-negative integer from text[from, to), without allocating. */
function intAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  return value;
}

self.onmessage = (event: MessageEvent<FloorRequest>) => {
  const { emotion, au, split } = event.data;
  const names: string[] = [];
  const classIdList: number[] = [];
  let lines = eachLine(emotion, (text, start, space, end) => {
    names.push(text.slice(start, space));
    classIdList.push(intAt(text, space + 1, end));
  });
  const auRaw: string[] = [];
  lines += eachLine(au, (text, _start, space, end) => {
    auRaw.push(text.slice(space + 1, end));
  });
  const splits = new Int8Array(names.length);
  let k = 0;
  lines += eachLine(split, (text, _start, space, end) => {
    splits[k++] = intAt(text, space + 1, end);
  });
  const classIds = Int16Array.from(classIdList);
  const response: FloorResponse = { names, auRaw, classIds, splits, lines };
  (self as unknown as Worker).postMessage(response, [classIds.buffer, splits.buffer]);
};
