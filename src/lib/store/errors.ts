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
