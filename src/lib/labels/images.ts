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

/** A path's folders (lower-case, `\` read as `/`, empty and `.` parts dropped) and its imageKey last. */
function keyParts(name: string): string[] {
  const parts = name
    .replace(/\\/g, '/')
    .toLowerCase()
    .split('/')
    .filter((part) => part !== '' && part !== '.');
  parts.pop();
  parts.push(imageKey(name));
  return parts;
}

/**
 * The key a sample's image is stored and looked up under: imageKey with the folders the
 * label names kept, so that frame `00012.jpg` of video `F001_T1` (`F001_T1/00012.jpg`)
 * and of video `F002_T1` are two images. A label without folders (RAF-CE's `0001.jpg`)
 * gets imageKey itself.
 */
export function sampleImageKey(name: string): string {
  return name.includes('/') || name.includes('\\') ? keyParts(name).join('/') : imageKey(name);
}

/**
 * The keys to try, in order, for a sample's image: its own key, then its base name's
 * (images stored before keys kept folders, or matched by name alone).
 */
export function imageLookupKeys(key: string): string[] {
  const slash = key.lastIndexOf('/');
  return slash < 0 ? [key] : [key, key.slice(slash + 1)];
}

/** A path's keys ending at its base name, longest first, at most `depth` parts deep. */
export function pathSuffixKeys(name: string, depth = Infinity): string[] {
  if (!name.includes('/') && !name.includes('\\')) return [imageKey(name)];
  const parts = keyParts(name);
  const keys: string[] = [];
  for (let d = Math.min(depth, parts.length); d >= 1; d--)
    keys.push(parts.slice(parts.length - d).join('/'));
  return keys;
}

export interface ImageMatch {
  /** A copy of table.flags with SampleFlag.hasImage set for each sample that has an image. */
  flags: Uint8Array;
  /** For each sample, the index in imageNames of its image; -1 = none. */
  imageOfSample: Int32Array;
  /**
   * For each image, the key it is stored under (the key it was matched by, which the
   * sample's imageLookupKeys find); null when no label names it.
   */
  keyOfImage: (string | null)[];
  imagesWithoutLabels: string[];
  /** Sample indices. */
  labelsWithoutImages: number[];
  /** Keys that more than one image (or more than one label) share. */
  duplicateKeys: { key: string; names: string[] }[];
  problems: Problem[];
}

/**
 * Pair samples with image files. A label is matched by the end of an image's path: as
 * many folders as the label names, then fewer, down to the base name (imageKey), so
 * `F001_T1/00012.jpg` finds `cropped/F001_T1/00012.jpg` and not `cropped/F002_T1/00012.jpg`,
 * and `0001.jpg` finds `aligned/0001_aligned.jpg`. When two images share the key a label
 * asks for, the first given is used; the others are reported, not silently preferred.
 */
export function matchImages(
  table: SampleTable,
  imageNames: readonly string[],
  labelFile = 'labels',
): ImageMatch {
  const problems: Problem[] = [];
  const labelKeys: string[][] = new Array(table.count);
  let depth = 1;
  for (let i = 0; i < table.count; i++) {
    const keys = pathSuffixKeys(textAt(table.names, i));
    labelKeys[i] = keys;
    if (keys.length > depth) depth = keys.length;
  }

  const duplicateImages = new Map<string, string[]>();
  const duplicateLabels = new Map<string, string[]>();
  const imageByKey = new Map<string, number>();
  /** Keys shorter than an image's deepest that other images share too: only a problem if a label uses one. */
  const sharedShorterKeys = new Map<string, string[]>();
  const shadowed = new Uint8Array(imageNames.length);
  for (let index = 0; index < imageNames.length; index++) {
    const name = imageNames[index] as string;
    const keys = pathSuffixKeys(name, depth);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as string;
      const first = imageByKey.get(key);
      if (first === undefined) {
        imageByKey.set(key, index);
        continue;
      }
      const firstName = imageNames[first] as string;
      if (k > 0) {
        const names = sharedShorterKeys.get(key) ?? [firstName];
        names.push(name);
        sharedShorterKeys.set(key, names);
        continue;
      }
      shadowed[index] = 1;
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
  }

  const flags = Uint8Array.from(table.flags);
  const imageOfSample = new Int32Array(table.count).fill(-1);
  const labelOfImage = new Int32Array(imageNames.length).fill(-1);
  const keyOfImage: (string | null)[] = new Array<string | null>(imageNames.length).fill(null);
  const labelsWithoutImages: number[] = [];
  const sharedKeysReported = new Set<string>();
  for (let i = 0; i < table.count; i++) {
    const name = textAt(table.names, i);
    let key = '';
    let image: number | undefined;
    for (const candidate of labelKeys[i] as string[]) {
      image = imageByKey.get(candidate);
      if (image !== undefined) {
        key = candidate;
        break;
      }
    }
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
    const shared = sharedShorterKeys.get(key);
    if (shared && !sharedKeysReported.has(key)) {
      sharedKeysReported.add(key);
      duplicateImages.set(key, shared);
      problems.push(
        makeProblem(
          labelFile,
          0,
          'duplicate-image',
          'warning',
          'image',
          name,
          `label '${name}' matches ${shared.length} images by '${key}' (${shared.slice(0, 3).join(', ')}${shared.length > 3 ? ', ...' : ''}); '${shared[0]}' is used`,
        ),
      );
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
      keyOfImage[image] = key;
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
    keyOfImage,
    imagesWithoutLabels,
    labelsWithoutImages,
    duplicateKeys: [...duplicateImages, ...duplicateLabels].map(([key, names]) => ({ key, names })),
    problems,
  };
}
