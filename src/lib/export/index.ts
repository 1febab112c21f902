/** The export layer: policy and preview, drop-in label files, AU matrix, statistics, provenance, change log, zip. */
export {
  BETAS,
  BetaSchema,
  ExportPolicySchema,
  REMOVAL_REASON_LABELS,
  RemovalReason,
  RemovalReasonNameSchema,
  SerializedPolicySchema,
  defaultExportPolicy,
  describePolicy,
  exportLabels,
  removalReasonName,
  selectForExport,
  serializePolicy,
  type Beta,
  type ExportPolicy,
  type ExportPolicyInput,
  type ExportSelection,
  type RemovalReasonName,
} from './policy';
export { LABELS_FOLDER, writeLabelFiles, type ExportFile, type LabelWriterInput } from './writers';
export { AuCell, auColumnsOf, writeAuMatrix, type AuMatrixInput } from './matrix';
export {
  TrainingStatsSchema,
  computeTrainingStats,
  effectiveNumberWeights,
  type TrainingStats,
} from './stats';
export { ProvenanceSchema, buildProvenance, writeProvenance, type Provenance } from './provenance';
export { CHANGELOG_COLUMNS, writeChangelog } from './changelog';
export {
  buildExportFiles,
  buildExportZip,
  zipFiles,
  type ExportBundle,
  type ExportInput,
} from './bundle';
export { labelChecker, type LabelCheckOptions } from './validate';
export { spreadsheetField, spreadsheetRow, startsLikeFormula } from './text';
