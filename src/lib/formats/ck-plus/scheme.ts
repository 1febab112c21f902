import { LabelSchemeSchema, type LabelScheme } from '../../labels/types';

/** CK+'s emotion codes (Lucey et al., 2010), as its `_emotion.txt` files write them. */
export const CK_PLUS_SCHEME: LabelScheme = LabelSchemeSchema.parse({
  id: 'ck-plus',
  name: 'CK+ (8 classes, 0-based)',
  classes: [
    { id: 0, name: 'Neutral', components: ['neutral'] },
    { id: 1, name: 'Anger', components: ['anger'] },
    { id: 2, name: 'Contempt', components: ['contempt'] },
    { id: 3, name: 'Disgust', components: ['disgust'] },
    { id: 4, name: 'Fear', components: ['fear'] },
    { id: 5, name: 'Happy', components: ['happy'] },
    { id: 6, name: 'Sadness', components: ['sad'] },
    { id: 7, name: 'Surprise', components: ['surprise'] },
  ],
});
