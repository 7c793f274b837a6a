import type { Client, Persistence } from '@gatehouse/persistence';
import {
  isGrantType,
  isTokenEndpointAuthMethod,
  parseScope,
  redirectUriProblem,
  type ApplicationType,
  type GrantType,
  type TokenEndpointAuthMethod,
} from '@gatehouse/protocol';
import { generateOpaqueSecret, hashOpaqueSecret } from '@gatehouse/tokens';
import { AdminProblem } from '../errors/admin-problem.js';
import type { TenantService } from '../tenants/tenant.service.js';
import { validatePublicJwks } from './public-jwks.js';

export interface CreateClientInput {
  readonly tenant: string;
  readonly name: string;
  readonly public?: boolean;
  readonly applicationType?: string;
  readonly redirectUris?: readonly string[];
  readonly grantTypes?: readonly string[];
  readonly scope?: string;
  readonly authMethod?: string;
  readonly jwks?: unknown;
  readonly firstParty?: boolean;
  readonly postLogoutRedirectUris?: readonly string[];
  readonly backchannelLogoutUri?: string;
  /** Confidential clients only; public clients always rotate refresh tokens. */
  readonly rotateRefreshTokens?: boolean;
}

export interface CreatedClient {
  readonly client: Client;
  /** Shown once; only its hash is stored. */
  readonly clientSecret?: string;
}

const DEFAULT_GRANT_TYPES: GrantType[] = ['authorization_code', 'refresh_token'];
const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

export class ClientService {
  constructor(
    private readonly persistence: Persistence,
    private readonly tenants: TenantService,
  ) {}

  async listPage(slug: string, afterClientId: string | null, limit: number): Promise<Client[]> {
    const tenant = await this.tenants.get(slug);
    return this.persistence.repositories.clients.listPage(tenant.id, afterClientId, limit);
  }

  async get(slug: string, clientId: string): Promise<Client> {
    const tenant = await this.tenants.get(slug);
    const client = await this.persistence.repositories.clients.findByClientId(tenant.id, clientId);
    if (!client) throw new AdminProblem('not_found', `unknown client "${clientId}"`);
    return client;
  }

  /** Returns what was deleted, for the audit trail. */
  async delete(slug: string, clientId: string): Promise<Client> {
    const tenant = await this.tenants.get(slug);
    const client = await this.get(slug, clientId);
    if (!(await this.persistence.repositories.clients.delete(tenant.id, clientId)))
      throw new AdminProblem('not_found', `unknown client "${clientId}"`);
    return client;
  }

  async create(input: CreateClientInput): Promise<CreatedClient> {
    const tenant = await this.tenants.get(input.tenant);
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200) throw new AdminProblem('validation_failed', 'name must be 1-200 characters', 'name');

    const applicationType = parseApplicationType(input.applicationType);
    const authMethod = parseAuthMethod(input.authMethod, input.public ?? false);
    const grantTypes = parseGrantTypes(input.grantTypes);
    const redirectUris = [...new Set(input.redirectUris ?? [])];
    for (const uri of redirectUris) {
      const problem = redirectUriProblem(uri, applicationType);
      if (problem) throw new AdminProblem('validation_failed', `redirect_uri ${JSON.stringify(uri)} ${problem}`, 'redirect_uris');
    }
    if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
      throw new AdminProblem('validation_failed', 'the authorization_code grant needs at least one redirect_uri', 'redirect_uris');
    }
    if (authMethod === 'none' && grantTypes.includes('client_credentials')) {
      throw new AdminProblem('validation_failed', 'a public client cannot use the client_credentials grant', 'grant_types');
    }
    const postLogoutRedirectUris = [...new Set(input.postLogoutRedirectUris ?? [])];
    for (const uri of postLogoutRedirectUris) {
      const problem = redirectUriProblem(uri, applicationType);
      if (problem)
        throw new AdminProblem(
          'validation_failed',
          `post_logout_redirect_uri ${JSON.stringify(uri)} ${problem}`,
          'post_logout_redirect_uris',
        );
    }
    if (input.backchannelLogoutUri !== undefined) {
      // OIDC Back-Channel Logout §2.2: an absolute http(s) URI without a fragment; https outside loopback.
      const problem = redirectUriProblem(input.backchannelLogoutUri, 'web');
      if (problem) throw new AdminProblem('validation_failed', `backchannel_logout_uri ${problem}`, 'backchannel_logout_uri');
    }
    if (input.rotateRefreshTokens === false && authMethod === 'none') {
      throw new AdminProblem('validation_failed', 'public clients always rotate refresh tokens', 'rotate_refresh_tokens');
    }
    const scopes = input.scope === undefined ? DEFAULT_SCOPES : parseScope(input.scope);
    if (!scopes) throw new AdminProblem('validation_failed', 'scope must be space-separated RFC 6749 scope tokens', 'scope');

    let jwks: { keys: Record<string, unknown>[] } | null = null;
    if (authMethod === 'private_key_jwt') {
      if (input.jwks === undefined)
        throw new AdminProblem('validation_failed', 'private_key_jwt needs a public JWK Set (--jwks-file)', 'jwks');
      jwks = await validatePublicJwks(input.jwks);
    } else if (input.jwks !== undefined) {
      throw new AdminProblem('validation_failed', 'a JWK Set is only used with the private_key_jwt auth method', 'jwks');
    }

    const usesSecret = authMethod === 'client_secret_basic' || authMethod === 'client_secret_post';
    const clientSecret = usesSecret ? generateOpaqueSecret(32) : undefined;
    const client = await this.persistence.repositories.clients.insert(tenant.id, {
      clientId: generateOpaqueSecret(16),
      name,
      applicationType,
      tokenEndpointAuthMethod: authMethod,
      secretHash: clientSecret ? hashOpaqueSecret(clientSecret) : null,
      redirectUris,
      grantTypes,
      scopes,
      jwks,
      firstParty: input.firstParty ?? false,
      postLogoutRedirectUris,
      backchannelLogoutUri: input.backchannelLogoutUri ?? null,
      rotateRefreshTokens: input.rotateRefreshTokens ?? true,
    });
    return clientSecret ? { client, clientSecret } : { client };
  }
}

function parseApplicationType(value: string | undefined): ApplicationType {
  if (value === undefined || value === 'web' || value === 'native') return value ?? 'web';
  throw new AdminProblem('validation_failed', 'application type must be web or native', 'application_type');
}

function parseAuthMethod(value: string | undefined, isPublic: boolean): TokenEndpointAuthMethod {
  if (value === undefined) return isPublic ? 'none' : 'client_secret_basic';
  if (!isTokenEndpointAuthMethod(value)) {
    throw new AdminProblem(
      'validation_failed',
      'auth method must be client_secret_basic, client_secret_post, private_key_jwt or none',
      'token_endpoint_auth_method',
    );
  }
  if (isPublic !== (value === 'none')) {
    throw new AdminProblem(
      'validation_failed',
      'a public client uses auth method none, and only a public client does',
      'token_endpoint_auth_method',
    );
  }
  return value;
}

function parseGrantTypes(values: readonly string[] | undefined): GrantType[] {
  if (values === undefined || values.length === 0) return DEFAULT_GRANT_TYPES;
  const unique = [...new Set(values)];
  const unknown = unique.find((value) => !isGrantType(value));
  if (unknown !== undefined)
    throw new AdminProblem('validation_failed', `unsupported grant type ${JSON.stringify(unknown)}`, 'grant_types');
  return unique as GrantType[];
}
