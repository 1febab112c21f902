import { describe, expect, it } from 'vitest';
import { imageKey, imageLookupKeys, matchImages, pathSuffixKeys, sampleImageKey } from './images';
import { emptySampleTable } from './table';
import { SampleFlag, type SampleTable } from './types';
import { textColumnOf } from './text-column';

describe('imageKey', () => {
  it.each<[string, string]>([
    ['0001.jpg', '0001'],
    ['aligned/0001_aligned.jpg', '0001'],
    ['Image/aligned/0001_aligned.JPG', '0001'],
    ['C:\\RAF\\aligned\\0001_aligned.jpg', '0001'],
    ['train_00001.jpg', 'train_00001'],
    ['train_00001_aligned.jpg', 'train_00001'],
    ['0001.png', '0001'],
    ['0001', '0001'],
    ['.hidden', '.hidden'],
    ['a.b.jpg', 'a.b'],
    ['aligned_0001.jpg', 'aligned_0001'],
  ])('%s -> %s', (name, key) => {
    expect(imageKey(name)).toBe(key);
  });

  it.each<[string, string]>([
    ['0001.jpg', 'aligned/0001_aligned.jpg'],
    ['train_00001.jpg', 'train_00001_aligned.jpg'],
  ])('%s matches %s', (label, image) => {
    expect(imageKey(label)).toBe(imageKey(image));
  });
});

describe('sampleImageKey', () => {
  it.each<[string, string]>([
    ['0001.jpg', '0001'],
    ['0001_aligned.jpg', '0001'],
    ['F001_T1/00012.jpg', 'f001_t1/00012'],
    ['./F001_T1//00012.JPG', 'f001_t1/00012'],
    ['train\\0001.jpg', 'train/0001'],
    ['videos/v1/00001_aligned.png', 'videos/v1/00001'],
  ])('%s -> %s', (name, key) => {
    expect(sampleImageKey(name)).toBe(key);
  });
});

describe('pathSuffixKeys and imageLookupKeys', () => {
  it.each<[string, number, string[]]>([
    ['0001.jpg', Infinity, ['0001']],
    ['cropped/F001_T1/00012.jpg', Infinity, ['cropped/f001_t1/00012', 'f001_t1/00012', '00012']],
    ['cropped/F001_T1/00012.jpg', 2, ['f001_t1/00012', '00012']],
    ['cropped/F001_T1/00012.jpg', 1, ['00012']],
    ['aligned/0001_aligned.jpg', 1, ['0001']],
  ])('%s, depth %d -> %j', (name, depth, keys) => {
    expect(pathSuffixKeys(name, depth)).toEqual(keys);
  });

  it.each<[string, string[]]>([
    ['0001', ['0001']],
    ['f001_t1/00012', ['f001_t1/00012', '00012']],
  ])('%s is looked up as %j', (key, keys) => {
    expect(imageLookupKeys(key)).toEqual(keys);
  });
});

function tableOf(names: string[]): SampleTable {
  const table = emptySampleTable(names.length);
  table.names = textColumnOf(names);
  table.flags[0] = SampleFlag.unknownAuToken;
  return table;
}

describe('matchImages', () => {
  it('pairs labels with images, and lists what is left on either side', () => {
    const table = tableOf(['0001.jpg', '0002.jpg', '0003.jpg']);
    const match = matchImages(
      table,
      ['aligned/0001_aligned.jpg', 'aligned/0003_aligned.jpg', 'aligned/0009_aligned.jpg'],
      'RAFCE_emolabel.txt',
    );
    expect([...match.flags]).toEqual([
      SampleFlag.unknownAuToken | SampleFlag.hasImage,
      0,
      SampleFlag.hasImage,
    ]);
    expect(table.flags[1]).toBe(0);
    expect([...table.flags]).toEqual([SampleFlag.unknownAuToken, 0, 0]);
    expect([...match.imageOfSample]).toEqual([0, -1, 1]);
    expect(match.labelsWithoutImages).toEqual([1]);
    expect(match.imagesWithoutLabels).toEqual(['aligned/0009_aligned.jpg']);
    expect(match.duplicateKeys).toEqual([]);
    expect(match.problems).toEqual([
      {
        kind: 'unmatched',
        severity: 'warning',
        file: 'RAFCE_emolabel.txt',
        line: 0,
        field: 'image',
        raw: '0002.jpg',
        message: "no image file for label '0002.jpg'",
      },
      {
        kind: 'unmatched',
        severity: 'warning',
        file: 'aligned/0009_aligned.jpg',
        line: 0,
        field: 'image',
        raw: 'aligned/0009_aligned.jpg',
        message: "no label names image 'aligned/0009_aligned.jpg'",
      },
    ]);
  });

  it('uses the first of two images with one key and reports the other', () => {
    const match = matchImages(tableOf(['0001.jpg']), ['0001.jpg', 'aligned/0001_aligned.jpg']);
    expect([...match.imageOfSample]).toEqual([0]);
    expect(match.imagesWithoutLabels).toEqual([]);
    expect(match.duplicateKeys).toEqual([
      { key: '0001', names: ['0001.jpg', 'aligned/0001_aligned.jpg'] },
    ]);
    expect(match.problems.map((p) => [p.kind, p.file, p.message])).toEqual([
      [
        'duplicate-image',
        'aligned/0001_aligned.jpg',
        "image 'aligned/0001_aligned.jpg' has the same key '0001' as '0001.jpg'; '0001.jpg' is used",
      ],
    ]);
  });

  it('reports two labels that share an image key', () => {
    const match = matchImages(tableOf(['0001.jpg', '0001.png']), ['0001_aligned.jpg']);
    expect([...match.imageOfSample]).toEqual([0, 0]);
    expect(match.duplicateKeys).toEqual([{ key: '0001', names: ['0001.jpg', '0001.png'] }]);
    expect(match.problems.map((p) => p.message)).toEqual([
      "labels '0001.jpg' and '0001.png' have the same image key '0001'; both get the same image",
    ]);
  });

  it('tells frames of two videos with the same number apart by their folder', () => {
    const match = matchImages(
      tableOf(['F001_T1/00001.jpg', 'F002_T1/00001.jpg', 'F001_T1/00002.jpg']),
      [
        'cropped_aligned/F002_T1/00001.jpg',
        'cropped_aligned/F001_T1/00001.jpg',
        'cropped_aligned/F001_T1/00002.jpg',
      ],
    );
    expect([...match.imageOfSample]).toEqual([1, 0, 2]);
    expect(match.keyOfImage).toEqual(['f002_t1/00001', 'f001_t1/00001', 'f001_t1/00002']);
    expect(match.problems).toEqual([]);
  });

  it('falls back to the base name when the images have no video folders, and says the match is ambiguous', () => {
    const match = matchImages(tableOf(['F001_T1/00001.jpg']), ['a/00001.jpg', 'b/00001.jpg']);
    expect([...match.imageOfSample]).toEqual([0]);
    expect(match.keyOfImage).toEqual(['00001', null]);
    expect(match.problems.map((p) => [p.kind, p.raw])).toEqual([
      ['duplicate-image', 'F001_T1/00001.jpg'],
      ['unmatched', 'b/00001.jpg'],
    ]);
    expect(match.problems[0]?.message).toBe(
      "label 'F001_T1/00001.jpg' matches 2 images by '00001' (a/00001.jpg, b/00001.jpg); 'a/00001.jpg' is used",
    );
  });

  it('stores a RAF-CE image under the key its label looks up', () => {
    const match = matchImages(tableOf(['0001.jpg']), ['RAF/aligned/0001_aligned.jpg']);
    expect(match.keyOfImage).toEqual(['0001']);
    expect(imageLookupKeys(sampleImageKey('0001.jpg'))).toContain(match.keyOfImage[0]);
  });

  it('handles no images at all', () => {
    const match = matchImages(tableOf(['a.jpg']), []);
    expect(match.labelsWithoutImages).toEqual([0]);
    expect(match.imagesWithoutLabels).toEqual([]);
  });
});
