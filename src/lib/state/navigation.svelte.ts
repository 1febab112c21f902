export type View = 'report' | 'samples' | 'overview' | 'rules' | 'datasets' | 'import';

const views: View[] = ['report', 'samples', 'overview', 'rules', 'datasets', 'import'];

/**
 * Which screen is shown, and which sample is open, mirrored in the URL hash so
 * that the browser's back button and a reload keep the place.
 */
export class Navigation {
  view = $state<View>('samples');
  /** Index of the open sample in the dataset, or null for the grid. */
  sample = $state<number | null>(null);

  constructor() {
    this.readHash();
    window.addEventListener('hashchange', () => this.readHash());
  }

  go(view: View, sample: number | null = null): void {
    this.view = view;
    this.sample = sample;
    const hash = sample === null ? `#/${view}` : `#/${view}/${sample}`;
    if (location.hash !== hash) history.pushState(null, '', hash);
  }

  private readHash(): void {
    const [, view, sample] = location.hash.split('/');
    if (views.includes(view as View)) this.view = view as View;
    const index = Number(sample);
    this.sample = sample !== undefined && Number.isInteger(index) && index >= 0 ? index : null;
  }
}
