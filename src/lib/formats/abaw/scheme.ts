import { LabelSchemeSchema, SplitNamesSchema, type LabelScheme } from '../../labels/types';

/**
 * Aff-Wild2 as the ABAW challenges publish it (Kollias et al.): the AU set's twelve AUs,
 * the expression set's eight classes (0-based, in the header's order), and the two
 * labelled partitions, told by folder.
 */

/** The AU set's AUs, in the order its files' headers list them. */
export const ABAW_AUS: readonly number[] = [1, 2, 4, 6, 7, 10, 12, 15, 23, 24, 25, 26];

export const ABAW_AU_HEADER = ABAW_AUS.map((au) => `AU${au}`).join(',');

export const ABAW_EXPR_CLASS_NAMES: readonly string[] = [
  'Neutral',
  'Anger',
  'Disgust',
  'Fear',
  'Happiness',
  'Sadness',
  'Surprise',
  'Other',
];

export const ABAW_EXPR_HEADER = ABAW_EXPR_CLASS_NAMES.join(',');

/** 'Other' is none of the basic emotions, so it has no components (no AU is expected of it). */
export const ABAW_EXPR_SCHEME: LabelScheme = LabelSchemeSchema.parse({
  id: 'abaw-expr',
  name: 'Aff-Wild2 / ABAW expressions (8 classes, 0-based)',
  classes: [
    { id: 0, name: 'Neutral', components: ['neutral'] },
    { id: 1, name: 'Anger', components: ['anger'] },
    { id: 2, name: 'Disgust', components: ['disgust'] },
    { id: 3, name: 'Fear', components: ['fear'] },
    { id: 4, name: 'Happiness', components: ['happy'] },
    { id: 5, name: 'Sadness', components: ['sad'] },
    { id: 6, name: 'Surprise', components: ['surprise'] },
    { id: 7, name: 'Other', components: [] },
  ],
});

/** Split ids by folder: `Train_Set` 0, `Validation_Set` 1 (the test set's labels are not published). */
export const ABAW_SPLIT_NAMES = SplitNamesSchema.parse({ 0: 'train', 1: 'validation' });
