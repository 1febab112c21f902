import type { BasicEmotion, LabelClass } from '../labels/types';
import { READ_EXPRESSIONS, type ReadExpression } from './reading';

/** The basic emotion each of the expression classifier's outputs names. */
export const EXPRESSION_EMOTION: Record<ReadExpression, BasicEmotion> = {
  angry: 'anger',
  disgust: 'disgust',
  fear: 'fear',
  happy: 'happy',
  sad: 'sad',
  surprise: 'surprise',
  neutral: 'neutral',
};

/** The classifier's output index for an emotion; -1 for one it does not rate (contempt). */
export function expressionIndex(emotion: BasicEmotion): number {
  return READ_EXPRESSIONS.findIndex((e) => EXPRESSION_EMOTION[e] === emotion);
}

/** Probabilities this close count as equal. */
const TIE_EPSILON = 1e-6;

/**
 * Whether a class's components are the read expression's leading emotions: 'yes' when
 * they hold the top places outright, 'tie' when they would with a tie broken their
 * way, 'no' otherwise or when the classifier does not rate one of them. The same
 * reading as for crowd votes (reference section 6): for "happily surprised", happy
 * and surprise must be the two leading expressions.
 */
export function componentsLead(
  probabilities: ArrayLike<number>,
  components: readonly BasicEmotion[],
): 'yes' | 'tie' | 'no' {
  if (components.length === 0) return 'no';
  let lowest = Infinity;
  const at = components.map(expressionIndex);
  if (at.some((e) => e < 0)) return 'no';
  for (const e of at) lowest = Math.min(lowest, probabilities[e] as number);
  let highestOther = -Infinity;
  for (let e = 0; e < READ_EXPRESSIONS.length; e++)
    if (!at.includes(e)) highestOther = Math.max(highestOther, probabilities[e] as number);
  if (lowest > highestOther + TIE_EPSILON) return 'yes';
  return lowest >= highestOther - TIE_EPSILON ? 'tie' : 'no';
}

export interface ClassExpressionRow {
  classId: number;
  name: string;
  /** Samples of the class whose image was read with a face. */
  read: number;
  /** Per READ_EXPRESSIONS, samples whose leading read expression it is. */
  leading: number[];
  /** Samples whose class components lead the read expression (ties count half); null when the classifier cannot rate the class. */
  componentsLead: number | null;
}

/**
 * The overview's "class against read expression": per class, which expression the face
 * model reads most often, and how often the class's own components lead.
 */
export function classAgainstExpression(
  classes: readonly LabelClass[],
  classIds: ArrayLike<number>,
  expressionOf: (i: number) => ArrayLike<number> | null,
): ClassExpressionRow[] {
  const rows = classes.map((c) => ({
    classId: c.id,
    name: c.name,
    read: 0,
    leading: new Array<number>(READ_EXPRESSIONS.length).fill(0),
    componentsLead:
      c.components.length > 0 && c.components.every((e) => expressionIndex(e) >= 0) ? 0 : null,
  }));
  const rowOf = new Map(classes.map((c, at) => [c.id, at]));
  for (let i = 0; i < classIds.length; i++) {
    const at = rowOf.get(classIds[i] as number);
    const probabilities = expressionOf(i);
    if (at === undefined || !probabilities) continue;
    const row = rows[at] as ClassExpressionRow;
    row.read++;
    let best = 0;
    for (let e = 1; e < READ_EXPRESSIONS.length; e++)
      if ((probabilities[e] as number) > (probabilities[best] as number)) best = e;
    row.leading[best] = (row.leading[best] as number) + 1;
    if (row.componentsLead !== null) {
      const lead = componentsLead(probabilities, (classes[at] as LabelClass).components);
      row.componentsLead += lead === 'yes' ? 1 : lead === 'tie' ? 0.5 : 0;
    }
  }
  return rows;
}
