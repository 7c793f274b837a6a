import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ValidatedClaims } from '@gatehouse/resource-server';

/** The caller's access token claims as BearerAuthGuard validated them (for re-checking its standing later). */
export const TokenClaims = createParamDecorator((_data: unknown, context: ExecutionContext): ValidatedClaims => {
  const request = context.switchToHttp().getRequest<{ user?: ValidatedClaims }>();
  return request.user ?? { sub: '' };
});
