// POST token, refresh_token grant with rotation: each connection keeps its own chain, presenting the
// refresh token the previous answer rotated in.
import { API, API_SCOPE } from '../lib/fixture.mjs';
import { createHttp } from '../lib/http.mjs';
import { interleave, LOAD_COLUMNS, loadRows, loop, withTargets } from '../lib/load.mjs';
import { codeFlow, tokenRequest } from '../lib/oauth.mjs';
import { allTargets } from '../lib/targets.mjs';

export const name = 'refresh';
export const description = 'token endpoint: refresh_token with rotation, one chain per connection (custom loop)';

/** A chain starts with a code flow for the API (no openid: a refresh token without offline_access). */
async function newChain(http, t) {
  const tokens = await codeFlow(http, t, t.jar, { scope: API_SCOPE, resource: API });
  if (!tokens.refresh_token) throw new Error(`${t.label}: the code flow issued no refresh token`);
  return { refreshToken: tokens.refresh_token };
}

async function refresh(http, t, chain) {
  const tokens = await tokenRequest(http, t, t.web, { grant_type: 'refresh_token', refresh_token: chain.refreshToken });
  if (!tokens.access_token || !tokens.refresh_token || tokens.refresh_token === chain.refreshToken)
    throw new Error(`${t.label}: refresh without a rotated refresh token: ${JSON.stringify(tokens).slice(0, 200)}`);
  chain.refreshToken = tokens.refresh_token;
}

export async function run(ctx) {
  const http = createHttp(ctx.connections);
  try {
    return await withTargets(allTargets(ctx), async (targets) => {
      for (const t of targets) {
        t.jar = await t.signIn(http);
        await refresh(http, t, await newChain(http, t));
      }
      const results = await interleave(
        ctx,
        targets,
        (t, seconds) =>
          loop({ connections: ctx.connections, seconds, setup: () => newChain(http, t), step: (chain) => refresh(http, t, chain) }),
        { what: 'refresh' },
      );
      return {
        title: 'refresh_token grant with rotation',
        columns: LOAD_COLUMNS,
        rows: loadRows(results),
        notes: [
          `${ctx.connections} chains, each a code flow (\`scope=${API_SCOPE}\`, \`resource=${API}\`, client_secret_basic) and then ` +
            '`grant_type=refresh_token` back to back, each presenting the refresh token the previous answer rotated in ' +
            '(a Node keep-alive HTTP client; one refresh is one operation; an answer without a new refresh token is an error ' +
            'and restarts its chain). Every answer carries an ES256 RFC 9068 access token for the API and a new refresh token. ' +
            'The limit keeps refresh tokens in a Map; oidc-provider in its in-memory adapter; Gatehouse in PostgreSQL (a ' +
            'conditional UPDATE spends the old one, reuse revokes the family), with its audit event, in one transaction.',
        ],
      };
    });
  } finally {
    http.close();
  }
}
