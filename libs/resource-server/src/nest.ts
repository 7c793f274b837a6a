// The NestJS integration: a second entry point, so the core loads without NestJS (Express, Fastify, plain Node).
export { BearerAuthGuard, RequireScopes } from './bearer-auth.guard.js';
export { BearerErrorFilter } from './bearer-error.filter.js';
export { BEARER_STRATEGY, BEARER_STRATEGY_NAME, BearerStrategy, bearerStrategyNamed, RESOURCE_SERVER } from './bearer.strategy.js';
export { ResourceServerModule } from './resource-server.module.js';
