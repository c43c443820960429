import type { KeyObject } from 'node:crypto';
import type { ReasonCode } from '@aeo/domain';
import type { SignatureAlgorithm } from './algorithms.js';

/** The messages between CryptoWorkerPool and its workers; keys are numbers once a worker has them. */
export type WorkerJob =
  | {
      readonly id: number;
      readonly op: 'seal';
      readonly signingInput: string;
      readonly alg: SignatureAlgorithm;
      readonly privateKey: number;
      readonly encryptTo?: { readonly header: Readonly<Record<string, unknown>>; readonly recipient: number };
    }
  | { readonly id: number; readonly op: 'decrypt'; readonly text: string; readonly header: Readonly<Record<string, unknown>>; readonly recipient: number }
  | { readonly id: number; readonly op: 'verify'; readonly alg: SignatureAlgorithm; readonly signingInput: Uint8Array; readonly signature: Uint8Array; readonly publicKey: number };

export interface WorkerBatch {
  /** Keys this worker has not had yet, by the number the jobs use. */
  readonly keys?: readonly (readonly [number, KeyObject])[];
  /** Keys the main thread has dropped: the worker forgets them too. */
  readonly forget?: readonly number[];
  readonly jobs: readonly WorkerJob[];
}

export type WorkerFailure =
  | { readonly kind: 'gateway'; readonly code: ReasonCode; readonly message: string; readonly path?: string }
  | { readonly kind: 'type' | 'other'; readonly message: string };

export type WorkerAnswer =
  | { readonly id: number; readonly ok: true; readonly value: string | Uint8Array | boolean }
  | { readonly id: number; readonly ok: false; readonly error: WorkerFailure };
