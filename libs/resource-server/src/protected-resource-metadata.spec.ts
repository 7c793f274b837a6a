import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { protectedResourceMetadata, protectedResourceMetadataPath, protectedResourceMetadataUrl } from './protected-resource-metadata.js';

describe('RFC 9728 protected resource metadata', () => {
  it('inserts the well-known suffix between the host and the path (§3.1)', () => {
    assert.equal(protectedResourceMetadataPath('https://api.example/orders'), '/.well-known/oauth-protected-resource/orders');
    assert.equal(protectedResourceMetadataPath('https://api.example/orders/'), '/.well-known/oauth-protected-resource/orders');
    assert.equal(protectedResourceMetadataPath('https://api.example'), '/.well-known/oauth-protected-resource');
    assert.equal(
      protectedResourceMetadataUrl('https://api.example:8443/v1/orders'),
      'https://api.example:8443/.well-known/oauth-protected-resource/v1/orders',
    );
  });

  it('describes the resource: identifier, issuers, header-only bearer, DPoP and certificate binding only when on', () => {
    const plain = protectedResourceMetadata({
      resource: 'https://api.example/orders',
      authorizationServers: ['https://id.example/t/acme'],
    });
    assert.deepEqual(plain, {
      resource: 'https://api.example/orders',
      authorization_servers: ['https://id.example/t/acme'],
      bearer_methods_supported: ['header'],
    });
    const strict = protectedResourceMetadata({
      resource: 'https://api.example/orders',
      authorizationServers: ['https://id.example/t/acme'],
      scopesSupported: ['orders:read'],
      dpop: true,
      dpopRequired: true,
      certificateBoundTokens: true,
    });
    assert.deepEqual(strict['scopes_supported'], ['orders:read']);
    assert.ok(Array.isArray(strict['dpop_signing_alg_values_supported']));
    assert.equal(strict['dpop_bound_access_tokens_required'], true);
    assert.equal(strict['tls_client_certificate_bound_access_tokens'], true);
  });
});
