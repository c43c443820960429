/**
 * A gateway started in-process exactly as main.ts starts it (startGateway), on a fresh
 * database and a unique AMQP prefix, with one API key per role. Tests that need other
 * settings (small rate limits) pass extra environment variables.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DEFAULT_TOPOLOGY } from '@aeo/messaging';
import type { DataSource } from 'typeorm';
import { startGateway, type RunningGateway } from '../../../apps/gateway/src/gateway.js';
import { DATA_SOURCE } from '../../../apps/gateway/src/tokens.js';
import { createSqliteDatabase, type TestDatabase } from '../../support/databases.js';
import { AMQP_URL, deleteTopology, uniquePrefix } from '../../support/rabbit.js';

export const ROLE_NAMES = ['operator', 'auditor', 'risk-system', 'security-officer'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

const PARTNERS = ['cn', 'eaeu', 'kr', 'tr'];

export interface TestGateway {
  readonly url: string;
  readonly gateway: RunningGateway;
  readonly dataSource: DataSource;
  /** One key per role; the key's name is the role's name. */
  readonly tokens: Readonly<Record<RoleName, string>>;
  stop(): Promise<void>;
}

export const token = (label: string) => `${label}-${randomBytes(16).toString('hex')}`;

/** Rate limits so high that a test's bursts never reach them (the rate-limit test sets its own). */
export const UNLIMITED: Record<string, string> = Object.fromEntries(
  ['OPERATOR', 'AUDITOR', 'RISK_SYSTEM', 'SECURITY_OFFICER', 'UNAUTHENTICATED', 'PUBLIC'].map((role) => [`MRA_RATE_LIMIT_${role}`, '1000000']),
);

export async function startTestGateway(label: string, options: { env?: Record<string, string>; extraKeys?: string[]; createDatabase?: () => Promise<TestDatabase> } = {}): Promise<TestGateway> {
  const db = await (options.createDatabase ?? createSqliteDatabase)();
  const prefix = uniquePrefix(label);
  const tokens = Object.fromEntries(ROLE_NAMES.map((role) => [role, token(role.slice(0, 3))])) as Record<RoleName, string>;
  const keys = [...ROLE_NAMES.map((role) => `${role}:${role}:${tokens[role]}`), ...(options.extraKeys ?? [])];
  let gateway: RunningGateway;
  try {
    gateway = await startGateway({
      DATABASE_URL: db.url,
      AMQP_URL,
      MRA_AMQP_PREFIX: prefix,
      MRA_KEYS_DIR: mkdtempSync(join(tmpdir(), `mra-${label}-keys-`)),
      MRA_KEY_PASSPHRASE: `${label}-passphrase-${randomBytes(8).toString('hex')}`,
      MRA_API_KEYS: keys.join(','),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      ...options.env,
    });
  } catch (error) {
    await db.drop();
    throw error;
  }
  // The exchange's publisher declares the topology after start() returns; stopping before it
  // is done leaves amqplib an unanswered request ("Channel ended"), so short suites wait for it.
  await (gateway.exchange as unknown as { publisher?: { waitForConnect(): Promise<void> } }).publisher?.waitForConnect();
  return {
    url: gateway.url,
    gateway,
    dataSource: gateway.app.get<DataSource>(DATA_SOURCE),
    tokens,
    async stop() {
      await gateway.close();
      await deleteTopology({ ...DEFAULT_TOPOLOGY, prefix, partners: PARTNERS });
      await db.drop();
    },
  };
}

export interface Answer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: T;
}

export async function call<T = unknown>(method: string, url: string, options: { body?: unknown; rawBody?: string; token?: string; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('json') && text ? (JSON.parse(text) as T) : (undefined as T);
  return { status: response.status, headers: response.headers, text, body: json };
}

/** Express 5 keeps its routes on app.router; Nest middleware bound to paths shows as routes answering every method. */
export interface DiscoveredRoute {
  readonly method: string;
  readonly path: string;
}

interface RouterLayer {
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
}

export function discoverRoutes(gateway: RunningGateway): DiscoveredRoute[] {
  const express = gateway.app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } };
  const routes: DiscoveredRoute[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    const methods = Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m]);
    // A layer answering every method is middleware mounted on a path (e.g. security headers), not an endpoint.
    if (methods.length > 10) continue;
    for (const method of methods) routes.push({ method: method.toUpperCase(), path: layer.route.path });
  }
  return routes;
}
