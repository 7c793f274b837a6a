// POST introspection (RFC 7662) of an access token by the client it was issued to.
import { API, API_SCOPE, basicAuth, FORM } from '../lib/fixture.mjs';
import { cannon, interleave, LOAD_COLUMNS, loadRows, withTargets } from '../lib/load.mjs';
import { allTargets, sample } from '../lib/targets.mjs';

export const name = 'introspection';
export const description = 'introspection endpoint: a JWT access token, by the client it was issued to';

export async function run(ctx) {
  return withTargets(allTargets(ctx), async (targets) => {
    for (const t of targets) {
      t.headers = { authorization: basicAuth(t.service), 'content-type': FORM };
      // oidc-provider keeps no record of its JWT access tokens, so it cannot introspect them
      // (always inactive): it introspects its own opaque one, a lookup in its in-memory store.
      const form =
        t.key === 'peer' ? { grant_type: 'client_credentials' } : { grant_type: 'client_credentials', resource: API, scope: API_SCOPE };
      const { access_token: token } = await sample(t.endpoints.token, {
        method: 'POST',
        headers: t.headers,
        body: new URLSearchParams(form).toString(),
      });
      t.body = new URLSearchParams({ token }).toString();
      await sample(t.endpoints.introspection, { method: 'POST', headers: t.headers, body: t.body }, (b) => b.active === true);
    }
    const results = await interleave(
      ctx,
      targets,
      (t, seconds) =>
        cannon({ url: t.endpoints.introspection, method: 'POST', headers: t.headers, body: t.body, connections: ctx.connections, seconds }),
      { what: 'introspection' },
    );
    return {
      title: 'introspection of an access token',
      columns: LOAD_COLUMNS,
      rows: loadRows(results),
      notes: [
        '`POST {introspection endpoint}` with `token=…` and client_secret_basic, autocannon; every answer checked `active: true` ' +
          'before the load. The limit and Gatehouse introspect an RFC 9068 JWT access token (ES256) issued to the caller by ' +
          'client_credentials with a resource: the limit verifies its signature and claims; Gatehouse also checks the token ' +
          'still stands (not revoked, its client still enabled). oidc-provider does not store its JWT access tokens and answers ' +
          '`active: false` for them, so it introspects its own opaque client_credentials token instead (one in-memory lookup).',
      ],
    };
  });
}
