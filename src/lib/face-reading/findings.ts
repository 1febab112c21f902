import { MESH_POINTS, type FaceReading } from './reading';

/**
 * Hard findings about an image, read off the face model's result: the images a
 * retraining run should drop or look at first. Each is a plain fact about the photo,
 * not about its labels.
 */

export const FACE_FINDINGS = [
  'unreadable',
  'no-face',
  'several-faces',
  'face-too-small',
  'face-cut-off',
  'low-confidence',
] as const;
export type FaceFinding = (typeof FACE_FINDINGS)[number];

export const FACE_FINDING_TEXT: Record<FaceFinding, string> = {
  unreadable: 'the image could not be decoded',
  'no-face': 'no face found',
  'several-faces': 'more than one face',
  'face-too-small': 'face too small to read AUs',
  'face-cut-off': 'face cut off by the image edge',
  'low-confidence': 'face found with low confidence',
};

export interface FindingLimits {
  /** A face below this detector confidence is not trusted. */
  lowConfidence: number;
  /** A second face counts when its box is at least this share of the main face's area. */
  secondFaceArea: number;
  /** A face narrower than this many pixels is too small for AUs (FACS coders want detail). */
  minFacePixels: number;
  /** A face whose mesh has more than this share of points outside the image is cut off. */
  cutOffShare: number;
}

/**
 * 0.6 confidence: BlazeFace scores real frontal faces near 1 and a cat's face or a
 * pattern below 0.5. A second face at a tenth of the main one's area is a real
 * bystander; smaller boxes are mostly background texture. 40 px: at that width the
 * brows and lip corners span a few pixels, too few to code AUs from (RAF-CE's aligned
 * crops are 100 px). A tenth of the mesh outside: a chin or a brow is missing.
 */
export const DEFAULT_FINDING_LIMITS: FindingLimits = {
  lowConfidence: 0.6,
  secondFaceArea: 0.1,
  minFacePixels: 40,
  cutOffShare: 0.1,
};

/** The findings for one reading, in FACE_FINDINGS order. */
export function faceFindings(
  reading: FaceReading,
  limits: FindingLimits = DEFAULT_FINDING_LIMITS,
): FaceFinding[] {
  if (reading.failure !== null) return ['unreadable'];
  const main = reading.faces[0];
  if (!main) return ['no-face'];
  const found: FaceFinding[] = [];
  const mainArea = main.box[2] * main.box[3];
  const others = reading.faces
    .slice(1)
    .filter(
      (f) =>
        f.score >= limits.lowConfidence && f.box[2] * f.box[3] >= mainArea * limits.secondFaceArea,
    );
  if (others.length > 0) found.push('several-faces');
  if (faceWidthPixels(reading) < limits.minFacePixels) found.push('face-too-small');
  if (outsideShare(reading) > limits.cutOffShare) found.push('face-cut-off');
  if (main.score < limits.lowConfidence) found.push('low-confidence');
  return found;
}

/** The main face's width in pixels, from its mesh (the detector's box is padded), else its box. */
export function faceWidthPixels(reading: FaceReading): number {
  const main = reading.faces[0];
  if (!main) return 0;
  const mesh = reading.mesh;
  if (!mesh) return main.box[2] * reading.width;
  let min = Infinity;
  let max = -Infinity;
  for (let p = 0; p < mesh.length; p += 2) {
    const x = mesh[p] as number;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return (max - min) * reading.width;
}

/** Share of the mesh's points that fall outside the image. */
export function outsideShare(reading: FaceReading): number {
  const mesh = reading.mesh;
  if (!mesh) return 0;
  let outside = 0;
  for (let p = 0; p < mesh.length; p += 2) {
    const x = mesh[p] as number;
    const y = mesh[p + 1] as number;
    if (x < 0 || x > 1 || y < 0 || y > 1) outside++;
  }
  return outside / MESH_POINTS;
}

export interface FindingCounts {
  read: number;
  withFace: number;
  counts: Record<FaceFinding, number>;
}

export function countFindings(
  readings: Iterable<FaceReading>,
  findingsOf: (reading: FaceReading) => readonly FaceFinding[] = faceFindings,
): FindingCounts {
  const counts = Object.fromEntries(FACE_FINDINGS.map((f) => [f, 0])) as Record<
    FaceFinding,
    number
  >;
  let read = 0;
  let withFace = 0;
  for (const reading of readings) {
    read++;
    if (reading.faces.length > 0) withFace++;
    for (const f of findingsOf(reading)) counts[f]++;
  }
  return { read, withFace, counts };
}
