/**
 * A crypto worker thread of CryptoWorkerPool: runs batches of seal / decrypt / verify jobs
 * with inlineCrypto itself and answers each job in the batch. Keys arrive once
 * per worker (KeyObjects are cloned by postMessage) and are then named by number; the pool
 * tells the worker to forget a key when the main thread no longer holds it.
 */
import type { KeyObject } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { GatewayError } from '@aeo/domain';
import { inlineCrypto } from './crypto-backend.js';
import type { WorkerAnswer, WorkerBatch, WorkerJob } from './crypto-worker-protocol.js';

const keys = new Map<number, KeyObject>();

function keyOf(id: number): KeyObject {
  const key = keys.get(id);
  if (!key) throw new Error(`crypto worker: key ${id} was never sent`);
  return key;
}

async function run(job: WorkerJob): Promise<string | Uint8Array | boolean> {
  switch (job.op) {
    case 'seal':
      return inlineCrypto.seal({
        signingInput: job.signingInput,
        alg: job.alg,
        privateKey: keyOf(job.privateKey),
        ...(job.encryptTo ? { encryptTo: { header: job.encryptTo.header, recipient: keyOf(job.encryptTo.recipient) } } : {}),
      });
    case 'decrypt':
      // An exact-size copy: Buffer.concat may return a view of a shared 8 KB slab that also
      // holds the content key, and postMessage would copy the whole slab to the main thread.
      return new Uint8Array(await inlineCrypto.decrypt(job.text, job.header, keyOf(job.recipient)));
    case 'verify':
      return inlineCrypto.verify(job.alg, asBuffer(job.signingInput), asBuffer(job.signature), keyOf(job.publicKey));
  }
}

function asBuffer(view: Uint8Array): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

function answerOf(id: number, error: unknown): WorkerAnswer {
  if (error instanceof GatewayError) return { id, ok: false, error: { kind: 'gateway', code: error.code, message: error.message, ...(error.path !== undefined ? { path: error.path } : {}) } };
  return { id, ok: false, error: { kind: error instanceof TypeError ? 'type' : 'other', message: error instanceof Error ? error.message : String(error) } };
}

const port = parentPort;
if (!port) throw new Error('crypto-worker.ts runs as a worker thread of CryptoWorkerPool');

port.on('message', (batch: WorkerBatch) => {
  for (const [id, key] of batch.keys ?? []) keys.set(id, key);
  // Every job looks its keys up synchronously as it starts (run() reads them before its first
  // await), so keys dropped on the main thread are forgotten only after this batch's jobs have
  // them: a job queued just before its key was dropped still runs.
  const answers = batch.jobs.map((job) =>
    run(job).then(
      (value): WorkerAnswer => ({ id: job.id, ok: true, value }),
      (error: unknown) => answerOf(job.id, error),
    ),
  );
  for (const id of batch.forget ?? []) keys.delete(id);
  if (answers.length === 0) return;
  void Promise.all(answers).then((settled) =>
    port.postMessage(
      settled,
      settled.flatMap((answer) => (answer.ok && answer.value instanceof Uint8Array ? [answer.value.buffer as ArrayBuffer] : [])),
    ),
  );
});
