import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importLabelFiles } from '../../src/lib/formats/import';
import { RAFCE_SCHEME } from '../../src/lib/labels/schemes';
import { textAt } from '../../src/lib/labels/text-column';
import { AuStatus, type LabelScheme, type SampleTable } from '../../src/lib/labels/types';
import { seededRandom } from '../../src/lib/random/seeded-random';

/**
 * Test support (Node only; vitest and Playwright alike): files a researcher would bring
 * to the post-mortem, generated from the real RAF-CE labels at test time. The labels
 * may not be redistributed, so nothing made from them is committed: every file here is
 * built again from the labels and a seed, byte for byte the same each time.
 *
 * - predictionCsv: a run's predictions (`image`, `p_<class id>` per class, `AU<n>` per AU).
 * - targetDumpCsv / targetDumpNpy: the AU targets a training loader used, correct or
 *   with one of the loader bugs the loader check must find.
 *
 * This file reads the label files itself instead of through the unit tests' helper,
 * because that helper imports vitest, which a Playwright spec cannot load.
 */

export interface FixtureFile {
  name: string;
  bytes: Uint8Array;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the real RAF-CE label files are (the same rule as the unit and end-to-end tests). */
export const RAFCE_DIR = resolve(
  process.env.RAFCE_FIXTURES ?? join(REPO_ROOT, '../shared/fixtures/raf-ce'),
);

const RAFCE_FILES = ['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt', 'RAFCE_partition.txt'] as const;

export const hasRealRafCe = RAFCE_FILES.every((name) => existsSync(join(RAFCE_DIR, name)));

export interface FixtureDataset {
  table: SampleTable;
  scheme: LabelScheme;
}

let realDataset: FixtureDataset | null = null;

/** The real RAF-CE labels as the app imports them. Throws where they are absent: guard with hasRealRafCe. */
export function realRafCeDataset(): FixtureDataset {
  if (realDataset) return realDataset;
  if (!hasRealRafCe) throw new Error(`the real RAF-CE label files are not in ${RAFCE_DIR}`);
  const files = RAFCE_FILES.map((name) => ({
    name,
    bytes: new Uint8Array(readFileSync(join(RAFCE_DIR, name))),
  }));
  const imported = importLabelFiles(files);
  realDataset = { table: imported.table, scheme: imported.scheme };
  return realDataset;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function hasAu(table: SampleTable, s: number, au: number): boolean {
  const word = table.auMask[au <= 32 ? 2 * s : 2 * s + 1] as number;
  return ((word >>> (au <= 32 ? au - 1 : au - 33)) & 1) === 1;
}

/** How many coded samples have each AU (index: AU number, 0-64). */
export function auCounts(table: SampleTable): number[] {
  const counts = new Array<number>(65).fill(0);
  for (let s = 0; s < table.count; s++) {
    if (table.auStatus[s] !== AuStatus.coded) continue;
    for (let au = 1; au <= 64; au++)
      if (hasAu(table, s, au)) counts[au] = (counts[au] as number) + 1;
  }
  return counts;
}

/** The AUs coded at least `minCount` times, ascending: the columns of the generated files. */
export function codedAus(table: SampleTable, minCount = 1): number[] {
  const counts = auCounts(table);
  const aus: number[] = [];
  for (let au = 1; au <= 64; au++) if ((counts[au] as number) >= minCount) aus.push(au);
  return aus;
}

const encoder = new TextEncoder();

// ---------------------------------------------------------------------------------------
// Predictions

export interface PredictionOptions {
  /** The run's file name (without folder); `<run>-predictions.csv` by default. */
  name?: string;
  seed?: number;
  /** Share of samples predicted right, per class unless classAccuracy says otherwise. */
  accuracy: number;
  /** Classes (by id) the run is worse on, and their accuracy; the others make up the difference. */
  lostClasses?: { ids: readonly number[]; accuracy: number };
  /** AU probability columns; AUs coded at least 20 times by default; [] for none. */
  aus?: readonly number[];
  /** Share of AU labels on the right side of 0.5 for labelled-present AUs. */
  auRecall?: number;
  dataset?: FixtureDataset;
}

export interface PredictionFixture extends FixtureFile {
  /** The class each sample was predicted as (-1: not in the file), for tests to count with. */
  predicted: Int16Array;
}

/**
 * A run's predictions of every sample that has a class: the share given as `accuracy`
 * is predicted right (exactly, per class), the rest as another class drawn at random.
 * Probabilities come from a softmax of scores in which the predicted class scores
 * highest; AU probabilities sit on the label's side of 0.5 for most samples.
 */
export function predictionCsv(options: PredictionOptions): PredictionFixture {
  const { table, scheme } = options.dataset ?? realRafCeDataset();
  const random = seededRandom(options.seed ?? 15);
  const classIds = scheme.classes.map((c) => c.id);
  const aus = options.aus ?? codedAus(table, 20);
  const auRecall = options.auRecall ?? 0.8;

  const byClass = new Map<number, number[]>();
  let classified = 0;
  for (let s = 0; s < table.count; s++) {
    const id = table.classIds[s] as number;
    if (!classIds.includes(id)) continue;
    classified++;
    const list = byClass.get(id) ?? [];
    list.push(s);
    byClass.set(id, list);
  }
  const lost = new Set(options.lostClasses?.ids ?? []);
  const lostCount = [...byClass].reduce((n, [id, list]) => n + (lost.has(id) ? list.length : 0), 0);
  const lostAccuracy = options.lostClasses?.accuracy ?? options.accuracy;
  // The other classes make up what the lost ones lose, so the overall accuracy holds.
  const otherAccuracy =
    classified === lostCount
      ? options.accuracy
      : Math.min(
          1,
          (options.accuracy * classified - lostAccuracy * lostCount) / (classified - lostCount),
        );
  const predicted = new Int16Array(table.count).fill(-1);
  for (const [id, list] of [...byClass].sort((a, b) => a[0] - b[0])) {
    const rate = lost.has(id) ? lostAccuracy : otherAccuracy;
    const order = shuffle([...list], random);
    const right = Math.round(rate * order.length);
    order.forEach((s, i) => {
      if (i < right) predicted[s] = id;
      else {
        const others = classIds.filter((other) => other !== id);
        predicted[s] = others[Math.floor(random() * others.length)] as number;
      }
    });
  }

  const header = ['image', ...classIds.map((id) => `p_${id}`), ...aus.map((au) => `AU${au}`)];
  const lines = [header.join(',')];
  for (let s = 0; s < table.count; s++) {
    const guess = predicted[s] as number;
    if (guess < 0) continue;
    const scores = classIds.map((id) => (id === guess ? 2 + 2 * random() : 2 * random() - 1));
    const top = Math.max(...scores);
    const exp = scores.map((score) => Math.exp(score - top));
    const sum = exp.reduce((a, b) => a + b, 0);
    const cells = [textAt(table.names, s), ...exp.map((e) => (e / sum).toFixed(6))];
    for (const au of aus) {
      let p: number;
      if (table.auStatus[s] !== AuStatus.coded) p = 0.3 * random();
      else {
        const present = hasAu(table, s, au);
        // Misses among present AUs at 1 - auRecall; false alarms ten times rarer,
        // since most AUs are absent from most faces.
        const right = random() >= (present ? 1 - auRecall : (1 - auRecall) / 10);
        const high = 0.5 + 0.5 * random();
        const low = 0.5 * random() ** 2;
        p = present === right ? high : low;
      }
      cells.push(p.toFixed(4));
    }
    lines.push(cells.join(','));
  }
  return {
    name: options.name ?? 'predictions.csv',
    bytes: encoder.encode(`${lines.join('\n')}\n`),
    predicted,
  };
}

/** The better run: 65% of samples right, every class alike. */
export function goodRunCsv(dataset?: FixtureDataset): PredictionFixture {
  return predictionCsv({
    name: 'baseline-predictions.csv',
    seed: 65,
    accuracy: 0.65,
    auRecall: 0.8,
    ...(dataset ? { dataset } : {}),
  });
}

/** Classes the worse run loses: Sadly fearful (2) and Fearfully angry (6), at 25%. */
export const WORSE_RUN_LOST_CLASSES = [2, 6] as const;

/** The worse run: 55% right, and far worse on two classes. */
export function worseRunCsv(dataset?: FixtureDataset): PredictionFixture {
  return predictionCsv({
    name: 'multi-task-predictions.csv',
    seed: 55,
    accuracy: 0.55,
    lostClasses: { ids: WORSE_RUN_LOST_CLASSES, accuracy: 0.25 },
    auRecall: 0.6,
    ...(dataset ? { dataset } : {}),
  });
}

// ---------------------------------------------------------------------------------------
// Target dumps

/**
 * - correct: 1/0 from the labels, -1 (masked) where the label is `null`;
 * - all-zero-coded: the bug of a loader that split `1+4+25` on whitespace: every coded
 *   sample's targets 0 (`null` samples still masked);
 * - null-as-zero: right for coded samples, but `null` given 0 targets;
 * - column-shift: each AU column holds the labels of the next one (the loader's AU list
 *   lost an entry), the last column 0;
 * - rows-shifted: row n holds the targets of sample n + 1 (the last row masked).
 */
export const TARGET_DUMP_KINDS = [
  'correct',
  'all-zero-coded',
  'null-as-zero',
  'column-shift',
  'rows-shifted',
] as const;
export type TargetDumpKind = (typeof TARGET_DUMP_KINDS)[number];

export interface TargetMatrix {
  /** Image name of each row, in the dataset's order. */
  images: string[];
  aus: number[];
  /** images.length x aus.length; -1: masked. */
  values: Float32Array;
}

export interface TargetDumpOptions {
  dataset?: FixtureDataset;
  /** The AU columns; every coded AU by default. */
  aus?: readonly number[];
}

function labelTarget(table: SampleTable, s: number, au: number): number {
  if (table.auStatus[s] !== AuStatus.coded) return -1;
  return hasAu(table, s, au) ? 1 : 0;
}

/** The targets a loader of the given kind would have used, one row per sample in order. */
export function targetMatrix(kind: TargetDumpKind, options: TargetDumpOptions = {}): TargetMatrix {
  const { table } = options.dataset ?? realRafCeDataset();
  const aus = [...(options.aus ?? codedAus(table))];
  const k = aus.length;
  const values = new Float32Array(table.count * k);
  const images: string[] = [];
  for (let s = 0; s < table.count; s++) {
    images.push(textAt(table.names, s));
    const coded = table.auStatus[s] === AuStatus.coded;
    aus.forEach((au, j) => {
      let value: number;
      switch (kind) {
        case 'correct':
          value = labelTarget(table, s, au);
          break;
        case 'all-zero-coded':
          value = coded ? 0 : -1;
          break;
        case 'null-as-zero':
          value = coded ? labelTarget(table, s, au) : 0;
          break;
        case 'column-shift': {
          const next = aus[j + 1];
          value = !coded ? -1 : next === undefined ? 0 : labelTarget(table, s, next);
          break;
        }
        case 'rows-shifted':
          value = s + 1 < table.count ? labelTarget(table, s + 1, au) : -1;
          break;
      }
      values[s * k + j] = value;
    });
  }
  return { images, aus, values };
}

/** The dump as a CSV: `image`, then `AU<n>` per column; values 1, 0 or -1. */
export function targetDumpCsv(kind: TargetDumpKind, options: TargetDumpOptions = {}): FixtureFile {
  const { images, aus, values } = targetMatrix(kind, options);
  const k = aus.length;
  const lines = [['image', ...aus.map((au) => `AU${au}`)].join(',')];
  images.forEach((image, r) => {
    const cells = [image];
    for (let j = 0; j < k; j++) cells.push(String(values[r * k + j]));
    lines.push(cells.join(','));
  });
  return { name: `au-targets-${kind}.csv`, bytes: encoder.encode(`${lines.join('\n')}\n`) };
}

export interface NpyDump {
  npy: FixtureFile;
  /** One image name per line, row by row. */
  imageList: FixtureFile;
  /** The AU number of each column, as a user would type it: `1,2,4,...`. */
  auList: string;
  aus: number[];
}

/** The same dump as an N x K '<f4' .npy with an image list beside it. */
export function targetDumpNpy(kind: TargetDumpKind, options: TargetDumpOptions = {}): NpyDump {
  const { images, aus, values } = targetMatrix(kind, options);
  return {
    npy: { name: `au-targets-${kind}.npy`, bytes: writeNpy(values, [images.length, aus.length]) },
    imageList: {
      name: `au-targets-${kind}-images.txt`,
      bytes: encoder.encode(`${images.join('\n')}\n`),
    },
    auList: aus.join(','),
    aus,
  };
}

/**
 * A little-endian float32 array as `numpy.save` writes it (format version 1.0): magic,
 * version, header length, a dict literal padded with spaces to a multiple of 64 bytes
 * and ended by a line feed, then the values in C order.
 */
export function writeNpy(values: ArrayLike<number>, shape: readonly number[]): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== values.length)
    throw new Error(`writeNpy: ${values.length} values for shape (${shape.join(', ')})`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const preamble = 10;
  const padded = Math.ceil((preamble + dict.length + 1) / 64) * 64;
  const header = `${dict}${' '.repeat(padded - preamble - dict.length - 1)}\n`;
  const bytes = new Uint8Array(padded + 4 * size);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  const view = new DataView(bytes.buffer);
  view.setUint16(8, header.length, true);
  bytes.set(encoder.encode(header), preamble);
  for (let i = 0; i < size; i++) view.setFloat32(padded + 4 * i, values[i] as number, true);
  return bytes;
}

/** The scheme the real files use, for specs that name classes. */
export const FIXTURE_SCHEME = RAFCE_SCHEME;
