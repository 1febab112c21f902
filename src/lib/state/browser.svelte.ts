import { ALL_SAMPLES_FILTER, applyFilter, type SampleFilter } from '../rules/filter';
import { ANY_SAMPLE, refineSamples, type SampleQuery } from '../query/sample-query';
import type { DatasetLibrary } from './library.svelte';
import { Selection } from './selection.svelte';
import { sampleImageKey } from '../labels/images';
import { textAt } from '../labels/text-column';

/** What the sample grid shows: the open dataset narrowed by a filter, in its sort order. */
export class SampleBrowser {
  filter = $state<SampleFilter>(structuredClone(ALL_SAMPLES_FILTER));
  query = $state<SampleQuery>({ ...ANY_SAMPLE });
  /** Samples picked in the grid, for bulk decisions and for exporting a selection. */
  readonly selection = new Selection();

  constructor(private readonly library: () => DatasetLibrary) {}

  indices = $derived.by(() => {
    const { table, check, issues, runCorrectness, frames, faces } = this.library();
    if (!table) return new Int32Array(0);
    // Until the first check arrives, the label filter cannot apply: show every sample.
    const filtered = check
      ? applyFilter(table, check, issues, this.filter, runCorrectness, frames.groups)
      : Int32Array.from({ length: table.count }, (_, i) => i);
    const findings = faces.findings;
    return refineSamples(
      table,
      filtered,
      this.query,
      (i) => findings.get(sampleImageKey(textAt(table.names, i))) ?? null,
    );
  });

  /** Shows exactly the samples a filter selects (e.g. from a heatmap cell). */
  show(filter: Partial<SampleFilter>): void {
    this.filter = { ...structuredClone(ALL_SAMPLES_FILTER), ...filter };
    this.query = { ...ANY_SAMPLE };
  }

  reset(): void {
    this.show({});
  }
}
