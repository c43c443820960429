import { ForbiddenException, Inject, Injectable, SetMetadata, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GATEWAY_AUDIT, API_KEYS } from '../tokens.js';
import type { ApiKeys, ApiPrincipal, Role } from './api-keys.js';
import type { AuditLog } from '@aeo/audit';

const ROLES_KEY = 'mra:roles';
const PUBLIC_KEY = 'mra:public';

/** The roles that may call a handler. Every handler without @Public() needs one. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** Health and JWKS only: no credentials asked. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The parts of the HTTP request the guard reads (Express underneath). */
export interface AuthenticatedRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly method: string;
  readonly path: string;
  principal?: ApiPrincipal;
}

/**
 * Authentication and role check on every route (registered globally): 401 without a valid
 * bearer key, 403 with a key of the wrong role — and a 403 leaves an audit entry, because a
 * refused attempt is exactly what an auditor wants to see.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEYS) private readonly keys: ApiKeys,
    @Inject(GATEWAY_AUDIT) private readonly audit: AuditLog,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = typeof request.headers.authorization === 'string' ? request.headers.authorization : '';
    const token = /^Bearer (.+)$/.exec(header)?.[1];
    const principal = token ? this.keys.authenticate(token) : undefined;
    if (!principal) throw new UnauthorizedException({ error: { code: 'UNAUTHENTICATED', message: 'a valid bearer API key is required' } });
    request.principal = principal;
    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (allowed.includes(principal.role)) return true;
    await this.audit.appendGroupCommitted({
      direction: 'INTERNAL',
      type: 'ACCESS_DENIED',
      outcome: 'FORBIDDEN',
      actor: principal.name,
      details: { role: principal.role, method: request.method, path: request.path, allowed },
    });
    throw new ForbiddenException({ error: { code: 'FORBIDDEN', message: `role ${principal.role} may not call ${request.method} ${request.path}` } });
  }
}
