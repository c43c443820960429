import { EntitySchema } from 'typeorm';

/**
 * Rows of the two AEO registers. The full canonical record is kept as JSON (the record is
 * the unit partners exchange); the columns beside it are what lookups filter on. Pilot data
 * (MRA test runs) lives under environment `pilot` and never mixes with production.
 */
export interface AeoRow {
  environment: string;
  programme: string;
  aeoIdNormalized: string;
  recordVersion: number;
  status: string;
  authorisationType: string;
  recordJson: string;
  lastChangedAt: string;
  /** UTC milliseconds when this version was stored here. */
  storedAt: number;
  /** Foreign register: the partner and message that set this version; home register: the actor. */
  source: string;
  sourceMessageId: string | null;
}

export interface AeoHistoryRow extends AeoRow {
  id?: number;
  /** APPLIED, or a reconciliation outcome such as MISSING_FROM_SNAPSHOT. */
  change: string;
}

const rowColumns = {
  environment: { type: String, length: 16, primary: true },
  programme: { type: String, length: 16, primary: true },
  aeoIdNormalized: { name: 'aeo_id_normalized', type: String, length: 64, primary: true },
  recordVersion: { name: 'record_version', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } },
  status: { type: String, length: 24 },
  authorisationType: { name: 'authorisation_type', type: String, length: 32 },
  recordJson: { name: 'record_json', type: 'text' },
  lastChangedAt: { name: 'last_changed_at', type: String, length: 32 },
  storedAt: { name: 'stored_at', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } },
  source: { type: String, length: 64 },
  sourceMessageId: { name: 'source_message_id', type: String, length: 64, nullable: true },
} as const;

function historyColumns() {
  const { environment, programme, aeoIdNormalized, ...rest } = rowColumns;
  return {
    id: { type: Number, primary: true, generated: 'increment' as const },
    environment: { ...environment, primary: false },
    programme: { ...programme, primary: false },
    aeoIdNormalized: { ...aeoIdNormalized, primary: false },
    ...rest,
    change: { type: String, length: 32 },
  };
}

export const ForeignAeoEntity = new EntitySchema<AeoRow>({ name: 'ForeignAeo', tableName: 'foreign_aeo', columns: rowColumns });

export const ForeignAeoHistoryEntity = new EntitySchema<AeoHistoryRow>({
  name: 'ForeignAeoHistory',
  tableName: 'foreign_aeo_history',
  columns: historyColumns(),
  indices: [{ name: 'ix_foreign_aeo_history_key', columns: ['environment', 'programme', 'aeoIdNormalized', 'storedAt'] }],
});

export const HomeAeoEntity = new EntitySchema<AeoRow>({ name: 'HomeAeo', tableName: 'home_aeo', columns: rowColumns });

export const HomeAeoHistoryEntity = new EntitySchema<AeoHistoryRow>({
  name: 'HomeAeoHistory',
  tableName: 'home_aeo_history',
  columns: historyColumns(),
  indices: [{ name: 'ix_home_aeo_history_key', columns: ['environment', 'programme', 'aeoIdNormalized', 'storedAt'] }],
});
