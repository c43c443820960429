/** Canonical AEO status list (domain.md §7.3). Only ACTIVE grants MRA benefits. */
export const AEO_STATUSES = [
  'ACTIVE',
  'SUSPENDED',
  'REVOKED',
  'SURRENDERED',
  'ANNULLED',
  'EXPIRED',
  'EXCLUDED',
  'CONSENT_WITHDRAWN',
] as const;

export type AeoStatus = (typeof AEO_STATUSES)[number];

export function isAeoStatus(value: unknown): value is AeoStatus {
  return typeof value === 'string' && (AEO_STATUSES as readonly string[]).includes(value);
}

export function grantsBenefits(status: AeoStatus): boolean {
  return status === 'ACTIVE';
}
