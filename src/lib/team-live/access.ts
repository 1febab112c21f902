import { z } from 'zod';
import { fromBase64Url, toBase64Url } from '../team/signature';

/**
 * Who may open which live document. The lead starts the sync server with a shared
 * secret and types the same secret into the app; the app derives from it one token
 * per reviewer (and one for the lead), an HMAC of the session and the role. A
 * reviewer's token opens that reviewer's document only; the lead's opens every
 * document of the session. Neither reveals the secret, and a token cannot be turned
 * into another reviewer's.
 */

export type LiveRole = { kind: 'lead' } | { kind: 'reviewer'; reviewer: string };

/** The shortest shared secret taken: 128 bits of base64url or an equally long phrase. */
export const MIN_SECRET_CHARS = 22;

const ClaimSchema = z.object({
  v: z.literal(1),
  session: z.string().min(1),
  role: z.union([
    z.object({ kind: z.literal('lead') }),
    z.object({ kind: z.literal('reviewer'), reviewer: z.string().min(1) }),
  ]),
});
type Claim = z.infer<typeof ClaimSchema>;

async function secretKey(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    [usage],
  );
}

function claimBytes(claim: Claim): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`au-review-live:${JSON.stringify(claim)}`);
}

/** Why a shared secret is refused; null when it is taken. */
export function secretProblem(secret: string): string | null {
  if (secret.length < MIN_SECRET_CHARS)
    return `the shared secret is ${secret.length} characters; at least ${MIN_SECRET_CHARS} are needed`;
  return null;
}

/** The token of a role in a session, under the server's shared secret. */
export async function liveToken(
  secret: string,
  sessionId: string,
  role: LiveRole,
): Promise<string> {
  const claim: Claim = { v: 1, session: sessionId, role };
  const mac = await crypto.subtle.sign('HMAC', await secretKey(secret, 'sign'), claimBytes(claim));
  const body = toBase64Url(new TextEncoder().encode(JSON.stringify(claim)));
  return `${body}.${toBase64Url(new Uint8Array(mac))}`;
}

/** The session and role a token was made for, when its MAC is the secret's; null otherwise. */
export async function verifyLiveToken(
  secret: string,
  token: string,
): Promise<{ sessionId: string; role: LiveRole } | null> {
  const [body, mac, ...rest] = token.split('.');
  if (!body || !mac || rest.length > 0 || token.length > 4096) return null;
  let claim: Claim;
  try {
    const parsed = ClaimSchema.safeParse(JSON.parse(new TextDecoder().decode(fromBase64Url(body))));
    if (!parsed.success) return null;
    claim = parsed.data;
    const ok = await crypto.subtle.verify(
      'HMAC',
      await secretKey(secret, 'verify'),
      fromBase64Url(mac),
      claimBytes(claim),
    );
    if (!ok) return null;
  } catch {
    return null;
  }
  return { sessionId: claim.session, role: claim.role };
}
