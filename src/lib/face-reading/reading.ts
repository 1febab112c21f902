import { z } from 'zod';

/**
 * What the face model read off one image: every face it found (largest first), the
 * main face's 468-point mesh and its basic-expression probabilities. Geometry is in
 * image coordinates (0-1 of the image's width and height), never canvas pixels, so the
 * overlay and the measures hold at any zoom. A second opinion, never ground truth.
 */

export const FACE_READING_VERSION = 1;

/** The model that reads the faces, named in every reading so that a newer one can re-read. */
export const FACE_MODEL_NAME = 'Human 3.3.6 (BlazeFace, MediaPipe face mesh, expression)';

/** The expression classifier's seven classes, in the order readings store them. */
export const READ_EXPRESSIONS = [
  'angry',
  'disgust',
  'fear',
  'happy',
  'sad',
  'surprise',
  'neutral',
] as const;
export type ReadExpression = (typeof READ_EXPRESSIONS)[number];
export const READ_EXPRESSION_COUNT = READ_EXPRESSIONS.length;

/** Points in the MediaPipe face mesh the model returns. */
export const MESH_POINTS = 468;

const unit = z.number().min(-1).max(2);

// Typed as Float32Array<ArrayBufferLike>, as readers and workers produce them.
const float32Array = z.custom<Float32Array>(
  (value) => value instanceof Float32Array,
  'not a Float32Array',
);

export const FoundFaceSchema = z.object({
  /** Detector confidence, 0-1. */
  score: z.number().min(0).max(1),
  /** x, y, width, height in image coordinates; may reach past the image when the face is cut off. */
  box: z.tuple([unit, unit, z.number().min(0).max(3), z.number().min(0).max(3)]),
});
export type FoundFace = z.infer<typeof FoundFaceSchema>;

export const FaceReadingSchema = z.object({
  version: z.literal(FACE_READING_VERSION),
  datasetId: z.string().min(1),
  imageKey: z.string(),
  model: z.string(),
  /** The image's size in pixels; 0 when it could not be decoded. */
  width: z.number().int().min(0),
  height: z.number().int().min(0),
  /** Why the image could not be read at all (not decodable), or null. */
  failure: z.string().nullable(),
  faces: z.array(FoundFaceSchema),
  /** The main (largest) face's mesh: x, y per point in image coordinates; null without a face. */
  mesh: float32Array

    .refine((m) => m.length === MESH_POINTS * 2, 'a mesh holds 468 x, y pairs')
    .nullable(),
  /** The main face's expression probabilities in READ_EXPRESSIONS order; null without a face. */
  expression: float32Array

    .refine((e) => e.length === READ_EXPRESSION_COUNT, 'seven expression probabilities')
    .nullable(),
});
export type FaceReading = z.infer<typeof FaceReadingSchema>;

/** The main face's expression that scores highest, or null. */
export function leadingExpression(reading: FaceReading): ReadExpression | null {
  const e = reading.expression;
  if (!e) return null;
  let best = 0;
  for (let i = 1; i < e.length; i++) if ((e[i] as number) > (e[best] as number)) best = i;
  return READ_EXPRESSIONS[best] ?? null;
}
