export type View =
  | 'diagnosis'
  | 'models'
  | 'faces'
  | 'report'
  | 'samples'
  | 'overview'
  | 'rules'
  | 'review'
  | 'export'
  | 'team'
  | 'datasets'
  | 'import';

const views: View[] = [
  'diagnosis',
  'models',
  'faces',
  'report',
  'samples',
  'overview',
  'rules',
  'review',
  'export',
  'team',
  'datasets',
  'import',
];

/**
 * Which screen is shown, which sample is open and which review set, mirrored in
 * the URL hash so that the back button and a reload keep the place:
 * `#/samples/12` (sample 12), `#/review/<set id>/3` (fourth sample of a set),
 * `#/team/join/<code>` (a live session's join link).
 */
export class Navigation {
  view = $state<View>('samples');
  /** Samples: index of the open sample, or null for the grid. Review: position in the set. */
  sample = $state<number | null>(null);
  /** Review: the open review set. */
  setId = $state<string | null>(null);
  /** Team: a live session's join code from a link (`#/team/join/<code>`), to fill in. */
  joinCode = $state<string | null>(null);

  constructor() {
    this.readHash();
    window.addEventListener('hashchange', () => this.readHash());
  }

  go(view: View, sample: number | null = null, setId: string | null = null): void {
    this.view = view;
    this.sample = sample;
    this.setId = setId;
    const parts = ['#', view];
    if (setId !== null) parts.push(setId);
    if (sample !== null) parts.push(String(sample));
    const hash = parts.join('/');
    if (location.hash !== hash) history.pushState(null, '', hash);
  }

  private readHash(): void {
    const [, view, ...rest] = location.hash.split('/');
    if (views.includes(view as View)) this.view = view as View;
    if (this.view === 'team' && rest[0] === 'join' && rest[1]) {
      this.joinCode = decodeURIComponent(rest[1]);
      rest.length = 0;
    }
    const setId = this.view === 'review' && rest.length > 0 ? (rest.shift() ?? null) : null;
    const sample = rest[0];
    const index = Number(sample);
    this.setId = setId || null;
    this.sample = sample !== undefined && Number.isInteger(index) && index >= 0 ? index : null;
  }
}
