import type { ApiBodyOptions } from '@nestjs/swagger';

type Schema = Extract<ApiBodyOptions, { schema: unknown }>['schema'];

const uris: Schema = { type: 'array', items: { type: 'string', format: 'uri' } };

/** PATCH /clients/{clientId}: the members that may change; absent members keep their value. */
export const CLIENT_PATCH_SCHEMA: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    client_name: { type: 'string', minLength: 1, maxLength: 200 },
    application_type: { type: 'string', enum: ['web', 'native'] },
    redirect_uris: uris,
    post_logout_redirect_uris: uris,
    grant_types: { type: 'array', items: { type: 'string' } },
    scope: { type: 'string', description: 'space-separated scopes' },
    jwks: { type: 'object', nullable: true, description: 'public JWK Set, for private_key_jwt clients only' },
    backchannel_logout_uri: { type: 'string', format: 'uri', nullable: true },
    rotate_refresh_tokens: { type: 'boolean' },
    resource_server_for: {
      type: 'array',
      items: { type: 'string' },
      description: "identifiers of this tenant's APIs whose access tokens the client may introspect (besides its own)",
    },
  },
};

export const SECRET_ROTATION_SCHEMA: Schema = {
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
