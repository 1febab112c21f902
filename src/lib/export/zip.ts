import { Deflate, Zip, deflateSync, type ZipInputFile } from 'fflate';
import { concatBytes } from '../labels/text';

/**
 * The export zip, deterministic: the same files give the same bytes. Each file gets
 * its own compression level (compressionLevelFor): the big ones (the AU matrix, the
 * label files) compress at level 1, which already shrinks them about six times at a
 * third of level 6's time; the small ones at level 6. A file may be compressed
 * elsewhere (another worker: deflateEntry) and handed in already deflated, so that
 * two cores compress at once; the zip is the same bytes either way.
 */

export interface ZipEntry {
  path: string;
  bytes: Uint8Array;
}

/** A file's bytes deflated (raw DEFLATE), with what the zip records of the original. */
export interface DeflatedEntry {
  path: string;
  /** CRC-32 of the original bytes. */
  crc: number;
  /** Length of the original bytes. */
  size: number;
  data: Uint8Array;
}

/** Files up to this size are small: level 6 costs them little. */
const SMALL_FILE_BYTES = 1 << 20;

export function compressionLevelFor(bytes: Uint8Array): 1 | 6 {
  return bytes.length > SMALL_FILE_BYTES ? 1 : 6;
}

const CRC_TABLES = (() => {
  // Slice-by-8: eight tables, so that the loop takes eight bytes a step.
  const tables = Array.from({ length: 8 }, () => new Int32Array(256));
  const first = tables[0] as Int32Array;
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    first[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = first[n] as number;
    for (let t = 1; t < 8; t++) {
      c = (first[c & 0xff] as number) ^ (c >>> 8);
      (tables[t] as Int32Array)[n] = c;
    }
  }
  return tables;
})();

/**
 * CRC-32 (IEEE, as zip records it) of the bytes, unsigned. `previous`: the CRC of the
 * bytes before these, to go on from (the CRC of a file read in pieces, in order).
 */
export function crc32(bytes: Uint8Array, previous = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = CRC_TABLES as [
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
  ];
  let c = previous ^ -1;
  let i = 0;
  const end8 = bytes.length - (bytes.length % 8);
  for (; i < end8; i += 8) {
    const a =
      c ^
      ((bytes[i] as number) |
        ((bytes[i + 1] as number) << 8) |
        ((bytes[i + 2] as number) << 16) |
        ((bytes[i + 3] as number) << 24));
    c =
      (t7[a & 0xff] as number) ^
      (t6[(a >>> 8) & 0xff] as number) ^
      (t5[(a >>> 16) & 0xff] as number) ^
      (t4[a >>> 24] as number) ^
      (t3[bytes[i + 4] as number] as number) ^
      (t2[bytes[i + 5] as number] as number) ^
      (t1[bytes[i + 6] as number] as number) ^
      (t0[bytes[i + 7] as number] as number);
  }
  for (; i < bytes.length; i++) c = (t0[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/**
 * A large file is deflated in pieces of this many bytes, each on its own (its matches
 * never reach into the piece before), and the pieces' streams joined: each but the last
 * ends with a sync flush, on a byte boundary and not final, so that the next one may
 * follow (RFC 1951; fflate's Deflate.flush). Pieces can then be compressed on two cores
 * at once, or as soon as a file's first bytes are written, and the bytes are the same
 * wherever and whenever each piece was compressed. Restarting the window every 8 MiB
 * costs a large file a few hundred bytes.
 */
export const PIECE_BYTES = 8 << 20;

/** How many pieces a file of this size is deflated in. */
export function pieceCount(size: number): number {
  return size > PIECE_BYTES ? Math.ceil(size / PIECE_BYTES) : 1;
}

/**
 * One piece of a file deflated: the last as a final stream, the others ending in a
 * sync flush. `level`: the whole file's (compressionLevelFor).
 */
export function deflatePiece(bytes: Uint8Array, level: 1 | 6, last: boolean): Uint8Array {
  if (last) return deflateSync(bytes, { level });
  const out: Uint8Array[] = [];
  const deflate = new Deflate({ level }, (chunk) => out.push(chunk));
  deflate.push(bytes, false);
  deflate.flush(true);
  return concatBytes(...out);
}

/** Deflates one file as the zip will hold it (at its level, in pieces when large). */
export function deflateEntry(entry: ZipEntry): DeflatedEntry {
  const { bytes } = entry;
  const level = compressionLevelFor(bytes);
  const pieces = pieceCount(bytes.length);
  const data: Uint8Array[] = [];
  for (let p = 0; p < pieces; p++)
    data.push(
      deflatePiece(
        bytes.subarray(p * PIECE_BYTES, Math.min(bytes.length, (p + 1) * PIECE_BYTES)),
        level,
        p === pieces - 1,
      ),
    );
  return { path: entry.path, crc: crc32(bytes), size: bytes.length, data: concatBytes(...data) };
}

/**
 * Modification time of every entry: 1980-01-01 12:00 in local time. Zip stores local
 * DOS time and fflate reads a Date's local parts, so the Date is built from local
 * parts at each call: the bytes are then the same in every time zone.
 */
function zipMtime(): Date {
  return new Date(1980, 0, 1, 12, 0, 0);
}

/**
 * An entry already deflated (here or in another worker): fflate writes it as it is.
 * Its size and CRC are known before its data, so the zip needs no data descriptor,
 * and its layout does not depend on where the entry was compressed.
 */
function deflatedInput(entry: DeflatedEntry): ZipInputFile & { send(): void } {
  const input: ZipInputFile & { send(): void } = {
    filename: entry.path,
    size: entry.size,
    crc: entry.crc,
    compression: 8,
    mtime: zipMtime(),
    send() {
      input.ondata?.(null, entry.data as Uint8Array<ArrayBuffer>, true);
    },
  };
  return input;
}

/**
 * The zip of the files in the given order. `deflated`: files compressed elsewhere, by
 * path (deflateEntry); the others are compressed here.
 */
export function assembleZip(
  files: readonly ZipEntry[],
  deflated: ReadonlyMap<string, DeflatedEntry> = new Map(),
): Uint8Array {
  const seen = new Set<string>();
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else chunks.push(chunk);
  });
  for (const file of files) {
    if (seen.has(file.path)) throw new Error(`two export files at ${file.path}`);
    seen.add(file.path);
    const done = deflated.get(file.path) ?? deflateEntry(file);
    if (done.size !== file.bytes.length)
      throw new Error(`assembleZip: ${file.path} was deflated from other bytes`);
    const input = deflatedInput(done);
    zip.add(input);
    input.send();
  }
  zip.end();
  if (failure) throw failure;
  return concatBytes(...chunks);
}
