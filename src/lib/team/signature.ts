/**
 * Authenticating a reviewer's bundle. When the lead creates a session, each
 * reviewer gets a random key; only that reviewer's assignment file carries it, and
 * the lead keeps them all. The reviewer's app signs the bundle's canonical content
 * with HMAC-SHA-256 under that key, and the lead checks it against the key it holds
 * for the reviewer the bundle names: a forged name or a hand-edited file fails.
 */

export const SIGNATURE_ALGORITHM = 'HMAC-SHA-256';

/** 256 random bits: twice the 128 the threat needs, and HMAC-SHA-256's natural key size. */
export const KEY_BYTES = 32;

/** Base64url of KEY_BYTES bytes, unpadded. */
export const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Base64url of a SHA-256 MAC (32 bytes), unpadded. */
export const MAC_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** JSON with object keys sorted, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** A fresh reviewer key from the platform's cryptographic random source. */
export function newReviewerKey(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(KEY_BYTES)));
}

async function hmacKey(key: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'raw',
    fromBase64Url(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    [usage],
  );
}

/** The content a signature covers: everything but the signature, keys sorted. */
function signedBytes(content: Record<string, unknown>): Uint8Array<ArrayBuffer> {
  const rest = Object.fromEntries(Object.entries(content).filter(([k]) => k !== 'signature'));
  return new TextEncoder().encode(canonicalJson(rest));
}

/** The MAC of an object's canonical content (its `signature` field left out). */
export async function signContent(content: Record<string, unknown>, key: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(key, 'sign'), signedBytes(content));
  return toBase64Url(new Uint8Array(mac));
}

/** Whether `mac` is the MAC of the object's canonical content under `key` (compared in constant time). */
export async function verifyContent(
  content: Record<string, unknown>,
  mac: string,
  key: string,
): Promise<boolean> {
  if (!KEY_PATTERN.test(key) || !MAC_PATTERN.test(mac)) return false;
  return crypto.subtle.verify(
    'HMAC',
    await hmacKey(key, 'verify'),
    fromBase64Url(mac),
    signedBytes(content),
  );
}
