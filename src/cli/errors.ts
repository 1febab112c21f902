/**
 * Exit codes, as the README documents them: 0 done (and no --fail-on condition met),
 * 1 a --fail-on condition met (the pipeline should stop), 2 a usage error (an unknown
 * option, a file that cannot be opened), 3 the labels could not be read at all.
 */
export const EXIT = { ok: 0, failOn: 1, usage: 2, unreadable: 3 } as const;

/** A mistake in how the command was called: said in one line, exit code 2. */
export class UsageError extends Error {}
