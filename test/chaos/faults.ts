/**
 * The faults the chaos suite injects, and the gateway process they are injected into.
 * Each fault is what an operator's bad day looks like: the process killed without warning
 * (SIGKILL, then started again), every database connection cut (PostgreSQL
 * pg_terminate_backend, only for the gateway's own database: the server is shared), and
 * the broker restarted.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { PG_ADMIN_URL } from '../support/databases.js';
import { startGatewayProcess, type Started } from '../support/processes.js';
import type { FaultKind } from './fault-plan.js';

const run = promisify(execFile);

/**
 * The gateway under test: started, killed and started again on request, and watched for
 * the one thing no fault may cause — the process ending on its own (a crash).
 */
export class GatewaySupervisor {
  private current: Started | undefined;
  private killing = false;
  private crash: Error | undefined;
  readonly restarts: number[] = [];

  constructor(private readonly env: Record<string, string>) {}

  get url(): string {
    if (!this.current) throw new Error('the gateway is not running');
    return this.current.url;
  }

  /** Output of the running process (for a failure report). */
  get output(): readonly string[] {
    return this.current?.output ?? [];
  }

  async start(): Promise<void> {
    const started = await startGatewayProcess(this.env);
    started.process.once('exit', (code, signal) => {
      if (this.killing || this.current !== started) return;
      this.crash = new Error(`the gateway exited by itself (code ${code}, signal ${signal}); last output:\n${started.output.slice(-30).join('\n')}`);
    });
    this.current = started;
  }

  /** Throws if the gateway crashed: waiting any longer would only hide the cause. */
  assertAlive(): void {
    if (this.crash) throw this.crash;
  }

  /** SIGKILL (no shutdown hook runs), then a fresh process on the same database, keys and topology. Returns how long it was down. */
  async killAndRestart(): Promise<number> {
    const started = Date.now();
    this.killing = true;
    try {
      await this.current?.stop('SIGKILL');
    } finally {
      this.killing = false;
    }
    this.current = undefined;
    await this.start();
    const down = Date.now() - started;
    this.restarts.push(down);
    return down;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.killing = true;
    await this.current?.stop(signal);
    this.current = undefined;
  }
}

/** The database name of a PostgreSQL URL; refuses anything but a test database, since the server is shared. */
export function testDatabaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^mra_test_[0-9a-f]+$/.test(name)) throw new Error(`refusing to terminate connections to ${name}: not a test database`);
  return name;
}

/** Terminate every backend connected to this one database (the gateway's pool, and any reader). Returns how many. */
export async function terminateDatabaseConnections(databaseUrl: string): Promise<number> {
  const name = testDatabaseName(databaseUrl);
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const result = await admin.query(`SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
    return result.rows.filter((row: { terminated: boolean }) => row.terminated).length;
  } finally {
    await admin.end();
  }
}

/** Stop and start the local RabbitMQ node's application (connections drop; durable queues and persistent messages survive). */
export async function restartRabbitMq(): Promise<void> {
  await run('rabbitmqctl', ['-q', 'stop_app']);
  try {
    await run('rabbitmqctl', ['-q', 'start_app']);
  } finally {
    // Never leave the shared broker down, whatever happened above.
    await run('rabbitmqctl', ['-q', 'await_startup']);
  }
}

export interface FaultContext {
  readonly gateway: GatewaySupervisor;
  readonly databaseUrl: string;
}

/** Inject one fault; returns what to record about it. */
export async function inject(kind: FaultKind, context: FaultContext): Promise<string> {
  switch (kind) {
    case 'kill':
      return `gateway SIGKILLed, restarted in ${await context.gateway.killAndRestart()} ms`;
    case 'pgterm':
      return `${await terminateDatabaseConnections(context.databaseUrl)} connections terminated`;
    case 'rabbit': {
      const started = Date.now();
      await restartRabbitMq();
      return `RabbitMQ restarted in ${Date.now() - started} ms`;
    }
  }
}
