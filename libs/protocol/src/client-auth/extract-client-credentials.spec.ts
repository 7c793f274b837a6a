import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnsecuredJWT } from 'jose';
import { InvalidClient, InvalidRequest } from '../errors/rfc6749.errors.js';
import { extractClientCredentials } from './extract-client-credentials.js';
import { JWT_BEARER_ASSERTION_TYPE } from './presented-client-auth.js';

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
const rawBasic = (decoded: string): string => `Basic ${Buffer.from(decoded, 'utf8').toString('base64')}`;
/** Shape only: extraction decodes without verifying, so an unsigned JWT is enough here. */
const assertion = (claims: Record<string, unknown>): string => new UnsecuredJWT(claims).encode();

function throwsInvalidClient(fn: () => unknown, basicChallenge = false): void {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof InvalidClient, String(error));
    assert.equal(error.status, 401);
    assert.equal(error.wwwAuthenticate !== undefined, basicChallenge);
    return true;
  });
}

function throwsInvalidRequest(fn: () => unknown): void {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof InvalidRequest, String(error));
    assert.equal(error.status, 400);
    return true;
  });
}

describe('client_secret_basic (RFC 6749 §2.3.1)', () => {
  it('decodes the user-id and password', () => {
    assert.deepEqual(extractClientCredentials({ authorization: basic('web-app', 's3cret'), body: {} }), {
      method: 'client_secret_basic',
      clientId: 'web-app',
      clientSecret: 's3cret',
    });
  });
  it('form-decodes each part: + is a space, %XX an octet, %3A a colon', () => {
    const presented = extractClientCredentials({ authorization: rawBasic('my+client%2Fid:a+b%3Ac%25d%C3%A9'), body: {} });
    assert.deepEqual(presented, { method: 'client_secret_basic', clientId: 'my client/id', clientSecret: 'a b:c%dé' });
  });
  it('splits on the first colon only', () => {
    const presented = extractClientCredentials({ authorization: rawBasic('client:pa:ss:word'), body: {} });
    assert.deepEqual(presented, { method: 'client_secret_basic', clientId: 'client', clientSecret: 'pa:ss:word' });
  });
  it('accepts the scheme in any case and a body client_id that agrees', () => {
    const presented = extractClientCredentials({ authorization: basic('c1', 'x').replace('Basic', 'bAsIc'), body: { client_id: 'c1' } });
    assert.equal(presented.method, 'client_secret_basic');
  });
  it('refuses malformed credentials with a Basic challenge', () => {
    for (const authorization of ['Basic', 'Basic !!!', rawBasic('no-colon'), rawBasic(':secret'), rawBasic('client:'), rawBasic('c:%zz')]) {
      throwsInvalidClient(() => extractClientCredentials({ authorization, body: {} }), true);
    }
    const invalidUtf8 = `Basic ${Buffer.from([0x63, 0x3a, 0xff]).toString('base64')}`;
    throwsInvalidClient(() => extractClientCredentials({ authorization: invalidUtf8, body: {} }), true);
  });
  it('refuses a body client_id that differs from the Basic user-id', () => {
    throwsInvalidClient(() => extractClientCredentials({ authorization: basic('c1', 'x'), body: { client_id: 'c2' } }), true);
  });
  it('ignores other authorization schemes', () => {
    assert.deepEqual(extractClientCredentials({ authorization: 'Bearer abc', body: { client_id: 'c1' } }), {
      method: 'none',
      clientId: 'c1',
    });
  });
});

describe('body credentials', () => {
  it('reads client_secret_post', () => {
    assert.deepEqual(extractClientCredentials({ body: { client_id: 'c1', client_secret: 'x' } }), {
      method: 'client_secret_post',
      clientId: 'c1',
      clientSecret: 'x',
    });
  });
  it('reads a lone client_id as a public client, and treats empty values as omitted (RFC 6749 §3.1)', () => {
    assert.deepEqual(extractClientCredentials({ body: { client_id: 'c1', client_secret: '' } }), { method: 'none', clientId: 'c1' });
  });
  it('refuses a request with no credentials and no client_id', () => {
    throwsInvalidClient(() => extractClientCredentials({ body: {} }));
    throwsInvalidClient(() => extractClientCredentials({ authorization: undefined, body: { client_id: '' } }));
    throwsInvalidClient(() => extractClientCredentials({ body: { client_secret: 'x' } }));
  });
});

describe('private_key_jwt (RFC 7523 §2.2)', () => {
  const jwt = assertion({ iss: 'c1', sub: 'c1', aud: 'https://id.example.com/t/acme' });
  const type = JWT_BEARER_ASSERTION_TYPE;

  it('takes the client id from iss/sub', () => {
    assert.deepEqual(extractClientCredentials({ body: { client_assertion: jwt, client_assertion_type: type } }), {
      method: 'private_key_jwt',
      clientId: 'c1',
      assertion: jwt,
    });
    assert.equal(
      extractClientCredentials({ body: { client_id: 'c1', client_assertion: jwt, client_assertion_type: type } }).clientId,
      'c1',
    );
  });
  it('refuses a wrong or missing client_assertion_type', () => {
    throwsInvalidClient(() => extractClientCredentials({ body: { client_assertion: jwt } }));
    throwsInvalidClient(() =>
      extractClientCredentials({
        body: { client_assertion: jwt, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' },
      }),
    );
  });
  it('refuses iss≠sub, a body client_id that differs, and something that is not a JWT', () => {
    throwsInvalidClient(() =>
      extractClientCredentials({ body: { client_assertion: assertion({ iss: 'c1', sub: 'c2' }), client_assertion_type: type } }),
    );
    throwsInvalidClient(() =>
      extractClientCredentials({ body: { client_assertion: assertion({ sub: 'c1' }), client_assertion_type: type } }),
    );
    throwsInvalidClient(() => extractClientCredentials({ body: { client_id: 'c2', client_assertion: jwt, client_assertion_type: type } }));
    throwsInvalidClient(() => extractClientCredentials({ body: { client_assertion: 'not.a.jwt', client_assertion_type: type } }));
  });
});

describe('more than one method (RFC 6749 §2.3)', () => {
  const jwt = assertion({ iss: 'c1', sub: 'c1' });
  it('is invalid_request', () => {
    throwsInvalidRequest(() =>
      extractClientCredentials({ authorization: basic('c1', 'x'), body: { client_id: 'c1', client_secret: 'x' } }),
    );
    throwsInvalidRequest(() =>
      extractClientCredentials({
        body: { client_id: 'c1', client_secret: 'x', client_assertion: jwt, client_assertion_type: JWT_BEARER_ASSERTION_TYPE },
      }),
    );
    throwsInvalidRequest(() =>
      extractClientCredentials({
        authorization: basic('c1', 'x'),
        body: { client_assertion: jwt, client_assertion_type: JWT_BEARER_ASSERTION_TYPE },
      }),
    );
  });
  it('includes a stray client_assertion_type', () => {
    throwsInvalidRequest(() => extractClientCredentials({ body: { client_id: 'c1', client_assertion_type: JWT_BEARER_ASSERTION_TYPE } }));
  });
});
