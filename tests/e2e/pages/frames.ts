import { expect, type Locator, type Page } from '@playwright/test';

/**
 * What a frame dataset (videos of subjects) adds to the screens: the subject and video
 * filters, stepping through a video's frames in the sample view, the overview's
 * subjects and videos, and the frame settings of a new review set.
 */
export class FramesView {
  constructor(readonly page: Page) {}

  get subjectFilter(): Locator {
    return this.page.getByRole('combobox', { name: 'Filter by subject' });
  }

  get videoFilter(): Locator {
    return this.page.getByRole('combobox', { name: 'Filter by video' });
  }

  /** The names the video filter offers, "All videos" first. */
  async videoChoices(): Promise<string[]> {
    return this.videoFilter.getByRole('option').allTextContents();
  }

  get previousFrame(): Locator {
    return this.page.getByRole('button', { name: 'Previous frame' });
  }

  get nextFrame(): Locator {
    return this.page.getByRole('button', { name: 'Next frame' });
  }

  /** "frame 2 of 5 · video ... · subject ...". */
  get framePosition(): Locator {
    return this.page.getByRole('navigation', { name: 'Frame navigation' });
  }

  /** The open sample's name. */
  get sampleName(): Locator {
    return this.page.getByRole('region', { name: /^Sample / }).getByRole('heading', { level: 2 });
  }

  subjectRow(subject: string): Locator {
    return this.page
      .getByRole('table', { name: 'Frames by subject' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('button', { name: subject, exact: true }) });
  }

  async showVideos(): Promise<Locator> {
    await this.page.getByRole('button', { name: /^Show the \d+ videos$/ }).click();
    return this.page.getByRole('table', { name: 'Frames by video' });
  }

  /** Creates a random review set with the frame settings and waits for its first sample. */
  async createRandomSet(options: {
    reviewer: string;
    size: number;
    seed: number;
    strata: 'class' | 'subject';
    maxPerVideo: number | null;
    expected: number;
  }): Promise<void> {
    const name = this.page.getByLabel('Your name');
    if (await name.isVisible()) {
      await name.fill(options.reviewer);
      await this.page.getByRole('button', { name: 'Start reviewing' }).click();
    }
    await this.page.getByLabel('Number of samples').fill(String(options.size));
    await this.page.getByLabel('Seed').fill(String(options.seed));
    await this.page.getByRole('combobox', { name: 'Stratify by' }).selectOption(options.strata);
    await this.page
      .getByRole('spinbutton', { name: 'At most frames per video' })
      .fill(options.maxPerVideo === null ? '' : String(options.maxPerVideo));
    await this.page.getByRole('button', { name: 'Create and start' }).click();
    await expect(this.page.getByTestId('review-position')).toHaveText(`1 of ${options.expected}`);
  }
}
