/**
 * A stand-in partner for the CLI tests: the fictional "cn" partner with a JSON wire format
 * that is simply our canonical JSON, so the tests exercise `mra sign`/`mra verify` without
 * depending on any real partner adapter. Its keys are the committed test keys of "cn".
 */
import { encodeJson } from '@aeo/codecs';
import type { CanonicalMessage } from '@aeo/domain';
import type { PartnerAdapter, PartnerProfile } from '@aeo/partners';

export const CLI_TEST_PROFILE: PartnerProfile = {
  partner: 'cn',
  displayName: 'Simulated partner for CLI tests (fictional)',
  programme: 'CN-GACC',
  recordProgrammes: ['CN-GACC'],
  formatStatus: 'assumed',
  formatNotes: 'Test stand-in: the wire format is the canonical JSON.',
  wire: {
    format: 'json',
    mediaType: 'application/json',
    namespace: 'urn:test:canonical',
    schemaFile: 'schemas/v1/canonical/message.schema.json',
  },
  limits: { maxBytes: 2 * 1024 * 1024, maxDepth: 24 },
  codeLists: { status: [], authorisationType: [], role: [] },
  security: {
    signatureAlgorithms: ['ES256', 'EdDSA'],
    outboundSignatureAlgorithm: 'ES256',
    encryption: { required: true, keyManagementAlgorithm: 'ECDH-ES+A256KW', contentEncryption: 'A256GCM' },
    jwksFile: 'config/partners/keys/cn.jwks.json',
    maxClockSkewSeconds: 300,
    maxMessageAgeSeconds: 86_400,
  },
};

export const cliTestAdapter: PartnerAdapter = {
  profile: CLI_TEST_PROFILE,
  decode: async () => {
    throw new Error('the CLI test adapter only encodes');
  },
  encode: (message: CanonicalMessage) => ({ bytes: encodeJson(message), losses: [] }),
  capabilities: () => ({
    partner: 'cn',
    wireFormat: 'json',
    fieldsNotCarried: [],
    codeLists: [],
    messageTypes: [],
  }),
};
