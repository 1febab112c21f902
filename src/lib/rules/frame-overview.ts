import type { FrameGroups } from '../labels/groups';
import { className } from '../labels/schemes';
import { AuStatus, type LabelScheme, type SampleTable } from '../labels/types';

/**
 * A frame dataset per subject and per video: how many frames each holds, how many of
 * them have a `null` AU label, and which classes they show. A subject whose frames are
 * mostly `null`, or one video that holds half the dataset, is the first thing to know
 * before trusting any rate computed over frames. One pass over the samples.
 */

export interface ClassCount {
  classId: number;
  name: string;
  count: number;
}

export interface FrameGroupRow {
  /** The subject's or the video's name; null for the row of frames of no known subject. */
  name: string | null;
  videos: number;
  samples: number;
  nullCount: number;
  /** nullCount / samples (0 when empty). */
  nullShare: number;
  /** Samples per class, most first (class -1: no emotion label). */
  classes: ClassCount[];
}

export interface VideoRow extends FrameGroupRow {
  name: string;
  /** The subject the video shows; null when its name does not say. */
  subject: string | null;
}

export interface FrameOverview {
  /** In the subjects' order, then the frames of no known subject (if any). */
  subjects: FrameGroupRow[];
  /** In the videos' order. */
  videos: VideoRow[];
  /** Samples of no video (names without a `/`). */
  outsideVideos: number;
}

/** SampleTable.classIds is an Int16Array: rows looked up by id + offset. */
const CLASS_ID_OFFSET = 1 << 15;
const CLASS_ID_RANGE = 1 << 16;

export function buildFrameOverview(
  table: SampleTable,
  groups: Pick<FrameGroups, 'videos' | 'subjects' | 'videoOf' | 'subjectOfVideo'>,
  scheme: LabelScheme,
): FrameOverview {
  const n = table.count;
  const videoCount = groups.videos.length;
  // Class rows: the class ids the table uses, in order of first appearance.
  const rowOfClass = new Int32Array(CLASS_ID_RANGE).fill(-1);
  const classIds: number[] = [];
  for (let i = 0; i < n; i++) {
    const slot = (table.classIds[i] as number) + CLASS_ID_OFFSET;
    if (rowOfClass[slot] === -1) {
      rowOfClass[slot] = classIds.length;
      classIds.push(slot - CLASS_ID_OFFSET);
    }
  }
  const rows = classIds.length;
  const videoSamples = new Int32Array(videoCount);
  const videoNull = new Int32Array(videoCount);
  const videoClass = new Int32Array(videoCount * rows);
  let outsideVideos = 0;
  for (let i = 0; i < n; i++) {
    const v = groups.videoOf[i] as number;
    if (v < 0) {
      outsideVideos++;
      continue;
    }
    videoSamples[v] = (videoSamples[v] as number) + 1;
    if (table.auStatus[i] === AuStatus.null) videoNull[v] = (videoNull[v] as number) + 1;
    const cell = v * rows + (rowOfClass[(table.classIds[i] as number) + CLASS_ID_OFFSET] as number);
    videoClass[cell] = (videoClass[cell] as number) + 1;
  }

  const classesOf = (counts: Int32Array): ClassCount[] =>
    classIds
      .map((classId, r) => ({
        classId,
        name: className(scheme, classId),
        count: counts[r] as number,
      }))
      .filter((c) => c.count > 0)
      .sort((a, b) => b.count - a.count || a.classId - b.classId);
  const rowOf = (
    name: string | null,
    videos: number,
    samples: number,
    nullCount: number,
    classCounts: Int32Array,
  ): FrameGroupRow => ({
    name,
    videos,
    samples,
    nullCount,
    nullShare: samples > 0 ? nullCount / samples : 0,
    classes: classesOf(classCounts),
  });

  const videos: VideoRow[] = groups.videos.map((video, v) => {
    const subject = groups.subjectOfVideo[v] as number;
    return {
      ...rowOf(
        video,
        1,
        videoSamples[v] as number,
        videoNull[v] as number,
        videoClass.subarray(v * rows, (v + 1) * rows),
      ),
      name: video,
      subject: subject >= 0 ? (groups.subjects[subject] ?? null) : null,
    };
  });

  // Subject slot s + 1; slot 0 gathers the videos of no known subject.
  const slots = groups.subjects.length + 1;
  const subjectVideos = new Int32Array(slots);
  const subjectSamples = new Int32Array(slots);
  const subjectNull = new Int32Array(slots);
  const subjectClass = new Int32Array(slots * rows);
  for (let v = 0; v < videoCount; v++) {
    const s = (groups.subjectOfVideo[v] as number) + 1;
    subjectVideos[s] = (subjectVideos[s] as number) + 1;
    subjectSamples[s] = (subjectSamples[s] as number) + (videoSamples[v] as number);
    subjectNull[s] = (subjectNull[s] as number) + (videoNull[v] as number);
    for (let r = 0; r < rows; r++)
      subjectClass[s * rows + r] =
        (subjectClass[s * rows + r] as number) + (videoClass[v * rows + r] as number);
  }
  const subjectRow = (s: number, name: string | null) =>
    rowOf(
      name,
      subjectVideos[s] as number,
      subjectSamples[s] as number,
      subjectNull[s] as number,
      subjectClass.subarray(s * rows, (s + 1) * rows),
    );
  const subjects = groups.subjects.map((subject, k) => subjectRow(k + 1, subject));
  if ((subjectVideos[0] as number) > 0) subjects.push(subjectRow(0, null));

  return { subjects, videos, outsideVideos };
}
