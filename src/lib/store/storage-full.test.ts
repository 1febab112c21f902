import { describe, expect, it } from 'vitest';
import { StorageFullError, describeWriteError, isStorageFullError } from './errors';

const full = (what: string) =>
  `The disk (or the browser's storage quota) is full: nothing of ${what} was saved. Free space or delete a dataset, then retry.`;

/** Dexie's BulkError as Chromium raises it: a summary message, the causes in failures. */
function bulkError(inner: unknown[]): Error {
  return Object.assign(new Error(`pages.bulkAdd(): 9 of 10 operations failed`), {
    name: 'BulkError',
    failures: inner,
    failuresByPos: Object.fromEntries(inner.map((e, i) => [i, e])),
  });
}

describe('isStorageFullError', () => {
  it.each([
    [
      'QuotaExceededError',
      new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
      true,
    ],
    [
      'a blob write IOError',
      new DOMException('Failed to write blobs (IOError)', 'DataError'),
      true,
    ],
    ['a BulkError of quota errors', bulkError([new DOMException('', 'QuotaExceededError')]), true],
    [
      'an AbortError whose inner error is a quota error',
      Object.assign(new Error('Transaction aborted'), {
        name: 'AbortError',
        inner: new DOMException('x', 'QuotaExceededError'),
      }),
      true,
    ],
    [
      'an error with a cause',
      new Error('wrapped', { cause: new Error('No space left on device') }),
      true,
    ],
    ['our own StorageFullError', new StorageFullError('x'), true],
    [
      'a BulkError of constraint errors',
      bulkError([new DOMException('Key already exists', 'ConstraintError')]),
      false,
    ],
    ['a plain bug', new TypeError('x is undefined'), false],
    ['a string', 'quota', false],
    ['null', null, false],
  ])('%s -> %s', (_, error, expected) => {
    expect(isStorageFullError(error)).toBe(expected);
  });

  it('does not loop on an error that holds itself', () => {
    const loop: { name: string; message: string; inner?: unknown } = { name: 'E', message: 'm' };
    loop.inner = loop;
    expect(isStorageFullError(loop)).toBe(false);
  });
});

describe('describeWriteError', () => {
  it.each([
    [new DOMException('q', 'QuotaExceededError'), '“Faces”', full('“Faces”')],
    [
      bulkError([new DOMException('Failed to write blobs (IOError)', 'UnknownError')]),
      'x',
      full('x'),
    ],
    [new Error('Some other failure'), 'x', 'Some other failure'],
    ['text thrown', 'x', 'text thrown'],
  ])('%s', (error, what, message) => {
    expect(describeWriteError(error, what)).toBe(message);
  });
});
