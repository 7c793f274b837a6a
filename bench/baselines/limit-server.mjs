// The limit: a bare Fastify 5 + jose server doing only what each request cannot avoid, everything
// in memory, no persistence, no audit. Configured by BENCH_LIMIT_CONFIG (JSON: issuerPath, clients
// [{ id, secret }], api, apiScope, redirectUri, user { sub, username, name, email }, session);
// prints "LISTENING <url>".
//
//   token          parse the form and the Basic header, constant-time check of the secret against
//                  its stored SHA-256, then per grant:
//                  client_credentials  one ES256 signature of an RFC 9068 access token
//                  authorization_code  take the code from a Map, check redirect_uri and PKCE S256,
//                                      sign the access token (and an RS256 ID token for openid)
//                  refresh_token       take the refresh token from a Map, rotate it, sign
//   introspect     client authentication, verify the JWT, answer RFC 7662 JSON
//   userinfo       verify the bearer JWT, answer the claims of its scopes
//   authorize      find the session cookie in memory, check client, redirect_uri and PKCE, store a code
//   jwks, discovery  static JSON
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';

const config = JSON.parse(process.env.BENCH_LIMIT_CONFIG ?? '{}');
const port = Number(process.env.PORT ?? 0);
const sha256 = (value) => createHash('sha256').update(value).digest();
const clients = new Map(config.clients.map((c) => [c.id, sha256(c.secret)]));
const codes = new Map();
const refreshTokens = new Map();
const ACCESS_TTL = 3600; // as Gatehouse's default and the peer's
const authTime = Math.floor(Date.now() / 1000); // when the one session signed in

const es256 = await generateKeyPair('ES256', { extractable: true });
const rs256 = await generateKeyPair('RS256', { extractable: true });
const jwks = {
  keys: [
    { ...(await exportJWK(es256.publicKey)), kid: 'at-es256', alg: 'ES256', use: 'sig' },
    { ...(await exportJWK(rs256.publicKey)), kid: 'id-rs256', alg: 'RS256', use: 'sig' },
  ],
};

const app = Fastify({ logger: false });
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
  done(null, Object.fromEntries(new URLSearchParams(body)));
});
// The issuer names the port, known once listening; routes must be declared before.
let issuer;
let discoveryJson;

function oauthError(reply, status, error) {
  return reply.code(status).header('cache-control', 'no-store').send({ error });
}

/** RFC 6749 §2.3.1: Basic with form-encoded id and secret; the secret compared in constant time. */
function authenticate(request) {
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString();
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const id = decodeURIComponent(decoded.slice(0, colon));
  const stored = clients.get(id);
  const presented = sha256(decodeURIComponent(decoded.slice(colon + 1)));
  return stored && timingSafeEqual(stored, presented) ? id : null;
}

function accessToken({ sub, clientId, audience, scope, authTime }) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ client_id: clientId, scope, ...(authTime ? { auth_time: authTime } : {}) })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'at-es256' })
    .setIssuer(issuer)
    .setSubject(sub)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + ACCESS_TTL)
    .setJti(randomUUID())
    .sign(es256.privateKey);
}

function idToken({ sub, clientId, nonce, authTime }) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ auth_time: authTime, ...(nonce ? { nonce } : {}) })
    .setProtectedHeader({ alg: 'RS256', kid: 'id-rs256' })
    .setIssuer(issuer)
    .setSubject(sub)
    .setAudience(clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(rs256.privateKey);
}

async function tokenResponse(grant, clientId) {
  const audience = grant.resource ?? issuer;
  const body = {
    access_token: await accessToken({ sub: grant.sub, clientId, audience, scope: grant.scope, authTime: grant.authTime }),
    token_type: 'Bearer',
    expires_in: ACCESS_TTL,
    scope: grant.scope,
  };
  const scopes = grant.scope.split(' ');
  if (grant.sub !== clientId && (!scopes.includes('openid') || scopes.includes('offline_access'))) {
    body.refresh_token = randomBytes(32).toString('base64url');
    refreshTokens.set(body.refresh_token, { ...grant, clientId });
  }
  if (grant.idToken && scopes.includes('openid'))
    body.id_token = await idToken({ sub: grant.sub, clientId, nonce: grant.nonce, authTime: grant.authTime });
  return body;
}

const grants = {
  async client_credentials(form, clientId) {
    if (form.resource !== undefined && form.resource !== config.api) return { error: 'invalid_target' };
    const scope = form.scope ?? '';
    if (scope && scope !== config.apiScope) return { error: 'invalid_scope' };
    return tokenResponse({ sub: clientId, resource: form.resource ?? null, scope }, clientId);
  },
  async authorization_code(form, clientId) {
    const code = codes.get(form.code);
    if (!code) return { error: 'invalid_grant' };
    codes.delete(form.code);
    const challenge = createHash('sha256')
      .update(form.code_verifier ?? '')
      .digest('base64url');
    if (code.clientId !== clientId || code.redirectUri !== form.redirect_uri || challenge !== code.challenge || code.expiresAt < Date.now())
      return { error: 'invalid_grant' };
    return tokenResponse({ ...code, idToken: true }, clientId);
  },
  async refresh_token(form, clientId) {
    const grant = refreshTokens.get(form.refresh_token);
    if (!grant || grant.clientId !== clientId) return { error: 'invalid_grant' };
    refreshTokens.delete(form.refresh_token);
    return tokenResponse(grant, clientId);
  },
};

app.post(`${config.issuerPath ?? ''}/token`, async (request, reply) => {
  const clientId = authenticate(request);
  if (!clientId) return oauthError(reply, 401, 'invalid_client');
  const grant = grants[request.body?.grant_type];
  if (!grant) return oauthError(reply, 400, 'unsupported_grant_type');
  const body = await grant(request.body, clientId);
  if (body.error) return oauthError(reply, 400, body.error);
  return reply.header('cache-control', 'no-store').send(body);
});

app.post(`${config.issuerPath ?? ''}/introspect`, async (request, reply) => {
  const clientId = authenticate(request);
  if (!clientId) return oauthError(reply, 401, 'invalid_client');
  try {
    const { payload } = await jwtVerify(request.body?.token ?? '', es256.publicKey, { issuer, typ: 'at+jwt' });
    if (payload.client_id !== clientId) return reply.send({ active: false });
    return reply.header('cache-control', 'no-store').send({ active: true, token_type: 'Bearer', ...payload });
  } catch {
    return reply.send({ active: false });
  }
});

app.get(`${config.issuerPath ?? ''}/userinfo`, async (request, reply) => {
  const header = request.headers.authorization ?? '';
  try {
    if (!header.startsWith('Bearer ')) throw new Error('no token');
    const { payload } = await jwtVerify(header.slice(7), es256.publicKey, { issuer, audience: issuer, typ: 'at+jwt' });
    const scopes = String(payload.scope).split(' ');
    if (payload.sub !== config.user.sub || !scopes.includes('openid')) throw new Error('not a userinfo token');
    const { user } = config;
    return reply.header('cache-control', 'no-store').send({
      sub: user.sub,
      ...(scopes.includes('profile') ? { preferred_username: user.username, name: user.name } : {}),
      ...(scopes.includes('email') ? { email: user.email, email_verified: true } : {}),
    });
  } catch {
    return reply.code(401).header('www-authenticate', 'Bearer error="invalid_token"').send({ error: 'invalid_token' });
  }
});

app.get(`${config.issuerPath ?? ''}/authorize`, async (request, reply) => {
  const q = request.query;
  const session = /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
  if (!clients.has(q.client_id) || q.redirect_uri !== config.redirectUri) return reply.code(400).send({ error: 'invalid_request' });
  if (q.response_type !== 'code' || q.code_challenge_method !== 'S256' || !q.code_challenge)
    return reply.code(400).send({ error: 'invalid_request' });
  if (session !== config.session) return reply.code(401).send({ error: 'login_required' });
  if (q.resource !== undefined && q.resource !== config.api) return reply.code(400).send({ error: 'invalid_target' });
  const code = randomBytes(32).toString('base64url');
  codes.set(code, {
    clientId: q.client_id,
    redirectUri: q.redirect_uri,
    challenge: q.code_challenge,
    scope: q.scope ?? '',
    resource: q.resource ?? null,
    nonce: q.nonce,
    sub: config.user.sub,
    authTime,
    expiresAt: Date.now() + 60_000,
  });
  const location = new URL(q.redirect_uri);
  location.searchParams.set('code', code);
  if (q.state) location.searchParams.set('state', q.state);
  location.searchParams.set('iss', issuer);
  return reply.code(303).header('location', location.href).header('cache-control', 'no-store').send();
});

const jwksJson = JSON.stringify(jwks);
app.get(`${config.issuerPath ?? ''}/jwks`, (_request, reply) => reply.type('application/json').send(jwksJson));
app.get(`${config.issuerPath ?? ''}/.well-known/openid-configuration`, (_request, reply) =>
  reply.type('application/json').send(discoveryJson),
);
app.get('/health', async () => ({ status: 'ok' }));

await app.listen({ port, host: '127.0.0.1' });
const origin = `http://127.0.0.1:${app.server.address().port}`;
issuer = `${origin}${config.issuerPath ?? ''}`;
const discovery = {
  issuer,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
  introspection_endpoint: `${issuer}/introspect`,
  userinfo_endpoint: `${issuer}/userinfo`,
  jwks_uri: `${issuer}/jwks`,
  response_types_supported: ['code'],
  grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
  code_challenge_methods_supported: ['S256'],
  token_endpoint_auth_methods_supported: ['client_secret_basic'],
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['RS256'],
  scopes_supported: ['openid', 'profile', 'email', config.apiScope],
};
discoveryJson = JSON.stringify(discovery);

process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
process.stdout.write(`LISTENING ${issuer}\n`);
