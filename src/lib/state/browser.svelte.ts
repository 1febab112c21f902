import { ALL_SAMPLES, selectSamples, type SampleQuery } from '../query/sample-query';
import type { SampleTable } from '../labels/types';

/** What the sample grid shows: the open dataset narrowed by a query. */
export class SampleBrowser {
  query = $state<SampleQuery>({ ...ALL_SAMPLES });

  constructor(private readonly table: () => SampleTable | null) {}

  indices = $derived.by(() => {
    const table = this.table();
    return table ? selectSamples(table, this.query) : new Int32Array(0);
  });

  reset(): void {
    this.query = { ...ALL_SAMPLES };
  }
}
