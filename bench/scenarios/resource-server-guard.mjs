// The resource-server package's cost per request against a bare jose.jwtVerify (issue 16): in process,
// no HTTP, so the comparison is the validation alone.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';

export const name = 'resource-server-guard';
export const description = 'ResourceServer.authenticate (remote JWKS, cached) against a bare jose.jwtVerify with a local key, ES256';

const ISSUER = 'https://id.bench.test/t/bench';
const AUDIENCE = 'https://orders.bench.test';

/** Runs `once` back to back for `ms` milliseconds, 64 in flight; returns operations per second. */
async function rate(once, ms) {
  let done = 0;
  const until = performance.now() + ms;
  const lane = async () => {
    while (performance.now() < until) {
      await once();
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: 64 }, lane));
  return (done * 1000) / (performance.now() - started);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run(ctx) {
  const { ResourceServer } = await import(pathToFileURL(join(ctx.root, 'dist/libs/resource-server/src/index.js')).href);
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const jwks = createServer((_request, response) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
  );
  await new Promise((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  try {
    const server = new ResourceServer({
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: new URL(`http://127.0.0.1:${jwks.address().port}/jwks`),
    });
    const token = await new SignJWT({ client_id: 'bench', scope: 'orders:read' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('bench')
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime('1h')
      .sign(privateKey);
    const presented = { authorization: `Bearer ${token}`, method: 'GET', path: '/orders' };
    const guard = () => server.authenticate(presented, ['orders:read']);
    const bare = () => jwtVerify(token, publicKey, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'] });
    await guard(); // the JWKS is fetched once, then cached
    // Short alternating pairs, the ratio taken within each pair: load from elsewhere shifts both sides of a pair alike.
    const pairs = Math.max(ctx.rounds, 5) * 3;
    const rounds = { bare: [], guard: [], ratio: [] };
    for (let pair = 1; pair <= pairs; pair++) {
      const order =
        pair % 2
          ? [
              ['bare', bare],
              ['guard', guard],
            ]
          : [
              ['guard', guard],
              ['bare', bare],
            ];
      for (const [key, once] of order) rounds[key].push(await rate(once, 1000));
      rounds.ratio.push(rounds.bare.at(-1) / rounds.guard.at(-1));
      ctx.log(`pair ${pair}/${pairs}: bare ${Math.round(rounds.bare.at(-1))}/s, guard ${Math.round(rounds.guard.at(-1))}/s`);
    }
    const bareRate = median(rounds.bare);
    const guardRate = median(rounds.guard);
    const cost = median(rounds.ratio);
    return {
      title: 'the resource-server guard against a bare jose.jwtVerify',
      columns: ['what', 'validations/s (median)', 'µs each', 'cost × bare'],
      rows: [
        ['jose.jwtVerify, local key', Math.round(bareRate), (1e6 / bareRate).toFixed(1), '1.00'],
        [
          'ResourceServer.authenticate (cached remote JWKS, typ, scope check)',
          Math.round(guardRate),
          (1e6 / guardRate).toFixed(1),
          cost.toFixed(2),
        ],
      ],
      notes: [
        `Issue 16's target: at most 1.15× a bare jose.jwtVerify. ${cost <= 1.15 ? 'Met' : 'Not met'} in this run (${cost.toFixed(2)}×, the median of ${pairs} ` +
          "one-second pairs, each pair's ratio taken on its own). One ES256 token validated over and over, 64 in flight, in one process; the guard parses " +
          'the Authorization header, resolves the key from the cached remote JWKS by kid, checks typ, issuer, audience, algorithm, required claims and the scope.',
      ],
    };
  } finally {
    jwks.close();
  }
}
