import type { AuditLog } from '@aeo/audit';
import { GatewayError } from '@aeo/domain';
import { KEY_TYPE_NAMES, SIGNATURE_ALGORITHMS, keyState, loadPartnerKeyRegistry, type Clock, type KeyStore, type LiveKeys } from '@aeo/trust';

export interface KeyReloadReport {
  /** When the keys in use were loaded (the last reload, or start-up). */
  readonly reloadedAt: string;
  /** Our keys now loaded, with their state at reload time (no key material). */
  readonly ourKeys: readonly { kid: string; type: string; state: string }[];
  /** The key each signature algorithm signs with from now on. */
  readonly signingKids: Readonly<Record<string, string>>;
  /** Keys loaded per partner. */
  readonly partnerKeys: Readonly<Record<string, number>>;
}

/**
 * Reload our key store and the partners' JWKS files into the running gateway (LiveKeys), so
 * that `mra keys rotate`, `revoke` and `import` take effect without a restart. Everything is
 * loaded and checked first and swapped in one step: a wrong passphrase, an invalid JWKS or a
 * key type left without an active key refuses the reload and the gateway keeps the keys it
 * has. Every reload, and every refused one, is audited. One reload runs at a time.
 */
export class KeyReloader {
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: KeyStore,
    private readonly live: LiveKeys,
    private readonly partners: readonly string[],
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  /** The keys the gateway uses right now, read through LiveKeys as the sealer reads them. */
  inUse(): KeyReloadReport {
    const now = this.clock.now();
    return {
      reloadedAt: (this.live.lastReplacedAt ?? now).toISOString(),
      ourKeys: this.live.ourKeys().map((r) => ({ kid: r.kid, type: r.type, state: keyState(r, now) })),
      signingKids: Object.fromEntries(
        SIGNATURE_ALGORITHMS.flatMap((alg) => {
          try {
            return [[alg, this.live.signingKey(alg, now).kid]];
          } catch {
            return []; // no active key of that algorithm
          }
        }),
      ),
      partnerKeys: Object.fromEntries(this.live.partners().map((p) => [p, this.live.keysOf(p).length])),
    };
  }

  reload(actor: string, trigger: 'http' | 'SIGHUP'): Promise<KeyReloadReport> {
    const next = this.running.then(
      () => this.reloadNow(actor, trigger),
      () => this.reloadNow(actor, trigger),
    );
    this.running = next.catch(() => undefined);
    return next;
  }

  private async reloadNow(actor: string, trigger: 'http' | 'SIGHUP'): Promise<KeyReloadReport> {
    const now = this.clock.now();
    try {
      const ring = await this.store.open().catch((error: unknown) => {
        throw asGatewayError(error, 'SIGNING_KEY_UNAVAILABLE', 'our key store could not be opened');
      });
      const records = ring.records();
      const withoutActive = KEY_TYPE_NAMES.filter((type) => !records.some((r) => r.type === type && keyState(r, now) === 'active'));
      if (withoutActive.length > 0) {
        throw new GatewayError('SIGNING_KEY_UNAVAILABLE', `no active key of type ${withoutActive.join(', ')} in the key store; the keys in use are kept`);
      }
      const partnerKeys = await loadPartnerKeyRegistry({ partners: this.partners }).catch((error: unknown) => {
        throw asGatewayError(error, 'PARTNER_KEYS_INVALID', "a partner's JWKS could not be loaded");
      });
      this.live.replace(ring, partnerKeys, now);
      const report = this.inUse();
      await this.audit.appendOne({
        direction: 'INTERNAL',
        type: 'OPERATOR_ACTION',
        outcome: 'KEYS_RELOADED',
        actor,
        details: { trigger, ourKeys: report.ourKeys, signingKids: report.signingKids, partnerKeys: report.partnerKeys },
      });
      return report;
    } catch (error) {
      const refused = asGatewayError(error, 'INTERNAL_ERROR', 'the keys could not be reloaded');
      await this.audit.appendOne({
        direction: 'INTERNAL',
        type: 'OPERATOR_ACTION',
        outcome: 'KEYS_RELOAD_REFUSED',
        actor,
        details: { trigger, code: refused.code, message: refused.message },
      });
      throw refused;
    }
  }
}

/** Reload failures keep their own code; anything else gets the code of the step that failed (the message names no key material). */
function asGatewayError(error: unknown, code: string, what: string): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError(code, `${what}: ${(error as Error).message}`);
}
