import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scrub, scrubUrl } from './scrub.js';

const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

describe('scrub', () => {
  it('hides secret values in query strings and form bodies, keeps the rest', () => {
    assert.equal(
      scrub('grant_type=authorization_code&code=abc123&code_verifier=v3r1f13r&redirect_uri=https%3A%2F%2Fapp'),
      'grant_type=authorization_code&code=[redacted]&code_verifier=[redacted]&redirect_uri=https%3A%2F%2Fapp',
    );
    assert.equal(
      scrub('client_id=c1&client_secret=s3cr3t&refresh_token=r&access_token=a&id_token_hint=i&password=p&otp=123456'),
      'client_id=c1&client_secret=[redacted]&refresh_token=[redacted]&access_token=[redacted]&id_token_hint=[redacted]&password=[redacted]&otp=[redacted]',
    );
    assert.equal(scrub('response_type=code&state=xyz'), 'response_type=code&state=xyz');
  });

  it('hides values in JSON and object dumps', () => {
    assert.equal(scrub('{"client_secret":"s\\"x","client_id":"c1"}'), '{"client_secret":"[redacted]","client_id":"c1"}');
    assert.equal(scrub("{ password: 'hunter2', user: 'alice' }"), "{ password: '[redacted]', user: 'alice' }");
  });

  it('hides credentials after an auth scheme, cookies and anything shaped like a JWT', () => {
    assert.equal(scrub('Authorization: Basic YWxpY2U6c2VjcmV0'), 'Authorization: [redacted] [redacted]');
    assert.equal(scrub('sent Bearer abcdefgh12345678'), 'sent Bearer [redacted]');
    assert.equal(scrub('cookie: gh_session=abc; other=def'), 'cookie: [redacted]');
    assert.equal(scrub(`client_assertion_type=jwt-bearer proof ${JWT}`), 'client_assertion_type=[redacted] proof [redacted]');
    assert.equal(scrub('invalid DPoP proof'), 'invalid DPoP proof');
  });

  it('leaves ordinary text untouched', () => {
    const text = 'Mapped {/t/:tenant/token, POST} route at 2026-01-01T00:00:00Z';
    assert.equal(scrub(text), text);
  });
});

describe('scrubUrl', () => {
  it('keeps the path and scrubs the query', () => {
    assert.equal(scrubUrl('/t/acme/callback?code=abc&state=s'), '/t/acme/callback?code=[redacted]&state=s');
    assert.equal(scrubUrl('/t/acme/token'), '/t/acme/token');
  });
});
