import { randomUUID } from 'node:crypto';
import { Controller, Get, Header, Inject, Module, type DynamicModule, type OnModuleDestroy, type Type } from '@nestjs/common';
import passport from 'passport';
import { APP_FILTER } from '@nestjs/core';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import { BearerErrorFilter } from './bearer-error.filter.js';
import { BEARER_STRATEGY, BEARER_STRATEGY_NAME, bearerStrategyNamed, RESOURCE_SERVER } from './bearer.strategy.js';
import { ResourceServer, type ResourceServerOptions } from './resource-server.js';

/**
 * Protects a Nest app's routes with Gatehouse access tokens: `@UseGuards(BearerAuthGuard)`, and
 * `@RequireScopes(...)` where a scope is needed. With `metadata`, the app also serves its RFC 9728
 * document at `/.well-known/oauth-protected-resource…`.
 */
@Module({})
export class ResourceServerModule implements OnModuleDestroy {
  constructor(@Inject(BEARER_STRATEGY_NAME) private readonly strategy: string) {}

  static forRoot(options: ResourceServerOptions): DynamicModule {
    const server = new ResourceServer(options);
    // Unique across copies of this package in one process, which share Passport's registry.
    const strategy = `${BEARER_STRATEGY}-${randomUUID()}`;
    return {
      module: ResourceServerModule,
      controllers: server.metadata ? [metadataController(server.metadata.path, server.metadata.document)] : [],
      providers: [
        { provide: RESOURCE_SERVER, useValue: server },
        { provide: BEARER_STRATEGY_NAME, useValue: strategy },
        bearerStrategyNamed(strategy),
        BearerAuthGuard,
        { provide: APP_FILTER, useClass: BearerErrorFilter },
      ],
      exports: [RESOURCE_SERVER, BEARER_STRATEGY_NAME, BearerAuthGuard],
    };
  }

  /** Passport keeps a strategy (and its resource server) for the life of the process unless told. */
  onModuleDestroy(): void {
    passport.unuse(this.strategy);
  }
}

function metadataController(path: string, document: Record<string, unknown>): Type {
  @Controller()
  class ProtectedResourceMetadataController {
    @Get(path)
    @Header('cache-control', 'public, max-age=3600')
    metadata(): Record<string, unknown> {
      return document;
    }
  }
  return ProtectedResourceMetadataController;
}
