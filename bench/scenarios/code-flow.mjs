// The authorization code flow per second: /authorize with an existing session → code → token.
import { createHttp } from '../lib/http.mjs';
import { interleave, LOAD_COLUMNS, loadRows, loop, withTargets } from '../lib/load.mjs';
import { codeFlow } from '../lib/oauth.mjs';
import { allTargets } from '../lib/targets.mjs';

export const name = 'code-flow';
export const description = 'authorization code flow with an existing session: authorize → code → token (custom loop)';

async function flow(http, t) {
  const tokens = await codeFlow(http, t, t.jar, { scope: 'openid' });
  if (!tokens.access_token || !tokens.id_token)
    throw new Error(`${t.label}: no access or ID token: ${JSON.stringify(tokens).slice(0, 200)}`);
}

export async function run(ctx) {
  const http = createHttp(ctx.connections);
  try {
    return await withTargets(allTargets(ctx), async (targets) => {
      for (const t of targets) {
        t.jar = await t.signIn(http);
        await flow(http, t);
      }
      const results = await interleave(
        ctx,
        targets,
        (t, seconds) => loop({ connections: ctx.connections, seconds, step: () => flow(http, t) }),
        {
          what: 'code flow',
        },
      );
      return {
        title: 'authorization code flow with an existing session (flows/s)',
        columns: LOAD_COLUMNS.map((c) => (c === 'req/s (median)' ? 'flows/s (median)' : c)),
        rows: loadRows(results),
        notes: [
          `${ctx.connections} concurrent chains (a Node keep-alive HTTP client); one operation is a whole flow: ` +
            '`GET {authorize}?response_type=code&scope=openid&code_challenge=…` with the session cookie of one earlier sign-in, ' +
            'answered by a redirect with a code (no page: the client is first-party, or for oidc-provider its grant covers the ' +
            'request), then `POST {token}` with the code, `code_verifier` and client_secret_basic, answered with an ES256 access ' +
            'token and an RS256 ID token. Latencies are per flow (two requests). oidc-provider makes access tokens without a ' +
            'resource opaque (it signs JWT access tokens only for a resource server), so its flow stores one instead of signing it.',
        ],
      };
    });
  } finally {
    http.close();
  }
}
