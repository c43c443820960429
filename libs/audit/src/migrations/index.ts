import { AuditLog1795824000000 } from './1795824000000-audit-log.js';

/** The audit library's migrations, oldest first; one class per schema change. */
export const auditMigrations = [AuditLog1795824000000];
