import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { validateClientMetadata } from '../client-metadata/validate-client-metadata.js';
import { fapi2ClientProblem, isFapi2Algorithm, isSecurityProfile } from './security-profile.js';

describe('FAPI 2.0 security profile (docs/adr/0020)', () => {
  it('names the profiles and the algorithms (§5.4.1: PS256, ES256, EdDSA)', () => {
    assert.ok(isSecurityProfile('fapi2') && isSecurityProfile('none'));
    assert.ok(!isSecurityProfile('fapi1') && !isSecurityProfile(''));
    for (const alg of ['ES256', 'PS256', 'EdDSA']) assert.ok(isFapi2Algorithm(alg), alg);
    for (const alg of ['RS256', 'ES384', 'HS256', 'none', null, undefined]) assert.ok(!isFapi2Algorithm(alg), String(alg));
  });

  it('fapi2ClientProblem: private_key_jwt and mTLS only, profile algorithms only', () => {
    for (const method of ['private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth'])
      assert.equal(fapi2ClientProblem({ tokenEndpointAuthMethod: method }), null, method);
    for (const method of ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'none'])
      assert.match(fapi2ClientProblem({ tokenEndpointAuthMethod: method }) ?? '', /allows only private_key_jwt/, method);
    const pkjwt = { tokenEndpointAuthMethod: 'private_key_jwt' };
    assert.match(fapi2ClientProblem({ ...pkjwt, idTokenSignedResponseAlg: 'RS256' }) ?? '', /id_token_signed_response_alg/);
    assert.match(fapi2ClientProblem({ ...pkjwt, requestObjectSigningAlg: 'RS256' }) ?? '', /request_object_signing_alg/);
    assert.equal(fapi2ClientProblem({ ...pkjwt, idTokenSignedResponseAlg: 'PS256', requestObjectSigningAlg: 'ES256' }), null);
  });

  it('the client-metadata validator refuses what the profile forbids, with the field', async () => {
    const options = { webLoopbackRedirects: true, securityProfile: 'fapi2' as const };
    const web = { client_name: 'App', redirect_uris: ['https://app.example.test/cb'] };
    const fieldsOf = async (input: Record<string, unknown>) => {
      const result = await validateClientMetadata(input, options);
      return result.ok ? [] : result.problems.map((problem) => problem.field);
    };
    assert.deepEqual(await fieldsOf(web), ['token_endpoint_auth_method']);
    assert.deepEqual(await fieldsOf({ ...web, token_endpoint_auth_method: 'none' }), ['token_endpoint_auth_method']);
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k' }] };
    const pkjwt = { ...web, token_endpoint_auth_method: 'private_key_jwt', jwks };
    assert.deepEqual(await fieldsOf(pkjwt), []);
    const validated = await validateClientMetadata(pkjwt, options);
    assert.equal(validated.ok && validated.metadata.rotateRefreshTokens, false, 'FAPI 2.0: no rotation by default');
    assert.deepEqual(await fieldsOf({ ...pkjwt, request_object_signing_alg: 'RS256' }), ['request_object_signing_alg']);
    // Without the profile the same metadata is valid.
    assert.ok((await validateClientMetadata(web, { webLoopbackRedirects: true })).ok);
  });
});
