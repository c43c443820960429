import { Controller, Get, Req } from '@nestjs/common';
import { Roles, type AuthenticatedRequest } from '../auth/roles.guard.js';

/** Who the presented API key belongs to (every role): the console's log-in check and menu. */
@Controller('v1/me')
export class IdentityController {
  @Get()
  @Roles('operator', 'auditor', 'risk-system', 'security-officer')
  me(@Req() request: AuthenticatedRequest): { name: string; role: string } {
    const { name, role } = request.principal!;
    return { name, role };
  }
}
