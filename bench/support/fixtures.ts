/**
 * Fictional data and wiring for the benchmarks: home records every partner shares and can
 * carry, the partners' own fictional records, the gateway's test keys, an ExchangeRuntime on
 * a given database and AMQP prefix, and topology clean-up. Every name and number is invented.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AeoRecord, Programme } from '@aeo/domain';
import { repoPath } from '@aeo/config';
import type { HomeRecordChange } from '@aeo/exchange';
import { DEFAULT_TOPOLOGY } from '@aeo/messaging';
import { loadMraConfigs } from '@aeo/registry';
import { ExchangeRuntime } from '@aeo/runtime';
import { KeyRing, jwksDocument, loadPartnerKeyRegistry, systemClock } from '@aeo/trust';
import type { DataSource } from 'typeorm';
import { fictionalRecord } from '../../apps/partner-sim/src/fictional-register.js';
import { homeRecord, kzBin } from '../../test/support/builders.js';
import { deleteTopology } from '../../test/support/rabbit.js';

export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const PARTNERS = ['cn', 'eaeu', 'kr', 'tr'] as const;
export type Partner = (typeof PARTNERS)[number];

/** A topology prefix no other run uses; deleteBenchTopology removes everything under it. */
export function benchPrefix(label: string): string {
  return `bench.${label}.${randomBytes(4).toString('hex')}`;
}

export async function deleteBenchTopology(
  prefix: string,
  partners: readonly string[] = PARTNERS,
): Promise<void> {
  await deleteTopology({ ...DEFAULT_TOPOLOGY, prefix, partners: [...partners] });
}

/**
 * One of our AEOs that all four MRAs share (EAEU type 3, consent given) and every partner
 * format can carry (Türkiye needs a YFKS number). Serial `n` gives a unique certificate
 * number KZ/<n>/ТИП 3.
 */
export function benchHomeRecord(serial: number, status: AeoRecord['status'] = 'ACTIVE'): AeoRecord {
  return {
    ...homeRecord({ status }, serial),
    aeoId: `KZ/${serial}/ТИП 3`,
    aeoIdNormalized: `KZ/${serial}/ТИП 3`,
    traderIds: [
      { scheme: 'KZ-BIN', value: kzBin(serial) },
      { scheme: 'TR-YFKS', value: `YFKS-${100_000 + serial}` },
    ],
  };
}

export function homeChange(serial: number, status: AeoRecord['status'] = 'ACTIVE'): HomeRecordChange {
  const { recordVersion: _version, lastChangedAt: _changed, ...change } = benchHomeRecord(serial, status);
  return change;
}

/** The partner's own fictional AEOs, serials from `first`, spread over its programmes. */
export function partnerRecords(programmes: readonly Programme[], count: number, first = 0): AeoRecord[] {
  return Array.from({ length: count }, (_, i) =>
    fictionalRecord(programmes[i % programmes.length], first + i),
  );
}

export async function homeKeyRing(): Promise<KeyRing> {
  const document = JSON.parse(
    readFileSync(repoPath('test', 'keys', 'home', 'private.jwks.json'), 'utf8'),
  ) as {
    keys: Record<string, unknown>[];
  };
  return KeyRing.fromPrivateJwks(document);
}

/** Our public JWKS, as a partner would fetch it from /.well-known/jwks.json. */
export async function homePublicJwks(): Promise<unknown> {
  return jwksDocument((await homeKeyRing()).records(), new Date());
}

/** The runtime as the gateway composes it, with the test keys. */
export async function buildRuntime(
  dataSource: DataSource,
  prefix: string,
  batchSize?: number,
  cryptoWorkers = 0,
): Promise<ExchangeRuntime> {
  const mra = loadMraConfigs();
  const runtime = new ExchangeRuntime({
    dataSource,
    amqpUrl: AMQP_URL,
    topology: { ...DEFAULT_TOPOLOGY, prefix },
    mra,
    keyRing: await homeKeyRing(),
    partnerKeys: await loadPartnerKeyRegistry({ partners: [...mra.keys()] }),
    clock: systemClock,
    ...(batchSize ? { batchSize } : {}),
    cryptoWorkers,
    onError: (where, error) =>
      process.stderr.write(`runtime error in ${where}: ${(error as Error).message}\n`),
  });
  return runtime;
}
