import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidToken } from './bearer.errors.js';
import { LoginRequired } from './oidc.errors.js';
import { authorizationErrorRedirect, toErrorResponse, toServerError } from './error-response.js';
import { AccessDenied, InvalidClient, InvalidGrant, InvalidRequest, ServerError } from './rfc6749.errors.js';

const ISS = 'https://id.example.com/t/acme';

describe('toErrorResponse', () => {
  it('sends the code and description, no-store, and never the internal cause', () => {
    const response = toErrorResponse(new InvalidGrant({ cause: 'pkce verifier mismatch for code abc' }));
    assert.equal(response.status, 400);
    assert.deepEqual(response.headers, { 'cache-control': 'no-store' });
    assert.deepEqual(response.body, {
      error: 'invalid_grant',
      error_description: 'The grant is invalid, expired, revoked or was issued to another client',
    });
    assert.doesNotMatch(JSON.stringify(response), /pkce|abc/);
  });
  it('appends the hint and sanitizes the result', () => {
    const response = toErrorResponse(new InvalidRequest({ hint: 'parameter "scope" is repeated\n\u00e9' }));
    assert.equal(response.body.error_description, 'The request is missing a parameter or is malformed: parameter scope is repeated');
  });
  it('adds WWW-Authenticate when the error carries one', () => {
    assert.deepEqual(toErrorResponse(new InvalidClient({ basic: true })), {
      status: 401,
      headers: { 'cache-control': 'no-store', 'www-authenticate': 'Basic realm="gatehouse"' },
      body: { error: 'invalid_client', error_description: 'Client authentication failed' },
    });
    assert.equal(toErrorResponse(new InvalidToken()).headers['www-authenticate'], 'Bearer error="invalid_token"');
  });
});

describe('toServerError', () => {
  it('turns anything unknown into a generic server_error, keeping the original for the log', () => {
    const original = new TypeError('cannot read properties of undefined (reading "tenantId")');
    const error = toServerError(original);
    assert.ok(error instanceof ServerError);
    assert.equal(error.status, 500);
    assert.equal(error.internalCause, original);
    assert.doesNotMatch(JSON.stringify(toErrorResponse(error).body), /tenantId/);
    assert.equal(toServerError('a string').internalCause, 'a string');
  });
  it('leaves a ServerError as it is', () => {
    const error = new ServerError({ hint: 'x' });
    assert.equal(toServerError(error), error);
  });
});

describe('authorizationErrorRedirect (RFC 6749 §4.1.2.1, RFC 9207)', () => {
  it('keeps the existing query and adds error, error_description, state and iss', () => {
    const location = authorizationErrorRedirect('https://app.example.com/cb?tenant=eu&x=a%20b', new AccessDenied(), {
      state: 's t&1',
      iss: ISS,
    });
    const url = new URL(location);
    assert.ok(location.startsWith('https://app.example.com/cb?tenant=eu&x=a%20b&error=access_denied&'));
    assert.equal(url.searchParams.get('tenant'), 'eu');
    assert.equal(url.searchParams.get('x'), 'a b');
    assert.equal(url.searchParams.get('error'), 'access_denied');
    assert.equal(url.searchParams.get('error_description'), 'The resource owner or server denied the request');
    assert.equal(url.searchParams.get('state'), 's t&1');
    assert.equal(url.searchParams.get('iss'), ISS);
    assert.equal(url.hash, '');
  });
  it('omits state when absent or empty', () => {
    for (const state of [undefined, '']) {
      const url = new URL(authorizationErrorRedirect('https://app.example.com/cb', new LoginRequired(), { state, iss: ISS }));
      assert.equal(url.searchParams.has('state'), false);
      assert.equal(url.searchParams.get('iss'), ISS);
      assert.equal(url.searchParams.get('error'), 'login_required');
    }
  });
  it('sanitizes the description', () => {
    const location = authorizationErrorRedirect('https://app.example.com/cb', new InvalidRequest({ hint: 'bad "x"\\ <\u0000é>' }), {
      iss: ISS,
    });
    assert.equal(new URL(location).searchParams.get('error_description'), 'The request is missing a parameter or is malformed: bad x <>');
  });
  it('puts the parameters in the fragment for response_mode=fragment', () => {
    const url = new URL(
      authorizationErrorRedirect('https://app.example.com/cb?a=1', new AccessDenied(), { iss: ISS, responseMode: 'fragment' }),
    );
    assert.equal(url.search, '?a=1');
    assert.equal(new URLSearchParams(url.hash.slice(1)).get('error'), 'access_denied');
    assert.equal(new URLSearchParams(url.hash.slice(1)).get('iss'), ISS);
  });
  it('works with private-use scheme redirect URIs of native apps', () => {
    const location = authorizationErrorRedirect('com.example.app:/oauth2redirect', new AccessDenied(), { state: 'abc', iss: ISS });
    assert.ok(location.startsWith('com.example.app:/oauth2redirect?error=access_denied&'));
  });
});
