import type { SchemaObject } from '@nestjs/swagger';
import { pageSchema } from '../http/openapi-schemas.js';

const uris: SchemaObject = { type: 'array', items: { type: 'string', format: 'uri' } };
/** RFC 7591 §2 URIs shown on the sign-in and consent pages; null clears one. */
const displayUri = (description: string): SchemaObject => ({
  type: 'string',
  maxLength: 2000,
  nullable: true,
  description: `${description}: https (http only on 127.0.0.1, [::1] or localhost), no user information`,
});

/** PATCH /clients/{clientId}: the members that may change; absent members keep their value. */
export const CLIENT_PATCH_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    client_name: { type: 'string', minLength: 1, maxLength: 200 },
    application_type: { type: 'string', enum: ['web', 'native'] },
    redirect_uris: uris,
    post_logout_redirect_uris: uris,
    grant_types: { type: 'array', items: { type: 'string' } },
    scope: { type: 'string', description: 'space-separated scopes' },
    jwks: { type: 'object', nullable: true, description: 'public JWK Set, for private_key_jwt clients and signed request objects' },
    backchannel_logout_uri: { type: 'string', format: 'uri', nullable: true },
    rotate_refresh_tokens: { type: 'boolean' },
    require_pushed_authorization_requests: { type: 'boolean', description: 'RFC 9126: /authorize only with a pushed request_uri' },
    require_signed_request_object: { type: 'boolean', description: 'RFC 9101: /authorize only with a signed request object (needs jwks)' },
    request_object_signing_alg: {
      type: 'string',
      nullable: true,
      enum: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
      description: 'the one JWS algorithm its request objects may use (needs jwks); null: any of them',
    },
    dpop_bound_access_tokens: { type: 'boolean', description: 'RFC 9449 §5.2: token requests without a DPoP proof are refused' },
    tls_client_auth_subject_dn: { type: 'string', description: 'RFC 8705 §2.1.2: tls_client_auth by this subject DN (RFC 4514)' },
    tls_client_auth_san_dns: { type: 'string', description: 'RFC 8705 §2.1.2: tls_client_auth by this dNSName SAN' },
    tls_client_auth_san_uri: { type: 'string', description: 'RFC 8705 §2.1.2: tls_client_auth by this URI SAN' },
    tls_client_auth_san_ip: { type: 'string', description: 'RFC 8705 §2.1.2: tls_client_auth by this IP address SAN' },
    tls_client_auth_san_email: { type: 'string', description: 'RFC 8705 §2.1.2: tls_client_auth by this rfc822Name SAN' },
    tls_client_certificate_bound_access_tokens: {
      type: 'boolean',
      description: 'RFC 8705 §3.4: access tokens carry the client certificate thumbprint (cnf x5t#S256)',
    },
    authorization_details_types: {
      type: 'array',
      nullable: true,
      items: { type: 'string' },
      description: "RFC 9396 §10: which of the tenant's authorization_details_types the client may request; null or absent: any of them",
    },
    client_uri: displayUri("the client's home page"),
    logo_uri: displayUri("the client's logo; also a base64 data:image/{png,svg+xml,jpeg,webp,gif} URI"),
    policy_uri: displayUri("the client's privacy policy"),
    tos_uri: displayUri("the client's terms of service"),
    resource_server_for: {
      type: 'array',
      items: { type: 'string' },
      description: "identifiers of this tenant's APIs whose access tokens the client may introspect (besides its own)",
    },
    rate_limit_policy: {
      type: 'object',
      description:
        "overrides of the tenant's endpoint rate limits for this client (snake_case names of the tenant's rate_limit_policy endpoint limits); `{}` clears them",
      additionalProperties: { type: 'integer', minimum: 1 },
    },
  },
};

/** POST /clients: the PATCH members plus what is fixed at creation. Any other member is refused by name. */
export const CLIENT_CREATE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['client_name'],
  additionalProperties: false,
  properties: {
    ...CLIENT_PATCH_SCHEMA.properties,
    token_endpoint_auth_method: {
      type: 'string',
      enum: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth', 'none'],
      default: 'client_secret_basic',
      description: '`none` makes a public client (no secret); the secret methods answer the secret once',
    },
    first_party: { type: 'boolean', description: 'consent skipped under the tenant policy `skip_first_party`; platform admins only' },
  },
  example: {
    client_name: 'Shop',
    redirect_uris: ['https://shop.example.com/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    scope: 'openid profile offline_access',
  },
};

/** presentClient: RFC 7591 names, never a secret or a hash. */
export const CLIENT_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    client_id: { type: 'string' },
    ...CLIENT_CREATE_SCHEMA.properties,
    previous_secret_expires_at: {
      type: 'string',
      format: 'date-time',
      nullable: true,
      description: 'until then the secret a rotation replaced still authenticates',
    },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
};

/** The client with its secret: shown once, on creation and on rotation, for the secret methods only. */
export const CLIENT_WITH_SECRET_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    ...CLIENT_SCHEMA.properties,
    client_secret: { type: 'string', description: 'shown once; stored only as a hash' },
  },
};

export const CLIENT_PAGE_SCHEMA = pageSchema(CLIENT_SCHEMA);

export const SECRET_ROTATION_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    grace_period_seconds: {
      type: 'integer',
      minimum: 0,
      maximum: 2_592_000,
      default: 86_400,
      description: 'how long the previous secret keeps authenticating',
    },
  },
};
