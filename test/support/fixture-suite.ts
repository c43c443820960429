/**
 * The fixture-driven suite every partner adapter runs (`describeFixtures('cn', create)`).
 * Fixtures live in test/fixtures/<partner>/<message-type>/{valid,invalid}/. An invalid
 * file is named after the reason code it must produce: `IDENTIFIER_CHECK_DIGIT.xml`, or
 * `IDENTIFIER_CHECK_DIGIT--uscc.xml` when there are several.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { assertValidCanonical } from '@aeo/codecs';
import { repoPath } from '@aeo/config';
import { GatewayError, recordsOf, type CanonicalMessage } from '@aeo/domain';
import { loadPartnerProfile, type PartnerAdapter } from '@aeo/partners';
import { wireSchemaErrors } from './wire-schema.js';

export interface Fixture {
  readonly file: string;
  readonly messageType: string;
  readonly valid: boolean;
  readonly expectedCode?: string;
}

export function listFixtures(partner: string): Fixture[] {
  const root = repoPath('test', 'fixtures', partner);
  if (!existsSync(root)) return [];
  const fixtures: Fixture[] = [];
  for (const messageType of readdirSync(root).sort()) {
    for (const kind of ['valid', 'invalid'] as const) {
      const dir = join(root, messageType, kind);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir).sort()) {
        fixtures.push({
          file: join(dir, name),
          messageType,
          valid: kind === 'valid',
          ...(kind === 'invalid' ? { expectedCode: name.replace(/(--.*)?\.[a-z]+$/, '') } : {}),
        });
      }
    }
  }
  return fixtures;
}

/** Reason codes every partner's invalid fixtures must cover (issue #2, item 7). */
export const REQUIRED_INVALID_CODES: Record<'xml' | 'json', string[]> = {
  xml: ['IDENTIFIER_CHECK_DIGIT', 'UNKNOWN_STATUS_CODE', 'MISSING_REQUIRED_FIELD', 'WRONG_NAMESPACE', 'PAYLOAD_TOO_LARGE', 'XML_ENTITY_FORBIDDEN', 'MALFORMED_XML', 'INVALID_DATE'],
  // JSON has no entity declarations; its injection vector is the prototype-polluting key.
  json: ['IDENTIFIER_CHECK_DIGIT', 'UNKNOWN_STATUS_CODE', 'MISSING_REQUIRED_FIELD', 'WRONG_NAMESPACE', 'PAYLOAD_TOO_LARGE', 'FORBIDDEN_KEY', 'MALFORMED_JSON', 'INVALID_DATE'],
};

async function decodeCode(adapter: PartnerAdapter, bytes: Uint8Array): Promise<string> {
  try {
    await adapter.decode(bytes);
    return 'ACCEPTED';
  } catch (error) {
    if (error instanceof GatewayError) return error.code;
    throw error;
  }
}

export function describeFixtures(partner: string, createAdapter: () => PartnerAdapter): void {
  const profile = loadPartnerProfile(partner);
  const fixtures = listFixtures(partner);
  const adapter = createAdapter();
  const options = profile.identifiers?.krAeoId ? { krAeoId: profile.identifiers.krAeoId } : {};

  describe(`${partner} fixtures`, () => {
    it('has the required valid and invalid fixtures', () => {
      const valid = fixtures.filter((f) => f.valid);
      expect(valid.length).toBeGreaterThanOrEqual(5);
      for (const type of ['snapshot', 'status-delta', 'lookup-response', 'receipt']) {
        expect(valid.map((f) => f.messageType)).toContain(type);
      }
      const invalidCodes = new Set(fixtures.filter((f) => !f.valid).map((f) => f.expectedCode));
      expect(fixtures.filter((f) => !f.valid).length).toBeGreaterThanOrEqual(8);
      for (const code of REQUIRED_INVALID_CODES[profile.wire.format]) expect([...invalidCodes]).toContain(code);
    });

    it('has deltas with a suspension and with a revocation', async () => {
      const statuses = new Set<string>();
      for (const f of fixtures.filter((x) => x.valid && x.messageType === 'status-delta')) {
        for (const record of recordsOf(await adapter.decode(readFileSync(f.file)))) statuses.add(record.status);
      }
      expect([...statuses]).toEqual(expect.arrayContaining(['SUSPENDED', 'REVOKED']));
    });

    for (const fixture of fixtures.filter((f) => f.valid)) {
      const name = fixture.file.slice(repoPath('test', 'fixtures').length + 1);
      it(`decodes, validates and round-trips ${name}`, async () => {
        const bytes = readFileSync(fixture.file);
        expect(wireSchemaErrors(profile, bytes)).toEqual([]);
        const canonical: CanonicalMessage = await adapter.decode(bytes);
        assertValidCanonical(canonical, options);
        const encoded = adapter.encode(canonical);
        expect(wireSchemaErrors(profile, encoded.bytes)).toEqual([]);
        expect(await adapter.decode(encoded.bytes)).toEqual(canonical);
      });
    }

    for (const fixture of fixtures.filter((f) => !f.valid)) {
      const name = fixture.file.slice(repoPath('test', 'fixtures').length + 1);
      it(`rejects ${name} with ${fixture.expectedCode}`, async () => {
        expect(await decodeCode(adapter, readFileSync(fixture.file))).toBe(fixture.expectedCode);
      });
    }

    if (profile.wire.format === 'xml') {
      it('writes XML that xmllint --schema accepts', async () => {
        const dir = mkdtempSync(join(tmpdir(), `xmllint-${partner}-`));
        const files: string[] = [];
        for (const [i, fixture] of fixtures.filter((f) => f.valid).entries()) {
          const encoded = adapter.encode(await adapter.decode(readFileSync(fixture.file)));
          const out = join(dir, `${i}.xml`);
          writeFileSync(out, encoded.bytes);
          files.push(out);
        }
        // Throws (and fails the test) with xmllint's own message if any file is invalid.
        execFileSync('xmllint', ['--noout', '--nonet', '--schema', repoPath(profile.wire.schemaFile), ...files], { stdio: 'pipe' });
      });
    }
  });
}
