import {
  HOME_PROGRAMME,
  TRADER_ID_SCHEMES,
  isProgramme,
  isSupplyChainRole,
  type Programme,
  type SupplyChainRole,
} from '@aeo/domain';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { ProfileError } from '../profile/profile-loader.js';

/**
 * A one-to-one table from the profile's mappingTables, read both ways. Built once when the
 * adapter is created, so a wrong profile stops start-up instead of failing one message.
 */
export class TwoWayTable<K extends string> {
  private readonly toWireMap = new Map<K, string>();
  private readonly fromWireMap = new Map<string, K>();

  constructor(
    readonly name: string,
    rows: Readonly<Record<string, string>>,
    isKey: (key: string) => key is K,
  ) {
    for (const [key, code] of Object.entries(rows)) {
      if (!isKey(key)) {
        throw new ProfileError(`kr profile: mappingTables.${name}: '${key}' is not a canonical value`);
      }
      if (this.fromWireMap.has(code)) {
        throw new ProfileError(`kr profile: mappingTables.${name}: code '${code}' is used twice`);
      }
      this.toWireMap.set(key, code);
      this.fromWireMap.set(code, key);
    }
  }

  toWire(key: K): string | undefined {
    return this.toWireMap.get(key);
  }

  fromWire(code: string): K | undefined {
    return this.fromWireMap.get(code);
  }
}

/** The profile tables the kr mappers need besides the three code lists. */
export interface KrTables {
  /** Programme ↔ administration code (header sender_cd/receiver_cd, issuer_cd). */
  readonly administrations: TwoWayTable<Programme>;
  /** Canonical trader-id scheme ↔ KCS id type code. */
  readonly traderIdTypes: TwoWayTable<string>;
  /** KCS operator kinds without a canonical role of their own, and the role they are read as. */
  readonly inboundRoleCodes: ReadonlyMap<string, SupplyChainRole>;
}

function tableOf(profile: PartnerProfile, name: string): Readonly<Record<string, string>> {
  const rows = profile.mappingTables?.[name];
  if (!rows) throw new ProfileError(`kr profile: mappingTables.${name} is required`);
  return rows;
}

const isTraderIdScheme = (value: string): value is string => TRADER_ID_SCHEMES.includes(value);

export function krTablesOf(profile: PartnerProfile): KrTables {
  const administrations = new TwoWayTable(
    'administrationCodes',
    tableOf(profile, 'administrationCodes'),
    isProgramme,
  );
  for (const programme of new Set<Programme>([
    profile.programme,
    HOME_PROGRAMME,
    ...profile.recordProgrammes,
  ])) {
    if (administrations.toWire(programme) === undefined) {
      throw new ProfileError(`kr profile: mappingTables.administrationCodes has no code for ${programme}`);
    }
  }

  const traderIdTypes = new TwoWayTable('traderIdTypes', tableOf(profile, 'traderIdTypes'), isTraderIdScheme);
  // Like the code lists: every canonical scheme has a row, so no trader id is ever dropped.
  const missing = TRADER_ID_SCHEMES.filter((scheme) => traderIdTypes.toWire(scheme) === undefined);
  if (missing.length > 0) {
    throw new ProfileError(`kr profile: mappingTables.traderIdTypes has no row for ${missing.join(', ')}`);
  }

  const roleCodesSent = new Set(profile.codeLists.role.map((entry) => entry.partner));
  const inboundRoleCodes = new Map<string, SupplyChainRole>();
  for (const [code, role] of Object.entries(tableOf(profile, 'inboundRoleCodes'))) {
    if (!isSupplyChainRole(role)) {
      throw new ProfileError(`kr profile: mappingTables.inboundRoleCodes.${code}: '${role}' is not a role`);
    }
    // A code of the role list already has one meaning; a second one here would be ambiguous.
    if (roleCodesSent.has(code)) {
      throw new ProfileError(
        `kr profile: mappingTables.inboundRoleCodes.${code} is already in codeLists.role`,
      );
    }
    inboundRoleCodes.set(code, role);
  }
  return { administrations, traderIdTypes, inboundRoleCodes };
}
