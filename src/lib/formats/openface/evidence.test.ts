import { describe, expect, it } from 'vitest';
import {
  OpenFaceEvidenceSchema,
  cohensKappa,
  openFaceEvidence,
  type AuAgreement,
} from './evidence';
import { OPENFACE_AUS } from './read';
import { IMAGE_HEADER, imageRow } from './test-support';
import { importLabelFiles } from '../import';
import { maskHas } from '../../labels/au';
import { describeRealRafCe, textFile } from '../../labels/test-fixtures';
import { textAt } from '../../labels/text-column';
import { AuStatus, type InputFile } from '../../labels/types';
import { seededRandom } from '../../random/seeded-random';
import { realRafCeDataset } from '../../../../tests/support/prediction-fixtures';

describe('cohensKappa', () => {
  // Each by hand: po = (a + d) / n; pe = pL pO + (1 - pL)(1 - pO); kappa = (po - pe) / (1 - pe).
  it.each<[string, [number, number, number, number], number | null]>([
    // po .7, pL .5, pO .6, pe .5
    ['20 both, 5 label only, 10 OpenFace only, 15 neither', [20, 5, 10, 15], 0.4],
    // po .8, pL .6, pO .5, pe .5
    ['45, 15, 5, 35', [45, 15, 5, 35], 0.6],
    // po .5, pL .5, pO .5, pe .5
    ['5 of each: chance alone', [5, 5, 5, 5], 0],
    ['always agreeing', [10, 0, 0, 10], 1],
    // po 0, pe .5
    ['always disagreeing', [0, 10, 10, 0], -1],
    // po .25, pL .5, pO .25, pe .5
    ['1, 2, 1, 0', [0, 2, 1, 1], -0.5],
    ['present everywhere on both sides: undefined', [10, 0, 0, 0], null],
    ['nothing compared', [0, 0, 0, 0], null],
  ])('%s', (_label, [both, labelOnly, openFaceOnly, neither], kappa) => {
    const got = cohensKappa(both, labelOnly, openFaceOnly, neither);
    if (kappa === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(kappa, 12);
  });
});

describe('openFaceEvidence on a hand-made dataset', () => {
  const labels = importLabelFiles([
    textFile(
      'RAFCE_AUlabel.txt',
      [
        '0001.jpg 1+2+25',
        '0002.png 4+L12',
        '0003.jpg null',
        '0004.jpg 12',
        'imgs/0005.jpg 25',
        '0006.jpg 1',
        'clip/00001.jpg 1',
        'clip/00002.jpg 2',
        '',
      ].join('\n'),
    ),
  ]);
  const header = 'face, confidence, AU01_c, AU02_c, AU04_c, AU12_c, AU25_c';
  const still = (name: string, presence: string) =>
    textFile(name, `${header}\n0, 0.9, ${presence.split('').join(', ')}\n`);
  const files: InputFile[] = [
    still('of/0001_aligned.csv', '11000'), // 1, 2
    still('of/0002.csv', '00110'), // 4, 12
    still('of/0003_aligned.csv', '10000'), // label null
    still('of/0004.csv', '00011'), // 12, 25
    still('of/0005.csv', '00000'), // nothing
    still('of/0007.csv', '10000'), // no such sample
    textFile(
      'of/clip.csv',
      'frame, face_id, success, AU01_c, AU02_c\n1, 0, 0, 0, 0\n2, 0, 1, 0, 1\n',
    ),
    still('of/0001.csv', '00000'), // 0001.jpg again
  ];
  const evidence = openFaceEvidence(files, labels.table);

  it('lines rows up with samples by name, and says how', () => {
    expect(evidence.matchedBy).toEqual({
      exact: 3, // 0004.jpg, clip/00001.jpg, clip/00002.jpg
      'without-extension': 1, // 0002.jpg for 0002.png
      'without-aligned': 2, // 0001_aligned.jpg, 0003_aligned.jpg
      'base-name': 1, // 0005.jpg for imgs/0005.jpg
    });
    expect(evidence.rowsWithoutSample).toEqual([
      { file: 'of/0007.csv', line: 2, image: '0007.jpg' },
    ]);
    expect(evidence.rowsOfMatchedSample).toEqual([
      { file: 'of/0001.csv', line: 2, image: '0001.jpg' },
    ]);
    expect(evidence.samplesWithoutRow).toEqual([5]);
    expect(evidence.samplesNotCoded).toBe(1);
    expect(evidence.samplesNotTracked).toBe(1);
    expect(evidence.samplesCompared).toBe(5);
  });

  it('counts each AU over the samples compared on it', () => {
    const row = (a: AuAgreement) => [
      a.au,
      a.samples,
      a.both,
      a.labelOnly,
      a.openFaceOnly,
      a.neither,
    ];
    // The video measures AU1 and AU2 only: the other AUs are compared on 4 samples.
    expect(evidence.aus.map(row)).toEqual([
      [1, 5, 1, 0, 0, 4],
      [2, 5, 2, 0, 0, 3],
      [4, 4, 1, 0, 0, 3],
      [12, 4, 2, 0, 0, 2], // L12 is AU12
      [25, 4, 0, 2, 1, 1],
    ]);
    const au25 = evidence.aus[4] as AuAgreement;
    expect(au25.agreement).toBe(0.25);
    expect(au25.labelRate).toBe(0.5);
    expect(au25.openFaceRate).toBe(0.25);
    expect(au25.kappa).toBeCloseTo(-0.5, 12);
    expect(evidence.aus.slice(0, 4).map((a) => [a.agreement, a.kappa])).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
  });

  it('lists the samples where they disagree, and on which AUs', () => {
    expect(evidence.disagreements).toEqual([
      { sample: 0, image: '0001.jpg', labelOnly: [25], openFaceOnly: [] },
      { sample: 3, image: '0004.jpg', labelOnly: [], openFaceOnly: [25] },
      { sample: 4, image: 'imgs/0005.jpg', labelOnly: [25], openFaceOnly: [] },
    ]);
  });

  it('is what its schema says', () => {
    expect(OpenFaceEvidenceSchema.parse(evidence)).toEqual(evidence);
    expect(evidence.presenceThreshold).toBe(1);
    expect(evidence.problems.map((p) => [p.file, p.line, p.field])).toEqual([
      ['of/clip.csv', 2, 'success'],
    ]);
  });

  it('a frame is never matched by its base name alone (every video has a 00001)', () => {
    const other = openFaceEvidence(
      [textFile('of/other.csv', 'frame, face_id, success, AU01_c\n1, 0, 1, 1\n')],
      importLabelFiles([textFile('RAFCE_AUlabel.txt', 'clip/00001.jpg 1\n')]).table,
    );
    expect(other.rowsWithoutSample.map((r) => r.image)).toEqual(['other/00001.jpg']);
    expect(other.samplesWithoutRow).toEqual([0]);
  });

  it('a name two samples share without their extensions matches neither', () => {
    const twins = importLabelFiles([textFile('RAFCE_AUlabel.txt', '0009.jpg 1\n0009.png 2\n')]);
    const other = openFaceEvidence([still('of/0009_aligned.csv', '10000')], twins.table);
    expect(other.rowsWithoutSample.map((r) => r.image)).toEqual(['0009_aligned.jpg']);
  });
});

describeRealRafCe('openFaceEvidence on the real RAF-CE labels', () => {
  // OpenFace files made from the labels at test time (never committed): each coded
  // sample's AUs found at 80%, others seen at 5%; a sample in 50 has no file; a file in
  // 97 shows a second face; three files are of images not in the dataset.
  const { table } = realRafCeDataset();
  const random = seededRandom(2018);
  const seen = new Uint32Array(2 * table.count);
  const hasFile = new Uint8Array(table.count);
  let secondFaces = 0;
  const files: InputFile[] = [];
  for (let s = 0; s < table.count; s++) {
    if (s % 50 === 7) continue;
    hasFile[s] = 1;
    const present = new Set<number>();
    for (const au of OPENFACE_AUS) {
      const label = table.auStatus[s] === AuStatus.coded && maskHas(table.auMask, s, au);
      if (random() < (label ? 0.8 : 0.05)) {
        present.add(au);
        const word = au <= 32 ? 2 * s : 2 * s + 1;
        seen[word] = (seen[word] as number) | (1 << (au <= 32 ? au - 1 : au - 33));
      }
    }
    const rows = [IMAGE_HEADER, imageRow(present)];
    if (s % 97 === 0) {
      rows.push(imageRow(new Set([12, 25]), 1));
      secondFaces++;
    }
    const stem = textAt(table.names, s).replace(/\.jpg$/, '');
    files.push(textFile(`openface/${stem}_aligned.csv`, `${rows.join('\n')}\n`));
  }
  for (const extra of ['extra_1', 'extra_2', 'extra_3'])
    files.push(textFile(`openface/${extra}.csv`, `${IMAGE_HEADER}\n${imageRow(new Set([1]))}\n`));
  const evidence = openFaceEvidence(files, table);

  it('lines every file up with its sample, by the name without _aligned', () => {
    const withFile = hasFile.reduce((n, x) => n + x, 0);
    expect(evidence.matchedBy['without-aligned']).toBe(withFile);
    expect(evidence.matchedBy.exact).toBe(0);
    expect(evidence.rowsWithoutSample.map((r) => r.image)).toEqual([
      'extra_1.jpg',
      'extra_2.jpg',
      'extra_3.jpg',
    ]);
    const without = [];
    for (let s = 0; s < table.count; s++) if (!hasFile[s]) without.push(s);
    expect(evidence.samplesWithoutRow).toEqual(without);
    let nullWithFile = 0;
    for (let s = 0; s < table.count; s++)
      if (hasFile[s] && table.auStatus[s] !== AuStatus.coded) nullWithFile++;
    expect(evidence.samplesNotCoded).toBe(nullWithFile);
    expect(evidence.samplesCompared).toBe(withFile - nullWithFile);
    // The second faces are warned about, once per file.
    expect(evidence.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(evidence.problems).toHaveLength(secondFaces);
  });

  it('counts each AU as the files were made', () => {
    const seenHas = (s: number, au: number) => maskHas(seen, s, au);
    for (const agreement of evidence.aus) {
      const { au } = agreement;
      const counts = { both: 0, labelOnly: 0, openFaceOnly: 0, neither: 0 };
      for (let s = 0; s < table.count; s++) {
        if (!hasFile[s] || table.auStatus[s] !== AuStatus.coded) continue;
        const label = maskHas(table.auMask, s, au);
        const openFace = seenHas(s, au);
        if (label && openFace) counts.both++;
        else if (label) counts.labelOnly++;
        else if (openFace) counts.openFaceOnly++;
        else counts.neither++;
      }
      expect(agreement).toMatchObject(counts);
      expect(agreement.samples).toBe(evidence.samplesCompared);
      expect(agreement.agreement).toBeCloseTo(
        (counts.both + counts.neither) / agreement.samples,
        12,
      );
      // Found at 80% and imagined at 5%, every AU the labels use agrees beyond chance.
      if (counts.both + counts.labelOnly >= 20) expect(agreement.kappa).toBeGreaterThan(0.1);
    }
    expect(evidence.aus.map((a) => a.au)).toEqual([...OPENFACE_AUS]);
  });

  it('lists exactly the samples compared that disagree on some AU', () => {
    let disagreeing = 0;
    for (let s = 0; s < table.count; s++) {
      if (!hasFile[s] || table.auStatus[s] !== AuStatus.coded) continue;
      if (OPENFACE_AUS.some((au) => maskHas(table.auMask, s, au) !== maskHas(seen, s, au)))
        disagreeing++;
    }
    expect(evidence.disagreements).toHaveLength(disagreeing);
    const first = evidence.disagreements[0];
    expect(first && textAt(table.names, first.sample)).toBe(first?.image);
    expect(OpenFaceEvidenceSchema.safeParse(evidence).success).toBe(true);
  });
});
