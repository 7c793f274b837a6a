import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { validateClientMetadata, type ClientMetadataOptions, type ClientMetadataProblem } from './validate-client-metadata.js';

const OPEN: ClientMetadataOptions = { webLoopbackRedirects: true };
const STRICT: ClientMetadataOptions = { webLoopbackRedirects: false };
const WEB = { client_name: 'Shop', redirect_uris: ['https://shop.example.test/cb'] };

async function problemsOf(
  input: Record<string, unknown>,
  options: ClientMetadataOptions = OPEN,
): Promise<readonly ClientMetadataProblem[]> {
  const result = await validateClientMetadata(input, options);
  return result.ok ? [] : result.problems;
}

async function fieldsOf(input: Record<string, unknown>, options?: ClientMetadataOptions): Promise<string[]> {
  return (await problemsOf(input, options)).map((problem) => problem.field);
}

describe('validateClientMetadata', () => {
  it('accepts a web client and fills the defaults', async () => {
    const result = await validateClientMetadata(WEB, OPEN);
    assert.ok(result.ok);
    assert.deepEqual(result.metadata.grantTypes, ['authorization_code']);
    assert.equal(result.metadata.tokenEndpointAuthMethod, 'client_secret_basic');
    assert.equal(result.metadata.applicationType, 'web');
    assert.equal(result.metadata.rotateRefreshTokens, true);
    assert.equal(result.metadata.backchannelLogoutUri, null);
    assert.deepEqual(result.metadata.scopes, ['openid', 'profile', 'email', 'offline_access']);
  });

  it('reads dpop_bound_access_tokens (RFC 9449 §5.2): false unless true, a boolean only', async () => {
    const plain = await validateClientMetadata(WEB, OPEN);
    assert.ok(plain.ok);
    assert.equal(plain.metadata.dpopBoundAccessTokens, false);
    const bound = await validateClientMetadata({ ...WEB, dpop_bound_access_tokens: true }, OPEN);
    assert.ok(bound.ok);
    assert.equal(bound.metadata.dpopBoundAccessTokens, true);
    assert.deepEqual(await fieldsOf({ ...WEB, dpop_bound_access_tokens: 'yes' }), ['dpop_bound_access_tokens']);
  });

  it('names the field of each redirect URI problem: fragment, wildcard, plain http, a custom scheme on the web', async () => {
    for (const uri of [
      'https://shop.example.test/cb#x',
      'https://*.example.test/cb',
      'http://shop.example.test/cb',
      'com.example.app:/cb',
      '/cb',
    ]) {
      const problems = await problemsOf({ ...WEB, redirect_uris: [uri] });
      assert.equal(problems.length, 1, uri);
      assert.equal(problems[0]?.field, 'redirect_uris', uri);
      assert.match(problems[0]?.message ?? '', /^redirect_uris\[0\] /);
    }
  });

  it('native clients keep private-use schemes and loopback http whatever the tenant says of web clients', async () => {
    const native = {
      ...WEB,
      application_type: 'native',
      redirect_uris: ['com.example.app:/cb', 'http://127.0.0.1:7000/cb', 'http://[::1]/cb'],
    };
    assert.deepEqual(await fieldsOf(native, STRICT), []);
  });

  it('web loopback http follows the tenant setting', async () => {
    const loopback = { ...WEB, redirect_uris: ['http://127.0.0.1:8080/cb'] };
    assert.deepEqual(await fieldsOf(loopback, OPEN), []);
    const refused = await problemsOf(loopback, STRICT);
    assert.equal(refused[0]?.field, 'redirect_uris');
    assert.match(refused[0]?.message ?? '', /does not allow http loopback/);
    assert.deepEqual(await fieldsOf({ ...WEB, post_logout_redirect_uris: ['http://[::1]/bye'] }, STRICT), ['post_logout_redirect_uris']);
  });

  it('reports every problem, not just the first', async () => {
    const fields = await fieldsOf({
      client_name: '',
      application_type: 'desktop',
      grant_types: ['password'],
      redirect_uris: 'https://x.example.test/cb',
      scope: 'bad"scope',
      rotate_refresh_tokens: 'no',
    });
    assert.deepEqual(fields.sort(), ['application_type', 'client_name', 'grant_types', 'redirect_uris', 'rotate_refresh_tokens', 'scope']);
  });

  it('keeps grant types, response types and the auth method consistent', async () => {
    assert.deepEqual(await fieldsOf({ ...WEB, response_types: ['token'] }), ['response_types']);
    assert.deepEqual(await fieldsOf({ client_name: 'Svc', grant_types: ['client_credentials'], response_types: ['code'] }), [
      'response_types',
    ]);
    assert.deepEqual(await fieldsOf({ client_name: 'Svc', grant_types: ['authorization_code'] }), ['redirect_uris']);
    assert.deepEqual(await fieldsOf({ ...WEB, token_endpoint_auth_method: 'none', grant_types: ['client_credentials'] }), ['grant_types']);
    assert.deepEqual(await fieldsOf({ ...WEB, token_endpoint_auth_method: 'none', rotate_refresh_tokens: false }), [
      'rotate_refresh_tokens',
    ]);
    assert.deepEqual(await fieldsOf({ ...WEB, token_endpoint_auth_method: 'client_secret_jwt' }), ['token_endpoint_auth_method']);
  });

  it('private_key_jwt needs public keys only; other methods take no JWK Set; jwks_uri is refused', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pub = publicKey.export({ format: 'jwk' });
    const priv = privateKey.export({ format: 'jwk' });
    const pkjwt = { ...WEB, token_endpoint_auth_method: 'private_key_jwt' };
    const accepted = await validateClientMetadata({ ...pkjwt, jwks: { keys: [pub] } }, OPEN);
    assert.ok(accepted.ok);
    assert.deepEqual(accepted.metadata.jwks, { keys: [pub] });
    assert.deepEqual(await fieldsOf(pkjwt), ['jwks']);
    assert.match((await problemsOf({ ...pkjwt, jwks: { keys: [priv] } }))[0]?.message ?? '', /private/);
    assert.deepEqual(await fieldsOf({ ...WEB, jwks: { keys: [pub] } }), ['jwks']);
    assert.deepEqual(await fieldsOf({ ...pkjwt, jwks_uri: 'https://x.example.test/jwks' }), ['jwks_uri']);
  });

  it('request objects: a known asymmetric algorithm, and a JWK Set whatever the auth method; PAR may be required', async () => {
    const pub = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    const signing = await validateClientMetadata({ ...WEB, jwks: { keys: [pub] }, request_object_signing_alg: 'ES256' }, OPEN);
    assert.ok(signing.ok);
    assert.equal(signing.metadata.requestObjectSigningAlg, 'ES256');
    assert.deepEqual(signing.metadata.jwks, { keys: [pub] });
    const required = await validateClientMetadata({ ...WEB, jwks: { keys: [pub] }, require_signed_request_object: true }, OPEN);
    assert.ok(required.ok && required.metadata.requireSignedRequestObject);
    assert.deepEqual(await fieldsOf({ ...WEB, jwks: { keys: [pub] }, request_object_signing_alg: 'none' }), ['request_object_signing_alg']);
    assert.deepEqual(await fieldsOf({ ...WEB, jwks: { keys: [pub] }, request_object_signing_alg: 'HS256' }), [
      'request_object_signing_alg',
    ]);
    assert.deepEqual(await fieldsOf({ ...WEB, require_signed_request_object: true }), ['jwks']);
    const pushed = await validateClientMetadata({ ...WEB, require_pushed_authorization_requests: true }, OPEN);
    assert.ok(pushed.ok && pushed.metadata.requirePushedAuthorizationRequests);
    assert.deepEqual(await fieldsOf({ ...WEB, require_pushed_authorization_requests: 'yes' }), ['require_pushed_authorization_requests']);
  });

  it('back-channel logout URIs: public https (loopback with the operator opt-in) for admins, public https only for self-registered clients', async () => {
    // Issue 10 item 3: the outbound guard's literal check, unless OUTBOUND_ALLOW_PRIVATE_TARGETS.
    assert.deepEqual(await fieldsOf({ ...WEB, backchannel_logout_uri: 'http://127.0.0.1:9000/bcl' }), ['backchannel_logout_uri']);
    assert.deepEqual(await fieldsOf({ ...WEB, backchannel_logout_uri: 'https://[::ffff:10.0.0.1]/bcl' }), ['backchannel_logout_uri']);
    assert.deepEqual(
      await fieldsOf({ ...WEB, backchannel_logout_uri: 'http://127.0.0.1:9000/bcl' }, { ...OPEN, allowPrivateTargets: true }),
      [],
    );
    assert.deepEqual(await fieldsOf({ ...WEB, backchannel_logout_uri: 'https://rp.example.test/bcl' }), []);
    assert.deepEqual(await fieldsOf({ ...WEB, backchannel_logout_uri: 'http://rp.example.test/bcl' }), ['backchannel_logout_uri']);
    const self = { ...OPEN, selfRegistered: true };
    assert.deepEqual(await fieldsOf({ ...WEB, backchannel_logout_uri: 'https://10.0.0.8/bcl' }, self), ['backchannel_logout_uri']);
    for (const uri of ['https://127.1/bcl', 'https://[::ffff:127.0.0.1]/bcl', 'https://localhost./bcl', 'https://[64:ff9b::a00:1]/bcl'])
      assert.deepEqual(
        await fieldsOf({ ...WEB, backchannel_logout_uri: uri }, { ...self, allowPrivateTargets: true }),
        ['backchannel_logout_uri'],
        uri,
      );
    assert.deepEqual(await fieldsOf({ ...WEB, backchannel_logout_uri: 'https://rp.example.test/bcl' }, self), []);
  });

  it('RFC 7591 §2 client, logo, policy and terms URIs: https (or loopback http), a data:image logo within 2000 characters', async () => {
    const display = {
      client_uri: 'https://shop.example.test',
      logo_uri: 'https://cdn.example.test/logo.svg',
      policy_uri: 'https://shop.example.test/privacy',
      tos_uri: 'http://127.0.0.1:3000/tos',
    };
    const accepted = await validateClientMetadata({ ...WEB, ...display }, OPEN);
    assert.ok(accepted.ok);
    assert.equal(accepted.metadata.clientUri, display.client_uri);
    assert.equal(accepted.metadata.logoUri, display.logo_uri);
    assert.equal(accepted.metadata.policyUri, display.policy_uri);
    assert.equal(accepted.metadata.tosUri, display.tos_uri);
    const bare = await validateClientMetadata(WEB, OPEN);
    assert.ok(bare.ok);
    assert.deepEqual(
      [bare.metadata.clientUri, bare.metadata.logoUri, bare.metadata.policyUri, bare.metadata.tosUri],
      [null, null, null, null],
    );

    const dataLogo = `data:image/png;base64,${'A'.repeat(1976)}`;
    assert.deepEqual(await fieldsOf({ ...WEB, logo_uri: dataLogo }), []);
    assert.deepEqual(await fieldsOf({ ...WEB, logo_uri: `${dataLogo}AAAA` }), ['logo_uri'], 'longer than the column');
    assert.deepEqual(await fieldsOf({ ...WEB, client_uri: dataLogo }), ['client_uri'], 'only the logo may be inline');
    for (const [member, uri] of [
      ['client_uri', 'javascript:alert(1)'],
      ['policy_uri', 'http://example.com/privacy'],
      ['tos_uri', 'https://shop.example.test@evil.example.test/tos'],
      ['logo_uri', 'data:text/html;base64,PHNjcmlwdD4='],
      ['client_uri', 42],
    ] as const) {
      const problems = await problemsOf({ ...WEB, [member]: uri });
      assert.deepEqual(
        problems.map((problem) => problem.field),
        [member],
        String(uri),
      );
      assert.ok(problems[0]?.message.startsWith(`${member} `), problems[0]?.message);
    }
  });

  it('RFC 7591 §5: a self-registered client shows only URIs on the scheme and host of one of its redirect URIs; an admin may point elsewhere', async () => {
    const self = { ...OPEN, selfRegistered: true };
    const native = { ...WEB, application_type: 'native', redirect_uris: ['com.example.app:/cb', 'https://shop.example.test/cb'] };
    const onHost = { client_uri: 'https://SHOP.example.test/', policy_uri: 'https://shop.example.test:8443/privacy' };
    assert.deepEqual(await fieldsOf({ ...native, ...onHost, logo_uri: 'https://shop.example.test/logo.gif' }, self), []);
    assert.deepEqual(
      await fieldsOf({ ...native, logo_uri: 'data:image/gif;base64,R0lGODlh' }, self),
      ['logo_uri'],
      'an inline logo could be any brand',
    );
    assert.deepEqual(await fieldsOf({ ...native, logo_uri: 'data:image/gif;base64,R0lGODlh' }, OPEN), []);
    assert.deepEqual(
      await fieldsOf({ ...WEB, redirect_uris: ['http://127.0.0.1/cb'], client_uri: 'https://127.0.0.1/' }, self),
      ['client_uri'],
      'another scheme is another site',
    );
    const elsewhere = { logo_uri: 'https://cdn.example.test/logo.png', tos_uri: 'https://evil.example.test/tos' };
    assert.deepEqual(await fieldsOf({ ...WEB, ...elsewhere }, OPEN), []);
    const refused = await problemsOf({ ...WEB, ...elsewhere }, self);
    assert.deepEqual(refused.map((problem) => problem.field).sort(), ['logo_uri', 'tos_uri']);
    assert.match(refused[0]?.message ?? '', /must be on the scheme and host of one of the redirect_uris \(RFC 7591 §5\)/);
    assert.deepEqual(await fieldsOf({ ...WEB, client_uri: 'https://shop.example.test.evil.example/' }, self), ['client_uri']);
    assert.deepEqual(
      await fieldsOf({ ...WEB, client_uri: 'https://example.test/' }, self),
      ['client_uri'],
      'a parent domain is another host',
    );
  });

  it('client_name is required unless the caller supplies a default', async () => {
    assert.deepEqual(await fieldsOf({ redirect_uris: WEB.redirect_uris }), ['client_name']);
    const named = await validateClientMetadata({ redirect_uris: WEB.redirect_uris }, { ...OPEN, defaultClientName: 'Registered' });
    assert.ok(named.ok);
    assert.equal(named.metadata.name, 'Registered');
    assert.deepEqual(await fieldsOf({ ...WEB, client_name: 'x'.repeat(201) }), ['client_name']);
  });
});
