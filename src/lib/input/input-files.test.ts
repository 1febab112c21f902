import { describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { classifyInputName, expandZip, imageMimeType } from './input-files';

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
  it('lists label files and images, skipping folders and system files', () => {
    const zip = zipSync({
      'set/RAFCE_emolabel.txt': strToU8('0001.jpg 5\n'),
      'set/aligned/0001_aligned.jpg': new Uint8Array([0xff, 0xd8, 0xff]),
      '__MACOSX/set/._RAFCE_emolabel.txt': strToU8('junk'),
    });
    const result = expandZip('set.zip', zip);
    expect('entries' in result && result.entries.map((e) => e.name).sort()).toEqual([
      'set/RAFCE_emolabel.txt',
      'set/aligned/0001_aligned.jpg',
    ]);
  });

  it('reports a damaged archive by name instead of throwing', () => {
    const result = expandZip('broken.zip', strToU8('this is not a zip'));
    expect(result).toEqual({
      error: expect.stringContaining('broken.zip: not a readable zip archive'),
    });
  });
});
