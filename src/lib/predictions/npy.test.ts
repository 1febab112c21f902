import { describe, expect, it } from 'vitest';
import { readNpy, type NpyResult } from './npy';
import { npyBytes } from './test-support';

function ok(result: NpyResult) {
  if ('problems' in result) throw new Error(`unexpected problems: ${result.problems[0]?.message}`);
  return result;
}

function refused(result: NpyResult): string {
  if (!('problems' in result)) throw new Error('expected the file to be refused');
  expect(result.problems).toHaveLength(1);
  const [problem] = result.problems;
  expect(problem?.file).toBe('p.npy');
  expect(problem?.severity).toBe('error');
  return problem?.message ?? '';
}

describe('readNpy', () => {
  it.each([
    ['<f4', 1],
    ['<f4', 2],
    ['<f4', 3],
    ['<f8', 1],
    ['>f4', 1],
    ['>f8', 2],
  ])('reads a 2-D %s array of format version %i', (dtype, major) => {
    const values = [0.5, -1.25, 3, 1e-3, 0, 7.75];
    const read = ok(readNpy(npyBytes(values, [3, 2], { dtype, major }), 'p.npy'));
    expect(read.shape).toEqual([3, 2]);
    expect(read.dtype).toBe(dtype);
    expect(read.array).toBeInstanceOf(dtype.endsWith('f4') ? Float32Array : Float64Array);
    expect(Array.from(read.array)).toEqual(
      values.map((v) => (dtype.endsWith('f4') ? Math.fround(v) : v)),
    );
  });

  it.each([
    ['<i8', [0, 13, 2, -1]],
    ['<i4', [0, 13, 2, -1]],
    ['|u1', [0, 1, 255, 1]],
    ['|i1', [0, -1, 127, 1]],
    ['|b1', [0, 1, 1, 0]],
  ])('reads %s integers as numbers', (dtype, values) => {
    const read = ok(readNpy(npyBytes(values, [4], { dtype }), 'p.npy'));
    expect(read.shape).toEqual([4]);
    expect(read.array).toBeInstanceOf(Float64Array);
    expect(Array.from(read.array)).toEqual(values);
  });

  it('reads a boolean byte other than 1 as true', () => {
    const bytes = npyBytes([0, 1], [2], { dtype: '|b1' });
    bytes[bytes.length - 1] = 7;
    expect(Array.from(ok(readNpy(bytes, 'p.npy')).array)).toEqual([0, 1]);
  });

  it('keeps NaN and infinities for the caller to report', () => {
    const read = ok(
      readNpy(npyBytes([NaN, Infinity, -Infinity, 1], [2, 2], { dtype: '<f8' }), 'p.npy'),
    );
    expect(Array.from(read.array)).toEqual([NaN, Infinity, -Infinity, 1]);
  });

  it('reads data that starts at an odd offset of its buffer', () => {
    const file = npyBytes([1, 2, 3], [3], { dtype: '<f4' });
    const shifted = new Uint8Array(file.length + 1);
    shifted.set(file, 1);
    expect(Array.from(ok(readNpy(shifted.subarray(1), 'p.npy')).array)).toEqual([1, 2, 3]);
  });

  it.each([
    ["{'descr':'<f4','fortran_order':False,'shape':(2,)}", [2]],
    ['{"descr": "<f4", "fortran_order": False, "shape": (1, 2)}', [1, 2]],
    ["{'shape': (2L,), 'fortran_order': False, 'descr': '<f4'}", [2]],
    ["{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", [2]],
    ["{'descr': '<f4', 'fortran_order': True, 'shape': (2, 1), }", [2, 1]],
  ])('parses header %s', (header, shape) => {
    expect(ok(readNpy(npyBytes([1, 2], shape, { header }), 'p.npy')).shape).toEqual(shape);
  });

  it('reads an empty array', () => {
    const read = ok(readNpy(npyBytes([], [0, 14]), 'p.npy'));
    expect(read.shape).toEqual([0, 14]);
    expect(read.array).toHaveLength(0);
  });

  it.each<[string, () => Uint8Array, RegExp]>([
    ['an empty file', () => new Uint8Array(0), /empty/],
    ['a CSV', () => new TextEncoder().encode('image,p0\n0001.jpg,1\n'), /\\x93NUMPY/],
    ['version 4.0', () => npyBytes([1], [1], { major: 4 }), /version 4\.0/],
    ['a header cut off', () => npyBytes([1, 2], [2]).slice(0, 20), /truncated/],
    [
      'data cut off',
      () => npyBytes([1, 2, 3, 4], [2, 2], { cut: 3 }),
      /truncated.*needs 16 bytes.*has 13/,
    ],
    ['bytes left over', () => npyBytes([1, 2, 3], [2]), /4 bytes more/],
    [
      'float16',
      () =>
        npyBytes([1, 2], [2], {
          dtype: '<i2',
          header: "{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }",
        }),
      /'<f2' is not supported/,
    ],
    ['a big-endian integer', () => npyBytes([1, 2], [2], { dtype: '>i4' }), /big-endian.*'>i4'/],
    [
      'a structured dtype',
      () =>
        npyBytes([1], [1], {
          header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }",
        }),
      /structured/,
    ],
    ['Fortran order', () => npyBytes([1, 2, 3, 4], [2, 2], { fortranOrder: true }), /Fortran/],
    ['3 dimensions', () => npyBytes([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]), /3 dimensions/],
    [
      'a scalar',
      () =>
        npyBytes([1], [], { header: "{'descr': '<f4', 'fortran_order': False, 'shape': (), }" }),
      /0 dimensions/,
    ],
    [
      'a header that is code',
      () => npyBytes([1], [1], { header: "__import__('os').system('x')" }),
      /not numpy's dict/,
    ],
    [
      'an unterminated header',
      () => npyBytes([1], [1], { header: "{'descr': '<f4" }),
      /unterminated/,
    ],
    [
      'a negative size',
      () =>
        npyBytes([1], [1], {
          header: "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }",
        }),
      /shape/,
    ],
  ])('refuses %s with a problem', (_, bytes, message) => {
    expect(refused(readNpy(bytes(), 'p.npy'))).toMatch(message);
  });

  it('refuses a header claiming more bytes than the file has', () => {
    const bytes = npyBytes([1], [1]);
    new DataView(bytes.buffer).setUint16(8, 60000, true);
    expect(refused(readNpy(bytes, 'p.npy'))).toMatch(/ends inside its header/);
  });
});
