import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { decodeJwt, generateKeyPair } from 'jose';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { bootstrapPlatform, createAdminApp } from '../../src/index.js';
import { startAuthorizationServer, uniqueSlug, type RunningAuthorizationServer } from '../../../../test/support/index.js';
import { handmadeProof, proofKey, type ProofKey } from '../../../authorization/test/dpop/dpop.fixture.js';

/** The admin API's public URL as a proxy would publish it; a proof's htu names it (RFC 9449 §4.3). */
const ADMIN_PUBLIC_URL = 'https://admin.example.test';
const TENANTS = '/admin/v1/tenants';

/** DPoP-bound admin tokens (RFC 9449) at the admin API, with ADMIN_PUBLIC_URL set: accepted with a proof, refused without. */
describe('admin API: DPoP-bound admin tokens', () => {
  let server: RunningAuthorizationServer;
  let app: NestFastifyApplication;
  let origin: string;
  let key: ProofKey;
  let bound: string;
  let plain: string;
  const tenant = uniqueSlug('adpop');

  before(async () => {
    server = await startAuthorizationServer();
    const { admin, config, infrastructure } = server;
    await bootstrapPlatform(config, infrastructure.persistence, admin.tenants, admin.users);
    await admin.tenants.create(tenant, 'DPoP admin');
    app = await createAdminApp(
      { ...config, adminPublicUrl: ADMIN_PUBLIC_URL },
      infrastructure,
      new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined }),
    );
    origin = await listen(app, '127.0.0.1', 0);
    key = await proofKey();
    bound = (await admin.adminTokens.mint({ dpopJkt: key.jkt })).accessToken;
    plain = (await admin.adminTokens.mint({})).accessToken;
  });
  after(async () => {
    await app?.close();
    await server?.close();
  });

  const ath = (token: string) => createHash('sha256').update(token).digest('base64url');
  const get = (headers: Record<string, string>, path = TENANTS) => fetch(`${origin}${path}`, { headers });
  const proofFor = (token: string, overrides: Partial<Parameters<typeof handmadeProof>[1]> = {}) =>
    handmadeProof(key, { htm: 'GET', htu: `${ADMIN_PUBLIC_URL}${TENANTS}`, ath: ath(token), ...overrides });

  async function challengeOf(response: Response): Promise<string> {
    await response.body?.cancel();
    return response.headers.get('www-authenticate') ?? '';
  }

  it('the minted token carries cnf.jkt, and with a matching proof it lists tenants', async () => {
    assert.deepEqual(decodeJwt(bound)['cnf'], { jkt: key.jkt });
    const response = await get({ authorization: `DPoP ${bound}`, dpop: await proofFor(bound) });
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as { items?: { slug: string }[] } | { slug: string }[];
    const items = Array.isArray(body) ? body : (body.items ?? []);
    assert.ok(items.some((item) => item.slug === tenant));
  });

  it('a bound token sent as Bearer is refused (RFC 9449 §7.2)', async () => {
    const response = await get({ authorization: `Bearer ${bound}` });
    assert.equal(response.status, 401);
    assert.match(await challengeOf(response), /invalid_token/);
  });

  it('the DPoP scheme without a proof, or with a proof for another URL, method, key or token, is refused', async () => {
    const other = await proofKey();
    const { privateKey: stranger } = await generateKeyPair('ES256');
    const cases: [string, Record<string, string>][] = [
      ['no proof', { authorization: `DPoP ${bound}` }],
      ['another htu', { authorization: `DPoP ${bound}`, dpop: await proofFor(bound, { htu: `${origin}${TENANTS}` }) }],
      ['another method', { authorization: `DPoP ${bound}`, dpop: await proofFor(bound, { htm: 'POST' }) }],
      [
        'another key',
        {
          authorization: `DPoP ${bound}`,
          dpop: await handmadeProof(other, { htm: 'GET', htu: `${ADMIN_PUBLIC_URL}${TENANTS}`, ath: ath(bound) }),
        },
      ],
      [
        'a signature by a key other than the header jwk',
        { authorization: `DPoP ${bound}`, dpop: await proofFor(bound, { signWith: stranger }) },
      ],
      ['no ath', { authorization: `DPoP ${bound}`, dpop: await proofFor(bound, { ath: undefined }) }],
      ['the ath of another token', { authorization: `DPoP ${bound}`, dpop: await proofFor(bound, { ath: ath(plain) }) }],
      ['an old proof', { authorization: `DPoP ${bound}`, dpop: await proofFor(bound, { iat: Math.floor(Date.now() / 1000) - 3600 }) }],
    ];
    for (const [what, headers] of cases) {
      const response = await get(headers);
      assert.equal(response.status, 401, what);
      assert.match(await challengeOf(response), /^DPoP .*error="invalid_(dpop_proof|token)"/, what);
    }
  });

  it('a proof is used once: the same proof again is refused', async () => {
    const proof = await proofFor(bound);
    const first = await get({ authorization: `DPoP ${bound}`, dpop: proof });
    assert.equal(first.status, 200);
    await first.body?.cancel();
    const replayed = await get({ authorization: `DPoP ${bound}`, dpop: proof });
    assert.equal(replayed.status, 401);
    assert.match(await challengeOf(replayed), /invalid_dpop_proof/);
  });

  it('an unbound admin token still works as Bearer beside them', async () => {
    const response = await get({ authorization: `Bearer ${plain}` });
    assert.equal(response.status, 200);
    await response.body?.cancel();
  });

  it('minting refuses a malformed thumbprint', async () => {
    await assert.rejects(server.admin.adminTokens.mint({ dpopJkt: 'not-a-thumbprint' }), /RFC 7638/);
  });
});
