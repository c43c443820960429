import type { AeoRecord, AeoStatus } from '@aeo/domain';
import type { ReceiptModeName, SimulatorDefect } from './scenario.js';

/** JSON over HTTP with a bearer token; every answer is returned, error statuses included. */
export async function httpJson<T = unknown>(
  method: string,
  url: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = { error: { code: `HTTP_${response.status}`, message: text.slice(0, 500) } };
  }
  return { status: response.status, body: parsed as T };
}

export interface OutboxMessage {
  readonly messageId: string;
  readonly environment: string;
  readonly partner: string;
  readonly messageType: string;
  readonly correlationId: string | null;
  readonly state: string;
  readonly createdAt: number;
  readonly sentAt: number | null;
  readonly settledAt: number | null;
  readonly reasonCode: string | null;
  readonly aeoIds: string | null;
  readonly receiptMessageId: string | null;
}

export interface ChangeResult {
  readonly records: AeoRecord[];
  readonly queued: { partner: string; messageId: string; records: number }[];
  readonly notSent: { partner: string; reasonCode: string; detail: string }[];
}

export interface AuditEntrySummary {
  readonly seq: number;
  readonly type: string;
  readonly outcome: string;
  readonly messageId: string | null;
  readonly details?: Record<string, unknown>;
}

/** Our gateway as the operator (register, outbox) and auditor (audit log) see it over HTTP. */
export class GatewayClient {
  constructor(
    readonly url: string,
    private readonly operatorToken: string,
    private readonly auditorToken: string,
  ) {}

  register(records: readonly Omit<AeoRecord, 'recordVersion' | 'lastChangedAt'>[]) {
    return httpJson<ChangeResult | { error: { code: string; message: string } }>(
      'POST',
      `${this.url}/v1/register/records`,
      { records, environment: 'pilot' },
      this.operatorToken,
    );
  }

  snapshot(partner: string) {
    return httpJson<ChangeResult | { error: { code: string; message: string } }>(
      'POST',
      `${this.url}/v1/snapshots`,
      { partner, environment: 'pilot' },
      this.operatorToken,
    );
  }

  async outbox(partner: string): Promise<OutboxMessage[]> {
    const response = await httpJson<{ messages: OutboxMessage[] }>(
      'GET',
      `${this.url}/v1/outbox?partner=${encodeURIComponent(partner)}&limit=500`,
      undefined,
      this.operatorToken,
    );
    if (response.status !== 200) throw new Error(`GET /v1/outbox answered ${response.status}`);
    return response.body.messages;
  }

  async audit(query: Record<string, string>): Promise<AuditEntrySummary[]> {
    const search = new URLSearchParams({ ...query, limit: '500' });
    const response = await httpJson<{ entries: AuditEntrySummary[] }>(
      'GET',
      `${this.url}/v1/audit?${search.toString()}`,
      undefined,
      this.auditorToken,
    );
    if (response.status !== 200) throw new Error(`GET /v1/audit answered ${response.status}`);
    return response.body.entries;
  }

  async jwksKids(): Promise<string[]> {
    const response = await httpJson<{ keys: { kid: string }[] }>('GET', `${this.url}/.well-known/jwks.json`);
    return response.body.keys.map((k) => k.kid);
  }
}

export interface SimulatorStats {
  readonly received: number;
  readonly uniqueMessages: number;
  readonly duplicates: number;
  readonly byType: Record<string, number>;
  readonly rejected: Record<string, number>;
  readonly receiptsSent: number;
  readonly latestStatus: Record<string, { status: AeoStatus; recordVersion: number }>;
  readonly sent: Record<
    string,
    { type: string; receipt?: { outcome: string; reasonCode?: string; at: number }; sentAt: number }
  >;
}

/** The partner simulator's control API (apps/partner-sim/src/control-server.ts). */
export class SimulatorClient {
  constructor(readonly url: string) {}

  private async post<T>(path: string, body: unknown): Promise<T> {
    const response = await httpJson<T & { error?: string }>('POST', `${this.url}${path}`, body);
    if (response.status !== 200)
      throw new Error(`simulator ${path}: ${response.body?.error ?? response.status}`);
    return response.body;
  }

  async stats(): Promise<SimulatorStats> {
    const response = await httpJson<SimulatorStats>('GET', `${this.url}/stats`);
    if (response.status !== 200) throw new Error(`simulator /stats answered ${response.status}`);
    return response.body;
  }

  async records(): Promise<AeoRecord[]> {
    return (await httpJson<AeoRecord[]>('GET', `${this.url}/records`)).body;
  }

  sendDelta(body: { status: AeoStatus; count?: number; defect?: SimulatorDefect }) {
    return this.post<{ messageId: string; records: AeoRecord[] }>('/send/delta', {
      ...body,
      environment: 'pilot',
    });
  }

  sendSnapshot(chunkSize: number) {
    return this.post<{ messageIds: string[] }>('/send/snapshot', { chunkSize, environment: 'pilot' });
  }

  sendOutOfOrder(aeoId: string, steps: readonly AeoStatus[]) {
    return this.post<{ messageIds: string[] }>('/send/out-of-order', { aeoId, steps, environment: 'pilot' });
  }

  sendLookup(aeoId: string) {
    return this.post<{ messageId: string }>('/send/lookup', { aeoId, environment: 'pilot' });
  }

  sendAgain(messageId: string) {
    return this.post<{ messageId: string }>('/send/again', { messageId });
  }

  receipts(mode: ReceiptModeName, delayMs?: number) {
    return this.post<unknown>('/receipts', { mode, ...(delayMs ? { delayMs } : {}) });
  }
}
