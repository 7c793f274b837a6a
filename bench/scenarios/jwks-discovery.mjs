// GET jwks and GET discovery metadata: static documents every relying party fetches.
import { cannon, interleave, LOAD_COLUMNS, loadRows, withTargets } from '../lib/load.mjs';
import { allTargets, sample } from '../lib/targets.mjs';

export const name = 'jwks-discovery';
export const description = 'GET jwks and GET .well-known/openid-configuration';

const ENDPOINTS = [
  { key: 'jwks', label: 'jwks', check: (b) => Array.isArray(b.keys) && b.keys.length > 0 },
  { key: 'discovery', label: 'discovery', check: (b) => typeof b.issuer === 'string' },
];

export async function run(ctx) {
  return withTargets(allTargets(ctx), async (targets) => {
    const rows = [];
    for (const endpoint of ENDPOINTS) {
      for (const t of targets) await sample(t.endpoints[endpoint.key], undefined, endpoint.check);
      const results = await interleave(
        ctx,
        targets,
        (t, seconds) => cannon({ url: t.endpoints[endpoint.key], connections: ctx.connections, seconds }),
        { what: endpoint.label },
      );
      rows.push(...loadRows(results, `${endpoint.label}: `));
    }
    return {
      title: 'JWKS and discovery',
      columns: LOAD_COLUMNS,
      rows,
      notes: [
        '`GET {jwks_uri}` and `GET {issuer}/.well-known/openid-configuration`, autocannon. The limit sends both documents ' +
          'as strings serialized at start-up; Gatehouse resolves the tenant from the path and builds them from its caches.',
      ],
    };
  });
}
