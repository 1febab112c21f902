import type { ImportOptions, ImportResult } from '../formats/import';
import type { DatasetMeta } from '../store/records';

/** What the screen needs of a parse; the sample table itself stays in the worker. */
export type ParseSummary = Pick<
  ImportResult,
  'format' | 'detection' | 'scheme' | 'splitNames' | 'sourceFiles' | 'report' | 'csv'
> & { count: number };

export interface ImageToSave {
  /** Replaced, when saved, by the key the parse matched the image by (ImageMatch.keyOfImage). */
  key: string;
  name: string;
  blob: Blob;
}

/** A label file as picked: a File, or a Blob of bytes taken out of a zip. Read as a stream. */
export interface LabelFileToRead {
  name: string;
  blob: Blob;
}

/** A file taken out of a zip, as a Blob (an image's Blob carries its MIME type). */
export interface ArchiveFile {
  name: string;
  blob: Blob;
}

export type ImportRequest =
  | { type: 'expand'; id: number; name: string; archive: Blob }
  | { type: 'parse'; id: number; files: LabelFileToRead[]; options: ImportOptions }
  | { type: 'save'; id: number; parseId: number; name: string; images: ImageToSave[] }
  | { type: 'cancel'; id: number };

export type ImportResponse =
  /** refused: the archive's entries not read, each with its reason. */
  | { type: 'expanded'; id: number; files: ArchiveFile[]; refused: string[] }
  | { type: 'not-an-archive'; id: number; error: string }
  | { type: 'parsed'; id: number; summary: ParseSummary }
  /** The parse was cancelled: nothing of it is kept. */
  | { type: 'parse-cancelled'; id: number }
  | { type: 'progress'; id: number; rowsDone: number; rowsTotal: number }
  | {
      type: 'reading';
      id: number;
      bytesRead: number;
      bytesTotal: number;
      rowsRead: number;
      filesDone: number;
      filesTotal: number;
    }
  /** After the reading: rows of a file read whole (a CSV) checked so far. */
  | { type: 'checking'; id: number; rowsDone: number; rowsTotal: number }
  /**
   * linkedKeys: for the image names the parse was given after the copied images (a
   * linked folder's), the key each is found under; '' for those no label names.
   */
  | { type: 'saved'; id: number; meta: DatasetMeta; linkedKeys: string[] }
  | { type: 'failed'; id: number; error: string; cancelled: boolean };
