import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';

export const PASSWORD = 'correct horse battery staple';
export const REDIRECT_URI = 'https://client.example.test/callback';
export const insecure = { [oauth.allowInsecureRequests]: true } as const;

export interface DpopTenant {
  readonly slug: string;
  readonly issuer: string;
  readonly as: oauth.AuthorizationServer;
  /** A confidential client_credentials client, a DPoP-bound one, and a public code + refresh client. */
  readonly service: { client: oauth.Client; secret: string };
  readonly bound: { client: oauth.Client; secret: string };
  readonly spa: { client: oauth.Client };
}

/** A tenant with DPoP on (optionally nonces required), user alice and the three clients. */
export async function createDpopTenant(server: RunningAuthorizationServer, policy: { requireNonce?: boolean } = {}): Promise<DpopTenant> {
  const slug = uniqueSlug('dpop');
  const { admin } = server;
  await admin.tenants.create(slug, 'DPoP Corp');
  await admin.tenants.update(slug, await admin.tenants.get(slug), {
    dpopPolicy: { enabled: true, requireNonce: policy.requireNonce ?? false },
    // RFC 9449 §10.1: a proof sent with a pushed request binds the code.
    pushedAuthorizationRequests: 'enabled',
    // The suite signs alice in several times a minute from one address.
    rateLimitPolicy: { codeExchangesPerClientIpPerMinute: 10_000, authorizeRequestsPerClientIpPerHour: 100_000 },
  });
  await admin.users.create({ tenant: slug, username: 'alice', email: 'alice@example.com', password: PASSWORD });
  const service = await admin.clients.create({ tenant: slug, name: 'Service', grantTypes: ['client_credentials'] });
  const bound = await admin.clients.create({
    tenant: slug,
    name: 'Bound',
    grantTypes: ['client_credentials'],
    dpopBoundAccessTokens: true,
  });
  const spa = await admin.clients.create({
    tenant: slug,
    name: 'SPA',
    public: true,
    redirectUris: [REDIRECT_URI],
    grantTypes: ['authorization_code', 'refresh_token'],
    scope: 'openid profile email offline_access',
  });
  const issuer = server.issuer(slug);
  const as = await oauth.processDiscoveryResponse(
    new URL(issuer),
    await oauth.discoveryRequest(new URL(issuer), { algorithm: 'oidc', ...insecure }),
  );
  return {
    slug,
    issuer,
    as,
    service: { client: { client_id: service.client.clientId }, secret: service.clientSecret ?? '' },
    bound: { client: { client_id: bound.client.clientId }, secret: bound.clientSecret ?? '' },
    spa: { client: { client_id: spa.client.clientId } },
  };
}

export interface ProofKey {
  readonly pair: { privateKey: CryptoKey; publicKey: CryptoKey };
  readonly publicJwk: JWK;
  readonly jkt: string;
}

export async function proofKey(): Promise<ProofKey> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(pair.publicKey);
  return { pair, publicJwk, jkt: await calculateJwkThumbprint(publicJwk, 'sha256') };
}

export interface HandmadeProof {
  readonly htm?: string;
  readonly htu: string;
  readonly iat?: number;
  readonly jti?: string;
  readonly ath?: string;
  readonly nonce?: string;
  readonly alg?: string;
  readonly jwk?: JWK;
  readonly signWith?: CryptoKey | Uint8Array;
}

/** A DPoP proof made by hand, so a test can get one thing wrong. */
export function handmadeProof(key: ProofKey, proof: HandmadeProof): Promise<string> {
  const claims: Record<string, unknown> = {
    htm: proof.htm ?? 'POST',
    htu: proof.htu,
    iat: proof.iat ?? Math.floor(Date.now() / 1000),
    jti: proof.jti ?? randomUUID(),
    ...(proof.ath === undefined ? {} : { ath: proof.ath }),
    ...(proof.nonce === undefined ? {} : { nonce: proof.nonce }),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: proof.alg ?? 'ES256', typ: 'dpop+jwt', jwk: proof.jwk ?? key.publicJwk })
    .sign(proof.signWith ?? key.pair.privateKey);
}
