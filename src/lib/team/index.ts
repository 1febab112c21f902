/** Team review: split a review among reviewers, merge their work, measure agreement, adjudicate. */
export * from './agreement';
export * from './assignment';
export * from './bundle';
export * from './merge';
export * from './outcome';
export * from './agreement-report';
export * from './adjudication';
export { TEAM_LIMITS, auTextProblem, decisionProblems, textProblem } from './checks';
export { newReviewerKey, SIGNATURE_ALGORITHM } from './signature';
export {
  TEAM_FORMATS,
  lineColumn,
  parseJsonText,
  safeName,
  type TeamFileRead,
  type TeamFormat,
} from './file-format';
