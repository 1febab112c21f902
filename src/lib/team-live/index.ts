/** Live team review: the file workflow's assignment and decisions synced through a Yjs server. */
export * from './access';
export * from './check-update';
export * from './join-code';
export * from './live-bundle';
export * from './live-doc';
