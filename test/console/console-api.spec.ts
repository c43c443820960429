/**
 * The console's API endpoints and how the console is served, on both databases, against the
 * real RabbitMQ: identity, partners, inbound messages, the audit chain status, test-run
 * reports (with path-traversal attempts) and the security headers.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TOPOLOGY } from '@aeo/messaging';
import { DATABASES, type TestDatabase } from '../support/databases.js';
import { eventually } from '../support/eventually.js';
import { deleteTopology, uniquePrefix } from '../support/rabbit.js';
import { asAttacker } from '../audit/audit-support.js';
import {
  TOKENS,
  api,
  parkFixedMessage,
  startConsoleGateway,
  writeReports,
  type ConsoleGateway,
} from './console-support.js';

jest.setTimeout(120_000);

type Overview = {
  partner: string;
  mra: {
    state: string;
    operativeToday: boolean;
    inForceFrom: string | null;
    scope: { outboundAuthorisationTypes: string[] };
    benefits: string[];
  };
  lastInbound: { messageId: string; messageType: string } | null;
  outboundByState: Record<string, number>;
  inboundByOutcome: { windowDays: number; counts: Record<string, number> };
};

describe.each(DATABASES)('console API on %s', (_kind, createDatabase) => {
  const prefix = uniquePrefix('console-api');
  let db: TestDatabase;
  let running: ConsoleGateway;
  let url: string;

  beforeAll(async () => {
    db = await createDatabase();
    running = await startConsoleGateway(db.url, prefix);
    url = running.url;
  }, 120_000);

  afterAll(async () => {
    await running?.stop();
    await deleteTopology({ ...DEFAULT_TOPOLOGY, prefix, partners: ['cn', 'eaeu', 'kr', 'tr'] });
    await db?.drop();
  }, 60_000);

  it('GET /v1/me names the caller and role for every role; no key is 401', async () => {
    for (const [role, token] of Object.entries(TOKENS)) {
      const me = await api<{ name: string; role: string }>(url, 'GET', '/v1/me', token);
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ name: `${role.split('-')[0]}-user`, role });
    }
    expect((await api(url, 'GET', '/v1/me')).status).toBe(401);
    expect((await api(url, 'GET', '/v1/me', 'not-a-key-of-anyone-here')).status).toBe(401);
  });

  it('lists every MRA partner with its arrangement, and counts an accepted inbound message after a DLQ replay', async () => {
    const list = await api<{ partners: Overview[] }>(url, 'GET', '/v1/partners', TOKENS.auditor);
    expect(list.status).toBe(200);
    expect(list.body.partners.map((p) => p.partner).sort()).toEqual(['cn', 'eaeu', 'kr', 'tr']);
    const eaeu = list.body.partners.find((p) => p.partner === 'eaeu')!;
    expect(eaeu.mra).toMatchObject({ state: 'in-force', operativeToday: true, inForceFrom: '2019-01-01' });
    expect(eaeu.mra.scope.outboundAuthorisationTypes).toEqual(['EAEU_TYPE1', 'EAEU_TYPE2', 'EAEU_TYPE3']);

    const messageId = await parkFixedMessage(url, prefix, 'cn');
    expect((await api(url, 'POST', `/v1/dlq/${messageId}/replay`, TOKENS.operator)).status).toBe(201);
    const cn = await eventually(
      async () => {
        const one = await api<Overview>(url, 'GET', '/v1/partners/cn', TOKENS.operator);
        expect(one.body.lastInbound).toEqual({
          messageId,
          messageType: 'AEO_STATUS_DELTA',
          at: expect.any(Number),
        });
        return one.body;
      },
      { timeoutMs: 30_000 },
    );
    expect(cn.inboundByOutcome).toEqual({ windowDays: 7, counts: { ACCEPTED: 1 } });
    // Accepted on replay, so it has left the dead-letter queue for good.
    const dlq = await api<{ messages: { messageId: string }[] }>(url, 'GET', '/v1/dlq', TOKENS.operator);
    expect(dlq.body.messages.map((m) => m.messageId)).not.toContain(messageId);
    // Our signed receipt for it is in the outbox, whatever state the relay has it in by now.
    expect(Object.values(cn.outboundByState).reduce((a, b) => a + b, 0)).toBe(1);

    const inbound = await api<{
      messages: { messageId: string; outcome: string; messageType: string; seq: number }[];
    }>(url, 'GET', '/v1/inbound?partner=cn&outcome=ACCEPTED', TOKENS.auditor);
    expect(inbound.body.messages).toEqual([
      expect.objectContaining({ messageId, outcome: 'ACCEPTED', messageType: 'AEO_STATUS_DELTA' }),
    ]);
    expect(
      (await api(url, 'GET', '/v1/inbound?partner=cn&outcome=SIGNATURE_INVALID', TOKENS.auditor)).body,
    ).toEqual({ messages: [], nextCursor: null });
  });

  it('refuses unknown partners and malformed filters with a reason code', async () => {
    expect((await api(url, 'GET', '/v1/partners/zz', TOKENS.operator)).status).toBe(404);
    const badPartner = await api<{ error: { code: string; path: string } }>(
      url,
      'GET',
      '/v1/inbound?partner=zz',
      TOKENS.operator,
    );
    expect([badPartner.status, badPartner.body.error.code, badPartner.body.error.path]).toEqual([
      422,
      'INVALID_VALUE',
      '/partner',
    ]);
    const badOutcome = await api<{ error: { code: string; path: string } }>(
      url,
      'GET',
      `/v1/inbound?outcome=${encodeURIComponent("x' OR 1=1")}`,
      TOKENS.operator,
    );
    expect([badOutcome.status, badOutcome.body.error.path]).toEqual([422, '/outcome']);
  });

  it('enforces the roles of every console endpoint, auditing refusals', async () => {
    const cases: [string, string, keyof typeof TOKENS, number][] = [
      ['GET', '/v1/partners', 'risk-system', 403],
      ['GET', '/v1/partners/cn', 'security-officer', 403],
      ['GET', '/v1/inbound', 'risk-system', 403],
      ['GET', '/v1/audit-chain/status', 'operator', 403],
      ['GET', '/v1/testrun-reports', 'risk-system', 403],
      ['GET', '/v1/testrun-reports/x.json', 'security-officer', 403],
      ['GET', '/v1/partners', 'operator', 200],
      ['GET', '/v1/inbound', 'auditor', 200],
      ['GET', '/v1/audit-chain/status', 'auditor', 200],
      ['GET', '/v1/testrun-reports', 'operator', 200],
    ];
    for (const [method, path, role, status] of cases)
      expect([path, role, (await api(url, method, path, TOKENS[role])).status]).toEqual([path, role, status]);
    for (const path of ['/v1/partners', '/v1/inbound', '/v1/audit-chain/status', '/v1/testrun-reports'])
      expect((await api(url, 'GET', path)).status).toBe(401);
    const denied = await api<{ entries: { details: { path: string } }[] }>(
      url,
      'GET',
      '/v1/audit?type=ACCESS_DENIED&limit=50',
      TOKENS.auditor,
    );
    expect(denied.body.entries.map((e) => e.details.path)).toEqual(
      expect.arrayContaining(['/v1/partners', '/v1/audit-chain/status', '/v1/testrun-reports']),
    );
  });

  it('reports the audit chain intact from the last signed checkpoint, and says which range it checked', async () => {
    const before = await api<{
      ok: boolean;
      anchor: { kind: string };
      checked: { from: number; to: number };
    }>(url, 'GET', '/v1/audit-chain/status', TOKENS.auditor);
    expect(before.body).toMatchObject({ ok: true, anchor: { kind: 'genesis' }, checked: { from: 1 } });
    const checkpoint = await running.audit.checkpoint(await running.checkpointSigner());
    await running.audit.appendOne({
      direction: 'INTERNAL',
      type: 'OPERATOR_ACTION',
      outcome: 'APPLIED',
      actor: 'test',
      details: { after: 'checkpoint' },
    });
    const status = await api<{
      ok: boolean;
      anchor: { kind: string; seq: number };
      checked: { from: number; to: number; entries: number };
      head: number;
      signatures: string;
      checkpointsChecked: number;
      notChecked: number;
    }>(url, 'GET', '/v1/audit-chain/status', TOKENS.auditor);
    expect(status.body).toMatchObject({
      ok: true,
      signatures: 'verified',
      checkpointsChecked: 1,
      notChecked: 0,
      anchor: { kind: 'checkpoint', seq: checkpoint!.seq },
    });
    expect(status.body.checked).toEqual({
      from: checkpoint!.seq,
      to: status.body.head,
      entries: status.body.head - checkpoint!.seq + 1,
    });
  });

  it('lists and serves test-run reports from its directory only; path traversal is refused and audited', async () => {
    const { json, html } = writeReports(running.reportsDir);
    writeFileSync(join(running.outsideDir, 'secret.json'), '{"secret":true}');
    symlinkSync(join(running.outsideDir, 'secret.json'), join(running.reportsDir, 'linked.json'));
    const list = await api<{ reports: { name: string; format: string }[] }>(
      url,
      'GET',
      '/v1/testrun-reports',
      TOKENS.operator,
    );
    expect(list.body.reports.map((r) => [r.name, r.format]).sort()).toEqual(
      [
        [json, 'json'],
        [html, 'html'],
      ].sort(),
    );
    const one = await api<{ summary: { verdict: string } }>(
      url,
      'GET',
      `/v1/testrun-reports/${json}`,
      TOKENS.auditor,
    );
    expect(one.body.summary.verdict).toBe('PASSED');
    const page = await api<string>(url, 'GET', `/v1/testrun-reports/${html}`, TOKENS.auditor);
    expect(page.headers.get('content-disposition')).toBe(`attachment; filename="${html}"`);
    expect(page.headers.get('content-security-policy')).toMatch(/^sandbox;/);

    for (const attempt of [
      '..%2Foutside%2Fsecret.json',
      '%2E%2E%2Foutside%2Fsecret.json',
      '..%5Coutside%5Csecret.json',
      '.hidden.json',
      'x.txt',
    ]) {
      const refused = await api<{ error: { code: string } }>(
        url,
        'GET',
        `/v1/testrun-reports/${attempt}`,
        TOKENS.operator,
      );
      expect([attempt, refused.status, refused.body.error?.code]).toEqual([attempt, 422, 'INVALID_VALUE']);
      expect(JSON.stringify(refused.body)).not.toContain('secret');
    }
    // A symbolic link inside the directory pointing outside it is not a report either.
    expect((await api(url, 'GET', '/v1/testrun-reports/linked.json', TOKENS.operator)).status).toBe(404);
    expect(
      (await api(url, 'GET', '/v1/testrun-reports/..%2F..%2F..%2Fetc%2Fpasswd', TOKENS.operator)).status,
    ).toBe(422);
    const audited = await api<{ entries: { outcome: string; details: { name: string } }[] }>(
      url,
      'GET',
      '/v1/audit?type=ACCESS_DENIED&outcome=INVALID_VALUE',
      TOKENS.auditor,
    );
    expect(audited.body.entries.map((e) => e.details.name)).toEqual(
      expect.arrayContaining(['../outside/secret.json', '../../../etc/passwd']),
    );
  });

  it('serves the console publicly with a strict policy, and API data with no-store and nosniff', async () => {
    const index = await api<string>(url, 'GET', '/console');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.body).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/i);
    const script = await api<string>(url, 'GET', '/console/app.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await api(url, 'GET', '/console/..%2Fconsole.controller.ts')).status).toBe(404);
    expect((await api(url, 'GET', '/console/nothing.js')).status).toBe(404);

    const data = await api(url, 'GET', '/v1/partners', TOKENS.operator);
    expect(data.headers.get('cache-control')).toBe('no-store');
    expect(data.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await api(url, 'GET', '/.well-known/jwks.json')).headers.get('cache-control')).toBe(
      'max-age=300',
    );
  });

  it('reports a tampered entry after the last checkpoint as broken, naming its seq (runs last: it damages the chain)', async () => {
    const target = await running.audit.appendOne({
      direction: 'INTERNAL',
      type: 'OPERATOR_ACTION',
      outcome: 'APPLIED',
      actor: 'test',
      details: { note: 'to be altered' },
    });
    await running.audit.appendOne({
      direction: 'INTERNAL',
      type: 'OPERATOR_ACTION',
      outcome: 'APPLIED',
      actor: 'test',
      details: { note: 'after it' },
    });
    await asAttacker(running.dataSource, [
      [`UPDATE "audit_entry" SET "outcome" = ? WHERE "seq" = ?`, ['REJECTED', target.seq]],
    ]);
    const status = await api<{ ok: boolean; problem: { kind: string; seq: number } | null }>(
      url,
      'GET',
      '/v1/audit-chain/status',
      TOKENS.auditor,
    );
    expect(status.body).toMatchObject({ ok: false, problem: { kind: 'ENTRY_ALTERED', seq: target.seq } });
  });
});
