import { Inflate } from 'fflate';

/** What a user dropped or picked, sorted into label files and images by name. */

const imageExtensions = ['jpg', 'jpeg', 'png', 'bmp', 'gif', 'webp', 'svg', 'tif', 'tiff'];
const labelExtensions = ['txt', 'csv', 'tsv'];

const mimeByExtension: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  bmp: 'image/bmp',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  tif: 'image/tiff',
  tiff: 'image/tiff',
};

export type InputKind = 'label' | 'image' | 'archive' | 'ignored';

function extensionOf(name: string): string {
  const base = name.split('/').pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** System files that archives and folders carry along and nobody means to import. */
function isHiddenPath(name: string): boolean {
  return name
    .split('/')
    .some((part) => (part.startsWith('.') && part !== '.' && part !== '..') || part === '__MACOSX');
}

export function classifyInputName(name: string): InputKind {
  if (isHiddenPath(name)) return 'ignored';
  const ext = extensionOf(name);
  if (ext === 'zip') return 'archive';
  if (imageExtensions.includes(ext)) return 'image';
  if (labelExtensions.includes(ext)) return 'label';
  return 'ignored';
}

export function imageMimeType(name: string): string {
  return mimeByExtension[extensionOf(name)] ?? 'application/octet-stream';
}

/** How much one zip may bring in; past these, an entry or the archive is refused with a message. */
export interface ZipLimits {
  /** Files (entries) in the archive. */
  maxEntries: number;
  /** Unpacked bytes of one file. */
  maxEntryBytes: number;
  /** Unpacked bytes of all files read from the archive. */
  maxTotalBytes: number;
}

export const ZIP_LIMITS: Readonly<ZipLimits> = {
  maxEntries: 100_000,
  maxEntryBytes: 256 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
};

/** Where a zip's bytes are read from, a range at a time (a File, or bytes in memory). */
export interface ByteSource {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => Promise.resolve(bytes.subarray(offset, offset + length)),
  };
}

/** A file taken out of a zip: its bytes in the pieces they were unpacked in. */
export interface ArchiveEntry {
  name: string;
  parts: Uint8Array[];
  size: number;
}

export type ExpandResult<T> =
  | {
      files: T[];
      /** Entries not read, each with its archive, its name and why. */
      refused: string[];
    }
  | { error: string };

/** Refused entries listed by name; past this many, one line counts the rest. */
const MAX_REFUSED_LISTED = 100;
/** Compressed bytes handed to the inflater at once: deflate unpacks at most ~1032 times that. */
const INFLATE_STEP = 16 * 1024;
/** Bytes read from the archive at once. */
const READ_WINDOW = 8 * 1024 * 1024;

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const u16 = (b: Uint8Array, at: number) => (b[at] as number) | ((b[at + 1] as number) << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
const u64 = (b: Uint8Array, at: number) => u32(b, at) + u32(b, at + 4) * 2 ** 32;

function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

interface CentralEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

class ZipError extends Error {}

/** Reads a source through a window of READ_WINDOW bytes: entries lie one after the other. */
class WindowReader {
  private start = 0;
  private bytes: Uint8Array = new Uint8Array(0);

  constructor(private readonly source: ByteSource) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || offset + length > this.source.size)
      throw new ZipError('a record points outside the file');
    if (offset < this.start || offset + length > this.start + this.bytes.length) {
      this.start = offset;
      this.bytes = await this.source.read(
        offset,
        Math.min(Math.max(length, READ_WINDOW), this.source.size - offset),
      );
    }
    return this.bytes.subarray(offset - this.start, offset - this.start + length);
  }
}

async function readCentralDirectory(
  reader: WindowReader,
  size: number,
  limits: ZipLimits,
): Promise<CentralEntry[]> {
  // The end record is in the last 22 bytes, or before a comment of up to 64 KB.
  const tailLength = Math.min(size, 22 + 0xffff + 20);
  const tail = (await reader.read(size - tailLength, tailLength)).slice();
  let end = -1;
  for (let at = tail.length - 22; at >= 0; at--) {
    if (u32(tail, at) === EOCD) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new ZipError('no end-of-archive record');
  let count = u16(tail, end + 10);
  let directorySize = u32(tail, end + 12);
  let directoryOffset = u32(tail, end + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || u32(tail, locator) !== ZIP64_LOCATOR)
      throw new ZipError('a ZIP64 archive without its locator');
    const record = await reader.read(u64(tail, locator + 8), 56);
    if (u32(record, 0) !== ZIP64_EOCD) throw new ZipError('a damaged ZIP64 end record');
    count = u64(record, 32);
    directorySize = u64(record, 40);
    directoryOffset = u64(record, 48);
  }
  if (count > limits.maxEntries) throw new LimitError(count, limits.maxEntries);
  // 46 bytes at least per entry: a directory that cannot hold its count is damaged.
  if (directorySize < count * 46 || directoryOffset + directorySize > size)
    throw new ZipError('a damaged central directory');
  const directory = (await reader.read(directoryOffset, directorySize)).slice();
  const entries: CentralEntry[] = [];
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const latin1 = new TextDecoder('latin1');
  let at = 0;
  for (let k = 0; k < count; k++) {
    if (at + 46 > directory.length || u32(directory, at) !== CENTRAL)
      throw new ZipError('a damaged central directory');
    const flags = u16(directory, at + 8);
    const method = u16(directory, at + 10);
    let compressedSize = u32(directory, at + 20);
    let entrySize = u32(directory, at + 24);
    const nameLength = u16(directory, at + 28);
    const extraLength = u16(directory, at + 30);
    const commentLength = u16(directory, at + 32);
    let localOffset = u32(directory, at + 42);
    const nameBytes = directory.subarray(at + 46, at + 46 + nameLength);
    let name: string;
    try {
      name = utf8.decode(nameBytes);
    } catch {
      name = latin1.decode(nameBytes);
    }
    // ZIP64: the sizes and offset that do not fit in 32 bits are in an extra field.
    const extra = directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    for (let e = 0; e + 4 <= extra.length;) {
      const id = u16(extra, e);
      const length = u16(extra, e + 2);
      if (id === 1) {
        // Only the fields that overflowed are there, in this order.
        let f = e + 4;
        const fieldEnd = e + 4 + length;
        if (entrySize === 0xffffffff && f + 8 <= fieldEnd) {
          entrySize = u64(extra, f);
          f += 8;
        }
        if (compressedSize === 0xffffffff && f + 8 <= fieldEnd) {
          compressedSize = u64(extra, f);
          f += 8;
        }
        if (localOffset === 0xffffffff && f + 8 <= fieldEnd) localOffset = u64(extra, f);
      }
      e += 4 + length;
    }
    entries.push({ name, flags, method, compressedSize, size: entrySize, localOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

class LimitError extends Error {
  constructor(
    readonly count: number,
    readonly max: number,
  ) {
    super('too many entries');
  }
}

/** Why an entry's path is not taken, or null: a path that leaves the archive, or an absolute one. */
function unsafePathReason(name: string): string | null {
  const path = name.replace(/\\/g, '/');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path))
    return 'an absolute path; not read (a zip may only hold paths inside it)';
  if (path.split('/').includes('..'))
    return "a path that leads out of the archive ('..'); not read";
  return null;
}

/**
 * The label files and images of a zip, read a range at a time from the source (never
 * whole) and unpacked entry by entry within limits (ZIP_LIMITS): the sizes the archive
 * declares are checked first, and the bytes actually unpacked are counted as they come,
 * since declared sizes can lie. Nothing is skipped without a word: an entry not read
 * is listed in `refused` with its reason (a path out of the archive, a nested zip, a
 * file of another kind, an entry over a limit). An archive that cannot be read, or
 * that would bring in more than the limits allow, gives { error } and nothing else.
 * System files (`__MACOSX`, `.DS_Store`) are passed over. toFile turns each entry read
 * into what the caller keeps (a Blob), so that its unpacked bytes can go.
 */
export async function expandZip<T = ArchiveEntry>(
  archiveName: string,
  source: ByteSource | Uint8Array,
  options: {
    limits?: Partial<ZipLimits>;
    toFile?: (entry: ArchiveEntry) => T;
  } = {},
): Promise<ExpandResult<T>> {
  const limits: ZipLimits = { ...ZIP_LIMITS, ...options.limits };
  const toFile = options.toFile ?? ((entry: ArchiveEntry) => entry as T);
  const bytes = source instanceof Uint8Array ? bytesSource(source) : source;
  const reader = new WindowReader(bytes);
  const refused: string[] = [];
  let refusedMore = 0;
  const refuse = (name: string, reason: string) => {
    if (refused.length < MAX_REFUSED_LISTED) refused.push(`${archiveName} › ${name}: ${reason}`);
    else refusedMore++;
  };
  const inParts = (what: string) =>
    `${archiveName}: ${what}; nothing was read from it. Import it in parts (several smaller zips), ` +
    "or unzip it and choose the folder instead: a folder's files are read one at a time";

  let entries: CentralEntry[];
  try {
    entries = await readCentralDirectory(reader, bytes.size, limits);
  } catch (error) {
    if (error instanceof LimitError)
      return {
        error: inParts(
          `it holds ${error.count.toLocaleString('en')} files, more than the ${error.max.toLocaleString('en')} one zip may bring in`,
        ),
      };
    return { error: `${archiveName}: not a readable zip archive (${message(error)})` };
  }

  const toRead: CentralEntry[] = [];
  const seen = new Set<string>();
  let declaredTotal = 0;
  for (const entry of entries) {
    const { name } = entry;
    if (name.endsWith('/')) continue;
    const unsafe = unsafePathReason(name);
    if (unsafe) {
      refuse(name, unsafe);
      continue;
    }
    const kind = classifyInputName(name);
    if (kind === 'archive') {
      refuse(name, 'nested archive not opened: unzip it first');
      continue;
    }
    if (kind === 'ignored') {
      if (!isHiddenPath(name))
        refuse(name, 'not a label file (.txt, .csv, .tsv) or an image; skipped');
      continue;
    }
    if (seen.has(name)) {
      refuse(name, 'a second entry of the same name; only the first is read');
      continue;
    }
    seen.add(name);
    if (entry.flags & 1) {
      refuse(name, 'encrypted; not read');
      continue;
    }
    if (entry.method !== 0 && entry.method !== 8) {
      refuse(name, `packed with method ${entry.method}, which cannot be unpacked here; not read`);
      continue;
    }
    if (entry.size > limits.maxEntryBytes) {
      refuse(name, entryTooLarge(entry.size, limits.maxEntryBytes));
      continue;
    }
    declaredTotal += entry.size;
    toRead.push(entry);
  }
  if (declaredTotal > limits.maxTotalBytes)
    return {
      error: inParts(
        `its files unpack to ${formatBytes(declaredTotal)}, more than the ${formatBytes(limits.maxTotalBytes)} one zip may bring in`,
      ),
    };

  const files: T[] = [];
  let total = 0;
  // In the order they lie in the file, so that the reads go forward.
  toRead.sort((a, b) => a.localOffset - b.localOffset);
  for (const entry of toRead) {
    let parts: Uint8Array[];
    try {
      parts = await unpack(
        reader,
        entry,
        Math.min(limits.maxEntryBytes, limits.maxTotalBytes - total),
      );
    } catch (error) {
      if (error instanceof TooLarge) {
        if (total + error.unpacked > limits.maxTotalBytes && error.unpacked <= limits.maxEntryBytes)
          return {
            error: inParts(
              `its files unpack to more than ${formatBytes(limits.maxTotalBytes)} (its directory said ${formatBytes(declaredTotal)}), more than one zip may bring in`,
            ),
          };
        refuse(entry.name, entryTooLarge(error.unpacked, limits.maxEntryBytes, entry.size));
      } else {
        refuse(entry.name, `damaged (${message(error)}); not read`);
      }
      continue;
    }
    const size = parts.reduce((sum, part) => sum + part.length, 0);
    total += size;
    files.push(toFile({ name: entry.name, parts, size }));
  }
  if (refusedMore > 0)
    refused.push(`${archiveName}: ${refusedMore.toLocaleString('en')} more entries not read`);
  return { files, refused };
}

function entryTooLarge(size: number, max: number, declared?: number): string {
  const said =
    declared !== undefined && declared < size ? ` (the archive said ${formatBytes(declared)})` : '';
  return (
    `unpacks to ${declared !== undefined ? 'more than ' : ''}${formatBytes(size)}${said}, more than the ` +
    `${formatBytes(max)} one file in a zip may have; not read (unzip it and choose the file itself)`
  );
}

class TooLarge extends Error {
  constructor(readonly unpacked: number) {
    super('too large');
  }
}

/** An entry's bytes, unpacked in steps; TooLarge as soon as they pass max. */
async function unpack(
  reader: WindowReader,
  entry: CentralEntry,
  max: number,
): Promise<Uint8Array[]> {
  const header = await reader.read(entry.localOffset, 30);
  if (u32(header, 0) !== LOCAL) throw new ZipError('no local header where the directory points');
  let at = entry.localOffset + 30 + u16(header, 26) + u16(header, 28);
  const end = at + entry.compressedSize;
  const parts: Uint8Array[] = [];
  let unpacked = 0;
  const take = (chunk: Uint8Array) => {
    unpacked += chunk.length;
    if (unpacked > max) throw new TooLarge(unpacked);
    if (chunk.length > 0) parts.push(chunk);
  };
  if (entry.method === 0) {
    if (entry.compressedSize > max) throw new TooLarge(entry.compressedSize);
    while (at < end) {
      const length = Math.min(READ_WINDOW, end - at);
      take((await reader.read(at, length)).slice());
      at += length;
    }
    return parts;
  }
  const inflater = new Inflate((chunk) => take(chunk));
  while (at < end) {
    const length = Math.min(READ_WINDOW, end - at);
    const read = await reader.read(at, length);
    for (let k = 0; k < read.length; k += INFLATE_STEP) {
      const last = at + k + INFLATE_STEP >= end;
      inflater.push(read.subarray(k, k + INFLATE_STEP), last);
    }
    at += length;
  }
  return parts;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
