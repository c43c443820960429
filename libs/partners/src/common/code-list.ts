import { GatewayError, type ReasonCode } from '@aeo/domain';
import type { CodeListCapabilities } from '../partner-adapter.js';
import type { CodeListEntry } from '../profile/partner-profile.js';

export type { CodeListEntry } from '../profile/partner-profile.js';

/**
 * A bidirectional code-list mapping from a partner profile. Built once at load and checked
 * for completeness (every canonical value has a row) and for an unambiguous way back.
 */
export class CodeList<C extends string = string> {
  private readonly toPartnerMap = new Map<string, CodeListEntry>();
  private readonly toCanonicalMap = new Map<string, C>();

  constructor(
    readonly list: string,
    private readonly entries: readonly CodeListEntry[],
    canonicalValues: readonly C[],
    private readonly unknownCode: ReasonCode,
  ) {
    for (const entry of entries) {
      if (!canonicalValues.includes(entry.canonical as C)) {
        throw new Error(`code list ${list}: '${entry.canonical}' is not a canonical value`);
      }
      if (this.toPartnerMap.has(entry.canonical)) throw new Error(`code list ${list}: '${entry.canonical}' mapped twice`);
      this.toPartnerMap.set(entry.canonical, entry);
      if (entry.partner === null || entry.readBackAs !== undefined) continue;
      if (this.toCanonicalMap.has(entry.partner)) {
        throw new Error(`code list ${list}: partner code '${entry.partner}' reads back ambiguously; mark one readBackAs`);
      }
      this.toCanonicalMap.set(entry.partner, entry.canonical as C);
    }
    const missing = canonicalValues.filter((value) => !this.toPartnerMap.has(value));
    if (missing.length > 0) throw new Error(`code list ${list}: no row for ${missing.join(', ')} (use partner: null)`);
    for (const entry of entries) {
      if (entry.readBackAs !== undefined && this.toCanonicalMap.get(entry.partner ?? '') !== entry.readBackAs) {
        throw new Error(`code list ${list}: '${entry.canonical}' reads back as '${entry.readBackAs}', which is not mapped to '${entry.partner}'`);
      }
    }
  }

  /** The partner's code for a canonical value; CANNOT_ENCODE where the partner has none. */
  toPartner(value: C, path: string): { code: string; readBackAs?: C } {
    const entry = this.toPartnerMap.get(value);
    if (!entry || entry.partner === null) {
      throw new GatewayError('CANNOT_ENCODE', `${this.list} '${value}' has no counterpart in this partner's format`, path);
    }
    return entry.readBackAs === undefined ? { code: entry.partner } : { code: entry.partner, readBackAs: entry.readBackAs as C };
  }

  /** The canonical value for a partner code; the list's own reason code if unknown. */
  toCanonical(code: string, path: string): C {
    const value = this.toCanonicalMap.get(code);
    if (value === undefined) throw new GatewayError(this.unknownCode, `unknown ${this.list} code '${code}'`, path);
    return value;
  }

  capabilities(): CodeListCapabilities {
    return {
      list: this.list,
      unsupported: this.entries.filter((e) => e.partner === null).map((e) => e.canonical),
      lossy: this.entries
        .filter((e) => e.partner !== null && e.readBackAs !== undefined)
        .map((e) => ({ canonical: e.canonical, partner: e.partner!, readBackAs: e.readBackAs! })),
    };
  }
}
