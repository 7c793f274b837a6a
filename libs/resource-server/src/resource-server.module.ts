import { Controller, Get, Header, Module, type DynamicModule, type Type } from '@nestjs/common';
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
export class ResourceServerModule {
  private static registered = 0;

  static forRoot(options: ResourceServerOptions): DynamicModule {
    const server = new ResourceServer(options);
    const strategy = `${BEARER_STRATEGY}-${++ResourceServerModule.registered}`;
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
