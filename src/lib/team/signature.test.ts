import { describe, expect, it } from 'vitest';
import {
  KEY_BYTES,
  canonicalJson,
  fromBase64Url,
  newReviewerKey,
  signContent,
  toBase64Url,
  verifyContent,
} from './signature';
import { testKeys } from './test-support';

const { a: keyA = '', b: keyB = '' } = testKeys(['a', 'b']);

describe('reviewer keys', () => {
  it('are 256 random bits, different each time', () => {
    const keys = new Set(Array.from({ length: 100 }, newReviewerKey));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(fromBase64Url(key)).toHaveLength(KEY_BYTES);
    expect(KEY_BYTES * 8).toBeGreaterThanOrEqual(128);
  });

  it.each([[[]], [[0]], [[255, 254, 62, 63]], [Array.from({ length: 32 }, (_, i) => i * 7)]])(
    'base64url round-trips %j',
    (bytes) => {
      const text = toBase64Url(Uint8Array.from(bytes));
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect([...fromBase64Url(text)]).toEqual(bytes);
    },
  );
});

describe('canonicalJson', () => {
  it.each<[unknown, unknown]>([
    [
      { b: 1, a: 2 },
      { a: 2, b: 1 },
    ],
    [{ x: { z: [1, { d: 1, c: 2 }], y: null } }, { x: { y: null, z: [1, { c: 2, d: 1 }] } }],
    [{ a: 1, gone: undefined }, { a: 1 }],
  ])('gives %j and %j the same text', (x, y) => {
    expect(canonicalJson(x)).toBe(canonicalJson(y));
  });

  it.each<[unknown, unknown]>([
    [{ a: 1 }, { a: '1' }],
    [
      [1, 2],
      [2, 1],
    ],
    [{ a: 'x\n' }, { a: 'x' }],
  ])('tells %j from %j', (x, y) => {
    expect(canonicalJson(x)).not.toBe(canonicalJson(y));
  });
});

describe('signContent and verifyContent', () => {
  const content = { reviewer: 'a', decisions: [{ sample: 1, kind: 'accept' }] };

  it('verifies what the key signed, whatever the key order and the signature field', async () => {
    const mac = await signContent(content, keyA);
    const reordered = { decisions: content.decisions, reviewer: 'a', signature: { mac } };
    expect(await verifyContent(reordered, mac, keyA)).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['another key', content, keyB],
    ['other content', { ...content, reviewer: 'b' }, keyA],
    ['a field more', { ...content, extra: 1 }, keyA],
    ['a malformed key', content, 'short'],
  ])('refuses %s', async (_name, checked, key) => {
    const mac = await signContent(content, keyA);
    expect(await verifyContent(checked, mac, key)).toBe(false);
  });

  it('refuses a malformed MAC without asking the platform', async () => {
    expect(await verifyContent(content, 'not a mac', keyA)).toBe(false);
  });
});
