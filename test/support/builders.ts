/**
 * Builders of fictional canonical data for tests. Every name and number here is invented;
 * identifiers are computed so that their check digits are right.
 */
import { randomUUID } from 'node:crypto';
import {
  kzCheckDigit,
  type AeoRecord,
  type CanonicalMessage,
  type CanonicalMessageOf,
  type MessageType,
  type MessageBodies,
  type Programme,
} from '@aeo/domain';

export function kzBin(serial: number): string {
  // YYMM (1001), entity type (4), attribute digit, 5-digit serial = 11 digits before the check
  // digit. About one prefix in 11 has no valid check digit; then the attribute digit moves on.
  for (let attribute = 0; attribute < 10; attribute++) {
    const first11 = `10014${attribute}${String(serial % 100_000).padStart(5, '0')}`;
    const check = kzCheckDigit(first11);
    if (check !== undefined) return `${first11}${check}`;
  }
  throw new Error('no valid BIN for that serial');
}

export function homeRecord(overrides: Partial<AeoRecord> = {}, serial = 1): AeoRecord {
  const number = String(serial).padStart(4, '0');
  return {
    programme: 'KZ-SRC',
    aeoId: `KZ/${number}/ТИП 3`,
    aeoIdNormalized: `KZ/${number}/ТИП 3`,
    traderIds: [{ scheme: 'KZ-BIN', value: kzBin(serial) }],
    legalName: `ТОО «Тестовый Логистик ${serial}» (fictional)`,
    nameLatin: `Test Logistics ${serial} LLP (fictional)`,
    address: { street: 'Mangilik El 1', city: 'Astana', postcode: '010000', country: 'KZ' },
    status: 'ACTIVE',
    statusEffectiveFrom: '2024-01-15',
    authorisationType: 'EAEU_TYPE3',
    supplyChainRoles: ['CARRIER', 'FREIGHT_FORWARDER'],
    authorisationDate: '2024-01-15',
    validFrom: '2024-01-15',
    lastChangedAt: '2024-01-15T09:00:00Z',
    recordVersion: 1,
    consent: { granted: true, recordedOn: '2024-01-10' },
    ...overrides,
  };
}

export function message<T extends MessageType>(
  messageType: T,
  body: MessageBodies[T],
  envelope: { sender?: Programme; recipient?: Programme; messageId?: string; correlationId?: string } = {},
): CanonicalMessageOf<T> & CanonicalMessage {
  return {
    envelope: {
      messageId: envelope.messageId ?? randomUUID(),
      ...(envelope.correlationId ? { correlationId: envelope.correlationId } : {}),
      sender: envelope.sender ?? 'KZ-SRC',
      recipient: envelope.recipient ?? 'CN-GACC',
      createdAt: '2024-06-01T10:00:00Z',
      messageType,
      schemaVersion: '1.0',
      environment: 'production',
    },
    body,
  } as CanonicalMessageOf<T> & CanonicalMessage;
}

/** A home record as an operator enters a change: version and change time are the register's to set. */
export function homeChangeOf(record: AeoRecord): Omit<AeoRecord, 'recordVersion' | 'lastChangedAt'> {
  const { recordVersion: _v, lastChangedAt: _t, ...change } = record;
  return change;
}
