import type { PatternRuleSpec, Programme } from '@aeo/domain';

/**
 * Everything partner-specific that data can say (design.md: "partner specifics are data
 * where they can be"). Loaded from `config/partners/<partner>.yaml` and validated against
 * `schemas/v1/config/partner-profile.schema.json` at start-up.
 */
export interface PartnerProfile {
  /** Short code used on the command line, in routing keys and folder names: cn, kr, tr, eaeu, wco. */
  readonly partner: string;
  readonly displayName: string;
  /** The programme this partner speaks for (the envelope sender of its messages). */
  readonly programme: Programme;
  /** Programmes whose AEO records this partner sends us (EAEU: each member state's). */
  readonly recordProgrammes: readonly Programme[];
  /** `assumed`: the partner's real format is not public and this one is our proposal. */
  readonly formatStatus: 'assumed' | 'agreed';
  readonly formatNotes: string;
  readonly wire: {
    readonly format: 'xml' | 'json';
    readonly mediaType: string;
    /** XML namespace, or for JSON the value of the document's `profile` member. */
    readonly namespace: string;
    /** XSD (XML) or JSON Schema (JSON) of the wire format, relative to the repository root. */
    readonly schemaFile: string;
  };
  readonly limits: { readonly maxBytes: number; readonly maxDepth: number };
  readonly identifiers?: { readonly krAeoId?: PatternRuleSpec };
  /** Named lookup tables a mapper needs (table → key → value), e.g. YFKS numbers of our AEOs for Türkiye. */
  readonly mappingTables?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly codeLists: {
    readonly status: readonly CodeListEntry[];
    readonly authorisationType: readonly CodeListEntry[];
    readonly role: readonly CodeListEntry[];
  };
  readonly security: PartnerSecurityProfile;
}

export interface PartnerSecurityProfile {
  /** JWS algorithms we accept from this partner. Never `none`, never HMAC. */
  readonly signatureAlgorithms: readonly ('EdDSA' | 'ES256' | 'PS256')[];
  /** The algorithm our messages to this partner are signed with. */
  readonly outboundSignatureAlgorithm: 'EdDSA' | 'ES256' | 'PS256';
  readonly encryption: {
    /** Sign-then-encrypt every message both ways. */
    readonly required: boolean;
    readonly keyManagementAlgorithm: 'ECDH-ES+A256KW';
    readonly contentEncryption: 'A256GCM';
  };
  /** The partner's public keys (JWKS), relative to the repository root. */
  readonly jwksFile: string;
  readonly maxClockSkewSeconds: number;
  readonly maxMessageAgeSeconds: number;
}

/** One row of a profile's code-list mapping. `partner: null` means the partner has no such value. */
export interface CodeListEntry {
  readonly canonical: string;
  readonly partner: string | null;
  /** For many-to-one mappings: this canonical value is sent as `partner` but read back as `readBackAs`. */
  readonly readBackAs?: string;
  readonly note?: string;
}

