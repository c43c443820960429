import { GatewayError, HOME_PROGRAMME, aeoIdRuleFor, isGatewayError, type AeoRecord } from '@aeo/domain';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { ProfileError } from '../profile/profile-loader.js';

export const YFKS_SCHEME = 'TR-YFKS';
export const YFKS_TABLE = 'yfksByAeoId';

/**
 * Türkiye identifies foreign AEOs by the number its Foreign Company Registration System
 * (YFKS, Circular 2019/24) gave them, so every one of our records must carry one. A record
 * that already holds a TR-YFKS trader id uses it; otherwise the profile's table, keyed by
 * our normalised certificate number, supplies it. The table is checked when the adapter is
 * created, so a mistyped key stops start-up instead of failing a send later.
 */
export class YfksDirectory {
  private readonly byAeoId = new Map<string, string>();

  constructor(profile: PartnerProfile) {
    const table = profile.mappingTables?.[YFKS_TABLE] ?? {};
    const homeRule = aeoIdRuleFor(HOME_PROGRAMME);
    for (const [key, value] of Object.entries(table)) {
      const yfks = value.trim();
      const setting = `mappingTables.${YFKS_TABLE}['${key}']`;
      let normalised: string;
      try {
        normalised = homeRule.normalise(key).normalised;
      } catch (error) {
        if (!isGatewayError(error)) throw error;
        throw new ProfileError(
          `${profile.partner}: ${setting}: the key is not one of our AEO ids (${error.message})`,
        );
      }
      if (yfks === '' || yfks.length > 64) {
        throw new ProfileError(
          `${profile.partner}: ${setting}: a YFKS number of 1 to 64 characters is required`,
        );
      }
      const existing = this.byAeoId.get(normalised);
      if (existing !== undefined && existing !== yfks) {
        throw new ProfileError(
          `${profile.partner}: ${setting}: ${normalised} is listed twice with different YFKS numbers`,
        );
      }
      this.byAeoId.set(normalised, yfks);
    }
  }

  /** The YFKS number from the table, if our AEO has a row. */
  fromTable(aeoIdNormalized: string): string | undefined {
    return this.byAeoId.get(aeoIdNormalized);
  }

  /**
   * The YFKS number to add to one of our records on the wire, or undefined when the record
   * already carries a TR-YFKS trader id (which then travels in its place among the others).
   * `path` is the record's JSON pointer in the canonical message, named by the error.
   */
  missingYfksOf(record: AeoRecord, path: string): string | undefined {
    if (record.traderIds.some((id) => id.scheme === YFKS_SCHEME)) return undefined;
    const yfks = this.fromTable(record.aeoIdNormalized);
    if (yfks === undefined) {
      throw new GatewayError(
        'CANNOT_ENCODE',
        `no YFKS number for ${record.aeoIdNormalized}: Türkiye identifies foreign AEOs by YFKS; add a ${YFKS_SCHEME} trader id or a row to mappingTables.${YFKS_TABLE}`,
        path,
      );
    }
    return yfks;
  }
}
