import { makeProblem } from '../labels/records';
import type { Problem } from '../labels/types';

/**
 * NumPy's `.npy` format (versions 1.0, 2.0 and 3.0), as `numpy.save` writes it: a magic
 * string, a version, a header that is a Python dict literal, then the raw values. The
 * header is parsed as data by a tiny parser, never evaluated. Only what predictions and
 * training targets need is read: 1-D or 2-D arrays of floats, and of integers or booleans
 * for class indices and 0/1 targets.
 */

export interface NpyArray {
  /** The values in C order (row after row); floats keep their width, integers become Float64. */
  array: Float64Array | Float32Array;
  /** One or two dimensions: [n] or [rows, columns]. */
  shape: number[];
  /** The dtype as the header writes it, e.g. '<f4'. */
  dtype: string;
}

/** The array, or why it cannot be read (never both). */
export type NpyResult = NpyArray | { problems: Problem[] };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** A header longer than this is not a predictions file (numpy writes well under 1 KiB). */
const MAX_HEADER_BYTES = 1 << 16;

type ElementReader = (view: DataView, offset: number) => number;

interface DtypeInfo {
  size: number;
  float32: boolean;
  read: ElementReader;
}

/**
 * The dtypes read, keyed as numpy writes `descr`. Other byte orders of the integer
 * types are rare enough in training code to refuse with a clear message.
 */
const DTYPES: Readonly<Record<string, DtypeInfo>> = {
  '<f4': { size: 4, float32: true, read: (v, o) => v.getFloat32(o, true) },
  '>f4': { size: 4, float32: true, read: (v, o) => v.getFloat32(o, false) },
  '<f8': { size: 8, float32: false, read: (v, o) => v.getFloat64(o, true) },
  '>f8': { size: 8, float32: false, read: (v, o) => v.getFloat64(o, false) },
  '<i8': { size: 8, float32: false, read: (v, o) => Number(v.getBigInt64(o, true)) },
  '<i4': { size: 4, float32: false, read: (v, o) => v.getInt32(o, true) },
  '|u1': { size: 1, float32: false, read: (v, o) => v.getUint8(o) },
  '|i1': { size: 1, float32: false, read: (v, o) => v.getInt8(o) },
  '|b1': { size: 1, float32: false, read: (v, o) => (v.getUint8(o) === 0 ? 0 : 1) },
};

const SUPPORTED = Object.keys(DTYPES).join(', ');

/** What a header literal holds: just enough of Python's literals for numpy's dict. */
type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

class HeaderSyntaxError extends Error {}

/** Parses the dict literal numpy writes (`{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }`). */
function parsePythonLiteral(text: string): PyValue {
  let at = 0;
  const fail = (what: string): never => {
    throw new HeaderSyntaxError(`${what} at character ${at + 1}`);
  };
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at] as string)) at++;
  };
  const value = (): PyValue => {
    skipSpace();
    const c = text[at];
    if (c === '{') return sequence('}', true);
    if (c === '(') return sequence(')', false);
    if (c === '[') return sequence(']', false);
    if (c === "'" || c === '"') return string();
    const word = /^[A-Za-z_]+|^[+-]?\d+[Ll]?/.exec(text.slice(at));
    if (!word) return fail('unexpected text');
    at += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    const number = Number(word[0].replace(/[Ll]$/, ''));
    if (Number.isInteger(number)) return number;
    return fail(`unexpected '${word[0]}'`);
  };
  const string = (): string => {
    const quote = text[at];
    const end = text.indexOf(quote as string, at + 1);
    if (end < 0) return fail('unterminated string');
    const content = text.slice(at + 1, end);
    if (content.includes('\\')) return fail('escaped string');
    at = end + 1;
    return content;
  };
  const sequence = (close: string, isDict: boolean): PyValue => {
    at++;
    const items: PyValue[] = [];
    const dict: { [key: string]: PyValue } = {};
    for (;;) {
      skipSpace();
      if (text[at] === close) {
        at++;
        return isDict ? dict : items;
      }
      if (isDict) {
        const key = value();
        if (typeof key !== 'string') return fail('dict key is not a string');
        skipSpace();
        if (text[at] !== ':') return fail("expected ':'");
        at++;
        dict[key] = value();
      } else items.push(value());
      skipSpace();
      if (text[at] === ',') at++;
      else if (text[at] !== close) return fail(`expected ',' or '${close}'`);
    }
  };
  const result = value();
  skipSpace();
  if (at !== text.length) fail('text after the dict');
  return result;
}

function hexPreview(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Reads a `.npy` file. Never throws on bad input: a wrong magic, an unknown version, a
 * header that is not numpy's dict, an unsupported dtype, byte order or layout, a shape
 * other than 1-D or 2-D, or fewer (or more) bytes than the shape needs each give a
 * problem naming the file. NaN and infinite values are read as they are: the caller
 * knows what a row is and reports them per row.
 */
export function readNpy(bytes: Uint8Array, fileName: string): NpyResult {
  const refuse = (field: string, raw: string, message: string): NpyResult => ({
    problems: [makeProblem(fileName, 0, 'encoding', 'error', field, raw, message)],
  });
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    return refuse(
      'magic',
      hexPreview(bytes),
      bytes.length === 0
        ? 'the file is empty (0 bytes); expected a NumPy .npy file'
        : 'not a NumPy .npy file: it does not start with \\x93NUMPY (save the array with numpy.save)',
    );
  const major = bytes[6] as number;
  const minor = bytes[7] as number;
  if (major < 1 || major > 3 || minor !== 0)
    return refuse(
      'version',
      `${major}.${minor}`,
      `.npy format version ${major}.${minor} is not supported (1.0, 2.0 and 3.0 are)`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lengthBytes;
  if (bytes.length < headerStart)
    return refuse('header', hexPreview(bytes), 'the file ends inside its header (truncated)');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_HEADER_BYTES)
    return refuse(
      'header',
      String(headerLength),
      `the header claims ${headerLength} bytes; a .npy header is far shorter (damaged file?)`,
    );
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart)
    return refuse(
      'header',
      String(headerLength),
      `the file ends inside its header (truncated): ${bytes.length} bytes, the header alone needs ${dataStart}`,
    );
  let headerText: string;
  try {
    headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(
      bytes.subarray(headerStart, dataStart),
    );
  } catch {
    return refuse('header', '', 'the header is not readable text');
  }
  const header = headerText.trim();
  let parsed: PyValue;
  try {
    parsed = parsePythonLiteral(header);
  } catch (error) {
    if (!(error instanceof HeaderSyntaxError)) throw error;
    return refuse(
      'header',
      header.slice(0, 200),
      `the header is not numpy's dict: ${error.message}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return refuse('header', header.slice(0, 200), "the header is not numpy's dict");
  const { descr, fortran_order: fortranOrder, shape } = parsed;
  if (typeof descr !== 'string')
    return refuse(
      'descr',
      JSON.stringify(descr ?? null).slice(0, 200),
      `structured or missing dtype: only plain arrays of ${SUPPORTED} are read`,
    );
  if (typeof fortranOrder !== 'boolean')
    return refuse('fortran_order', String(fortranOrder), "the header has no 'fortran_order' flag");
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && d >= 0))
    return refuse(
      'shape',
      JSON.stringify(shape ?? null),
      "the header's shape is not a tuple of sizes",
    );
  const dims = shape as number[];
  if (dims.length < 1 || dims.length > 2)
    return refuse(
      'shape',
      `(${dims.join(', ')})`,
      `the array has ${dims.length} dimensions; expected 1 (N) or 2 (N x columns)`,
    );
  const info = DTYPES[descr];
  if (!info) {
    const swapped = descr.startsWith('>') && DTYPES[`<${descr.slice(1)}`];
    return refuse(
      'descr',
      descr,
      swapped
        ? `big-endian dtype '${descr}' is not supported for integers; save with .astype('<${descr.slice(1)}')`
        : `dtype '${descr}' is not supported; expected one of ${SUPPORTED} (save with .astype('<f4'))`,
    );
  }
  if (fortranOrder && dims.length > 1 && Math.min(...dims) > 1)
    return refuse(
      'fortran_order',
      'True',
      'the array is in Fortran (column-major) order; save numpy.ascontiguousarray(a) instead',
    );
  const count = dims.reduce((a, b) => a * b, 1);
  const needed = count * info.size;
  const available = bytes.length - dataStart;
  if (available < needed)
    return refuse(
      'data',
      `${available} bytes`,
      `the file is truncated: shape (${dims.join(', ')}) of '${descr}' needs ${needed} bytes of data, the file has ${available}`,
    );
  if (available > needed)
    return refuse(
      'data',
      `${available} bytes`,
      `the file has ${available - needed} bytes more than shape (${dims.join(', ')}) of '${descr}' needs (damaged or not one array)`,
    );

  let array: Float64Array | Float32Array;
  if (descr === '<f4') {
    // A copy: the data may start at an offset a Float32Array view cannot use.
    array = new Float32Array(bytes.slice(dataStart, dataStart + needed).buffer);
  } else if (descr === '<f8') {
    array = new Float64Array(bytes.slice(dataStart, dataStart + needed).buffer);
  } else {
    array = info.float32 ? new Float32Array(count) : new Float64Array(count);
    for (let i = 0, offset = dataStart; i < count; i++, offset += info.size)
      array[i] = info.read(view, offset);
  }
  return { array, shape: [...dims], dtype: descr };
}
