/** The review layer: decisions, final labels, undo history, review sets, shortcuts. */
export * from './decision';
export * from './decisions';
export * from './correction';
export * from './history';
export * from './review-set';
export * from './keymap';
