import { zipSync } from 'fflate';
import { diagnose, diagnosisSections, type Diagnosis } from '../diagnosis/diagnose';
import { markdownDocument } from '../diagnosis/markdown';
import type { DatasetLibrary } from './library.svelte';

/**
 * The diagnosis page's controller: the findings follow the open dataset, its evidence and
 * its crowd votes as they change; the page renders them and asks for the exports.
 */
export class DiagnosisReport {
  constructor(private readonly library: () => DatasetLibrary) {}

  diagnosis = $derived.by((): Diagnosis | null => {
    const library = this.library();
    const { table, open, ruleSet, overview } = library;
    if (!table || !open || !ruleSet || !overview) return null;
    return diagnose({
      datasetName: open.name,
      table,
      scheme: open.scheme,
      splitNames: open.splitNames,
      ruleSet,
      overview,
      evidence: library.issues,
      crowd: library.crowd,
      loaderCheck: library.loaderCheck,
    });
  });

  /** True while the evidence is still being weighed (the findings will grow). */
  pending = $derived.by(() => this.library().issues === null);

  markdown = $derived(
    this.diagnosis ? markdownDocument(diagnosisSections(this.diagnosis), this.diagnosis.title) : '',
  );

  /** A file name stem for the exports, from the dataset's name. */
  fileStem = $derived.by(
    () =>
      `diagnosis-${(this.library().open?.name ?? 'dataset').replace(/[^\w.-]+/g, '-').toLowerCase()}`,
  );

  /** report.md and every chart as PNG in one zip; `toPng` renders an SVG (a browser canvas). */
  async archive(toPng: (svg: string) => Promise<Blob>): Promise<Uint8Array> {
    const diagnosis = this.diagnosis;
    if (!diagnosis) return new Uint8Array(0);
    const files: Record<string, Uint8Array> = {
      'report.md': new TextEncoder().encode(this.markdown),
    };
    for (const finding of diagnosis.findings) {
      if (!finding.chart) continue;
      const png = await toPng(finding.chart.svg);
      files[finding.chart.file] = new Uint8Array(await png.arrayBuffer());
    }
    return zipSync(files, { level: 6 });
  }
}
