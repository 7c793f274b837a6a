import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { ROLES_CLAIM } from '../auth/admin-roles.js';

/** The authenticated caller (set by BearerAuthGuard from the token's claims). */
export const Principal = createParamDecorator((_data: unknown, context: ExecutionContext): AdminPrincipal => {
  const request = context.switchToHttp().getRequest<{ user?: Record<string, unknown> }>();
  return AdminPrincipal.fromClaims(request.user ?? {}, ROLES_CLAIM);
});
