// The two baselines as processes: the limit (bench/baselines/limit-server.mjs) and the peer
// (bench/baselines/peer-oidc-provider.mjs), given the same clients, API and user as Gatehouse.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { API, API_SCOPE, REDIRECT_URI, USER } from './fixture.mjs';
import { CookieJar } from './http.mjs';
import { browse, authorizeUrl, pkce } from './oauth.mjs';
import { onInterrupt, spawnNode, stopProcess, waitForLine } from './processes.mjs';

const secret = () => randomBytes(32).toString('base64url');

function baseConfig() {
  return {
    clients: [
      { id: 'bench-service', secret: secret() },
      { id: 'bench-web', secret: secret() },
    ],
    api: API,
    apiScope: API_SCOPE,
    redirectUri: REDIRECT_URI,
    user: { sub: 'bench-user-1', username: USER.username, email: USER.email },
  };
}

function target(key, label, proc, issuer, config, endpoints, signIn) {
  const [service, web] = config.clients;
  const unregister = onInterrupt(() => stopProcess(proc));
  const stop = () => (unregister(), stopProcess(proc));
  return { key, label, issuer, endpoints, service, web, servingPid: proc.pid, processes: [proc], signIn, stop };
}

/** Spawns a baseline server and waits for its "LISTENING <issuer>" line. */
async function spawnBaseline(name, file, env) {
  const proc = spawnNode(name, file, { NODE_ENV: 'production', ...env });
  try {
    return { proc, issuer: await waitForLine(proc, /LISTENING (\S+)/) };
  } catch (error) {
    await stopProcess(proc);
    throw error;
  }
}

export async function startLimit(ctx) {
  const config = { ...baseConfig(), session: secret() };
  const { proc, issuer } = await spawnBaseline('limit', join(ctx.root, 'bench/baselines/limit-server.mjs'), {
    BENCH_LIMIT_CONFIG: JSON.stringify(config),
  });
  const endpoints = {
    token: `${issuer}/token`,
    introspection: `${issuer}/introspect`,
    userinfo: `${issuer}/userinfo`,
    jwks: `${issuer}/jwks`,
    discovery: `${issuer}/.well-known/openid-configuration`,
    authorize: `${issuer}/authorize`,
  };
  // The limit's one session exists from the start: its cookie is all a browser needs.
  const signIn = async () => {
    const jar = new CookieJar();
    jar.set('sid', config.session);
    return jar;
  };
  return target('limit', 'limit (Fastify + jose)', proc, issuer, config, endpoints, signIn);
}

export async function startPeer(ctx) {
  const config = baseConfig();
  const { proc, issuer } = await spawnBaseline('oidc-provider', join(ctx.root, 'bench/baselines/peer-oidc-provider.mjs'), {
    BENCH_PEER_CONFIG: JSON.stringify(config),
  });
  const endpoints = {
    token: `${issuer}/token`,
    introspection: `${issuer}/token/introspection`,
    userinfo: `${issuer}/me`,
    jwks: `${issuer}/jwks`,
    discovery: `${issuer}/.well-known/openid-configuration`,
    authorize: `${issuer}/auth`,
  };
  const t = target('peer', 'oidc-provider 9.13.3', proc, issuer, config, endpoints, undefined);
  t.signIn = (http) => signInThroughPages(http, t);
  return t;
}

/** Signs the user in once through the target's own pages; the jar then holds the session. */
export async function signInThroughPages(http, t) {
  const jar = new CookieJar();
  const { challenge } = pkce();
  await browse(http, authorizeUrl(t, t.web, { scope: 'openid', challenge, state: 'sign-in' }), jar);
  return jar;
}
