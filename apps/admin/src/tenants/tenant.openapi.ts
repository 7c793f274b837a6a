import type { SchemaObject } from '@nestjs/swagger';
import {
  DEFAULT_DPOP_POLICY,
  DEFAULT_MFA_POLICY,
  DEFAULT_RATE_LIMIT_POLICY,
  DPOP_PROOF_MAX_AGE_BOUNDS,
  MFA_POLICY_CHOICES,
  RATE_LIMIT_POLICY_BOUNDS,
  SECURITY_PROFILES,
} from '@gatehouse/protocol';
import { DEFAULT_RISK_POLICY, RISK_POLICY_BOUNDS } from '@gatehouse/risk';
import { SIGNING_ALGORITHMS } from '@gatehouse/tokens';
import { BRANDING_LOGO_MAX_LENGTH, BRANDING_PAGE_TITLE_MAX_LENGTH } from './tenant-branding.body.js';
import { pageSchema } from '../http/openapi-schemas.js';
import { toSnake, type PolicyBounds } from './tenant-policy.js';

function policySchema(description: string, bounds: PolicyBounds, defaults: object): SchemaObject {
  const fallback = defaults as Record<string, number>;
  return {
    type: 'object',
    description,
    additionalProperties: false,
    properties: Object.fromEntries(
      Object.entries(bounds).map(([key, [minimum, maximum]]) => [
        toSnake(key),
        { type: 'integer', minimum, maximum, default: fallback[key] },
      ]),
    ),
  };
}

function choicePolicySchema(description: string, choices: Readonly<Record<string, readonly string[]>>, defaults: object): SchemaObject {
  const fallback = defaults as Record<string, string>;
  return {
    type: 'object',
    description,
    additionalProperties: false,
    properties: Object.fromEntries(
      Object.entries(choices).map(([key, values]) => [toSnake(key), { type: 'string', enum: [...values], default: fallback[key] }]),
    ),
  };
}

const MFA_POLICY_DESCRIPTION =
  '`second_factor`: `when_enrolled` (users with a factor give it; clients may ask with `acr_values=urn:gatehouse:acr:mfa`) or `required` (every user enrols one). ' +
  "`step_up_without_factor`: a login scoring at least the risk policy's `step_up_score` by a user without a factor is refused (`refuse`) or sent to enrol one (`enrol`).";

const SETTINGS: Record<string, SchemaObject> = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  status: {
    type: 'string',
    enum: ['active', 'disabled'],
    description: "Only a platform admin may change it; a disabled tenant's issuer endpoints answer 404.",
  },
  access_token_alg: {
    type: 'string',
    enum: [...SIGNING_ALGORITHMS],
    description: 'Signs access tokens. Switching to an algorithm the tenant has no active key for creates that key at once.',
  },
  access_token_ttl_seconds: { type: 'integer', minimum: 60, maximum: 86_400 },
  id_token_ttl_seconds: { type: 'integer', minimum: 60, maximum: 86_400 },
  refresh_token_idle_ttl_seconds: { type: 'integer', minimum: 300, maximum: 31_536_000 },
  refresh_token_absolute_ttl_seconds: { type: 'integer', minimum: 300, maximum: 31_536_000 },
  refresh_without_offline_access: { type: 'boolean' },
  audit_retention_days: {
    type: 'integer',
    minimum: 1,
    maximum: 36_500,
    description: 'Audit records older than this are removed (the oldest part of the hash chain; verification starts after it).',
  },
  consent_policy: {
    type: 'string',
    enum: ['skip_first_party', 'always'],
    description: '`skip_first_party`: first-party clients never show the consent page; `always`: every client asks.',
  },
  passkey_login: {
    type: 'string',
    enum: ['second_factor', 'passwordless'],
    default: 'second_factor',
    description:
      '`second_factor`: a passkey follows the password; `passwordless`: the login page also offers "Sign in with a passkey" (a discoverable credential with user verification, no password).',
  },
  web_loopback_redirects: { type: 'boolean', description: 'Whether web clients may register http loopback redirect URIs.' },
  accept_token_endpoint_audience: {
    type: 'boolean',
    default: false,
    description:
      "Also accept the token endpoint URL as a client assertion's `aud` (older private_key_jwt clients). Off: only the issuer identifier. An array `aud` is always refused.",
  },
  pushed_authorization_requests: {
    type: 'string',
    enum: ['disabled', 'enabled', 'required'],
    default: 'disabled',
    description:
      'RFC 9126 pushed authorization requests at `/par`: `disabled` (not advertised; a request_uri is request_uri_not_supported), `enabled`, or `required` for every client.',
  },
  request_objects: {
    type: 'string',
    enum: ['disabled', 'enabled', 'required'],
    default: 'disabled',
    description:
      'RFC 9101 signed request objects (the `request` parameter, also inside a pushed request): `disabled` (request_not_supported), `enabled`, or `required` for every client.',
  },
  security_profile: {
    type: 'string',
    enum: [...SECURITY_PROFILES],
    default: 'none',
    description:
      '`fapi2`: the FAPI 2.0 Security Profile for every client: PAR required, PKCE S256, DPoP- or certificate-bound access tokens, private_key_jwt or mTLS client authentication, ES256/PS256/EdDSA only, confidential clients only. Needs access_token_alg ES256, PS256 or EdDSA.',
  },
  par_lifetime_seconds: {
    type: 'integer',
    minimum: 10,
    maximum: 600,
    default: 60,
    description: 'How long a pushed request_uri stays usable (its `expires_in`); each is used once.',
  },
  branding: {
    type: 'object',
    additionalProperties: false,
    description:
      'How the sign-in pages look; members left out take the default look. PATCH replaces the whole branding; `{}` returns to the default look.',
    properties: {
      logo_uri: {
        type: 'string',
        maxLength: BRANDING_LOGO_MAX_LENGTH,
        description:
          'https URL (http only on 127.0.0.1, [::1] or localhost, at most 2000 characters) or a base64 `data:image/{png,svg+xml,jpeg,webp,gif}` URI up to 60 KiB',
      },
      primary_color: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$', description: '`#rrggbb`, stored in lower case' },
      page_title: {
        type: 'string',
        minLength: 1,
        maxLength: BRANDING_PAGE_TITLE_MAX_LENGTH,
        description: "Shown instead of the tenant's name in page titles and headings",
      },
      support_uri: { type: 'string', maxLength: 2000, description: 'A help page (https URL) or a `mailto:` link shown on every page' },
    },
  },
};

/** RFC 9449 DPoP for the tenant's token and userinfo endpoints. */
const MTLS_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'RFC 8705 mutual TLS: tls_client_auth / self_signed_tls_client_auth and certificate-bound tokens (off by default).',
  properties: { enabled: { type: 'boolean' } },
  required: ['enabled'],
  additionalProperties: false,
};

const DEVICE_AUTHORIZATION_SCHEMA: SchemaObject = {
  type: 'object',
  description:
    'RFC 8628 device authorization grant (off by default): the device_authorization endpoint, the verification page at /device, ' +
    'and the urn:ietf:params:oauth:grant-type:device_code grant for clients that list it.',
  properties: {
    enabled: { type: 'boolean' },
    code_lifetime_seconds: { type: 'integer', minimum: 60, maximum: 1800, default: 600 },
    polling_interval_seconds: { type: 'integer', minimum: 1, maximum: 60, default: 5 },
  },
  additionalProperties: false,
};

const AUTHORIZATION_DETAILS_TYPES_SCHEMA: SchemaObject = {
  type: 'object',
  description:
    'RFC 9396 rich authorization requests: each authorization details type the tenant accepts, with the JSON Schema its objects must ' +
    'satisfy (replaces the stored types; `{}` turns the feature off). Up to 50 types, 64 KiB in all.',
  additionalProperties: { type: 'object' },
  example: {
    payment_initiation: {
      type: 'object',
      required: ['type', 'instructedAmount'],
      properties: {
        type: { const: 'payment_initiation' },
        instructedAmount: { type: 'object', properties: { currency: { type: 'string' }, amount: { type: 'string' } } },
      },
    },
  },
};

function dpopPolicySchema(description: string): SchemaObject {
  const [minimum, maximum] = DPOP_PROOF_MAX_AGE_BOUNDS;
  return {
    type: 'object',
    description,
    additionalProperties: false,
    properties: {
      enabled: { type: 'boolean', default: DEFAULT_DPOP_POLICY.enabled, description: 'Accept DPoP proofs and advertise DPoP in discovery' },
      require_nonce: {
        type: 'boolean',
        default: DEFAULT_DPOP_POLICY.requireNonce,
        description: 'Every proof carries a server nonce (RFC 9449 §8)',
      },
      proof_max_age_seconds: {
        type: 'integer',
        minimum,
        maximum,
        default: DEFAULT_DPOP_POLICY.proofMaxAgeSeconds,
        description: 'How old a proof may be',
      },
    },
  };
}

const POLICIES = {
  read: {
    risk_policy: policySchema(
      "The effective risk policy: the tenant's overrides merged over the defaults.",
      RISK_POLICY_BOUNDS,
      DEFAULT_RISK_POLICY,
    ),
    rate_limit_policy: policySchema(
      "The effective rate-limit policy: the tenant's overrides merged over the defaults.",
      RATE_LIMIT_POLICY_BOUNDS,
      DEFAULT_RATE_LIMIT_POLICY,
    ),
    mfa_policy: choicePolicySchema(`The effective MFA policy. ${MFA_POLICY_DESCRIPTION}`, MFA_POLICY_CHOICES, DEFAULT_MFA_POLICY),
    dpop_policy: dpopPolicySchema("The effective DPoP policy: the tenant's overrides merged over the defaults (off)."),
    mtls: MTLS_SCHEMA,
    device_authorization: DEVICE_AUTHORIZATION_SCHEMA,
    authorization_details_types: AUTHORIZATION_DETAILS_TYPES_SCHEMA,
  },
  write: {
    risk_policy: policySchema(
      'Overrides of the default risk policy. Replaces the stored overrides; `{}` returns to the defaults.',
      RISK_POLICY_BOUNDS,
      DEFAULT_RISK_POLICY,
    ),
    rate_limit_policy: policySchema(
      'Overrides of the default rate-limit policy. Replaces the stored overrides; `{}` returns to the defaults.',
      RATE_LIMIT_POLICY_BOUNDS,
      DEFAULT_RATE_LIMIT_POLICY,
    ),
    mfa_policy: choicePolicySchema(
      `Overrides of the default MFA policy; replaces the stored overrides, \`{}\` returns to the defaults. ${MFA_POLICY_DESCRIPTION}`,
      MFA_POLICY_CHOICES,
      DEFAULT_MFA_POLICY,
    ),
    dpop_policy: dpopPolicySchema(
      'Overrides of the default DPoP policy. Replaces the stored overrides; `{}` returns to the defaults (off).',
    ),
    mtls: MTLS_SCHEMA,
    device_authorization: DEVICE_AUTHORIZATION_SCHEMA,
    authorization_details_types: AUTHORIZATION_DETAILS_TYPES_SCHEMA,
  },
};

export const TENANT_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    slug: { type: 'string' },
    issuer: { type: 'string', format: 'uri' },
    ...SETTINGS,
    ...POLICIES.read,
    created_at: { type: 'string', format: 'date-time' },
  },
};

export const TENANT_PAGE_SCHEMA = pageSchema(TENANT_SCHEMA);

export const CREATE_TENANT_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['slug'],
  additionalProperties: false,
  properties: {
    slug: { type: 'string', pattern: '^[a-z0-9-]{2,63}$' },
    name: SETTINGS['name'] ?? {},
    access_token_alg: SETTINGS['access_token_alg'] ?? {},
    security_profile: SETTINGS['security_profile'] ?? {},
  },
};

export const UPDATE_TENANT_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'Members left out are unchanged. Send If-Match with the ETag of your last read.',
  properties: { ...SETTINGS, ...POLICIES.write },
};
