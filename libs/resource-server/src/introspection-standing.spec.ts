import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ValidatedClaims } from './access-token-validator.js';
import { introspectionStanding } from './introspection-standing.js';

describe('introspectionStanding', () => {
  let server: Server;
  let endpoint: string;
  const active = new Set<string>();
  const seen: { authorization?: string; body: string }[] = [];
  before(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ authorization: request.headers.authorization, body });
        const token = new URLSearchParams(body).get('token') ?? '';
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ active: active.has(token) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/introspect`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const claims = (exp: number): ValidatedClaims => ({ sub: 's', jti: 'j', exp });

  it('authenticates with client_secret_basic, caches active answers up to the token exp, never inactive ones', async () => {
    let now = 1_000_000;
    const standing = introspectionStanding({ endpoint, clientId: 'rs client', clientSecret: 's:e', cacheSeconds: 30, now: () => now });
    active.add('good');
    seen.length = 0;
    const exp = now / 1000 + 10;
    assert.ok(await standing(claims(exp), 'good'));
    assert.ok(await standing(claims(exp), 'good'));
    assert.equal(seen.length, 1, 'the second answer came from the cache');
    assert.equal(seen[0]?.authorization, `Basic ${Buffer.from('rs+client:s%3Ae').toString('base64')}`);
    assert.match(seen[0]?.body ?? '', /token_type_hint=access_token/);
    now += 10_000;
    assert.ok(await standing(claims(exp + 100), 'good'));
    assert.equal(seen.length, 2, 'past the token exp the cache is not used');

    assert.equal(await standing(claims(exp), 'bad'), null);
    assert.equal(await standing(claims(exp), 'bad'), null);
    assert.equal(seen.length, 4, 'a negative answer is asked again');
  });

  it('fails closed when the issuer cannot be reached', async () => {
    const standing = introspectionStanding({ endpoint: 'http://127.0.0.1:9/introspect', clientId: 'c', clientSecret: 's' });
    assert.equal(await standing(claims(Date.now() / 1000 + 60), 'good'), null);
  });
});
