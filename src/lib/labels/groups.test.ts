import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { framePosition, framesOfVideo, groupFrames, namesWanted } from './groups';
import { textColumnOf } from './text-column';

/** A made-up rule in the manner of BP4D's: the subject is the part before `_`; `anon*` says none. */
const subjectBeforeUnderscore = (video: string): string | null =>
  video.startsWith('anon') ? null : (video.split('_')[0] ?? null);

/** Each video's frames as names, in frame order. */
function framesByVideo(names: readonly string[], subjectOf = subjectBeforeUnderscore) {
  const groups = groupFrames(textColumnOf(names), subjectOf);
  return Object.fromEntries(
    groups.videos.map((video, v) => [video, Array.from(framesOfVideo(groups, v), (i) => names[i])]),
  );
}

describe('groupFrames', () => {
  it('groups by video and subject, in order of first appearance', () => {
    const names = [
      'F002_T1/00001.jpg',
      'F001_T1/00001.jpg',
      'F002_T1/00002.jpg',
      'F001_T2/00001.jpg',
      'still.jpg',
      'anon7/00001.jpg',
    ];
    const groups = groupFrames(textColumnOf(names), subjectBeforeUnderscore);
    expect(groups.videos).toEqual(['F002_T1', 'F001_T1', 'F001_T2', 'anon7']);
    expect(groups.subjects).toEqual(['F002', 'F001']);
    expect(Array.from(groups.videoOf)).toEqual([0, 1, 0, 2, -1, 3]);
    expect(Array.from(groups.subjectOf)).toEqual([0, 1, 0, 1, -1, -1]);
    expect(Array.from(groups.subjectOfVideo)).toEqual([0, 1, 1, -1]);
    expect(Array.from(groups.videoStart)).toEqual([0, 2, 3, 4, 5]);
  });

  it.each<[string, string[], Record<string, string[]>]>([
    [
      'listed in order',
      ['v/00001.jpg', 'v/00002.jpg', 'v/00003.jpg'],
      { v: ['v/00001.jpg', 'v/00002.jpg', 'v/00003.jpg'] },
    ],
    [
      'listed backwards',
      ['v/00003.jpg', 'v/00002.jpg', 'v/00001.jpg'],
      { v: ['v/00001.jpg', 'v/00002.jpg', 'v/00003.jpg'] },
    ],
    [
      'numbers, not text: 2 before 10',
      ['v/10.jpg', 'v/2.jpg', 'v/1.jpg'],
      { v: ['v/1.jpg', 'v/2.jpg', 'v/10.jpg'] },
    ],
    ['without an extension', ['v/10', 'v/9'], { v: ['v/9', 'v/10'] }],
    [
      'numbered frames before others, the others by text',
      ['v/b.jpg', 'v/7.jpg', 'v/a.jpg'],
      { v: ['v/7.jpg', 'v/a.jpg', 'v/b.jpg'] },
    ],
    [
      'the same number written twice: by text',
      ['v/007.jpg', 'v/7.jpg'],
      { v: ['v/007.jpg', 'v/7.jpg'] },
    ],
    [
      'the video is everything before the last slash',
      ['a/b/2.jpg', 'a/b/1.jpg', 'a/1.jpg'],
      { 'a/b': ['a/b/1.jpg', 'a/b/2.jpg'], a: ['a/1.jpg'] },
    ],
    [
      'interleaved videos',
      ['x/2.jpg', 'y/1.jpg', 'x/1.jpg', 'y/2.jpg'],
      { x: ['x/1.jpg', 'x/2.jpg'], y: ['y/1.jpg', 'y/2.jpg'] },
    ],
    ['stills are in no video', ['0001.jpg', '/0002.jpg', ''], {}],
  ])('frame order: %s', (_, names, expected) => {
    expect(framesByVideo(names)).toEqual(expected);
  });

  it('links each frame to its neighbours in its video, -1 at the ends and for stills', () => {
    const names = ['v/3.jpg', 'w/1.jpg', 'v/1.jpg', 'still.jpg', 'v/2.jpg'];
    const groups = groupFrames(textColumnOf(names), subjectBeforeUnderscore);
    expect(Array.from(groups.previousFrame)).toEqual([4, -1, -1, -1, 2]);
    expect(Array.from(groups.nextFrame)).toEqual([-1, -1, 4, -1, 0]);
    expect(framePosition(groups, 0)).toEqual({ position: 2, frames: 3 });
    expect(framePosition(groups, 2)).toEqual({ position: 0, frames: 3 });
    expect(framePosition(groups, 1)).toEqual({ position: 0, frames: 1 });
    expect(framePosition(groups, 3)).toBeNull();
  });

  it('without a subject rule, groups videos but knows no subject', () => {
    const groups = groupFrames(textColumnOf(['F001_T1/1.jpg', 'F001_T2/1.jpg']));
    expect(groups.videos).toEqual(['F001_T1', 'F001_T2']);
    expect(groups.subjects).toEqual([]);
    expect(Array.from(groups.subjectOf)).toEqual([-1, -1]);
  });

  it('an empty table has no groups', () => {
    const groups = groupFrames(textColumnOf([]), subjectBeforeUnderscore);
    expect(groups.videos).toEqual([]);
    expect(Array.from(groups.videoStart)).toEqual([0]);
    expect(groups.frameOrder.length).toBe(0);
  });

  const datasetArb = fc
    .array(
      fc.record({
        video: fc.constantFrom('S1_a', 'S1_b', 'S2_a', 'anon', 'x/y', 'x', 'x.1'),
        frame: fc.oneof(
          fc.nat(120).map((n) => `${String(n).padStart(5, '0')}.jpg`),
          fc.nat(120).map(String),
          fc.constantFrom('a.jpg', 'b', 'frame.png', '.jpg', '1.2.jpg', '7.', '0'),
        ),
      }),
      { maxLength: 80 },
    )
    .map((rows) => rows.map(({ video, frame }) => `${video}/${frame}`));

  it('every framed sample is in its video once, in frame order, linked both ways', () => {
    fc.assert(
      fc.property(datasetArb, (names) => {
        const groups = groupFrames(textColumnOf(names), subjectBeforeUnderscore);
        const seen = new Set<number>();
        groups.videos.forEach((video, v) => {
          const frames = Array.from(framesOfVideo(groups, v));
          const expected = names
            .map((name, i) => ({ name, i }))
            .filter(({ name }) => name.slice(0, name.lastIndexOf('/')) === video)
            .sort((a, b) => {
              const key = (name: string) => {
                const frame = name.slice(name.lastIndexOf('/') + 1);
                const stem = frame.includes('.') ? frame.slice(0, frame.lastIndexOf('.')) : frame;
                return /^\d+$/.test(stem) ? Number(stem) : Infinity;
              };
              const frame = (name: string) => name.slice(name.lastIndexOf('/') + 1);
              const ka = key(a.name);
              const kb = key(b.name);
              if (ka !== kb) return ka - kb;
              return frame(a.name) < frame(b.name)
                ? -1
                : frame(a.name) > frame(b.name)
                  ? 1
                  : a.i - b.i;
            })
            .map(({ i }) => i);
          expect(frames).toEqual(expected);
          frames.forEach((i, k) => {
            seen.add(i);
            expect(groups.videoOf[i]).toBe(v);
            expect(groups.previousFrame[i]).toBe(k > 0 ? frames[k - 1] : -1);
            expect(groups.nextFrame[i]).toBe(k < frames.length - 1 ? frames[k + 1] : -1);
            const subject = subjectBeforeUnderscore(video);
            expect(groups.subjects[groups.subjectOf[i] as number] ?? null).toBe(subject);
          });
        });
        expect(seen.size).toBe(names.length);
      }),
    );
  });
});

describe('namesWanted', () => {
  it.each<[string, string[], string[], number[]]>([
    ['none wanted', ['a', 'b'], [], [0, 0]],
    ['some', ['a', 'b', 'c'], ['c', 'a'], [1, 0, 1]],
    ['a name not there', ['a'], ['z'], [0]],
  ])('%s', (_, all, wanted, expected) => {
    expect(Array.from(namesWanted(all, wanted))).toEqual(expected);
  });
});

describe('groupFrames at Aff-Wild2 scale', () => {
  it('groups 2.6M frames (time printed, not asserted)', () => {
    // ~550 videos of ~4,700 frames, each video's frames listed in order, as one
    // file per video is read.
    const videos = 550;
    const perVideo = 4_728;
    const names: string[] = [];
    for (let v = 0; v < videos; v++) {
      const video = `${String(v).padStart(3, '0')}-30-1280x720`;
      for (let f = 1; f <= perVideo; f++) names.push(`${video}/${String(f).padStart(5, '0')}.jpg`);
    }
    const column = textColumnOf(names);
    names.length = 0;
    const started = performance.now();
    const groups = groupFrames(column, (video) => video.slice(0, 3));
    const took = performance.now() - started;
    console.log(
      `groupFrames: ${column.ends.length.toLocaleString('en')} frames in ${took.toFixed(0)} ms`,
    );
    expect(groups.videos.length).toBe(videos);
    expect(groups.nextFrame[0]).toBe(1);
  });
});
