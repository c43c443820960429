import { DEFAULT_TOPOLOGY } from '@aeo/messaging';
import type { MraConfig } from '@aeo/registry';
import { ExchangeRuntime } from '@aeo/runtime';
import { keyStoreFromEnv, loadPartnerKeyRegistry, systemClock } from '@aeo/trust';
import type { DataSource } from 'typeorm';

/**
 * The exchange runtime for commands that queue messages (register import, snapshots): our keys
 * (MRA_KEYS_DIR, MRA_KEY_PASSPHRASE) sign here, the messages go to the outbox of the gateway's
 * database, and the running gateway's relay publishes them. It is never started: no broker
 * connection, no consumers, no timers.
 */
export async function cliExchangeRuntime(dataSource: DataSource, mra: ReadonlyMap<string, MraConfig>): Promise<ExchangeRuntime> {
  return new ExchangeRuntime({
    dataSource,
    amqpUrl: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    topology: { ...DEFAULT_TOPOLOGY, prefix: process.env.MRA_AMQP_PREFIX || DEFAULT_TOPOLOGY.prefix },
    mra,
    keyRing: await keyStoreFromEnv().open(),
    partnerKeys: await loadPartnerKeyRegistry({ partners: [...mra.keys()] }),
    clock: systemClock,
  });
}
