import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { importLabelStreams, type ImportOptions, type ImportResult } from '../lib/formats/import';
import { UsageError } from './errors';
import type { Progress } from './progress';

/**
 * Reads label files from disk with the app's own importer, as streams: a file of a
 * million rows is never held whole. Files keep the names they are given (a path's
 * folders matter to video formats: `AU_Set/Train_Set/video1.txt`).
 */
export async function readLabelFiles(
  paths: readonly string[],
  options: ImportOptions,
  progress: Progress,
): Promise<ImportResult> {
  const sources = paths.map((path) => {
    let size: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw new UsageError(`${path}: not a file`);
      size = stat.size;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(
        `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
    return {
      name: path.replace(/^\.\//, ''),
      size,
      stream: () =>
        Readable.toWeb(
          createReadStream(path, { highWaterMark: 1 << 20 }),
        ) as ReadableStream<Uint8Array>,
    };
  });
  const result = await importLabelStreams(sources, options, {
    onProgress: ({ bytesRead, bytesTotal, rowsRead, filesDone, filesTotal }) =>
      progress.update(
        `reading ${filesDone} of ${filesTotal} files · ${rowsRead.toLocaleString('en')} rows · ${Math.round((100 * bytesRead) / Math.max(bytesTotal, 1))}%`,
      ),
    onRowsChecked: (done, total) =>
      progress.update(
        `checking ${done.toLocaleString('en')} of ${total.toLocaleString('en')} rows`,
      ),
  });
  progress.done();
  // Without a signal the import cannot be cancelled: null would be a bug.
  if (!result) throw new Error('the import was cancelled');
  return result;
}
