/**
 * Fault injection (npm run test:chaos): 10,000 partner messages each, while (a) the gateway
 * is killed with SIGKILL and restarted, (b) RabbitMQ is restarted. Counted at both ends:
 * every message the partner got confirmed by the broker is applied exactly once, answered,
 * and the audit chain is intact. PostgreSQL, the production database.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { verifyAuditLog } from '@aeo/audit';
import { DEFAULT_TOPOLOGY } from '@aeo/messaging';
import { openGatewayDatabase } from '@aeo/schema';
import { createPostgresDatabase, type TestDatabase } from '../support/databases.js';
import { eventually } from '../support/eventually.js';
import { gatewayEnvironment, http, startGatewayProcess, startSimulatorProcess, type Started } from '../support/processes.js';
import { deleteTopology, uniquePrefix } from '../support/rabbit.js';

jest.setTimeout(15 * 60_000);

const MESSAGES = Number(process.env.CHAOS_MESSAGES ?? 10_000);
const PARTNER = 'kr';

type Stats = { stream: { confirmed: number; done: boolean; publishRetries: number }; sent: Record<string, { receipt?: { outcome: string } }> };

async function counts(db: TestDatabase): Promise<{ inbound: number; history: number }> {
  const ds = await openGatewayDatabase(db.url);
  try {
    const [inbound] = await ds.query(`SELECT COUNT(*)::int AS n FROM inbound_message WHERE partner = $1 AND message_type = 'AEO_STATUS_DELTA'`, [PARTNER]);
    const [history] = await ds.query(`SELECT COUNT(*)::int AS n FROM foreign_aeo_history WHERE source = $1`, [PARTNER]);
    return { inbound: inbound.n, history: history.n };
  } finally {
    await ds.destroy();
  }
}

describe('no message lost, none applied twice, under faults', () => {
  const started: Started[] = [];
  let db: TestDatabase | undefined;
  let prefix = '';

  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.stop('SIGKILL')));
    await deleteTopology({ ...DEFAULT_TOPOLOGY, prefix, partners: ['cn', 'eaeu', 'kr', 'tr'] });
    await db?.drop();
  });

  async function run(fault: (env: Record<string, string>, gateway: Started) => Promise<Started | undefined>) {
    db = await createPostgresDatabase();
    prefix = uniquePrefix('chaos');
    const env = gatewayEnvironment({ databaseUrl: db.url, prefix, keysDir: mkdtempSync(join(tmpdir(), 'mra-chaos-keys-')) });
    let gateway = await startGatewayProcess({ ...env, PORT: '18480' });
    started.push(gateway);
    const sim = await startSimulatorProcess(PARTNER, gateway.url, prefix);
    started.push(sim);
    expect((await http('POST', `${sim.url}/send/stream`, { messages: MESSAGES })).status).toBe(202);
    await eventually(async () => expect((await counts(db!)).inbound).toBeGreaterThan(MESSAGES / 4), { timeoutMs: 300_000, intervalMs: 500 });
    const replacement = await fault({ ...env, PORT: '18480' }, gateway);
    if (replacement) {
      gateway = replacement;
      started.push(replacement);
    }
    const stats = await eventually(
      async () => {
        const s = (await http<Stats>('GET', `${sim.url}/stats`)).body;
        expect(s.stream.done).toBe(true);
        expect(Object.values(s.sent).filter((m) => m.receipt?.outcome === 'ACCEPTED')).toHaveLength(MESSAGES);
        return s;
      },
      { timeoutMs: 600_000, intervalMs: 1_000 },
    );
    expect(stats.stream.confirmed).toBe(MESSAGES);
    // Applied exactly once each: one inbox row and one history row per partner message.
    expect(await counts(db)).toEqual({ inbound: MESSAGES, history: MESSAGES });
    const ds = await openGatewayDatabase(db.url);
    try {
      const report = await verifyAuditLog(ds, {});
      expect(report).toMatchObject({ ok: true });
    } finally {
      await ds.destroy();
    }
  }

  it(`SIGKILL of the gateway in the middle of ${MESSAGES} messages`, async () => {
    await run(async (env, gateway) => {
      await gateway.stop('SIGKILL');
      return startGatewayProcess(env);
    });
  });

  it(`a RabbitMQ restart in the middle of ${MESSAGES} messages`, async () => {
    await run(async () => {
      execFileSync('rabbitmqctl', ['stop_app'], { stdio: 'ignore' });
      execFileSync('rabbitmqctl', ['start_app'], { stdio: 'ignore' });
      execFileSync('rabbitmqctl', ['await_startup'], { stdio: 'ignore' });
      return undefined;
    });
  });
});
