import { fillOneSidedMasks } from '../labels/au';
import type { SampleTable } from '../labels/types';

/**
 * A table's one-sided AUs (for the AU model), read from its AU texts 100,000 samples a
 * task: the texts live on the page only, and reading a million of them at once would
 * hold the page for over a tenth of a second.
 */
export async function oneSidedInSlices(table: SampleTable): Promise<Uint32Array> {
  const masks = new Uint32Array(2 * table.count);
  const known = new Map<string, [number, number]>();
  const slice = 100_000;
  for (let from = 0; from < table.count; from += slice) {
    if (from > 0) await new Promise((resolve) => setTimeout(resolve, 0));
    const to = Math.min(table.count, from + slice);
    fillOneSidedMasks(table.auRaw, table.auStatus, masks, from, to, known);
  }
  return masks;
}
