import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bearerChallenge, sanitizeErrorDescription } from './challenge.js';
import { InsufficientScope, InvalidTarget, InvalidToken } from './bearer.errors.js';
import { InvalidAuthorizationDetails } from '../authorization-details/authorization-details.js';
import { AuthorizationPending, ExpiredToken, SlowDown } from './device.errors.js';
import { InvalidDpopProof, UseDpopNonce } from './dpop.errors.js';
import { OAUTH_ERROR_CODES, OAuthError, type OAuthErrorOptions } from './oauth-error.js';
import {
  AccountSelectionRequired,
  ConsentRequired,
  InteractionRequired,
  InvalidRequestObject,
  InvalidRequestUri,
  LoginRequired,
  RequestNotSupported,
  RequestUriNotSupported,
} from './oidc.errors.js';
import { InvalidClientMetadata, InvalidRedirectUri } from './registration.errors.js';
import {
  AccessDenied,
  InvalidClient,
  InvalidGrant,
  InvalidRequest,
  InvalidScope,
  ServerError,
  TemporarilyUnavailable,
  UnauthorizedClient,
  UnsupportedGrantType,
  UnsupportedResponseType,
} from './rfc6749.errors.js';

type ErrorClass = new (options?: OAuthErrorOptions) => OAuthError;

/** [class, code, status, redirectable] */
const TABLE: [ErrorClass, string, number, boolean][] = [
  [InvalidRequest, 'invalid_request', 400, true],
  [InvalidClient, 'invalid_client', 401, false],
  [InvalidGrant, 'invalid_grant', 400, false],
  [UnauthorizedClient, 'unauthorized_client', 400, true],
  [UnsupportedGrantType, 'unsupported_grant_type', 400, false],
  [InvalidScope, 'invalid_scope', 400, true],
  [AccessDenied, 'access_denied', 400, true],
  [UnsupportedResponseType, 'unsupported_response_type', 400, true],
  [ServerError, 'server_error', 500, true],
  [TemporarilyUnavailable, 'temporarily_unavailable', 503, true],
  [InvalidTarget, 'invalid_target', 400, true],
  [InvalidToken, 'invalid_token', 401, false],
  [InsufficientScope, 'insufficient_scope', 403, false],
  [LoginRequired, 'login_required', 400, true],
  [ConsentRequired, 'consent_required', 400, true],
  [InteractionRequired, 'interaction_required', 400, true],
  [AccountSelectionRequired, 'account_selection_required', 400, true],
  [InvalidRequestUri, 'invalid_request_uri', 400, true],
  [InvalidRequestObject, 'invalid_request_object', 400, true],
  [RequestNotSupported, 'request_not_supported', 400, true],
  [RequestUriNotSupported, 'request_uri_not_supported', 400, true],
  [InvalidClientMetadata, 'invalid_client_metadata', 400, false],
  [InvalidRedirectUri, 'invalid_redirect_uri', 400, false],
  [AuthorizationPending, 'authorization_pending', 400, false],
  [SlowDown, 'slow_down', 400, false],
  [ExpiredToken, 'expired_token', 400, false],
  [InvalidAuthorizationDetails, 'invalid_authorization_details', 400, true],
  [InvalidDpopProof, 'invalid_dpop_proof', 400, false],
  [UseDpopNonce, 'use_dpop_nonce', 400, false],
];

describe('OAuth error classes', () => {
  it('cover every registered code once', () => {
    assert.deepEqual(TABLE.map(([, code]) => code).sort(), [...OAUTH_ERROR_CODES].sort());
  });
  for (const [ErrorType, code, status, redirectable] of TABLE) {
    it(`${ErrorType.name} is ${code}, HTTP ${status}`, () => {
      const error = new ErrorType({ hint: 'detail', cause: 'internal reason' });
      assert.ok(error instanceof OAuthError && error instanceof Error);
      assert.equal(error.name, ErrorType.name);
      assert.equal(error.error, code);
      assert.equal(error.status, status);
      assert.equal(error.redirectable, redirectable);
      assert.equal(error.hint, 'detail');
      assert.equal(error.internalCause, 'internal reason');
      // The fixed description needs no sanitizing.
      assert.equal(sanitizeErrorDescription(error.description), error.description);
      assert.equal(error.fullDescription, `${error.description}: detail`);
    });
  }
  it('name the class after the code in PascalCase', () => {
    for (const [ErrorType, code] of TABLE) {
      const pascal = code.replace(/(^|_)([a-z])/g, (_, _sep: string, letter: string) => letter.toUpperCase());
      assert.equal(ErrorType.name, pascal);
    }
  });
  it('answer a failed Basic attempt with a Basic challenge, and other invalid_client without one', () => {
    assert.equal(new InvalidClient({ basic: true }).wwwAuthenticate, 'Basic realm="gatehouse"');
    assert.equal(new InvalidClient({ basic: true }).status, 401);
    assert.equal(new InvalidClient().wwwAuthenticate, undefined);
    assert.equal(new InvalidClient().status, 401);
  });
  it('challenge with Bearer for invalid_token and insufficient_scope (RFC 6750 §3)', () => {
    assert.equal(new InvalidToken().wwwAuthenticate, 'Bearer error="invalid_token"');
    assert.equal(new InsufficientScope({ scope: 'orders:read' }).wwwAuthenticate, 'Bearer error="insufficient_scope", scope="orders:read"');
  });
  it('keep the message free of the internal cause', () => {
    const error = new InvalidGrant({ cause: 'code 123 already consumed' });
    assert.doesNotMatch(error.message, /123/);
  });
});

describe('bearerChallenge', () => {
  it('is the bare scheme without parameters', () => {
    assert.equal(bearerChallenge(), 'Bearer');
  });
  it('quotes every attribute in RFC 6750 order', () => {
    assert.equal(
      bearerChallenge({ scope: 'a b', description: 'Expired', error: 'invalid_token', realm: 'api' }),
      'Bearer realm="api", error="invalid_token", error_description="Expired", scope="a b"',
    );
  });
  it('strips quotes, backslashes and control characters instead of escaping them', () => {
    assert.equal(bearerChallenge({ realm: 'a"b\\c', description: 'x\r\ny\u00e9' }), 'Bearer realm="abc", error_description="x y"');
  });
});
