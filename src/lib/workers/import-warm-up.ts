import { importLabelFiles } from '../formats/import';
import { RAFCE_FILE_NAMES } from '../formats/raf-ce/read';
import type { InputFile } from '../labels/types';
import { tableToPages } from '../store/columns';
import { SamplePageSchema } from '../store/records';

/**
 * Runs the RAF-CE import once on a small made-up label set, so that the engine has
 * compiled the readers before the user's files arrive. A fresh worker runs its first
 * million lines in the interpreter and baseline tiers: measured in Chromium, a cold
 * worker took half a second longer to parse a million-sample set than a warm one.
 * The import screen starts its worker when it opens, so this runs while the user is
 * still choosing files. Returns the number of pages it checked (all of them).
 */
export function warmUpImport(lines = 30_000): number {
  const emotion: string[] = [];
  const au: string[] = [];
  const split: string[] = [];
  const aus = ['1+2+5+26', '4+7+9+10', '6+12+25', 'null', '1+4+15+17', '12', '9+10+25+26'];
  for (let i = 1; i <= lines; i++) {
    const image = `${String(i).padStart(7, '0')}.jpg`;
    emotion.push(`${image} ${i % 14}`);
    const value = aus[i % aus.length] as string;
    au.push(`${image} ${value === 'null' ? value : `${value}+${(i % 40) + 1}`}`);
    split.push(`${image} ${i % 3}`);
  }
  const encoder = new TextEncoder();
  const file = (name: string, rows: string[]): InputFile => ({
    name,
    bytes: encoder.encode(`${rows.join('\n')}\n`),
  });
  const { table } = importLabelFiles([
    file(RAFCE_FILE_NAMES.emotion, emotion),
    file(RAFCE_FILE_NAMES.au, au),
    file(RAFCE_FILE_NAMES.split, split),
  ]);
  // And what a save does before it writes: pages, and their check.
  const pages = tableToPages('warm-up', table, 1_000);
  return pages.filter((page) => SamplePageSchema.safeParse(page).success).length;
}

/**
 * The same for a video AU set (Aff-Wild2 / ABAW: one file per video, a header, a 0/1/-1
 * line per frame), whose reader shares nothing with RAF-CE's. Returns the frames read.
 */
export function warmUpVideoImport(videos = 6, frames = 5_000): number {
  const aus = [1, 2, 4, 6, 7, 10, 12, 15, 23, 24, 25, 26];
  const encoder = new TextEncoder();
  const files: InputFile[] = [];
  for (let v = 0; v < videos; v++) {
    const lines = [aus.map((au) => `AU${au}`).join(',')];
    for (let f = 0; f < frames; f++)
      lines.push(
        f % 50 === 0
          ? aus.map(() => '-1').join(',')
          : aus.map((_, k) => ((f * 7 + k * 3 + v) % 5 === 0 ? '1' : '0')).join(','),
      );
    files.push({
      name: `AU_Set/Train_Set/warm-up-${v}.txt`,
      bytes: encoder.encode(`${lines.join('\n')}\n`),
    });
  }
  const { table } = importLabelFiles(files);
  tableToPages('warm-up', table, 10_000);
  return table.count;
}
