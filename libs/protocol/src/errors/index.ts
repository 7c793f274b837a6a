export { OAuthError, type OAuthErrorCode, type OAuthErrorOptions } from './oauth-error.js';
export * from './error-classes.js';
export { bearerChallenge } from './bearer-challenge.js';
export { authorizationErrorRedirect, sanitizeDescription, toErrorResponse, toServerError, type ErrorResponse } from './error-response.js';
export { describeCause } from './describe-cause.js';
