import { expect, it } from 'vitest';
import { analyse } from '../../src/cli/analyse';
import { startFitThread } from '../../src/cli/fit-thread';
import { importLabelFiles } from '../../src/lib/formats/import';
import { describeRealRafCe, realRafCeFile } from '../../src/lib/labels/test-fixtures';

describeRealRafCe('the command line with a fit thread', () => {
  it('gives exactly the evidence it gives without one', async () => {
    const imported = importLabelFiles([
      realRafCeFile('RAFCE_emolabel.txt'),
      realRafCeFile('RAFCE_AUlabel.txt'),
      realRafCeFile('RAFCE_partition.txt'),
    ]);
    const thread = startFitThread();
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
