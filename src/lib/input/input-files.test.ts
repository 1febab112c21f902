import { describe, expect, it } from 'vitest';
import { Zip, ZipDeflate, zipSync, strToU8 } from 'fflate';
import {
  classifyInputName,
  expandZip,
  imageMimeType,
  type ArchiveEntry,
  type ExpandResult,
} from './input-files';

describe('classifyInputName', () => {
  it.each([
    ['RAFCE_emolabel.txt', 'label'],
    ['EmoLabel/list_patition_label.txt', 'label'],
    ['labels.CSV', 'label'],
    ['labels.tsv', 'label'],
    ['aligned/0001_aligned.jpg', 'image'],
    ['faces/0001.PNG', 'image'],
    ['face.svg', 'image'],
    ['dataset.zip', 'archive'],
    ['__MACOSX/aligned/._0001_aligned.jpg', 'ignored'],
    ['aligned/.DS_Store', 'ignored'],
    ['notes.docx', 'ignored'],
    ['README', 'ignored'],
    ['../../RAFCE_emolabel.txt', 'label'],
    ['./labels.csv', 'label'],
  ] as const)('%s is %s', (name, kind) => {
    expect(classifyInputName(name)).toBe(kind);
  });
});

describe('imageMimeType', () => {
  it.each([
    ['a.jpg', 'image/jpeg'],
    ['a.JPEG', 'image/jpeg'],
    ['a.png', 'image/png'],
    ['a.svg', 'image/svg+xml'],
    ['a.xyz', 'application/octet-stream'],
  ])('%s is %s', (name, mime) => {
    expect(imageMimeType(name)).toBe(mime);
  });
});

describe('expandZip', () => {
  const text = (entry: ArchiveEntry) => new TextDecoder().decode(concat(entry.parts));
  function concat(parts: Uint8Array[]): Uint8Array {
    const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
  function read(result: ExpandResult<ArchiveEntry>) {
    if ('error' in result) throw new Error(`unexpected error: ${result.error}`);
    return result;
  }
  /** Writes a false unpacked size into every entry of the central directory (declared sizes can lie). */
  function lieAboutSizes(zip: Uint8Array, size: number): Uint8Array {
    const out = zip.slice();
    const view = new DataView(out.buffer);
    for (let at = 0; at + 4 <= out.length; at++)
      if (view.getUint32(at, true) === 0x02014b50) view.setUint32(at + 24, size, true);
    return out;
  }

  it('lists label files and images, skipping folders and system files', async () => {
    const zip = zipSync({
      'set/RAFCE_emolabel.txt': strToU8('0001.jpg 5\n'),
      'set/aligned/0001_aligned.jpg': new Uint8Array([0xff, 0xd8, 0xff]),
      'set/stored.txt': [strToU8('kept as it is\n'), { level: 0 }],
      '__MACOSX/set/._RAFCE_emolabel.txt': strToU8('junk'),
      'set/.DS_Store': strToU8('junk'),
    });
    const result = read(await expandZip('set.zip', zip));
    expect(result.files.map((e) => e.name).sort()).toEqual([
      'set/RAFCE_emolabel.txt',
      'set/aligned/0001_aligned.jpg',
      'set/stored.txt',
    ]);
    expect(result.files.map(text).sort()).toContain('0001.jpg 5\n');
    expect(result.files.map(text)).toContain('kept as it is\n');
    expect(result.refused).toEqual([]);
  });

  it('reads entries whose sizes follow their data (data descriptors), as streamed zips write them', async () => {
    const parts: Uint8Array[] = [];
    const zip = new Zip((error, chunk) => {
      if (error) throw error;
      parts.push(chunk);
    });
    for (const [name, body] of [
      ['RAFCE_emolabel.txt', '0001.jpg 5\n'],
      ['RAFCE_partition.txt', '0001.jpg 0\n'],
    ] as const) {
      const entry = new ZipDeflate(name);
      zip.add(entry);
      entry.push(strToU8(body), true);
    }
    zip.end();
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    parts.reduce((at, part) => (bytes.set(part, at), at + part.length), 0);
    const result = read(await expandZip('streamed.zip', bytes));
    expect(result.files.map((entry) => [entry.name, text(entry)])).toEqual([
      ['RAFCE_emolabel.txt', '0001.jpg 5\n'],
      ['RAFCE_partition.txt', '0001.jpg 0\n'],
    ]);
  });

  it('reports a damaged archive by name instead of throwing', async () => {
    const result = await expandZip('broken.zip', strToU8('this is not a zip'));
    expect(result).toEqual({
      error: expect.stringContaining('broken.zip: not a readable zip archive'),
    });
  });

  it.each([
    ['../../RAFCE_emolabel.txt', "a path that leads out of the archive ('..'); not read"],
    ['set/../../x.jpg', "a path that leads out of the archive ('..'); not read"],
    ['..\\..\\labels.csv', "a path that leads out of the archive ('..'); not read"],
    [
      '/etc/RAFCE_partition.txt',
      'an absolute path; not read (a zip may only hold paths inside it)',
    ],
    ['C:/data/labels.csv', 'an absolute path; not read (a zip may only hold paths inside it)'],
    ['inner.zip', 'nested archive not opened: unzip it first'],
    ['set/notes.docx', 'not a label file (.txt, .csv, .tsv) or an image; skipped'],
  ])('refuses %s with its reason, and reads the rest', async (name, reason) => {
    const zip = zipSync({ [name]: strToU8('0001.jpg 5\n'), 'ok/RAFCE_emolabel.txt': strToU8('x') });
    const result = read(await expandZip('hostile.zip', zip));
    expect(result.refused).toEqual([`hostile.zip › ${name}: ${reason}`]);
    expect(result.files.map((e) => e.name)).toEqual(['ok/RAFCE_emolabel.txt']);
  });

  it('refuses an entry larger than the limit, by its declared size', async () => {
    const zip = zipSync({ 'big.png': new Uint8Array(5000), 'small.png': new Uint8Array(10) });
    const result = read(await expandZip('photos.zip', zip, { limits: { maxEntryBytes: 1000 } }));
    expect(result.files.map((e) => e.name)).toEqual(['small.png']);
    expect(result.refused).toEqual([
      'photos.zip › big.png: unpacks to 5.0 KB, more than the 1.0 KB one file in a zip may have; ' +
        'not read (unzip it and choose the file itself)',
    ]);
  });

  it('stops unpacking an entry whose declared size lies, never inflating it whole', async () => {
    // 16 MB of zeros pack into about 16 KB; the directory claims 100 bytes.
    const bomb = lieAboutSizes(zipSync({ 'bomb.png': new Uint8Array(16 << 20) }), 100);
    const kept: ArchiveEntry[] = [];
    const result = read(
      await expandZip('bomb.zip', bomb, {
        limits: { maxEntryBytes: 1 << 20 },
        toFile: (entry) => (kept.push(entry), entry),
      }),
    );
    expect(kept).toEqual([]);
    expect(result.refused).toHaveLength(1);
    expect(result.refused[0]).toMatch(
      /^bomb\.zip › bomb\.png: unpacks to more than [\d.]+ MB \(the archive said 100 bytes\), more than the 1\.0 MB one file/,
    );
  });

  it('refuses an archive whose files together pass the total limit, saying how much', async () => {
    const zip = zipSync({
      'a.png': new Uint8Array(600),
      'b.png': new Uint8Array(600),
      'c.png': new Uint8Array(600),
    });
    const result = await expandZip('photos.zip', zip, { limits: { maxTotalBytes: 1000 } });
    expect(result).toEqual({
      error:
        'photos.zip: its files unpack to 1.8 KB, more than the 1.0 KB one zip may bring in; ' +
        'nothing was read from it. Import it in parts (several smaller zips), or unzip it and ' +
        "choose the folder instead: a folder's files are read one at a time",
    });
  });

  it('refuses an archive that passes the total limit once unpacked, whatever it declared', async () => {
    const zip = lieAboutSizes(
      zipSync({ 'a.png': new Uint8Array(600), 'b.png': new Uint8Array(600) }),
      10,
    );
    const result = await expandZip('photos.zip', zip, { limits: { maxTotalBytes: 1000 } });
    expect('error' in result && result.error).toMatch(
      /^photos\.zip: its files unpack to more than 1\.0 KB \(its directory said 20 bytes\).*Import it in parts/,
    );
  });

  it('refuses an archive of more entries than the limit', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [`${i}.png`, new Uint8Array(1)]),
    );
    const result = await expandZip('many.zip', zipSync(files), { limits: { maxEntries: 3 } });
    expect('error' in result && result.error).toMatch(
      /^many\.zip: it holds 5 files, more than the 3 one zip may bring in; nothing was read/,
    );
  });
});
