import { Controller, Get, Inject } from '@nestjs/common';
import {
  AuditCheckpointEntity,
  AuditEntryEntity,
  jwksKeyResolver,
  verifyAuditLog,
  type AuditProblem,
} from '@aeo/audit';
import { publicJwkOf, type KeyStore } from '@aeo/trust';
import type { JWK } from 'jose';
import type { DataSource } from 'typeorm';
import { Roles } from '../auth/roles.guard.js';
import { DATA_SOURCE, KEY_STORE } from '../tokens.js';

/** At most this many entries per status check, so the answer stays fast; `mra audit verify` checks everything. */
export const CHAIN_STATUS_MAX_ENTRIES = 20_000;

export interface AuditChainStatus {
  readonly ok: boolean;
  /** The range recomputed: from the last signed checkpoint (or entry 1) to the head or the bound. */
  readonly checked: { readonly from: number; readonly to: number; readonly entries: number } | null;
  readonly head: number | null;
  /** Entries after `checked.to` left for the next check (only when the bound was reached). */
  readonly notChecked: number;
  readonly anchor:
    | { readonly kind: 'checkpoint'; readonly seq: number; readonly createdAt: number; readonly kid: string }
    | { readonly kind: 'genesis' }
    | null;
  readonly signatures: 'verified' | 'not-checked';
  /** Signed checkpoints inside the range whose signature and head hash were checked. */
  readonly checkpointsChecked: number;
  readonly problem: AuditProblem | null;
  readonly durationMs: number;
}

/**
 * Is the audit chain intact? (auditor). Recomputes the chain from the last signed
 * checkpoint — whose signature is verified against our own public keys — to the head,
 * bounded so a console can ask at any time. Older ranges are covered by earlier checks and
 * by `mra audit verify` (the whole log, offline-capable).
 */
@Controller('v1/audit-chain')
export class AuditChainController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
  ) {}

  @Get('status')
  @Roles('auditor')
  async status(): Promise<AuditChainStatus> {
    const started = performance.now();
    const [headRow] = await this.dataSource
      .getRepository(AuditEntryEntity)
      .find({ select: { seq: true }, order: { seq: 'DESC' }, take: 1 });
    const [checkpoint] = await this.dataSource
      .getRepository(AuditCheckpointEntity)
      .find({ order: { seq: 'DESC' }, take: 1 });
    const head = headRow?.seq ?? null;
    if (head === null) {
      return {
        ok: true,
        checked: null,
        head: null,
        notChecked: 0,
        anchor: null,
        signatures: 'not-checked',
        checkpointsChecked: 0,
        problem: null,
        durationMs: performance.now() - started,
      };
    }
    const from = checkpoint ? checkpoint.seq : 1;
    const to = Math.min(head, from + CHAIN_STATUS_MAX_ENTRIES - 1);
    // Retired keys too: an old checkpoint stays verifiable after a rotation.
    const resolveKey = jwksKeyResolver({
      keys: this.keys.list().map((record) => publicJwkOf(record) as JWK),
    });
    const report = await verifyAuditLog(this.dataSource, { from, to, resolveKey });
    return {
      ok: report.ok,
      checked: { from, to: report.lastSeq ?? to, entries: report.entries },
      head,
      notChecked: head - to,
      anchor: checkpoint
        ? { kind: 'checkpoint', seq: checkpoint.seq, createdAt: checkpoint.createdAt, kid: checkpoint.kid }
        : { kind: 'genesis' },
      signatures: report.checkpoints.signatures,
      checkpointsChecked: report.checkpoints.checked,
      problem: report.problem,
      durationMs: Math.round(performance.now() - started),
    };
  }
}
