import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningKey } from '../signing/tenant-key-cache.js';
import { tokenHashClaim } from './token-hash.js';

export interface AccessTokenInput {
  readonly issuer: string;
  readonly subject: string;
  readonly audience: string | readonly string[];
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly authTime?: Date;
  readonly now: Date;
  readonly lifetimeSeconds: number;
  readonly extraClaims?: Readonly<Record<string, unknown>>;
}

/** RFC 9068 §2: a JWT access token, `typ: at+jwt`, with a fresh 128-bit jti. */
export async function mintAccessToken(key: SigningKey, input: AccessTokenInput): Promise<{ token: string; jti: string; expiresAt: Date }> {
  const jti = randomBytes(16).toString('base64url');
  const iat = Math.floor(input.now.getTime() / 1000);
  const exp = iat + input.lifetimeSeconds;
  const claims: Record<string, unknown> = { ...input.extraClaims, client_id: input.clientId };
  if (input.scopes.length > 0) claims['scope'] = input.scopes.join(' ');
  if (input.authTime) claims['auth_time'] = Math.floor(input.authTime.getTime() / 1000);
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(input.issuer)
    .setSubject(input.subject)
    .setAudience(typeof input.audience === 'string' ? input.audience : [...input.audience])
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(jti)
    .sign(key.privateKey);
  return { token, jti, expiresAt: new Date(exp * 1000) };
}

export interface IdTokenInput {
  readonly issuer: string;
  readonly subject: string;
  readonly clientId: string;
  readonly nonce?: string | undefined;
  readonly authTime: Date;
  readonly acr?: string;
  readonly amr?: readonly string[];
  readonly accessToken?: string;
  readonly code?: string;
  readonly now: Date;
  readonly lifetimeSeconds: number;
  readonly extraClaims?: Readonly<Record<string, unknown>>;
}

/** OIDC Core §2 and §3.1.3.6: the ID token, audience the client, with azp, nonce and at_hash. */
export async function mintIdToken(key: SigningKey, input: IdTokenInput): Promise<string> {
  const iat = Math.floor(input.now.getTime() / 1000);
  const claims: Record<string, unknown> = {
    ...input.extraClaims,
    azp: input.clientId,
    auth_time: Math.floor(input.authTime.getTime() / 1000),
  };
  if (input.nonce !== undefined) claims['nonce'] = input.nonce;
  if (input.acr !== undefined) claims['acr'] = input.acr;
  if (input.amr && input.amr.length > 0) claims['amr'] = [...input.amr];
  if (input.accessToken) claims['at_hash'] = tokenHashClaim(input.accessToken, key.alg);
  if (input.code) claims['c_hash'] = tokenHashClaim(input.code, key.alg);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(input.issuer)
    .setSubject(input.subject)
    .setAudience(input.clientId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + input.lifetimeSeconds)
    .sign(key.privateKey);
}
