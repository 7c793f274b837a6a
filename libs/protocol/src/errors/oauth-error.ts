/**
 * Error codes Gatehouse sends, each defined by the cited specification:
 * RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, RFC 8707 §2, OIDC Core §3.1.2.6,
 * RFC 9101 §6.3 / RFC 9126, RFC 7591 §3.2.2, RFC 8628 §3.5 and RFC 9449 §5, §8.
 */
export const OAUTH_ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'unsupported_response_type',
  'server_error',
  'temporarily_unavailable',
  'invalid_target',
  'invalid_token',
  'insufficient_scope',
  'login_required',
  'consent_required',
  'interaction_required',
  'account_selection_required',
  'invalid_request_uri',
  'invalid_request_object',
  'request_not_supported',
  'request_uri_not_supported',
  'invalid_client_metadata',
  'invalid_redirect_uri',
  'authorization_pending',
  'slow_down',
  'expired_token',
  'invalid_dpop_proof',
  'use_dpop_nonce',
  'invalid_authorization_details',
] as const;
export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number];

export interface OAuthErrorOptions {
  /** Safe, specific detail appended to the description when sent. Never put user input or secrets here. */
  readonly hint?: string;
  /** The real reason, for the log only; never sent to the client. */
  readonly cause?: unknown;
}

/** What a subclass fixes about its code. */
export interface OAuthErrorDefinition {
  readonly error: OAuthErrorCode;
  readonly status: number;
  readonly description: string;
  /** The code is defined for the authorization error response (RFC 6749 §4.1.2.1). Defaults to false. */
  readonly redirectable?: boolean;
  readonly wwwAuthenticate?: string;
  /** Sent as Retry-After (RFC 9110 §10.2.3), in seconds. */
  readonly retryAfterSeconds?: number;
  /** Other response headers the code defines (RFC 9449 §8 DPoP-Nonce); lower-case names. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The one base of every protocol error. Domain code throws these; one serializer per surface turns
 * them into a JSON response or an authorization error redirect.
 */
export abstract class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly status: number;
  /** Fixed, safe text for the client. */
  readonly description: string;
  readonly hint: string | undefined;
  /** Logged, never sent. */
  readonly internalCause: unknown;
  /**
   * May this error go back to the client on the redirect from /authorize? Even when true, the
   * caller must have verified the redirect_uri first (RFC 6749 §4.1.2.1).
   */
  readonly redirectable: boolean;
  readonly wwwAuthenticate: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;

  protected constructor(definition: OAuthErrorDefinition, options: OAuthErrorOptions = {}) {
    const sent = options.hint === undefined ? definition.description : `${definition.description}: ${options.hint}`;
    super(`${definition.error}: ${sent}`);
    this.name = new.target.name;
    this.error = definition.error;
    this.status = definition.status;
    this.description = definition.description;
    this.hint = options.hint;
    this.internalCause = options.cause;
    this.redirectable = definition.redirectable ?? false;
    this.wwwAuthenticate = definition.wwwAuthenticate;
    this.retryAfterSeconds = definition.retryAfterSeconds;
    this.headers = definition.headers;
  }

  /** The error_description as sent: the fixed description, then the hint if any. */
  get fullDescription(): string {
    return this.hint === undefined ? this.description : `${this.description}: ${this.hint}`;
  }
}
