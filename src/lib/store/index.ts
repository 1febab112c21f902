/** The persistence module: the only place in the app that talks to IndexedDB. */
export { AuReviewDb, DB_NAME, getDb, openDb } from './db';
export {
  DEFAULT_PAGE_SIZE,
  assertSampleTable,
  pagesToTable,
  sliceTable,
  tableToPages,
} from './columns';
export {
  countDatasets,
  createDatasetStore,
  deleteDataset,
  getDataset,
  getImage,
  listDatasets,
  listImageKeys,
  loadSampleTable,
  renameDataset,
  requestPersistentStorage,
  saveImportedDataset,
  updateDatasetMeta,
  type DatasetStore,
  type ImageInput,
  type SaveDatasetInput,
  type SaveDatasetOptions,
} from './datasets';
export { DatasetNotFoundError, StoreCorruptionError } from './errors';
export {
  DatasetMetaSchema,
  NewDatasetMetaSchema,
  SamplePageSchema,
  type DatasetMeta,
  type DatasetMetaPatch,
  type ImageRecord,
  type NewDatasetMeta,
  type SamplePage,
} from './records';
export * from './annotations';
export * from './annotation-records';
export * from './review';
export {
  MAX_THUMBNAILS,
  ThumbnailRecordSchema,
  createThumbnailStore,
  thumbnailStore,
  type ThumbnailRecord,
  type ThumbnailStore,
  type ThumbnailStoreOptions,
} from './thumbnails';
export {
  CROWD_RECORD_VERSION,
  CrowdRecordSchema,
  deleteCrowd,
  getCrowd,
  saveCrowd,
  type CrowdRecord,
} from './crowd';
