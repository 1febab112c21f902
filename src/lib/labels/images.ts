import { baseName, makeProblem } from './records';
import { SampleFlag, type Problem, type SampleTable } from './types';
import { textAt } from './text-column';

/**
 * The key labels and image files are matched on: base name, lower-case, without
 * extension and without a trailing `_aligned`, because RAF-CE and RAF-DB label
 * `0001.jpg` but ship the aligned crop as `aligned/0001_aligned.jpg`.
 */
export function imageKey(name: string): string {
  let key = baseName(name).toLowerCase();
  const dot = key.lastIndexOf('.');
  if (dot > 0) key = key.slice(0, dot);
  if (key.endsWith('_aligned')) key = key.slice(0, -'_aligned'.length);
  return key;
}

export interface ImageMatch {
  /** A copy of table.flags with SampleFlag.hasImage set for each sample that has an image. */
  flags: Uint8Array;
  /** For each sample, the index in imageNames of its image; -1 = none. */
  imageOfSample: Int32Array;
  imagesWithoutLabels: string[];
  /** Sample indices. */
  labelsWithoutImages: number[];
  /** Keys that more than one image (or more than one label) share. */
  duplicateKeys: { key: string; names: string[] }[];
  problems: Problem[];
}

/**
 * Pair samples with image files by imageKey. When two images share a key the first
 * given is used; the others are reported, not silently preferred.
 */
export function matchImages(
  table: SampleTable,
  imageNames: readonly string[],
  labelFile = 'labels',
): ImageMatch {
  const problems: Problem[] = [];
  const duplicateImages = new Map<string, string[]>();
  const duplicateLabels = new Map<string, string[]>();
  const imageByKey = new Map<string, number>();
  const shadowed = new Uint8Array(imageNames.length);
  for (let index = 0; index < imageNames.length; index++) {
    const name = imageNames[index] as string;
    const key = imageKey(name);
    const first = imageByKey.get(key);
    if (first === undefined) {
      imageByKey.set(key, index);
      continue;
    }
    shadowed[index] = 1;
    const firstName = imageNames[first] as string;
    const names = duplicateImages.get(key) ?? [firstName];
    names.push(name);
    duplicateImages.set(key, names);
    problems.push(
      makeProblem(
        name,
        0,
        'duplicate-image',
        'warning',
        'image',
        name,
        `image '${name}' has the same key '${key}' as '${firstName}'; '${firstName}' is used`,
      ),
    );
  }

  const flags = Uint8Array.from(table.flags);
  const imageOfSample = new Int32Array(table.count).fill(-1);
  const labelOfImage = new Int32Array(imageNames.length).fill(-1);
  const labelsWithoutImages: number[] = [];
  for (let i = 0; i < table.count; i++) {
    const name = textAt(table.names, i);
    const key = imageKey(name);
    const image = imageByKey.get(key);
    if (image === undefined) {
      labelsWithoutImages.push(i);
      flags[i] = (flags[i] as number) & ~SampleFlag.hasImage;
      problems.push(
        makeProblem(
          labelFile,
          0,
          'unmatched',
          'warning',
          'image',
          name,
          `no image file for label '${name}'`,
        ),
      );
      continue;
    }
    const firstLabel = labelOfImage[image] as number;
    if (firstLabel >= 0) {
      const firstName = textAt(table.names, firstLabel);
      problems.push(
        makeProblem(
          labelFile,
          0,
          'duplicate-image',
          'warning',
          'image',
          name,
          `labels '${firstName}' and '${name}' have the same image key '${key}'; both get the same image`,
        ),
      );
      const names = duplicateLabels.get(key) ?? [firstName];
      names.push(name);
      duplicateLabels.set(key, names);
    } else {
      labelOfImage[image] = i;
    }
    imageOfSample[i] = image;
    flags[i] = (flags[i] as number) | SampleFlag.hasImage;
  }

  const imagesWithoutLabels: string[] = [];
  for (let index = 0; index < imageNames.length; index++) {
    if (labelOfImage[index] !== -1 || shadowed[index]) continue;
    const name = imageNames[index] as string;
    imagesWithoutLabels.push(name);
    problems.push(
      makeProblem(name, 0, 'unmatched', 'warning', 'image', name, `no label names image '${name}'`),
    );
  }

  return {
    flags,
    imageOfSample,
    imagesWithoutLabels,
    labelsWithoutImages,
    duplicateKeys: [...duplicateImages, ...duplicateLabels].map(([key, names]) => ({ key, names })),
    problems,
  };
}
