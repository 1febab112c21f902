import fc from 'fast-check';
import { inflateSync, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  PIECE_BYTES,
  assembleZip,
  compressionLevelFor,
  crc32,
  deflateEntry,
  deflatePiece,
  pieceCount,
  type ZipEntry,
} from './zip';
import { concatBytes } from '../labels/text';

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

describe('crc32 of a file read in pieces', () => {
  it('goes on from the CRC of the bytes before (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(200), (bytes, cut) => {
        const at = Math.min(cut, bytes.length);
        expect(crc32(bytes.subarray(at), crc32(bytes.subarray(0, at)))).toBe(crc32(bytes));
      }),
    );
  });
});

describe('deflating a large file in pieces', () => {
  /** Text like the AU matrix's, varied enough that pieces differ. */
  function matrixLike(bytes: number): Uint8Array {
    const out = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i++) out[i] = i % 31 === 30 ? 10 : 44 + ((i * 7 + (i >> 12)) % 6);
    return out;
  }

  it.each([
    ['one byte under a piece', PIECE_BYTES - 1, 1],
    ['exactly one piece', PIECE_BYTES, 1],
    ['one byte over', PIECE_BYTES + 1, 2],
    ['two and a half pieces', 2.5 * PIECE_BYTES, 3],
    ['exactly three pieces', 3 * PIECE_BYTES, 3],
  ])('%s: %d bytes in %d piece(s), inflating to the file', (_, size, pieces) => {
    const bytes = matrixLike(size);
    expect(pieceCount(size)).toBe(pieces);
    const entry = deflateEntry({ path: 'au_matrix.csv', bytes });
    expect(entry.size).toBe(size);
    expect(entry.crc).toBe(crc32(bytes));
    expect(Buffer.from(inflateSync(entry.data)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('is the same bytes piece by piece, in any worker, as deflateEntry makes', () => {
    const bytes = matrixLike(2 * PIECE_BYTES + 1000);
    const level = compressionLevelFor(bytes);
    const parts: Uint8Array[] = [];
    let crc = 0;
    for (let p = 0; p < 3; p++) {
      const piece = bytes.slice(p * PIECE_BYTES, Math.min(bytes.length, (p + 1) * PIECE_BYTES));
      parts.push(deflatePiece(piece, level, p === 2));
      crc = crc32(piece, crc);
    }
    const whole = deflateEntry({ path: 'm', bytes });
    expect(Buffer.from(concatBytes(...parts)).equals(Buffer.from(whole.data))).toBe(true);
    expect(crc).toBe(whole.crc);
    // A reader of the zip sees one file.
    const zip = assembleZip([{ path: 'm.csv', bytes }]);
    expect((unzipSync(zip)['m.csv'] as Uint8Array).length).toBe(bytes.length);
  });

  it('only the last piece is final: a piece flushed mid-file inflates but is not the end', () => {
    const first = deflatePiece(strToU8('a,b\n'.repeat(1000)), 1, false);
    const last = deflatePiece(strToU8('c,d\n'.repeat(10)), 1, true);
    expect(new TextDecoder().decode(inflateSync(concatBytes(first, last)))).toBe(
      'a,b\n'.repeat(1000) + 'c,d\n'.repeat(10),
    );
    // The sync flush's empty stored block ends the non-final piece.
    expect(Array.from(first.subarray(-4))).toEqual([0x00, 0x00, 0xff, 0xff]);
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
