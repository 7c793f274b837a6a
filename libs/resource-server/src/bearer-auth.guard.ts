import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { BearerError } from './bearer-error.js';
import { BEARER_STRATEGY } from './bearer.strategy.js';

/** Rejects with the strategy's BearerError (RFC 6750), never Passport's generic 401. */
@Injectable()
export class BearerAuthGuard extends AuthGuard(BEARER_STRATEGY) {
  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error instanceof BearerError) throw error;
    if (error || !user) throw new BearerError('invalid_token', 'The access token is invalid');
    return user;
  }
}
