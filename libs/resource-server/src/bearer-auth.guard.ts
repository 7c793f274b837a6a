import { Inject, Injectable, SetMetadata, type CustomDecorator, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, type IAuthModuleOptions } from '@nestjs/passport';
import type { ValidatedClaims } from './access-token-validator.js';
import { BearerError } from './bearer-error.js';
import { BEARER_STRATEGY_NAME, RESOURCE_SERVER } from './bearer.strategy.js';
import type { ResourceServer } from './resource-server.js';

const REQUIRED_SCOPES = 'gatehouse:required-scopes';

/** `@RequireScopes('orders:read')` on a handler or controller: BearerAuthGuard refuses tokens without every one (403 insufficient_scope). */
export const RequireScopes = (...scopes: string[]): CustomDecorator<string> => SetMetadata(REQUIRED_SCOPES, scopes);

/** Rejects with the strategy's BearerError (RFC 6750), never Passport's generic 401; then checks `@RequireScopes`. */
@Injectable()
export class BearerAuthGuard extends AuthGuard() {
  constructor(
    private readonly reflector: Reflector,
    @Inject(RESOURCE_SERVER) private readonly server: ResourceServer,
    // The strategy its module registered (Passport's registry is process-wide).
    @Inject(BEARER_STRATEGY_NAME) private readonly strategy: string,
  ) {
    super({ defaultStrategy: strategy });
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    // Set per request: Nest injects an app's PassportModule options (AuthModuleOptions) into
    // `options` after construction, and their defaultStrategy would replace this module's.
    const guard = this as unknown as { options: IAuthModuleOptions };
    guard.options = { ...guard.options, defaultStrategy: this.strategy };
    await super.canActivate(context);
    const required =
      this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]) ?? [];
    this.server.requireScopes(context.switchToHttp().getRequest<{ user: ValidatedClaims }>().user, required);
    return true;
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error instanceof BearerError) throw error;
    if (error || !user) throw new BearerError('invalid_token', 'The access token is invalid');
    return user;
  }
}
