/**
 * Supply-chain roles of an AEO. The two-letter codes follow the WCO Data Model role code
 * R005 as used for AEOMutualRecognitionParty (EU CL704 / UK DE 3/37 use CS, FW, MF, WH);
 * the others are our own assignments in the same style and are marked as such in the XSD.
 */
export const SUPPLY_CHAIN_ROLES = {
  MANUFACTURER: 'MF',
  EXPORTER: 'EX',
  IMPORTER: 'IM',
  CUSTOMS_BROKER: 'CB',
  CARRIER: 'CA',
  FREIGHT_FORWARDER: 'FW',
  CONSOLIDATOR: 'CS',
  WAREHOUSE_KEEPER: 'WH',
  TERMINAL_OPERATOR: 'TO',
  GROUND_HANDLER: 'GH',
} as const;

export type SupplyChainRole = keyof typeof SUPPLY_CHAIN_ROLES;
export type WcoRoleCode = (typeof SUPPLY_CHAIN_ROLES)[SupplyChainRole];

export const SUPPLY_CHAIN_ROLE_NAMES = Object.keys(SUPPLY_CHAIN_ROLES) as SupplyChainRole[];

export function isSupplyChainRole(value: unknown): value is SupplyChainRole {
  return typeof value === 'string' && Object.hasOwn(SUPPLY_CHAIN_ROLES, value);
}

export function roleFromWcoCode(code: string): SupplyChainRole | undefined {
  return SUPPLY_CHAIN_ROLE_NAMES.find((role) => SUPPLY_CHAIN_ROLES[role] === code);
}
