/** Errors of the store. Corruption names the dataset (and page) so the UI can offer to delete it. */

/** A stored record failed validation on the way out: the database holds something we did not write. */
export class StoreCorruptionError extends Error {
  override readonly name = 'StoreCorruptionError';
  constructor(
    readonly datasetId: string,
    readonly page: number | null,
    detail: string,
  ) {
    super(
      `Dataset "${datasetId}"${page === null ? '' : ` page ${page}`} is corrupt in the local database: ${detail}`,
    );
  }
}

/** The dataset does not exist (never stored, or deleted, possibly by another tab). */
export class DatasetNotFoundError extends Error {
  override readonly name = 'DatasetNotFoundError';
  constructor(readonly datasetId: string) {
    super(`Dataset "${datasetId}" not found in the local database`);
  }
}

/**
 * Browsers report a full disk (or a full per-origin quota) in several guises: a
 * QuotaExceededError, a blob write that fails with IOError, and Dexie's BulkError or
 * AbortError wrapping either of them. Each is unwrapped here so the user reads one
 * plain sentence instead of "pages.bulkAdd(): 9 of 10 operations failed".
 */
export function isStorageFullError(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (name === 'QuotaExceededError' || name === 'StorageFullError') return true;
  const text = `${typeof name === 'string' ? name : ''} ${typeof message === 'string' ? message : ''}`;
  if (/quota|Failed to write blobs|\bIOError\b|No space left|disk is full/i.test(text)) return true;
  const nested = error as {
    inner?: unknown;
    cause?: unknown;
    failures?: unknown;
    failuresByPos?: unknown;
  };
  const inner: unknown[] = [nested.inner, nested.cause];
  if (Array.isArray(nested.failures)) inner.push(...(nested.failures as unknown[]));
  if (typeof nested.failuresByPos === 'object' && nested.failuresByPos !== null)
    inner.push(...Object.values(nested.failuresByPos));
  return inner.some((e) => isStorageFullError(e, depth + 1));
}

/** A write refused because the disk or the browser's storage quota is full; nothing of `what` was saved. */
export class StorageFullError extends Error {
  override readonly name = 'StorageFullError';
  constructor(
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The disk (or the browser's storage quota) is full: nothing of ${what} was saved. Free space or delete a dataset, then retry.`,
      options,
    );
  }
}

/** The plain message for a failed write of `what`: the full-disk sentence, or the error's own message. */
export function describeWriteError(error: unknown, what: string): string {
  if (isStorageFullError(error)) return new StorageFullError(what).message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A write the database acknowledged is not there when read back: the browser threw
 * it away (seen on a full disk, before Chromium wiped the origin's database).
 */
export class LostWriteError extends Error {
  override readonly name = 'LostWriteError';
  constructor(readonly datasetId: string) {
    super(`A write to dataset "${datasetId}" was acknowledged but is not in the local database`);
  }
}

/**
 * A stored record carries a version this app does not know yet: a newer AU Review
 * wrote it (in this browser, before a downgrade). Not corruption: the record is kept
 * and the user is told to update, never offered to delete it.
 */
export class NewerRecordError extends Error {
  override readonly name = 'NewerRecordError';
  constructor(
    readonly datasetId: string,
    readonly what: string,
    readonly version: number,
    readonly known: number,
  ) {
    super(
      `Dataset "${datasetId}": its ${what} was written by a newer AU Review (record version ${version}; this one reads up to ${known}). Update the app to open it.`,
    );
  }
}
