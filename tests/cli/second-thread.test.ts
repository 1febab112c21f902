import { expect, it } from 'vitest';
import { analyse } from '../../src/cli/analyse';
import { zipOnTwoThreads } from '../../src/cli/commands/export';
import { assembleZip, deflateEntry } from '../../src/lib/export/zip';
import { startSecondThread } from '../../src/cli/second-thread';
import { importLabelFiles } from '../../src/lib/formats/import';
import { describeRealRafCe, realRafCeFile } from '../../src/lib/labels/test-fixtures';

describeRealRafCe('the command line with a second thread', () => {
  it('gives exactly the evidence it gives without one', async () => {
    const imported = importLabelFiles([
      realRafCeFile('RAFCE_emolabel.txt'),
      realRafCeFile('RAFCE_AUlabel.txt'),
      realRafCeFile('RAFCE_partition.txt'),
    ]);
    const thread = startSecondThread();
    try {
      const threaded = await analyse(imported, 'RAF-CE', undefined, thread);
      const alone = await analyse(imported, 'RAF-CE');
      expect(threaded.evidence.suspicion).toEqual(alone.evidence.suspicion);
      expect(threaded.evidence.rank).toEqual(alone.evidence.rank);
      expect(threaded.evidence.flagged).toEqual(alone.evidence.flagged);
      expect(threaded.evidence.calibration).toEqual(alone.evidence.calibration);
      expect(threaded.diagnosis).toEqual(alone.diagnosis);
    } finally {
      await thread.close();
    }
  });
});

it('zips with the largest file deflated on the second thread: the same bytes as on one', async () => {
  const text = (lines: number, seed: number) =>
    new TextEncoder().encode(
      Array.from(
        { length: lines },
        (_, i) => `${String(i).padStart(7, '0')}.jpg ${(i * seed) % 14}`,
      ).join('\n'),
    );
  const files = [
    { path: 'README.txt', bytes: new TextEncoder().encode('a small file') },
    { path: 'au_matrix.csv', bytes: text(200_000, 7) },
    { path: 'labels/emo.txt', bytes: text(50_000, 3) },
  ];
  const alone = assembleZip(files, new Map(files.map((f) => [f.path, deflateEntry(f)])));
  const thread = startSecondThread();
  try {
    const twoThreads = await zipOnTwoThreads(files, thread);
    expect(Buffer.from(twoThreads).equals(Buffer.from(alone))).toBe(true);
    // The caller's bytes are still there: the thread got a copy.
    expect(files[1]?.bytes.length).toBeGreaterThan(1 << 20);
  } finally {
    await thread.close();
  }
});
