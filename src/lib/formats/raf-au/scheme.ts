import { CROWD_EMOTIONS, type CrowdEmotion } from '../../label-evidence/crowd-file';
import { LabelSchemeSchema, type LabelScheme } from '../../labels/types';

/** How RAF-ML's paper names each emotion of its columns. */
const RAFML_CLASS_NAMES: Readonly<Record<CrowdEmotion, string>> = {
  surprise: 'Surprise',
  fear: 'Fear',
  disgust: 'Disgust',
  happy: 'Happiness',
  sad: 'Sadness',
  anger: 'Anger',
};

/**
 * The six basic emotions in the order of RAF-ML's `distribution.txt` columns, 0-based:
 * a sample's class id is the column of its leading share. Built from the crowd
 * reader's own column order, so that the two can never disagree.
 */
export const RAFML_BASIC_SCHEME: LabelScheme = LabelSchemeSchema.parse({
  id: 'raf-ml-basic',
  name: "RAF-ML leading emotion (6 basic emotions, 0-based in distribution.txt's column order)",
  classes: CROWD_EMOTIONS.map((emotion, id) => ({
    id,
    name: RAFML_CLASS_NAMES[emotion],
    components: [emotion],
  })),
});
