// POST token, client_credentials with client_secret_basic and a resource (RFC 8707): one RFC 9068
// JWT access token signed ES256 per request.
import { API, API_SCOPE, basicAuth, CLIENT_CREDENTIALS_BODY as BODY, FORM } from '../lib/fixture.mjs';
import { cannon, interleave, LOAD_COLUMNS, loadRows, withTargets } from '../lib/load.mjs';
import { allTargets, sample } from '../lib/targets.mjs';

export const name = 'client-credentials';
export const description = 'token endpoint: client_credentials, client_secret_basic, resource + scope (ES256 JWT access token)';

export async function run(ctx) {
  return withTargets(allTargets(ctx), async (targets) => {
    for (const t of targets) {
      t.headers = { authorization: basicAuth(t.service), 'content-type': FORM };
      await sample(t.endpoints.token, { method: 'POST', headers: t.headers, body: BODY }, (b) => typeof b.access_token === 'string');
    }
    const results = await interleave(
      ctx,
      targets,
      (t, seconds) =>
        cannon({ url: t.endpoints.token, method: 'POST', headers: t.headers, body: BODY, connections: ctx.connections, seconds }),
      { what: 'client_credentials' },
    );
    return {
      title: 'client_credentials with client_secret_basic and resource',
      columns: LOAD_COLUMNS,
      rows: loadRows(results),
      notes: [
        `\`POST {token endpoint}\` with \`grant_type=client_credentials&resource=${API}&scope=${API_SCOPE}\`, autocannon. ` +
          'Each target issues an RFC 9068 access token (`typ: at+jwt`, audience the API) signed ES256. Gatehouse also ' +
          'checks the per-client rate limit (raised for the benchmark tenant) and writes the `token.issued` audit event ' +
          "durably before answering; its worker runs beside it, as deployed. RSS is the serving process's.",
      ],
    };
  });
}
