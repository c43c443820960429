/**
 * Issue #9 item 3 (a): every partner decoder (and the canonical JSON codec), fed mutated
 * valid fixtures, grammar-aware random documents, random text and random bytes, either
 * returns a canonical message that passes assertValidCanonical, or throws a GatewayError
 * whose code is one of REASON_CODES. Never another error type, never a hang.
 */
import { describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { assertValidCanonical, CanonicalJsonCodec, encodeJson } from '@aeo/codecs';
import { GatewayError, isKnownReasonCode, type CanonicalMessage } from '@aeo/domain';
import { adapterFor, idRuleOptions, loadPartnerProfile } from '@aeo/partners';
import { homeRecord, message } from '../support/builders.js';
import { fuzzParameters } from './support/fuzz-parameters.js';
import { bytesOf, corpusFrom, corpusOf, decoderInputArb, type Corpus } from './support/mutations.js';

jest.setTimeout(60_000);

const PARTNERS = ['cn', 'eaeu', 'kr', 'tr', 'wco'] as const;
const SEEDS: Record<(typeof PARTNERS)[number] | 'canonical', number> = {
  cn: 0x9c01,
  eaeu: 0x9e01,
  kr: 0x9b01,
  tr: 0x9d01,
  wco: 0x9f01,
  canonical: 0x9a01,
};
const RUNS = 400;

/** The one acceptable shape of a refusal. */
function expectReasonCode(error: unknown): void {
  if (!(error instanceof GatewayError)) throw error;
  if (!isKnownReasonCode(error.code))
    throw new Error(`GatewayError with an unknown reason code '${error.code}': ${error.message}`);
}

describe('partner decoders under fuzzing', () => {
  it.each(PARTNERS)(
    '%s: decode returns a valid canonical message or a known reason code',
    async (partner) => {
      const profile = loadPartnerProfile(partner);
      const adapter = adapterFor(partner);
      const corpus: Corpus = corpusOf(partner, profile.wire.format);
      expect(corpus.fixtures.length).toBeGreaterThanOrEqual(5);
      const outcomes = { accepted: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(decoderInputArb(corpus), async (input) => {
          let decoded: CanonicalMessage;
          try {
            decoded = await adapter.decode(bytesOf(corpus, input));
          } catch (error) {
            expectReasonCode(error);
            outcomes.refused++;
            return;
          }
          // Whatever the decoder lets through must be a message the rest of the gateway can trust.
          assertValidCanonical(decoded, idRuleOptions(profile));
          outcomes.accepted++;
        }),
        fuzzParameters(SEEDS[partner], RUNS),
      );
      // The mix reaches both sides: some mutations are harmless, most are refused.
      expect(outcomes.accepted).toBeGreaterThan(0);
      expect(outcomes.refused).toBeGreaterThan(0);
    },
  );

  it('canonical JSON codec: decode returns a valid message or a known reason code', async () => {
    const bytes = Buffer.from(
      encodeJson(
        message(
          'AEO_SNAPSHOT',
          {
            snapshotId: '0c1d2e3f-4a5b-4c6d-9e7f-8091a2b3c4d5',
            programme: 'KZ-SRC',
            asOf: '2024-06-01T10:00:00Z',
            chunkIndex: 1,
            chunkCount: 1,
            records: [homeRecord(), homeRecord({ status: 'SUSPENDED', statusEffectiveTo: '2024-09-01' }, 2)],
          },
          { messageId: '5d1f0c2a-3b4c-4d5e-8f60-7a8b9c0d1e2f' },
        ),
      ),
    );
    const corpus = corpusFrom('json', [{ name: 'canonical snapshot', bytes }]);
    const outcomes = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(decoderInputArb(corpus), async (input) => {
        let decoded: CanonicalMessage;
        try {
          decoded = CanonicalJsonCodec.decode(bytesOf(corpus, input));
        } catch (error) {
          expectReasonCode(error);
          outcomes.refused++;
          return;
        }
        assertValidCanonical(decoded);
        outcomes.accepted++;
      }),
      fuzzParameters(SEEDS.canonical, RUNS),
    );
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});
