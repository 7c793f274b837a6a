import { applyDecorators, Injectable, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AdminPrincipal } from '../auth/admin-principal.js';
import { ROLES_CLAIM } from '../auth/admin-roles.js';

/** Who may call a route: platform admins only, a tenant's admins, or whoever may read its audit records. */
export type RequiredRole = 'platform_admin' | 'tenant_admin' | 'audit_reader';

const REQUIRED_ROLE = 'gatehouse:required-role';

/**
 * Checks the caller's role before anything of the request is read: for a tenant route against the
 * route's `:tenant`, answering a caller without access exactly as for a tenant that does not exist
 * (AdminPrincipal). Runs after the resource's bearer authentication, which sets the token's claims.
 */
@Injectable()
export class TenantRoleGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.get<readonly RequiredRole[] | undefined>(REQUIRED_ROLE, context.getHandler()) ?? [];
    if (roles.length === 0) return true;
    const request = context.switchToHttp().getRequest<{ user?: Record<string, unknown>; params?: Record<string, string> }>();
    const principal = AdminPrincipal.fromClaims(request.user ?? {}, ROLES_CLAIM);
    const slug = request.params?.['tenant'] ?? '';
    for (const role of roles) {
      if (role === 'platform_admin') principal.requirePlatformAdmin();
      else if (role === 'tenant_admin') principal.requireTenantAdmin(slug);
      else principal.requireAuditReader(slug);
    }
    return true;
  }
}

/**
 * The roles a route needs, checked in order (see TenantRoleGuard): `('tenant_admin', 'platform_admin')`
 * answers another tenant's caller 404 first, then anyone short of a platform admin 403.
 */
export function TenantRole(...roles: [RequiredRole, ...RequiredRole[]]): MethodDecorator {
  return applyDecorators(SetMetadata(REQUIRED_ROLE, roles), UseGuards(TenantRoleGuard));
}
