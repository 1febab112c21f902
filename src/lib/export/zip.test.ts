import fc from 'fast-check';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { assembleZip, compressionLevelFor, crc32, deflateEntry, type ZipEntry } from './zip';

/** The CRC fields of a zip's central directory, by entry name (as fflate's own zipSync records them). */
function centralCrcs(zip: Uint8Array): Map<string, number> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (view.getUint32(end, true) !== 0x06054b50) end--;
  let at = view.getUint32(end + 16, true);
  const crcs = new Map<string, number>();
  while (view.getUint32(at, true) === 0x02014b50) {
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    crcs.set(name, view.getUint32(at + 16, true));
    at += 46 + nameLength + extra + comment;
  }
  return crcs;
}

describe('crc32', () => {
  it.each([
    ['', 0],
    ['a', 0xe8b7be43],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('%j', (text, crc) => {
    expect(crc32(strToU8(text))).toBe(crc);
  });

  it('agrees with the CRC fflate records, for any bytes (all eight-byte steps and tails)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const zip = zipSync({ f: [bytes, { level: 0 }] });
        expect(crc32(bytes)).toBe(centralCrcs(zip).get('f'));
      }),
    );
  });
});

describe('assembleZip', () => {
  const big = strToU8('image,class_id,AU1\n' + '0001.jpg,3,1\n'.repeat(120_000));
  const files: ZipEntry[] = [
    { path: 'README.txt', bytes: strToU8('read me\n') },
    { path: 'labels/RAFCE_emolabel.txt', bytes: strToU8('0001.jpg 3\n0002.jpg 5') },
    { path: 'au_matrix.csv', bytes: big },
    { path: 'empty.txt', bytes: new Uint8Array(0) },
  ];

  it('holds every file as it was, in order, with the CRCs a reader checks', () => {
    const zip = assembleZip(files);
    const unzipped = unzipSync(zip);
    expect(Object.keys(unzipped)).toEqual(files.map((f) => f.path));
    // Byte for byte (a deep equal of a 1.5 MB array element by element takes seconds).
    for (const file of files)
      expect(Buffer.from(unzipped[file.path] as Uint8Array).equals(Buffer.from(file.bytes))).toBe(
        true,
      );
    const crcs = centralCrcs(zip);
    for (const file of files) expect(crcs.get(file.path)).toBe(crc32(file.bytes));
  });

  it('is the same bytes whether a file was deflated here or elsewhere, and every time', () => {
    const here = assembleZip(files);
    const elsewhere = assembleZip(
      files,
      new Map([['au_matrix.csv', deflateEntry(files[2] as ZipEntry)]]),
    );
    expect(Buffer.from(elsewhere).equals(Buffer.from(here))).toBe(true);
    expect(Buffer.from(assembleZip(files)).equals(Buffer.from(here))).toBe(true);
  });

  it('compresses a big file at level 1 and a small one at level 6', () => {
    expect(compressionLevelFor(big)).toBe(1);
    expect(compressionLevelFor(strToU8('small'))).toBe(6);
    // Level 1 still shrinks the matrix's repetitive text many times over.
    expect(deflateEntry({ path: 'm', bytes: big }).data.length).toBeLessThan(big.length / 20);
  });

  it('refuses two files at one path, and an entry deflated from other bytes', () => {
    expect(() => assembleZip([files[0] as ZipEntry, files[0] as ZipEntry])).toThrow(
      /two export files at README.txt/,
    );
    const other = deflateEntry({ path: 'README.txt', bytes: strToU8('other text') });
    expect(() => assembleZip([files[0] as ZipEntry], new Map([['README.txt', other]]))).toThrow(
      /deflated from other bytes/,
    );
  });
});
