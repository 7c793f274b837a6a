/**
 * The challenge a browser signed, read from `response.clientDataJSON` (W3C WebAuthn §5.8.1) before
 * anything is verified, so the server can find and consume the one it issued; null when malformed.
 */
export function challengeOf(response: unknown): string | null {
  const clientDataJSON = field(field(response, 'response'), 'clientDataJSON');
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > 4096 || !/^[A-Za-z0-9_-]+={0,2}$/.test(clientDataJSON)) return null;
  try {
    const clientData: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    const challenge = field(clientData, 'challenge');
    return typeof challenge === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(challenge) ? challenge : null;
  } catch {
    return null;
  }
}

/** A credential response as the page posts it: JSON of at most 16 KiB, an object with a string id. */
export function parseCredentialResponse(posted: string | undefined): Record<string, unknown> | null {
  if (posted === undefined || posted.length === 0 || posted.length > 16_384) return null;
  try {
    const value: unknown = JSON.parse(posted);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const record = value as Record<string, unknown>;
    const id = record['id'];
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,1366}$/.test(id)) return null;
    if (typeof record['response'] !== 'object' || record['response'] === null) return null;
    return record;
  } catch {
    return null;
  }
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}
