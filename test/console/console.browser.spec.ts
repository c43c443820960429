/**
 * The web console in a real browser (Debian's Chromium driven by playwright-core) against a
 * gateway started in-process on a fresh SQLite database and the real RabbitMQ: log in per
 * role, partners, message flow, dead-letter replay, audit browsing, chain status, recognition
 * and test-run reports. Every page is saved as a screenshot under test-output/console/.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoPath } from '@aeo/config';
import { DEFAULT_TOPOLOGY } from '@aeo/messaging';
import { createSqliteDatabase, type TestDatabase } from '../support/databases.js';
import { eventually } from '../support/eventually.js';
import { deleteTopology, uniquePrefix } from '../support/rabbit.js';
import { CHROMIUM_OFFLINE_ARGS, CHROMIUM_PATH } from '../support/chromium.js';
import {
  TOKENS,
  api,
  parkFixedMessage,
  startConsoleGateway,
  writeReports,
  type ConsoleGateway,
} from './console-support.js';

jest.setTimeout(240_000);

const SHOTS = repoPath('test-output', 'console');
// A partner-supplied AEO name that would run script and inject an element if the console parsed it as HTML.
const HOSTILE_NAME =
  '<script>window.__xss=1</script><img src=x data-xss="1" onerror="window.__xss=2">Shenzhen Trading';

describe('web console in Chromium', () => {
  const prefix = uniquePrefix('console-ui');
  let db: TestDatabase;
  let running: ConsoleGateway;
  let url: string;
  let browser: Browser;
  let page: Page;
  const browserErrors: string[] = [];
  const shots: string[] = [];

  beforeAll(async () => {
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    db = await createSqliteDatabase();
    running = await startConsoleGateway(db.url, prefix);
    url = running.url;
    writeReports(running.reportsDir);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_OFFLINE_ARGS] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // A CSP violation (an inline script or style slipping in) or a script error shows up here.
    page.on('console', (message) => {
      if (message.type() === 'error') browserErrors.push(message.text());
    });
    page.on('pageerror', (error) => browserErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    await deleteTopology({ ...DEFAULT_TOPOLOGY, prefix, partners: ['cn', 'eaeu', 'kr', 'tr'] });
    await db?.drop();
  }, 60_000);

  async function shoot(name: string): Promise<void> {
    const file = join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    shots.push(file);
  }

  async function logIn(token: string): Promise<void> {
    await page.goto(`${url}/console#/login`);
    await page.fill('#api-key', token);
    await page.click('#login');
  }

  const menu = () => page.locator('#menu a').allTextContents();

  it('refuses a wrong key with a message and keeps nothing', async () => {
    await logIn('not-a-key-anyone-was-given');
    await expect(page.locator('#login-status [role=alert]').textContent()).resolves.toBe(
      'That API key was not accepted.',
    );
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await shoot('01-login-wrong-key');
  });

  let parked: string;

  it('operator: sees the partners and their MRA state, then replays a dead letter, which leaves the queue and is audited', async () => {
    parked = await parkFixedMessage(url, prefix, 'cn');
    await logIn(TOKENS.operator);
    await page.waitForSelector('.partner[data-partner="eaeu"]');
    expect(await menu()).toEqual(['Partners', 'Message flow', 'Dead letters', 'Recognition', 'Test runs']);
    await expect(page.locator('#who').textContent()).resolves.toContain('operator-user (operator)');
    await expect(page.locator('.partner[data-partner="eaeu"] h2').textContent()).resolves.toContain(
      'in-force',
    );
    await expect(page.locator('.partner[data-partner="cn"] h2').textContent()).resolves.toContain('pilot');
    await shoot('02-partners');

    await page.click('#menu a:text("Dead letters")');
    const replay = page.locator(`button.replay[data-message-id="${parked}"]`);
    await replay.waitFor();
    await expect(page.locator('tbody tr', { hasText: parked }).textContent()).resolves.toContain(
      'KEY_UNKNOWN',
    );
    await shoot('03-dlq-operator');
    await replay.click();
    await expect(page.locator('#dlq-status .notice').textContent()).resolves.toContain(`Replayed ${parked}`);
    await shoot('04-dlq-replayed');

    // Accepted this time, so it does not come back; the replay and the acceptance are both audited.
    await eventually(
      async () => {
        const audit = await api<{ entries: { type: string; outcome: string; actor: string }[] }>(
          url,
          'GET',
          `/v1/audit?messageId=${parked}`,
          TOKENS.auditor,
        );
        expect(audit.body.entries).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              type: 'OPERATOR_ACTION',
              outcome: 'DLQ_REPLAYED',
              actor: 'operator-user',
            }),
            expect.objectContaining({ type: 'MESSAGE_ACCEPTED', outcome: 'ACCEPTED' }),
          ]),
        );
      },
      { timeoutMs: 30_000 },
    );
    const dlq = await api<{ messages: { messageId: string }[] }>(url, 'GET', '/v1/dlq', TOKENS.operator);
    expect(dlq.body.messages.map((m) => m.messageId)).not.toContain(parked);
    await page.reload();
    await page.waitForSelector('h1:text("Dead-letter queue")');
    expect(await page.locator('tbody tr', { hasText: parked }).count()).toBe(0);
    await expect(page.locator('main').textContent()).resolves.toContain('The dead-letter queue is empty.');
  });

  it('operator: follows the message flow of a partner, looks up a recognition, and opens test-run reports', async () => {
    await page.goto(`${url}/console#/flow/cn`);
    await page.waitForSelector(`tbody tr:has-text("${parked}")`);
    await expect(page.locator('tbody tr', { hasText: parked }).textContent()).resolves.toContain('ACCEPTED');
    await shoot('05-message-flow');

    await page.click('#menu a:text("Recognition")');
    await page.fill('input[name=declaredAeoId]', 'CN0000000000');
    await page.fill('input[name=declarationReference]', 'DECL-CONSOLE-1');
    await page.click('button:text("Look up")');
    await page.waitForSelector('#decision, #recognition-result [role=alert]');
    await expect(page.locator('#recognition-result').textContent()).resolves.toMatch(
      /RECOGNISED|NOT RECOGNISED/,
    );
    await shoot('06-recognition');

    await page.click('#menu a:text("Test runs")');
    await page.waitForSelector('td:text("cn-2026-12-01.html")');
    await shoot('07-testrun-reports');
    await page.click('a:text("cn-2026-12-01.json")');
    await page.waitForSelector('h1:text("Test run: China (GACC)")');
    await expect(page.locator('main').textContent()).resolves.toContain('A status delta is acknowledged');
    await shoot('08-testrun-report');

    await page.click('#logout');
    await page.waitForSelector('#api-key');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  let hostileSeq: number;

  it('auditor: sees dead letters without a replay button', async () => {
    const second = await parkFixedMessage(url, prefix, 'cn');
    await logIn(TOKENS.auditor);
    await page.waitForSelector('.partner');
    expect(await menu()).toEqual([
      'Partners',
      'Message flow',
      'Dead letters',
      'Audit log',
      'Chain status',
      'Test runs',
    ]);
    await page.click('#menu a:text("Dead letters")');
    await page.waitForSelector(`tbody tr:has-text("${second}")`);
    expect(await page.locator('button.replay').count()).toBe(0);
    await expect(page.locator('main').textContent()).resolves.toContain('Read only');
    await shoot('09-dlq-auditor');
  });

  it('auditor: browses the audit log, opens an entry, and sees partner-supplied markup as text', async () => {
    // As a partner's refused message records it: the offending AEO name, verbatim, in the details.
    hostileSeq = (
      await running.audit.appendOne({
        direction: 'IN',
        type: 'MESSAGE_REJECTED',
        partner: 'cn',
        outcome: 'SCHEMA_VIOLATION',
        actor: 'cn',
        aeoId: 'CN4403960001',
        details: {
          reason: 'legalName is too long',
          record: { aeoId: 'CN4403960001', legalName: HOSTILE_NAME },
        },
      })
    ).seq;
    await page.click('#menu a:text("Audit log")');
    await page.fill('input[name=messageId]', parked);
    await page.click('button:text("Search")');
    const replayRow = page.locator('tbody tr', { hasText: 'DLQ_REPLAYED' });
    await replayRow.waitFor();
    await shoot('10-audit-search');
    await replayRow.locator('a').first().click();
    await page.waitForSelector('#audit-details');
    await expect(page.locator('#audit-details').textContent()).resolves.toContain('"action": "dlq-replay"');
    await shoot('11-audit-entry');

    await page.goto(`${url}/console#/audit/${hostileSeq}`);
    await page.waitForSelector(`h1:text("Audit entry ${hostileSeq}")`);
    await expect(page.locator('#audit-details').textContent()).resolves.toContain(
      JSON.stringify(HOSTILE_NAME).slice(1, -1),
    );
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await page.locator('[data-xss]').count()).toBe(0);
    await shoot('12-audit-hostile-name');
  });

  it('auditor: sees the chain status OK with the range it checked', async () => {
    await page.click('#menu a:text("Chain status")');
    await page.waitForSelector('#chain-ok');
    await expect(page.locator('#chain-ok').textContent()).resolves.toBe('OK');
    await expect(page.locator('main').textContent()).resolves.toMatch(/entries 1 to \d+/);
    await shoot('13-chain-status');
  });

  it('risk system: only the recognition lookup is on offer', async () => {
    await page.click('#logout');
    await logIn(TOKENS['risk-system']);
    await page.waitForSelector('h1:text("Recognition on arrival")');
    expect(await menu()).toEqual(['Recognition']);
    await shoot('14-risk-system');
  });

  it('wrote a real screenshot of every page and logged no script or policy error', () => {
    expect(shots).toHaveLength(14);
    for (const file of shots) {
      const png = readFileSync(file);
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, expect.any(Number)]);
      expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(900);
      expect(png.length).toBeGreaterThan(10_000);
    }
    // The only expected errors are the refused log-in's 401 and nothing else.
    expect(browserErrors.filter((text) => !text.includes('401'))).toEqual([]);
  });
});
