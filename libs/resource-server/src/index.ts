// The framework-free core (Node, Express, Connect, Fastify); NestJS users import '@gatehouse/resource-server/nest' too.
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
export { introspectionStanding, type IntrospectionOptions } from './introspection-standing.js';
export {
  fastifyAccessToken,
  protectedResourceMetadataHandler,
  requireAccessToken,
  type FastifyLikeReply,
  type ProtectedRequest,
  type RequireTokenOptions,
} from './middleware.js';
export {
  protectedResourceMetadata,
  protectedResourceMetadataPath,
  protectedResourceMetadataUrl,
  type ProtectedResourceOptions,
} from './protected-resource-metadata.js';
export { missingScopes, ResourceServer, type ResourceServerOptions } from './resource-server.js';
export { RevocationList, type RevocationListOptions, type RevocationSubscriber } from './revocation-list.js';
export { memoryReplayStore, redisReplayStore, type RedisSetNx } from './replay-stores.js';
