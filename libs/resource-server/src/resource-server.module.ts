import { Module, type DynamicModule } from '@nestjs/common';
import { AccessTokenValidator, type AccessTokenValidatorOptions } from './access-token-validator.js';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import { ACCESS_TOKEN_VALIDATOR, BearerStrategy } from './bearer.strategy.js';

/** Protects a Nest app's routes with Gatehouse access tokens: `@UseGuards(BearerAuthGuard)`. */
@Module({})
export class ResourceServerModule {
  static forRoot(options: AccessTokenValidatorOptions): DynamicModule {
    return {
      module: ResourceServerModule,
      providers: [{ provide: ACCESS_TOKEN_VALIDATOR, useValue: new AccessTokenValidator(options) }, BearerStrategy, BearerAuthGuard],
      exports: [ACCESS_TOKEN_VALIDATOR, BearerAuthGuard],
    };
  }
}
