// GET userinfo with the bearer access token of a code flow (scope openid profile email).
import { interleave, cannon, LOAD_COLUMNS, loadRows, withTargets } from '../lib/load.mjs';
import { createHttp } from '../lib/http.mjs';
import { codeFlow } from '../lib/oauth.mjs';
import { allTargets, sample } from '../lib/targets.mjs';

export const name = 'userinfo';
export const description = 'userinfo endpoint: GET with the bearer access token of a code flow (openid profile email)';

export async function run(ctx) {
  const http = createHttp(4);
  try {
    return await withTargets(allTargets(ctx), async (targets) => {
      for (const t of targets) {
        const jar = await t.signIn(http);
        const { access_token: token } = await codeFlow(http, t, jar, { scope: 'openid profile email' });
        t.headers = { authorization: `Bearer ${token}` };
        await sample(t.endpoints.userinfo, { headers: t.headers }, (b) => typeof b.sub === 'string' && typeof b.email === 'string');
      }
      const results = await interleave(
        ctx,
        targets,
        (t, seconds) => cannon({ url: t.endpoints.userinfo, headers: t.headers, connections: ctx.connections, seconds }),
        { what: 'userinfo' },
      );
      return {
        title: 'userinfo with a bearer access token',
        columns: LOAD_COLUMNS,
        rows: loadRows(results),
        notes: [
          '`GET {userinfo endpoint}` with `Authorization: Bearer …`, autocannon; the token comes from one code flow with ' +
            '`scope=openid profile email` after signing in. The limit verifies the JWT (ES256) and answers the claims from memory; ' +
            "oidc-provider's token is opaque (its userinfo tokens have no audience, so are not JWTs): a lookup in its in-memory " +
            "store and its account's claims; Gatehouse verifies the JWT, checks the token still stands (grant, session, user) " +
            'and reads the user.',
        ],
      };
    });
  } finally {
    http.close();
  }
}
