import { z } from 'zod';
import { fromBase64Url, toBase64Url } from '../team/signature';

/**
 * What the lead gives a reviewer to join a live session: the server's address, the
 * session, the reviewer's name and their token, as one code to paste (or a link that
 * carries it). It holds nothing of the dataset; the assignment comes through the
 * reviewer's document once they are in.
 */

export const JOIN_CODE_VERSION = 1;

export const JoinCodeSchema = z.object({
  v: z.literal(JOIN_CODE_VERSION),
  /** ws:// or wss:// address of the sync server. */
  server: z.string().regex(/^wss?:\/\/[^\s]+$/, 'a ws:// or wss:// address'),
  sessionId: z.string().min(1),
  reviewer: z.string().min(1),
  token: z.string().min(1),
});
export type JoinCode = z.infer<typeof JoinCodeSchema>;

const PREFIX = 'aurl1.';

export function encodeJoinCode(code: Omit<JoinCode, 'v'>): string {
  const full: JoinCode = { v: JOIN_CODE_VERSION, ...code };
  return PREFIX + toBase64Url(new TextEncoder().encode(JSON.stringify(full)));
}

/** The code read, or why it cannot be (pasted cut short, from something else...). */
export function decodeJoinCode(
  text: string,
): { ok: true; code: JoinCode } | { ok: false; problem: string } {
  const trimmed = text.trim();
  // A link carries the code after `join/` (the app's own links) or `join=`.
  const fromLink = /(?:\/join\/|[?#&]join=)([A-Za-z0-9_.-]+)/.exec(trimmed)?.[1];
  const raw = fromLink ?? trimmed;
  if (!raw.startsWith(PREFIX))
    return { ok: false, problem: `not a join code (a join code starts with "${PREFIX}")` };
  let json: unknown;
  try {
    json = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(raw.slice(PREFIX.length))),
    );
  } catch {
    return { ok: false, problem: 'the join code is damaged (was it copied whole?)' };
  }
  const parsed = JoinCodeSchema.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      problem: `the join code is damaged: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'code'}: ${i.message}`).join('; ')}`,
    };
  return { ok: true, code: parsed.data };
}
