import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isAeoStatus, type Environment } from '@aeo/domain';
import { isDefect } from './defects.js';
import type { PartnerSimulator, ReceiptMode } from './partner-simulator.js';

/**
 * The simulator's control API on 127.0.0.1, for tests and the test-run runner: what it saw
 * (GET /stats, GET /records), what to send next (POST /send/...), how to answer (POST
 * /receipts). JSON in, JSON out; bodies capped at 64 KiB.
 */
export function startControlServer(simulator: PartnerSimulator, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    void handle(simulator, request, response).catch((error: unknown) => reply(response, 400, { error: (error as Error).message }));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 65_536) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** The environment a test asks the partner to send in: production unless it says pilot. */
function environmentOf(body: Record<string, unknown>): Environment {
  if (body.environment === undefined || body.environment === 'production') return 'production';
  if (body.environment === 'pilot') return 'pilot';
  throw new Error("environment must be 'production' or 'pilot'");
}

async function handle(simulator: PartnerSimulator, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const route = `${request.method} ${new URL(request.url ?? '/', 'http://x').pathname}`;
  switch (route) {
    case 'GET /stats':
      return reply(response, 200, simulator.snapshotStats());
    case 'GET /records':
      return reply(response, 200, simulator.records());
    case 'POST /send/delta': {
      const body = await readJson(request);
      if (!isAeoStatus(body.status)) throw new Error('status must be a canonical status');
      if (body.defect !== undefined && !isDefect(body.defect)) throw new Error('unknown defect');
      const result = await simulator.sendDelta({
        status: body.status,
        ...(typeof body.count === 'number' ? { count: body.count } : {}),
        ...(Array.isArray(body.aeoIds) ? { aeoIds: body.aeoIds as string[] } : {}),
        ...(body.defect ? { defect: body.defect } : {}),
        environment: environmentOf(body),
      });
      return reply(response, 200, result);
    }
    case 'POST /records/remove': {
      const body = await readJson(request);
      if (!Array.isArray(body.aeoIds)) throw new Error('aeoIds is required');
      return reply(response, 200, { removed: simulator.removeRecords(body.aeoIds as string[]) });
    }
    case 'POST /send/snapshot': {
      const body = await readJson(request);
      const chunkSize = typeof body.chunkSize === 'number' ? body.chunkSize : 500;
      return reply(response, 200, { messageIds: await simulator.sendSnapshot(chunkSize, environmentOf(body)) });
    }
    case 'POST /send/out-of-order': {
      const body = await readJson(request);
      const steps = (body.steps as unknown[]) ?? [];
      if (typeof body.aeoId !== 'string' || !steps.every(isAeoStatus)) throw new Error('aeoId and steps (statuses) are required');
      return reply(response, 200, { messageIds: await simulator.sendOutOfOrder(body.aeoId, steps, environmentOf(body)) });
    }
    case 'POST /send/lookup': {
      const body = await readJson(request);
      if (typeof body.aeoId !== 'string') throw new Error('aeoId is required');
      return reply(response, 200, { messageId: await simulator.sendLookup(body.aeoId, environmentOf(body)) });
    }
    case 'POST /send/again': {
      const body = await readJson(request);
      if (typeof body.messageId !== 'string') throw new Error('messageId is required');
      await simulator.republish(body.messageId);
      return reply(response, 200, { messageId: body.messageId });
    }
    case 'POST /send/stream': {
      const body = await readJson(request);
      const messages = Number(body.messages);
      if (!Number.isInteger(messages) || messages < 1 || messages > 1_000_000) throw new Error('messages must be 1..1000000');
      simulator.startStream(messages, typeof body.concurrency === 'number' ? body.concurrency : 16);
      return reply(response, 202, { started: messages });
    }
    case 'POST /receipts': {
      const body = await readJson(request);
      const mode: ReceiptMode =
        body.mode === 'none' ? { kind: 'none' } : body.mode === 'slow' ? { kind: 'slow', delayMs: Number(body.delayMs ?? 2000) } : body.mode === 'duplicate' ? { kind: 'duplicate' } : { kind: 'normal' };
      simulator.setReceiptMode(mode);
      return reply(response, 200, mode);
    }
    default:
      return reply(response, 404, { error: `no route ${route}` });
  }
}
