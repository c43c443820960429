import type { KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GatewayError } from '@aeo/domain';
import type * as Esbuild from 'esbuild';
import type { SignatureAlgorithm } from './algorithms.js';
import type { CryptoBackend, SealJob } from './crypto-backend.js';
import type { WorkerAnswer, WorkerBatch, WorkerJob } from './crypto-worker-protocol.js';

/** A job before it has an id (Omit applied to each member of the union). */
type WithoutId<J> = J extends unknown ? Omit<J, 'id'> : never;
type JobWithoutId = WithoutId<WorkerJob>;

interface Waiting {
  readonly resolve: (value: string | Uint8Array | boolean) => void;
  readonly reject: (error: Error) => void;
}

interface PoolWorker {
  readonly thread: Worker;
  readonly waiting: Map<number, Waiting>;
  /** Keys this worker holds, by number. */
  readonly keys: Set<number>;
  pending: WorkerJob[];
  pendingKeys: [number, KeyObject][];
  pendingForget: number[];
}

/** Workers dying within a second of their start, in a row, before the pool gives up. */
const QUICK_DEATHS_BEFORE_GIVING_UP = 5;

/**
 * The worker: crypto-worker.js next to this module in the built gateway. Run from the
 * TypeScript sources (tests, the benchmarks under tsx), a worker thread does not inherit the
 * main thread's module loader, so crypto-worker.ts and its imports are bundled once by esbuild
 * (a dev dependency) into one CommonJS script the worker runs as it is.
 */
function startWorkerThread(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./crypto-worker.js', here));
  return new Worker(sourceWorkerBundle(here), { eval: true });
}

let sourceBundle: string | undefined;

function sourceWorkerBundle(here: string): string {
  if (sourceBundle === undefined) {
    const esbuild = createRequire(here)('esbuild') as typeof Esbuild;
    const built = esbuild.buildSync({
      entryPoints: [fileURLToPath(new URL('./crypto-worker.ts', here))],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    sourceBundle = built.outputFiles[0].text;
  }
  return sourceBundle;
}

/**
 * The sealing and opening cryptography on worker threads, so it uses another core than the
 * event loop, which is busy with the database, the broker and the codecs (bench/README.md).
 * Jobs submitted in the same turn of the event loop go to a worker as one message; each goes
 * to the worker with the fewest jobs outstanding. A worker that dies fails its outstanding
 * jobs with TRANSIENT_FAILURE (the caller's batch is retried as after a database outage) and
 * is replaced.
 *
 * Keys go to a worker once, cloned by postMessage (a KeyObject never leaves the process and
 * is never serialised to bytes), and are named by number afterwards; when the main thread
 * drops a key (reloaded away), the workers are told to drop it too.
 */
export class CryptoWorkerPool implements CryptoBackend {
  private readonly workers: PoolWorker[] = [];
  private readonly keyIds = new WeakMap<KeyObject, number>();
  private readonly dropped = new FinalizationRegistry<number>((id) => this.forget(id));
  private nextKeyId = 1;
  private nextJobId = 1;
  private flushScheduled = false;
  private closed = false;
  private quickDeaths = 0;
  private brokenBecause: string | undefined;

  constructor(readonly size: number) {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError('a crypto worker pool needs at least one worker');
    for (let i = 0; i < size; i++) this.workers.push(this.spawn());
  }

  seal(job: SealJob): Promise<string> {
    const privateKey = this.keyId(job.privateKey);
    const encryptTo = job.encryptTo ? { header: job.encryptTo.header, recipient: this.keyId(job.encryptTo.recipient) } : undefined;
    const keys = job.encryptTo ? [job.privateKey, job.encryptTo.recipient] : [job.privateKey];
    return this.submit({ op: 'seal', signingInput: job.signingInput, alg: job.alg, privateKey, ...(encryptTo ? { encryptTo } : {}) }, keys) as Promise<string>;
  }

  async decrypt(text: string, header: Readonly<Record<string, unknown>>, recipient: KeyObject): Promise<Buffer> {
    const plaintext = (await this.submit({ op: 'decrypt', text, header, recipient: this.keyId(recipient) }, [recipient])) as Uint8Array;
    return Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
  }

  verify(alg: SignatureAlgorithm, signingInput: Buffer, signature: Buffer, publicKey: KeyObject): Promise<boolean> {
    // Exact-size copies, moved to the worker: a small Buffer is a view of a shared 8 KB slab,
    // and postMessage would copy the whole slab, other data included.
    return this.submit({ op: 'verify', alg, signingInput: new Uint8Array(signingInput), signature: new Uint8Array(signature), publicKey: this.keyId(publicKey) }, [publicKey]) as Promise<boolean>;
  }

  /** Stop the workers; jobs still outstanding fail. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers.splice(0);
    for (const worker of workers) this.failAll(worker, new GatewayError('TRANSIENT_FAILURE', 'the crypto worker pool was closed'));
    await Promise.all(workers.map((worker) => worker.thread.terminate()));
  }

  private keyId(key: KeyObject): number {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      id = this.nextKeyId++;
      this.keyIds.set(key, id);
      this.dropped.register(key, id);
    }
    return id;
  }

  private submit(job: JobWithoutId, keys: readonly KeyObject[]): Promise<string | Uint8Array | boolean> {
    if (this.closed) {
      const reason = this.brokenBecause ? `the crypto workers keep stopping as they start (${this.brokenBecause})` : 'the crypto worker pool was closed';
      return Promise.reject(new GatewayError('TRANSIENT_FAILURE', reason));
    }
    const worker = this.leastBusy();
    for (const key of keys) {
      const id = this.keyIds.get(key)!;
      if (!worker.keys.has(id)) {
        worker.keys.add(id);
        worker.pendingKeys.push([id, key]);
      }
    }
    const id = this.nextJobId++;
    worker.pending.push({ ...job, id });
    const answer = new Promise<string | Uint8Array | boolean>((resolve, reject) => worker.waiting.set(id, { resolve, reject }));
    worker.thread.ref();
    this.scheduleFlush();
    return answer;
  }

  private leastBusy(): PoolWorker {
    let best = this.workers[0];
    for (const worker of this.workers) if (worker.waiting.size < best.waiting.size) best = worker;
    return best;
  }

  /** Jobs of this turn of the event loop go out together, one message per worker. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      for (const worker of this.workers) this.flush(worker);
    });
  }

  private flush(worker: PoolWorker): void {
    if (worker.pending.length === 0 && worker.pendingForget.length === 0) return;
    const batch: WorkerBatch = { jobs: worker.pending, ...(worker.pendingKeys.length > 0 ? { keys: worker.pendingKeys } : {}), ...(worker.pendingForget.length > 0 ? { forget: worker.pendingForget } : {}) };
    worker.pending = [];
    worker.pendingKeys = [];
    worker.pendingForget = [];
    const moved = batch.jobs.flatMap((job) => (job.op === 'verify' ? [job.signingInput.buffer as ArrayBuffer, job.signature.buffer as ArrayBuffer] : []));
    worker.thread.postMessage(batch, moved);
  }

  private forget(id: number): void {
    for (const worker of this.workers) {
      if (!worker.keys.delete(id)) continue;
      worker.pendingForget.push(id);
    }
    // Told with the next jobs; an idle pool keeps a dropped key a little longer, never uses it.
  }

  private spawn(): PoolWorker {
    const thread = startWorkerThread();
    const worker: PoolWorker = { thread, waiting: new Map(), keys: new Set(), pending: [], pendingKeys: [], pendingForget: [] };
    // Idle workers do not keep the process alive; a worker with jobs out does (ref on submit).
    thread.unref();
    thread.on('message', (answers: WorkerAnswer[]) => {
      for (const answer of answers) {
        const waiting = worker.waiting.get(answer.id);
        if (!waiting) continue;
        worker.waiting.delete(answer.id);
        if (answer.ok) waiting.resolve(answer.value);
        else if (answer.error.kind === 'gateway') waiting.reject(new GatewayError(answer.error.code, answer.error.message, answer.error.path));
        else if (answer.error.kind === 'type') waiting.reject(new TypeError(answer.error.message));
        else waiting.reject(new Error(answer.error.message));
      }
      if (worker.waiting.size === 0) thread.unref();
    });
    const startedAt = Date.now();
    const replace = (error: Error) => {
      this.failAll(worker, new GatewayError('TRANSIENT_FAILURE', `a crypto worker stopped: ${error.message}`));
      const index = this.workers.indexOf(worker);
      if (index < 0 || this.closed) return;
      // A worker that cannot even start (its script missing, say) would be respawned in a hot
      // loop: after QUICK_DEATHS_BEFORE_GIVING_UP in a row within a second of starting, the
      // pool stops and every job fails with the reason, loudly, until the gateway restarts.
      this.quickDeaths = Date.now() - startedAt < 1_000 ? this.quickDeaths + 1 : 0;
      if (this.quickDeaths >= QUICK_DEATHS_BEFORE_GIVING_UP) {
        this.brokenBecause = error.message;
        void this.close();
        return;
      }
      this.workers[index] = this.spawn();
    };
    thread.on('error', replace);
    // A message the main thread cannot deserialise would leave its jobs waiting for ever.
    thread.on('messageerror', (error) => void thread.terminate().then(() => replace(error)));
    thread.on('exit', (code) => {
      if (!this.closed) replace(new Error(`exit code ${code}`));
    });
    return worker;
  }

  private failAll(worker: PoolWorker, error: Error): void {
    for (const waiting of worker.waiting.values()) waiting.reject(error);
    worker.waiting.clear();
    worker.pending = [];
  }
}
