import type { TextColumn } from './text-column';

/**
 * Videos and subjects of a frame dataset (Aff-Wild2 / ABAW, BP4D, DISFA): a sample's
 * name is `<video>/<frame>` (the video is everything before the last `/`), and the
 * format says which subject a video shows. Thousands of near-identical frames of one
 * person must not pass for thousands of independent samples: filters, review sets and
 * the overview group by these.
 *
 * Columnar, like the sample table: at 2.6M frames an object per sample would cost the
 * garbage collector more than the grouping itself.
 */
export interface FrameGroups {
  /** Video names, in the order they first occur. */
  videos: string[];
  /** Subject names, in the order their first video occurs. */
  subjects: string[];
  /** Per sample, its video (index into videos); -1 when its name has no `/`. */
  videoOf: Int32Array;
  /** Per sample, its subject (index into subjects); -1 when none is known. */
  subjectOf: Int32Array;
  /** Per video, its subject (index into subjects); -1 when the video name does not say. */
  subjectOfVideo: Int32Array;
  /**
   * The samples of each video in frame order: video v's are
   * frameOrder[videoStart[v] .. videoStart[v + 1]). Samples without a video are not in it.
   */
  frameOrder: Int32Array;
  /** videos.length + 1 offsets into frameOrder. */
  videoStart: Int32Array;
  /** Per sample, the frame before it in its video; -1 at the first frame or without a video. */
  previousFrame: Int32Array;
  /** Per sample, the frame after it in its video; -1 at the last frame or without a video. */
  nextFrame: Int32Array;
}

/** The subject a video shows (`F001_T1` -> `F001`), or null when its name does not say. */
export type SubjectOfVideo = (video: string) => string | null;

const SLASH = '/';
const SLASH_CODE = 47;
const DOT_CODE = 46;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * Groups samples by video and subject. Without subjectOf, videos are still grouped but
 * no subject is known. Frames sort by their frame part, numerically when its stem is a
 * number (`2.jpg` before `10.jpg`), numbered frames before others, ties by name and then
 * by sample index; a video whose frames are listed in order (the usual case) is not
 * sorted at all. O(samples) for listed-in-order videos, one string per video.
 */
export function groupFrames(names: TextColumn, subjectOf?: SubjectOfVideo): FrameGroups {
  const { text, ends } = names;
  const n = ends.length;
  const videoOf = new Int32Array(n).fill(-1);
  const frameNumber = new Float64Array(n);
  const videos: string[] = [];
  const videoIds = new Map<string, number>();
  // The previous sample's video: consecutive frames of one video are compared in place,
  // so that a new string is made only when the video changes.
  let lastVideo = '';
  let lastId = -1;

  for (let i = 0; i < n; i++) {
    const start = i === 0 ? 0 : (ends[i - 1] as number) + 1;
    const end = ends[i] as number;
    // The usual case: the previous sample's video, then a frame part without a slash.
    const afterLast = start + lastVideo.length;
    if (
      lastId >= 0 &&
      afterLast < end &&
      text.charCodeAt(afterLast) === SLASH_CODE &&
      text.startsWith(lastVideo, start)
    ) {
      const number = scanFrame(text, afterLast + 1, end);
      if (number !== HOLDS_SLASH) {
        videoOf[i] = lastId;
        frameNumber[i] = number;
        continue;
      }
    }
    const slash = end > start ? text.lastIndexOf(SLASH, end - 1) : -1;
    if (slash <= start) {
      frameNumber[i] = NaN;
      continue;
    }
    const video = text.slice(start, slash);
    const known = videoIds.get(video);
    const id = known ?? videos.length;
    if (known === undefined) {
      videoIds.set(video, id);
      videos.push(video);
    }
    lastVideo = video;
    lastId = id;
    videoOf[i] = id;
    frameNumber[i] = scanFrame(text, slash + 1, end);
  }

  const subjects: string[] = [];
  const subjectOfVideo = new Int32Array(videos.length).fill(-1);
  if (subjectOf) {
    const subjectIds = new Map<string, number>();
    videos.forEach((video, v) => {
      const subject = subjectOf(video);
      if (subject === null) return;
      let id = subjectIds.get(subject);
      if (id === undefined) {
        id = subjects.length;
        subjectIds.set(subject, id);
        subjects.push(subject);
      }
      subjectOfVideo[v] = id;
    });
  }

  // Bucket the samples by video, each bucket in sample order (a counting sort).
  const videoStart = new Int32Array(videos.length + 1);
  const subjectColumn = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const v = videoOf[i] as number;
    if (v < 0) continue;
    videoStart[v + 1] = (videoStart[v + 1] as number) + 1;
    subjectColumn[i] = subjectOfVideo[v] as number;
  }
  for (let v = 0; v < videos.length; v++)
    videoStart[v + 1] = (videoStart[v + 1] as number) + (videoStart[v] as number);
  const frameOrder = new Int32Array(videoStart[videos.length] as number);
  const fill = videoStart.slice(0, videos.length);
  for (let i = 0; i < n; i++) {
    const v = videoOf[i] as number;
    if (v < 0) continue;
    frameOrder[fill[v] as number] = i;
    fill[v] = (fill[v] as number) + 1;
  }

  // Only asked of samples with a video, whose name holds a slash.
  const frameText = (i: number): string => {
    const end = ends[i] as number;
    return text.slice(text.lastIndexOf(SLASH, end - 1) + 1, end);
  };
  const compare = (a: number, b: number): number => {
    const na = frameNumber[a] as number;
    const nb = frameNumber[b] as number;
    const aNumbered = !Number.isNaN(na);
    const bNumbered = !Number.isNaN(nb);
    if (aNumbered !== bNumbered) return aNumbered ? -1 : 1;
    if (aNumbered && na !== nb) return na - nb;
    const ta = frameText(a);
    const tb = frameText(b);
    return ta < tb ? -1 : ta > tb ? 1 : a - b;
  };
  for (let v = 0; v < videos.length; v++) {
    const from = videoStart[v] as number;
    const to = videoStart[v + 1] as number;
    let sorted = true;
    for (let p = from + 1; p < to && sorted; p++) {
      const a = frameOrder[p - 1] as number;
      const b = frameOrder[p] as number;
      // Increasing frame numbers, the usual case, without the general comparison.
      sorted = (frameNumber[a] as number) < (frameNumber[b] as number) || compare(a, b) < 0;
    }
    if (!sorted) frameOrder.subarray(from, to).sort(compare);
  }

  const previousFrame = new Int32Array(n).fill(-1);
  const nextFrame = new Int32Array(n).fill(-1);
  for (let v = 0; v < videos.length; v++) {
    const from = videoStart[v] as number;
    const to = videoStart[v + 1] as number;
    for (let p = from + 1; p < to; p++) {
      const before = frameOrder[p - 1] as number;
      const after = frameOrder[p] as number;
      nextFrame[before] = after;
      previousFrame[after] = before;
    }
  }

  return {
    videos,
    subjects,
    videoOf,
    subjectOf: subjectColumn,
    subjectOfVideo,
    frameOrder,
    videoStart,
    previousFrame,
    nextFrame,
  };
}

/** What scanFrame returns for a frame part that holds a slash (frame numbers are never negative). */
const HOLDS_SLASH = -1;

/**
 * The number a frame part's stem spells (`00042.jpg` -> 42; the stem is all before the
 * last dot, when that dot is not the first character), NaN when the stem is not all
 * digits, or HOLDS_SLASH. One pass, no string.
 */
function scanFrame(text: string, from: number, end: number): number {
  let value = 0;
  let digits = 0;
  let allDigits = true;
  let stem = NaN;
  let dotSeen = false;
  for (let k = from; k < end; k++) {
    const code = text.charCodeAt(k);
    if (code >= DIGIT_0 && code <= DIGIT_9) {
      value = value * 10 + (code - DIGIT_0);
      digits++;
    } else if (code === DOT_CODE) {
      if (k > from) {
        stem = allDigits && digits > 0 ? value : NaN;
        dotSeen = true;
      }
      allDigits = false;
    } else if (code === SLASH_CODE) {
      return HOLDS_SLASH;
    } else {
      allDigits = false;
    }
  }
  if (dotSeen) return stem;
  return allDigits && digits > 0 ? value : NaN;
}

/** The samples of video v, in frame order (a view, not a copy). */
export function framesOfVideo(groups: FrameGroups, v: number): Int32Array {
  return groups.frameOrder.subarray(groups.videoStart[v] ?? 0, groups.videoStart[v + 1] ?? 0);
}

/**
 * Where a sample is in its video: position (0-based) and the video's frame count, or
 * null without a video. Walks back through the frames: O(position), fine for one sample.
 */
export function framePosition(
  groups: FrameGroups,
  sample: number,
): { position: number; frames: number } | null {
  const v = groups.videoOf[sample];
  if (v === undefined || v < 0) return null;
  let position = 0;
  for (
    let at = groups.previousFrame[sample] as number;
    at >= 0;
    at = groups.previousFrame[at] as number
  )
    position++;
  return {
    position,
    frames: (groups.videoStart[v + 1] as number) - (groups.videoStart[v] as number),
  };
}

/** A mark per name of `all` that is in `wanted`. */
export function namesWanted(all: readonly string[], wanted: readonly string[]): Uint8Array {
  const marks = new Uint8Array(all.length);
  if (wanted.length === 0) return marks;
  const set = new Set(wanted);
  all.forEach((name, k) => {
    if (set.has(name)) marks[k] = 1;
  });
  return marks;
}
