import { describe, expect, it } from 'vitest';
import { countFindings, faceFindings, faceWidthPixels, outsideShare } from './findings';
import { readingOf, shiftedMesh } from './test-support';

const base = readingOf();

describe('faceFindings', () => {
  it.each([
    ['a clear face', base, []],
    [
      'an undecodable image',
      readingOf({ failure: 'not an image', faces: [], mesh: null }),
      ['unreadable'],
    ],
    ['no face', readingOf({ faces: [], mesh: null, expression: null }), ['no-face']],
    [
      'a bystander half the size',
      readingOf({ faces: [base.faces[0]!, { score: 0.9, box: [0, 0, 0.5, 0.5] }] }),
      ['several-faces'],
    ],
    [
      'a speck of background scored as a face',
      readingOf({ faces: [base.faces[0]!, { score: 0.9, box: [0, 0, 0.1, 0.1] }] }),
      [],
    ],
    [
      'a second face the detector doubts',
      readingOf({ faces: [base.faces[0]!, { score: 0.3, box: [0, 0, 0.5, 0.5] }] }),
      [],
    ],
    [
      'a face 36 px wide in a 60 px image',
      readingOf({ width: 60, height: 60 }),
      ['face-too-small'],
    ],
    [
      'a face pushed half out of the image',
      readingOf({ mesh: shiftedMesh(base.mesh!, 0.5, 0) }),
      ['face-cut-off'],
    ],
    [
      'a doubtful face',
      readingOf({ faces: [{ score: 0.4, box: [0.1, 0.1, 0.8, 0.8] }] }),
      ['low-confidence'],
    ],
  ])('%s', (_name, reading, expected) => {
    expect(faceFindings(reading)).toEqual(expected);
  });
});

describe('measures behind the findings', () => {
  it('measures the face width from its mesh, not the padded box', () => {
    expect(faceWidthPixels(base)).toBeCloseTo(60, 3);
  });

  it('counts the mesh points outside the image', () => {
    expect(outsideShare(base)).toBe(0);
    // Shifted by 0.5, the ten right-hand columns of the 20-wide grid pass x = 1 (23 full rows).
    expect(outsideShare(readingOf({ mesh: shiftedMesh(base.mesh!, 0.5, 0) }))).toBeCloseTo(
      230 / 468,
      6,
    );
  });

  it('counts findings over readings', () => {
    const counts = countFindings([
      base,
      readingOf({ faces: [], mesh: null }),
      readingOf({ width: 60, height: 60 }),
    ]);
    expect(counts.read).toBe(3);
    expect(counts.withFace).toBe(2);
    expect(counts.counts['no-face']).toBe(1);
    expect(counts.counts['face-too-small']).toBe(1);
    expect(counts.counts['several-faces']).toBe(0);
  });
});
