export {
  AccessTokenValidator,
  ASYMMETRIC_ALGORITHMS,
  bearerTokenFrom,
  type AccessTokenValidatorOptions,
  type StandingCheck,
  type ValidatedClaims,
} from './access-token-validator.js';
export { BearerError, type BearerErrorCode, type BearerErrorOptions } from './bearer-error.js';
export { type PresentedRequest, type ResourceDpopOptions } from './dpop-presentation.js';
export { BearerAuthGuard } from './bearer-auth.guard.js';
export { ACCESS_TOKEN_VALIDATOR, BEARER_STRATEGY, BearerStrategy } from './bearer.strategy.js';
export { ResourceServerModule } from './resource-server.module.js';
