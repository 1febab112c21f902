/**
 * Test support: builds `.npy` bytes by hand, as numpy.save would, so that the reader
 * is tested against files whose every byte the test chose.
 */

export interface NpyWriteOptions {
  /** '<f4' by default. */
  dtype?: string;
  fortranOrder?: boolean;
  /** 1, 2 or 3. */
  major?: number;
  /** Replaces the whole header dict text. */
  header?: string;
  /** Bytes cut off the end (a truncated file). */
  cut?: number;
}

function writeValue(view: DataView, offset: number, dtype: string, value: number): number {
  const little = dtype[0] !== '>';
  switch (dtype.slice(1)) {
    case 'f4':
      view.setFloat32(offset, value, little);
      return 4;
    case 'f8':
      view.setFloat64(offset, value, little);
      return 8;
    case 'i8':
      view.setBigInt64(offset, BigInt(value), little);
      return 8;
    case 'i4':
      view.setInt32(offset, value, little);
      return 4;
    case 'i2':
      view.setInt16(offset, value, little);
      return 2;
    case 'u1':
    case 'b1':
      view.setUint8(offset, value);
      return 1;
    case 'i1':
      view.setInt8(offset, value);
      return 1;
    default:
      throw new Error(`test writer: no dtype ${dtype}`);
  }
}

const SIZES: Record<string, number> = { f4: 4, f8: 8, i8: 8, i4: 4, i2: 2, u1: 1, b1: 1, i1: 1 };

/** A `.npy` file of `values` (C order) with the given shape. */
export function npyBytes(
  values: readonly number[],
  shape: readonly number[],
  options: NpyWriteOptions = {},
): Uint8Array {
  const dtype = options.dtype ?? '<f4';
  const major = options.major ?? 1;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict =
    options.header ??
    `{'descr': '${dtype}', 'fortran_order': ${options.fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const lengthBytes = major === 1 ? 2 : 4;
  const encoded = new TextEncoder().encode(dict);
  // numpy pads the header with spaces and a newline so that the data starts at a multiple of 64.
  const unpadded = 8 + lengthBytes + encoded.length + 1;
  const padding = (64 - (unpadded % 64)) % 64;
  const headerLength = encoded.length + padding + 1;
  const size = SIZES[dtype.slice(1)] ?? 1;
  const total = 8 + lengthBytes + headerLength + values.length * size;
  const bytes = new Uint8Array(total);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(bytes.buffer);
  if (major === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  let at = 8 + lengthBytes;
  bytes.set(encoded, at);
  at += encoded.length;
  bytes.fill(0x20, at, at + padding);
  at += padding;
  bytes[at++] = 0x0a;
  for (const value of values) at += writeValue(view, at, dtype, value);
  return options.cut ? bytes.slice(0, total - options.cut) : bytes;
}
