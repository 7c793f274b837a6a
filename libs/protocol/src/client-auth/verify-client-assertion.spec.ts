import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { authenticateClient } from './authenticate-client.js';
import { clientFixture, contextFixture, ISSUER, NOW, rejectsInvalidClient, TOKEN_ENDPOINT } from './client-auth.fixtures.js';
import type { AuthenticatableClient, ClientAuthContext } from './client-auth.types.js';

const CLIENT_ID = 'service-a';
const nowSeconds = Math.floor(NOW.getTime() / 1000);
let privateKey: CryptoKey;
let client: AuthenticatableClient;

before(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  client = clientFixture({
    clientId: CLIENT_ID,
    tokenEndpointAuthMethod: 'private_key_jwt',
    secretHashes: [],
    jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] },
  });
});

let counter = 0;
/** A valid assertion unless overridden: iss = sub = client id, aud = issuer, 60 s lifetime, fresh jti. */
async function assertion(claims: JWTPayload = {}, key: CryptoKey | Uint8Array = privateKey, alg = 'ES256'): Promise<string> {
  const payload: JWTPayload = {
    iss: CLIENT_ID,
    sub: CLIENT_ID,
    aud: ISSUER,
    iat: nowSeconds,
    exp: nowSeconds + 60,
    jti: `jti-${++counter}`,
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg, kid: 'k1' }).sign(key);
}

function authenticate(jwt: string, context: ClientAuthContext = contextFixture()): Promise<void> {
  return authenticateClient({ method: 'private_key_jwt', clientId: CLIENT_ID, assertion: jwt }, client, context);
}

describe('private_key_jwt (RFC 7523 §3)', () => {
  it('accepts a valid assertion signed by a registered key', async () => {
    await authenticate(await assertion());
  });
  it('accepts EdDSA keys too', async () => {
    const pair = await generateKeyPair('EdDSA');
    const edClient = { ...client, jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1' }] } };
    const jwt = await assertion({}, pair.privateKey, 'EdDSA');
    await authenticateClient({ method: 'private_key_jwt', clientId: CLIENT_ID, assertion: jwt }, edClient, contextFixture());
  });
  it('refuses an audience other than the issuer', async () => {
    const error = await rejectsInvalidClient(authenticate(await assertion({ aud: 'https://id.example.com/t/other' })));
    assert.match(String(error.internalCause), /aud is not the issuer/);
    await rejectsInvalidClient(authenticate(await assertion({ aud: undefined })));
  });
  it('refuses an audience array, even one naming only the issuer', async () => {
    await rejectsInvalidClient(authenticate(await assertion({ aud: [ISSUER] })));
    await rejectsInvalidClient(authenticate(await assertion({ aud: [ISSUER, 'https://rs.example.com'] })));
  });
  it('accepts the token endpoint URL as audience only when the flag is on, and only as a single string', async () => {
    await rejectsInvalidClient(authenticate(await assertion({ aud: TOKEN_ENDPOINT })));
    const lenient = contextFixture({ acceptTokenEndpointAudience: true });
    await authenticate(await assertion({ aud: TOKEN_ENDPOINT }), lenient);
    await authenticate(await assertion({ aud: ISSUER }), lenient);
    await rejectsInvalidClient(authenticate(await assertion({ aud: [TOKEN_ENDPOINT] }), lenient));
    await rejectsInvalidClient(authenticate(await assertion({ aud: [TOKEN_ENDPOINT, 'https://rs.example.com'] }), lenient));
    await rejectsInvalidClient(authenticate(await assertion({ aud: [ISSUER] }), lenient));
    await rejectsInvalidClient(authenticate(await assertion({ aud: ['https://rs.example.com'] }), lenient));
  });
  it('refuses an HS256 assertion', async () => {
    const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!');
    const error = await rejectsInvalidClient(authenticate(await assertion({}, secret, 'HS256')));
    assert.match(String(error.internalCause), /ALG_NOT_ALLOWED/);
  });
  it('refuses an expired assertion, and one without exp', async () => {
    const error = await rejectsInvalidClient(authenticate(await assertion({ iat: nowSeconds - 600, exp: nowSeconds - 60 })));
    assert.match(String(error.internalCause), /JWT_EXPIRED/);
    await rejectsInvalidClient(authenticate(await assertion({ exp: undefined })));
  });
  it('refuses exp too far in the future and iat in the future', async () => {
    const error = await rejectsInvalidClient(authenticate(await assertion({ exp: nowSeconds + 3600 })));
    assert.match(String(error.internalCause), /exp is more than 300s/);
    await rejectsInvalidClient(
      authenticate(await assertion({ exp: nowSeconds + 120 }), contextFixture({ maxAssertionLifetimeSeconds: 60 })),
    );
    await rejectsInvalidClient(authenticate(await assertion({ iat: nowSeconds + 120, exp: nowSeconds + 180 })));
  });
  it('tolerates the configured clock skew', async () => {
    await authenticate(await assertion({ iat: nowSeconds - 300, exp: nowSeconds - 10 }));
    await rejectsInvalidClient(
      authenticate(await assertion({ iat: nowSeconds - 300, exp: nowSeconds - 10 }), contextFixture({ clockSkewSeconds: 0 })),
    );
  });
  it('refuses an assertion without jti', async () => {
    const error = await rejectsInvalidClient(authenticate(await assertion({ jti: undefined })));
    assert.match(String(error.internalCause), /"jti"/);
    await rejectsInvalidClient(authenticate(await assertion({ jti: '' })));
  });
  it('refuses a replayed jti', async () => {
    const context = contextFixture();
    const jwt = await assertion();
    await authenticate(jwt, context);
    const error = await rejectsInvalidClient(authenticate(jwt, context));
    assert.match(String(error.internalCause), /already used/);
  });
  it('refuses iss or sub other than the client id', async () => {
    await rejectsInvalidClient(authenticate(await assertion({ sub: 'someone-else' })));
    await rejectsInvalidClient(authenticate(await assertion({ iss: 'someone-else' })));
  });
  it('refuses an assertion signed by a key outside the client JWK Set', async () => {
    const stranger = await generateKeyPair('ES256');
    const error = await rejectsInvalidClient(authenticate(await assertion({}, stranger.privateKey)));
    assert.match(String(error.internalCause), /signature verification failed/);
  });
  it('refuses when the client has no JWK Set', async () => {
    const jwt = await assertion();
    const noKeys = { ...client, jwks: null };
    await rejectsInvalidClient(
      authenticateClient({ method: 'private_key_jwt', clientId: CLIENT_ID, assertion: jwt }, noKeys, contextFixture()),
    );
  });
  it('refuses a client registered for secrets presenting an assertion', async () => {
    const secretClient = { ...client, tokenEndpointAuthMethod: 'client_secret_basic' as const };
    const jwt = await assertion();
    await rejectsInvalidClient(
      authenticateClient({ method: 'private_key_jwt', clientId: CLIENT_ID, assertion: jwt }, secretClient, contextFixture()),
    );
  });
});
