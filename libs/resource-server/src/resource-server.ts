import { AccessTokenValidator, type AccessTokenValidatorOptions, type ValidatedClaims } from './access-token-validator.js';
import { BearerError } from './bearer-error.js';
import type { PresentedRequest } from './dpop-presentation.js';
import {
  protectedResourceMetadata,
  protectedResourceMetadataPath,
  protectedResourceMetadataUrl,
  type ProtectedResourceOptions,
} from './protected-resource-metadata.js';

export interface ResourceServerOptions extends AccessTokenValidatorOptions {
  /**
   * RFC 9728: publish the resource's metadata (its identifier is the token audience) and name it in
   * every challenge. The authorization server is the issuer.
   */
  readonly metadata?: Omit<ProtectedResourceOptions, 'resource' | 'authorizationServers' | 'dpop'> & { readonly resource?: string };
}

/**
 * One protected resource: token validation (bearer, DPoP, certificate-bound), scope checks and its
 * RFC 9728 metadata. The NestJS guard and the Node middleware are thin shells around it.
 */
export class ResourceServer {
  readonly validator: AccessTokenValidator;
  /** The metadata document and where it is served, when the resource publishes one. */
  readonly metadata: { readonly path: string; readonly url: string; readonly document: Record<string, unknown> } | undefined;

  constructor(options: ResourceServerOptions) {
    this.validator = new AccessTokenValidator(options);
    const published = options.metadata;
    if (!published) {
      this.metadata = undefined;
      return;
    }
    const resource = published.resource ?? options.audience;
    this.metadata = {
      path: protectedResourceMetadataPath(resource),
      url: protectedResourceMetadataUrl(resource),
      document: protectedResourceMetadata({
        ...published,
        resource,
        authorizationServers: [options.issuer],
        dpop: options.dpop !== undefined,
      }),
    };
  }

  /**
   * The request's token, validated, and holding every scope in `requiredScopes`. Every refusal is a
   * BearerError (RFC 6750 §3.1, RFC 9449 §7.1) whose challenge names the metadata (RFC 9728 §5.1).
   */
  async authenticate(request: PresentedRequest, requiredScopes: readonly string[] = []): Promise<ValidatedClaims> {
    let claims: ValidatedClaims;
    try {
      claims = await this.validator.validateRequest(request);
    } catch (error) {
      if (error instanceof BearerError && this.metadata) throw error.withResourceMetadata(this.metadata.url);
      throw error;
    }
    this.requireScopes(claims, requiredScopes);
    return claims;
  }

  /** 403 insufficient_scope (RFC 6750 §3.1) naming the scopes needed, unless the token holds every one. */
  requireScopes(claims: ValidatedClaims, required: readonly string[]): void {
    const missing = missingScopes(claims, required);
    if (missing.length === 0) return;
    const refusal = new BearerError('insufficient_scope', `The access token lacks the scope ${missing.join(' ')}`, {
      scope: required.join(' '),
    });
    throw this.metadata ? refusal.withResourceMetadata(this.metadata.url) : refusal;
  }
}

/** The required scopes the token's space-separated `scope` does not hold. */
export function missingScopes(claims: ValidatedClaims, required: readonly string[]): string[] {
  const granted = new Set(typeof claims.scope === 'string' ? claims.scope.split(' ') : []);
  return required.filter((scope) => !granted.has(scope));
}
