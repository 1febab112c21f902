// @vitest-environment jsdom
// jsdom makes vite compile runes for the browser, where a $derived is cached (see
// review.svelte.test.ts): what "grouped once per table" is about.
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../formats/registry';
import { textColumnOf } from '../labels/text-column';
import { RAFCE_SCHEME } from '../labels/schemes';
import type { SampleTable, SourceFormat } from '../labels/types';
import { tableOf } from '../rules/test-support';
import { FrameState, subjectRuleOf } from './frames.svelte';

function frameTable(names: readonly string[]): SampleTable {
  return { ...tableOf(names.map(() => ({ classId: 0, aus: null }))), names: textColumnOf(names) };
}

/** A fake frame format: 'bp4d' datasets are frames, the subject before '_'; others are stills. */
function setup(initial: SampleTable | null, initialFormat: SourceFormat = 'bp4d') {
  let table = $state.raw<SampleTable | null>(initial);
  let format = $state<SourceFormat>(initialFormat);
  const asked: string[] = [];
  const frames = new FrameState(
    () => table,
    () => format,
    () => RAFCE_SCHEME,
    (f) =>
      f === 'bp4d'
        ? (video) => {
            asked.push(video);
            return video.split('_')[0] ?? null;
          }
        : null,
  );
  return {
    frames,
    asked,
    setTable: (next: SampleTable | null) => (table = next),
    setFormat: (next: SourceFormat) => (format = next),
  };
}

const names = ['F001_T1/00002.jpg', 'F001_T1/00001.jpg', 'F002_T1/00001.jpg'];

describe('FrameState', () => {
  it('groups a frame dataset once per table, and again for a new table', () => {
    const { frames, asked, setTable } = setup(frameTable(names));
    const groups = frames.groups;
    expect(groups?.videos).toEqual(['F001_T1', 'F002_T1']);
    expect(groups?.subjects).toEqual(['F001', 'F002']);
    expect(Array.from(groups?.nextFrame ?? [])).toEqual([-1, 0, -1]);
    expect(frames.groups).toBe(groups);
    expect(asked).toEqual(['F001_T1', 'F002_T1']);

    setTable(frameTable(['F003_T1/00001.jpg']));
    expect(frames.groups?.subjects).toEqual(['F003']);
    expect(asked).toEqual(['F001_T1', 'F002_T1', 'F003_T1']);
  });

  it('leaves stills ungrouped, without looking at their names', () => {
    const { frames, asked } = setup(frameTable(names), 'raf-ce');
    expect(frames.hasFrames).toBe(false);
    expect(frames.groups).toBeNull();
    expect(frames.overview).toBeNull();
    expect(asked).toEqual([]);
  });

  it('follows the dataset: another format, no table', () => {
    const { frames, setFormat, setTable } = setup(frameTable(names));
    expect(frames.hasFrames).toBe(true);
    setFormat('raf-ce');
    expect(frames.hasFrames).toBe(false);
    expect(frames.groups).toBeNull();
    setFormat('bp4d');
    setTable(null);
    expect(frames.hasFrames).toBe(false);
    expect(frames.groups).toBeNull();
  });

  it('counts per subject and video for the overview', () => {
    const { frames } = setup(frameTable(names));
    expect(frames.overview?.subjects.map((s) => [s.name, s.samples, s.nullCount])).toEqual([
      ['F001', 2, 2],
      ['F002', 1, 1],
    ]);
    expect(frames.overview?.videos.map((v) => v.name)).toEqual(['F001_T1', 'F002_T1']);
  });
});

describe('subjectRuleOf', () => {
  it.each(FORMATS.flatMap((f) => f.sourceFormats.map((source) => [source, f] as const)))(
    '%s: a rule exactly when its format says what a video shows',
    (source, format) => {
      expect(subjectRuleOf(source) !== null).toBe(format.subjectOf !== undefined);
    },
  );

  it('a format no registered format reads has no rule (stills)', () => {
    expect(subjectRuleOf('no-such-format' as SourceFormat)).toBeNull();
  });
});
