/** Registered error codes: RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, RFC 8707, OIDC Core §3.1.2.6. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'invalid_target'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'login_required'
  | 'consent_required'
  | 'interaction_required';

export interface OAuthErrorOptions {
  /** Safe detail appended to the fixed description. */
  readonly hint?: string;
  /** The real reason: logged, never sent. */
  readonly cause?: unknown;
}

/**
 * One protocol error. Domain code throws these; one serializer turns them into a
 * response, so no endpoint invents its own error shape.
 */
export abstract class OAuthError extends Error {
  abstract readonly error: OAuthErrorCode;
  abstract readonly status: number;
  abstract readonly description: string;
  /** May it go back to the client on the /authorize redirect? */
  readonly redirectable: boolean = true;
  readonly hint: string | undefined;
  readonly internalCause: unknown;
  wwwAuthenticate: string | undefined;

  constructor(options: OAuthErrorOptions = {}) {
    super(options.hint ?? 'OAuth error');
    this.name = new.target.name;
    this.hint = options.hint;
    this.internalCause = options.cause;
  }

  get errorDescription(): string {
    return this.hint ? `${this.description}: ${this.hint}` : this.description;
  }
}
