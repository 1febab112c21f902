/// <reference lib="webworker" />

/**
 * The predictions floor: the least work any reader and scorer of two prediction CSVs
 * must do, and nothing more. Read each file's bytes from its Blob, skip the header and
 * each row's image name, parse every number once into one Float32Array with a hand
 * loop over the bytes (digits and one point: the files hold nothing else), then one
 * pass per run counting the rows whose most probable class is the label. No decoding
 * to text, no join by image name (row r is sample r), no checks of sums or column
 * counts, no problems, no conversion of logits, no storing, no AU figures.
 */

export interface PredictionsFloorRequest {
  files: Blob[];
  /** Per sample (= per file row): the scheme position of its label, -1 without one. */
  labels: Int16Array;
  /** Class probability columns after the image column, then `aus` AU columns. */
  classes: number;
  aus: number;
}

export interface PredictionsFloorResponse {
  /** Times in the worker (ms), without the messages. */
  readMs: number;
  parseMs: number;
  scoreMs: number;
  /** Per file: data rows parsed, labelled rows, and rows whose argmax is the label. */
  rows: number[];
  scored: number[];
  correct: number[];
}

const COMMA = 44;
const POINT = 46;
const LINE_FEED = 10;
const ZERO = 48;

/** Every number of every data row, row-major, `width` a row; rows = values.length / width. */
function parse(bytes: Uint8Array, width: number, capacity: number): Float32Array {
  let values = new Float32Array(Math.max(1, capacity) * width);
  let at = bytes.indexOf(LINE_FEED) + 1;
  let written = 0;
  const end = bytes.length;
  while (at < end) {
    // The image name: skipped up to its comma.
    while (at < end && bytes[at] !== COMMA) at++;
    if (at >= end) break;
    if (written + width > values.length) {
      const grown = new Float32Array(values.length * 2);
      grown.set(values);
      values = grown;
    }
    for (let c = 0; c < width; c++) {
      at++; // the comma before the value
      let whole = 0;
      let fraction = 0;
      let scale = 1;
      let byte = bytes[at] as number;
      while (byte !== POINT && byte !== COMMA && byte !== LINE_FEED && at < end) {
        whole = whole * 10 + (byte - ZERO);
        byte = bytes[++at] as number;
      }
      if (byte === POINT) {
        byte = bytes[++at] as number;
        while (byte >= ZERO && byte <= ZERO + 9) {
          fraction = fraction * 10 + (byte - ZERO);
          scale *= 10;
          byte = bytes[++at] as number;
        }
      }
      values[written++] = whole + fraction / scale;
    }
    // To the next line (past a carriage return, if any).
    while (at < end && bytes[at] !== LINE_FEED) at++;
    at++;
  }
  return values.subarray(0, written);
}

self.onmessage = async (event: MessageEvent<PredictionsFloorRequest>) => {
  const { files, labels, classes, aus } = event.data;
  const width = classes + aus;
  const t0 = performance.now();
  const buffers = await Promise.all(files.map((file) => file.arrayBuffer()));
  const t1 = performance.now();
  const runs = buffers.map((buffer) => parse(new Uint8Array(buffer), width, labels.length));
  const t2 = performance.now();
  const rows: number[] = [];
  const scored: number[] = [];
  const correct: number[] = [];
  for (const values of runs) {
    const n = values.length / width;
    let labelled = 0;
    let hits = 0;
    for (let r = 0; r < n && r < labels.length; r++) {
      const label = labels[r] as number;
      if (label < 0) continue;
      const base = r * width;
      let best = 0;
      let bestValue = values[base] as number;
      for (let c = 1; c < classes; c++) {
        const v = values[base + c] as number;
        if (v > bestValue) {
          bestValue = v;
          best = c;
        }
      }
      labelled++;
      if (best === label) hits++;
    }
    rows.push(n);
    scored.push(labelled);
    correct.push(hits);
  }
  const t3 = performance.now();
  const response: PredictionsFloorResponse = {
    readMs: t1 - t0,
    parseMs: t2 - t1,
    scoreMs: t3 - t2,
    rows,
    scored,
    correct,
  };
  (self as unknown as Worker).postMessage(response);
};
