// The peer: oidc-provider 9 with its in-memory adapter, configured as Gatehouse is: client_secret_basic
// clients; client_credentials with resource indicators (RFC 8707) giving RFC 9068 JWT access tokens
// signed ES256; the code flow with PKCE S256 and RS256 ID tokens; introspection; userinfo; refresh
// tokens rotated on every use. Configured by BENCH_PEER_CONFIG (JSON: clients [{ id, secret }], api,
// apiScope, redirectUri, user { sub, username, name, email }); prints "LISTENING <issuer>".
//
// Signing in: /interaction/{uid} signs the benchmark's user in at once (the custom interaction the
// library expects an application to provide), and every client is treated as first-party: the grant
// covers what it asks (the library's documented loadExistingGrant recipe), so there is no consent page.
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { errors } from 'oidc-provider';

const config = JSON.parse(process.env.BENCH_PEER_CONFIG ?? '{}');
const port = Number(process.env.PORT ?? 0);

async function privateJwk(alg) {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), alg, use: 'sig', kid: `peer-${alg.toLowerCase()}` };
}

const server = createServer();
await new Promise((resolveListen) => server.listen(port, '127.0.0.1', resolveListen));
const issuer = `http://127.0.0.1:${server.address().port}`;
const { user } = config;

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    client_id: client.id,
    client_secret: client.secret,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
    redirect_uris: [config.redirectUri],
  })),
  // RS256 first: ID tokens use the default alg; the resource server's tokens pick ES256.
  jwks: { keys: [await privateJwk('RS256'), await privateJwk('ES256')] },
  cookies: { keys: ['peer-benchmark-cookie-key-0123456789'] },
  findAccount: (_ctx, sub) =>
    sub === user.sub
      ? {
          accountId: sub,
          claims: () => ({ sub, preferred_username: user.username, name: user.name, email: user.email, email_verified: true }),
        }
      : undefined,
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
  scopes: ['openid', 'offline_access', 'profile', 'email'],
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: {
      enabled: true,
      // As Gatehouse: a token is active only to the client it was issued to.
      allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => {
        if (resource !== config.api) throw new errors.InvalidTarget();
        return {
          scope: config.apiScope,
          audience: config.api,
          accessTokenTTL: 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        };
      },
    },
  },
  ttl: {
    AccessToken: 3600,
    ClientCredentials: 3600,
    AuthorizationCode: 60,
    IdToken: 3600,
    Grant: 14 * 86400,
    Interaction: 600,
    Session: 14 * 86400,
    RefreshToken: 14 * 86400,
  },
  // Gatehouse's rule: a refresh token to a client with the grant, for offline_access or without openid.
  issueRefreshToken: (_ctx, client, code) =>
    client.grantTypeAllowed('refresh_token') && (!code.scopes.has('openid') || code.scopes.has('offline_access')),
  rotateRefreshToken: true,
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email offline_access');
    grant.addResourceScope(config.api, config.apiScope);
    await grant.save();
    return grant;
  },
  renderError: (ctx, out) => {
    ctx.type = 'json';
    ctx.body = out;
  },
});

const callback = provider.callback();
server.on('request', (request, response) => {
  if (request.url.startsWith('/interaction/')) {
    provider
      .interactionFinished(request, response, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false })
      .catch((error) => {
        response.statusCode = 500;
        response.end(String(error));
      });
    return;
  }
  callback(request, response);
});

process.once('SIGTERM', () => server.close(() => process.exit(0)));
process.stdout.write(`LISTENING ${issuer}\n`);
