/** The rules layer: rule sets, per-sample checks, label-issue scores, overview, filters. */
export * from './schema';
export * from './builtin';
export * from './describe';
export * from './check';
export * from './expected-rates';
export * from './overview';
export * from './filter';
