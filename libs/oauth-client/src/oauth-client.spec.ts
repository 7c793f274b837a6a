import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { DiscoveryCache } from './discovery.js';
import { DpopKey } from './dpop.js';
import { OAuthClientError } from './errors.js';
import { OAuthClient } from './oauth-client.js';
import { createPkcePair, s256 } from './pkce.js';

/** A scripted authorization server on loopback: each test sets what the token endpoint answers. */
describe('OAuthClient against a scripted server', () => {
  let server: Server;
  let issuer: string;
  let metadataRequests = 0;
  const seen: { url: string; headers: IncomingMessage['headers']; body: URLSearchParams }[] = [];
  let answer: (
    body: URLSearchParams,
    headers: IncomingMessage['headers'],
  ) => { status: number; body: unknown; headers?: Record<string, string> } = () => ({ status: 500, body: {} });
  let metadataExtra: Record<string, unknown> = {};

  before(async () => {
    server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      request.on('end', () => {
        if (request.url?.endsWith('/.well-known/openid-configuration')) {
          metadataRequests += 1;
          response.setHeader('content-type', 'application/json');
          response.end(
            JSON.stringify({
              issuer,
              authorization_endpoint: `${issuer}/authorize`,
              token_endpoint: `${issuer}/token`,
              pushed_authorization_request_endpoint: `${issuer}/par`,
              authorization_response_iss_parameter_supported: true,
              ...metadataExtra,
            }),
          );
          return;
        }
        const body = new URLSearchParams(raw);
        seen.push({ url: request.url ?? '', headers: request.headers, body });
        const reply = answer(body, request.headers);
        response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        response.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/t/acme`;
  });
  after(() => server.close());

  const client = (options: Partial<ConstructorParameters<typeof OAuthClient>[0]> = {}) =>
    new OAuthClient({
      issuer,
      clientId: 'shop',
      authentication: { method: 'client_secret_basic', clientSecret: 's3cret: +/' },
      redirectUri: 'https://shop.example.test/cb',
      ...options,
    });

  it('builds an authorization URL with S256 PKCE, state and nonce; the verifier matches the challenge', async () => {
    const pending = await client().authorizationUrl({ scope: 'openid orders:read', resource: 'https://api.example.test' });
    const url = new URL(pending.url);
    assert.equal(url.origin + url.pathname, `${issuer}/authorize`);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('code_challenge'), s256(pending.codeVerifier));
    assert.equal(url.searchParams.get('state'), pending.state);
    assert.equal(url.searchParams.get('nonce'), pending.nonce);
    assert.equal(url.searchParams.get('resource'), 'https://api.example.test');
  });

  it('pushes the request when the server requires PAR, authenticating with the form-encoded Basic credentials', async () => {
    metadataExtra = { require_pushed_authorization_requests: true };
    answer = () => ({ status: 201, body: { request_uri: 'urn:ietf:params:oauth:request_uri:abc', expires_in: 60 } });
    const pending = await client({ discovery: new DiscoveryCache() }).authorizationUrl({ scope: 'openid' });
    metadataExtra = {};
    const url = new URL(pending.url);
    assert.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request_uri']);
    const pushed = seen.at(-1);
    assert.equal(pushed?.url, '/t/acme/par');
    assert.equal(pushed?.body.get('code_challenge'), s256(pending.codeVerifier));
    // RFC 6749 §2.3.1: "s3cret: +/" form-encoded is "s3cret%3A+%2B%2F".
    assert.equal(pushed?.headers.authorization, `Basic ${Buffer.from('shop:s3cret%3A+%2B%2F').toString('base64')}`);
  });

  it('refuses a callback with another state, another iss or no iss, before exchanging anything', async () => {
    const c = client();
    const pending = await c.authorizationUrl({ scope: 'orders:read' });
    const before = seen.length;
    const cb = (query: Record<string, string>) => `https://shop.example.test/cb?${new URLSearchParams(query).toString()}`;
    await assert.rejects(c.handleCallback(cb({ code: 'c', state: 'forged', iss: issuer }), pending), { error: 'state_mismatch' });
    await assert.rejects(c.handleCallback(cb({ code: 'c', state: pending.state, iss: 'https://evil.example' }), pending), {
      error: 'issuer_mismatch',
    });
    await assert.rejects(c.handleCallback(cb({ code: 'c', state: pending.state }), pending), { error: 'issuer_mismatch' });
    await assert.rejects(c.handleCallback(cb({ error: 'access_denied', state: pending.state, iss: issuer }), pending), {
      error: 'access_denied',
    });
    assert.equal(seen.length, before, 'no token request was made');
  });

  it('exchanges the code with the verifier and returns the token set; a server error is thrown with its code', async () => {
    const c = client();
    const pending = await c.authorizationUrl({ scope: 'orders:read' });
    answer = () => ({ status: 200, body: { access_token: 'at', token_type: 'Bearer', expires_in: 60, refresh_token: 'rt1' } });
    const tokens = await c.handleCallback(
      `https://shop.example.test/cb?code=abc&state=${pending.state}&iss=${encodeURIComponent(issuer)}`,
      pending,
    );
    assert.equal(tokens.accessToken, 'at');
    assert.equal(tokens.refreshToken, 'rt1');
    const exchanged = seen.at(-1)?.body;
    assert.equal(exchanged?.get('code_verifier'), pending.codeVerifier);
    assert.equal(exchanged?.get('redirect_uri'), 'https://shop.example.test/cb');
    answer = () => ({ status: 400, body: { error: 'invalid_grant', error_description: 'The grant is invalid' } });
    await assert.rejects(
      c.refresh('rt1'),
      (error: unknown) => error instanceof OAuthClientError && error.error === 'invalid_grant' && error.status === 400,
    );
  });

  it('DPoP: proofs name the method and URL without query, and a use_dpop_nonce answer is retried once with the nonce', async () => {
    const key = await DpopKey.generate();
    const c = client({ dpop: key });
    let calls = 0;
    answer = (_body, headers) => {
      calls += 1;
      const proof = decodeJwt(String(headers['dpop']));
      if (proof['nonce'] !== 'n-1') return { status: 400, body: { error: 'use_dpop_nonce' }, headers: { 'dpop-nonce': 'n-1' } };
      return { status: 200, body: { access_token: 'bound', token_type: 'DPoP' } };
    };
    const tokens = await c.clientCredentials({ scope: 'orders:read' });
    assert.equal(tokens.tokenType, 'DPoP');
    assert.equal(calls, 2);
    const proof = String(seen.at(-1)?.headers['dpop']);
    assert.deepEqual(decodeProtectedHeader(proof).jwk, key.publicJwk);
    assert.equal(decodeProtectedHeader(proof).typ, 'dpop+jwt');
    assert.deepEqual({ htm: decodeJwt(proof)['htm'], htu: decodeJwt(proof)['htu'] }, { htm: 'POST', htu: `${issuer}/token` });
    answer = () => ({ status: 400, body: { error: 'use_dpop_nonce' }, headers: { 'dpop-nonce': 'n-1' } });
    calls = 0;
    await assert.rejects(c.clientCredentials(), { error: 'use_dpop_nonce' });
    answer = () => ({ status: 200, body: { access_token: 'x', token_type: 'DPoP' } });
  });

  it('discovery is cached per issuer and refuses a document naming another issuer', async () => {
    const cache = new DiscoveryCache();
    const before = metadataRequests;
    await Promise.all([cache.get(issuer), cache.get(issuer), cache.get(issuer)]);
    assert.equal(metadataRequests - before, 1);
    await assert.rejects(cache.get(`${issuer}/`), { error: 'issuer_mismatch' });
  });

  it('PKCE pairs are unique 43-character verifiers', () => {
    const a = createPkcePair();
    assert.equal(a.codeVerifier.length, 43);
    assert.notEqual(a.codeVerifier, createPkcePair().codeVerifier);
  });
});
