import {
  LabelSchemeSchema,
  SplitNamesSchema,
  type BasicEmotion,
  type LabelScheme,
  type SourceFormat,
  type SplitNames,
} from './types';

/** Label schemes as data. Validated once at load so a typo here fails every test. */

export const RAFCE_SCHEME: LabelScheme = LabelSchemeSchema.parse({
  id: 'raf-ce',
  name: 'RAF-CE (14 compound classes, 0-based)',
  classes: [
    { id: 0, name: 'Happily surprised', components: ['happy', 'surprise'] },
    { id: 1, name: 'Happily disgusted', components: ['happy', 'disgust'] },
    { id: 2, name: 'Sadly fearful', components: ['sad', 'fear'] },
    { id: 3, name: 'Sadly angry', components: ['sad', 'anger'] },
    { id: 4, name: 'Sadly surprised', components: ['sad', 'surprise'] },
    { id: 5, name: 'Sadly disgusted', components: ['sad', 'disgust'] },
    { id: 6, name: 'Fearfully angry', components: ['fear', 'anger'] },
    { id: 7, name: 'Fearfully surprised', components: ['fear', 'surprise'] },
    { id: 8, name: 'Fearfully disgusted', components: ['fear', 'disgust'] },
    { id: 9, name: 'Angrily surprised', components: ['anger', 'surprise'] },
    { id: 10, name: 'Angrily disgusted', components: ['anger', 'disgust'] },
    { id: 11, name: 'Disgustedly surprised', components: ['disgust', 'surprise'] },
    { id: 12, name: 'Happily fearful', components: ['happy', 'fear'] },
    { id: 13, name: 'Happily sad', components: ['happy', 'sad'] },
  ],
});

export const RAFDB_BASIC_SCHEME: LabelScheme = LabelSchemeSchema.parse({
  id: 'raf-db-basic',
  name: 'RAF-DB basic (7 classes, 1-based)',
  classes: [
    { id: 1, name: 'Surprise', components: ['surprise'] },
    { id: 2, name: 'Fear', components: ['fear'] },
    { id: 3, name: 'Disgust', components: ['disgust'] },
    { id: 4, name: 'Happiness', components: ['happy'] },
    { id: 5, name: 'Sadness', components: ['sad'] },
    { id: 6, name: 'Anger', components: ['anger'] },
    { id: 7, name: 'Neutral', components: ['neutral'] },
  ],
});

export const RAFDB_COMPOUND_SCHEME: LabelScheme = LabelSchemeSchema.parse({
  id: 'raf-db-compound',
  name: 'RAF-DB compound (11 classes, 1-based)',
  classes: [
    { id: 1, name: 'Happily surprised', components: ['happy', 'surprise'] },
    { id: 2, name: 'Happily disgusted', components: ['happy', 'disgust'] },
    { id: 3, name: 'Sadly fearful', components: ['sad', 'fear'] },
    { id: 4, name: 'Sadly angry', components: ['sad', 'anger'] },
    { id: 5, name: 'Sadly surprised', components: ['sad', 'surprise'] },
    { id: 6, name: 'Sadly disgusted', components: ['sad', 'disgust'] },
    { id: 7, name: 'Fearfully angry', components: ['fear', 'anger'] },
    { id: 8, name: 'Fearfully surprised', components: ['fear', 'surprise'] },
    { id: 9, name: 'Angrily surprised', components: ['anger', 'surprise'] },
    { id: 10, name: 'Angrily disgusted', components: ['anger', 'disgust'] },
    { id: 11, name: 'Disgustedly surprised', components: ['disgust', 'surprise'] },
  ],
});

/**
 * RAF-DB compound id -> RAF-CE id. A table, not an offset: RAF-DB has no
 * "Fearfully disgusted" (RAF-CE 8), so ids 9-11 shift by two, not one.
 */
export const RAFDB_COMPOUND_TO_RAFCE: Readonly<Record<number, number>> = {
  1: 0,
  2: 1,
  3: 2,
  4: 3,
  5: 4,
  6: 5,
  7: 6,
  8: 7,
  9: 9,
  10: 10,
  11: 11,
};

/**
 * Stands in when no file gives emotion classes (e.g. a CSV without an emotion
 * column), so every import has a scheme; its one class is never used by a sample.
 */
export const NO_EMOTION_SCHEME: LabelScheme = LabelSchemeSchema.parse({
  id: 'none',
  name: 'No emotion labels',
  classes: [{ id: 0, name: '(no emotion classes)', components: [] }],
});

export const BUILTIN_SCHEMES: readonly LabelScheme[] = [
  RAFCE_SCHEME,
  RAFDB_BASIC_SCHEME,
  RAFDB_COMPOUND_SCHEME,
];

export function schemeById(id: string): LabelScheme | undefined {
  return BUILTIN_SCHEMES.find((scheme) => scheme.id === id);
}

export function hasClass(scheme: LabelScheme, id: number): boolean {
  return scheme.classes.some((c) => c.id === id);
}

/** Display name of a class id; ids outside the scheme still get a readable name. */
export function className(scheme: LabelScheme, id: number): string {
  if (id < 0) return '(no emotion label)';
  return scheme.classes.find((c) => c.id === id)?.name ?? `class ${id} (not in ${scheme.name})`;
}

/**
 * Public loaders read RAF-CE split 0 as train, 1 as test, 2 as validation; one
 * loader disagrees, so these are only defaults: the user can rename them.
 */
export const RAFCE_SPLIT_NAMES: SplitNames = SplitNamesSchema.parse({
  0: 'train',
  1: 'test',
  2: 'validation',
});

export const RAFDB_SPLIT_NAMES: SplitNames = SplitNamesSchema.parse({ 0: 'train', 1: 'test' });

export function defaultSplitNames(format: SourceFormat): SplitNames {
  switch (format) {
    case 'raf-ce':
      return { ...RAFCE_SPLIT_NAMES };
    case 'raf-db-basic':
    case 'raf-db-compound':
      return { ...RAFDB_SPLIT_NAMES };
    default:
      return {};
  }
}

export function splitName(splitNames: SplitNames, split: number): string {
  if (split < 0) return '(no split)';
  return splitNames[String(split)] ?? `split ${split}`;
}

const EMOTION_WORDS: Readonly<Record<string, BasicEmotion>> = {
  happy: 'happy',
  happily: 'happy',
  happiness: 'happy',
  joy: 'happy',
  joyful: 'happy',
  sad: 'sad',
  sadly: 'sad',
  sadness: 'sad',
  fear: 'fear',
  fearful: 'fear',
  fearfully: 'fear',
  afraid: 'fear',
  scared: 'fear',
  anger: 'anger',
  angry: 'anger',
  angrily: 'anger',
  disgust: 'disgust',
  disgusted: 'disgust',
  disgustedly: 'disgust',
  surprise: 'surprise',
  surprised: 'surprise',
  surprisedly: 'surprise',
  neutral: 'neutral',
  contempt: 'contempt',
  contemptuous: 'contempt',
  contemptuously: 'contempt',
};

/** The basic emotions a class name mentions, in order, e.g. "Sadly angry" -> sad, anger. */
export function componentsFromName(name: string): BasicEmotion[] {
  const components: BasicEmotion[] = [];
  for (const word of name.toLowerCase().split(/[^a-z]+/)) {
    const emotion = EMOTION_WORDS[word];
    if (emotion && !components.includes(emotion)) components.push(emotion);
  }
  return components;
}

/** A scheme for a generic file: ids 0..n-1 in the order the names are given. */
export function schemeFromClassNames(id: string, name: string, classNames: string[]): LabelScheme {
  return LabelSchemeSchema.parse({
    id,
    name,
    classes: classNames.map((className, index) => ({
      id: index,
      name: className,
      components: componentsFromName(className),
    })),
  });
}
