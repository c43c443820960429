import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import libxmljs from 'libxmljs2';
import { repoPath } from '@aeo/config';
import { AUTHORISATION_TYPES, TRADER_ID_SCHEMES } from '@aeo/domain';
import type { PartnerProfile } from '../profile/partner-profile.js';
import { ProfileError, loadPartnerProfile } from '../profile/profile-loader.js';
import { EaeuAdapter } from './eaeu-adapter.js';
import { CARRIED_TRADER_ID_SCHEMES } from './eaeu-trader-ids.js';

const profile = loadPartnerProfile('eaeu');
const schemaPath = repoPath(profile.wire.schemaFile);
const XS = { xs: 'http://www.w3.org/2001/XMLSchema' };

function schemaDocument(file: string) {
  return libxmljs.parseXml(readFileSync(file, 'utf8'), { baseUrl: `${dirname(file)}/` });
}

/** The enumeration values under the XSD declaration matching `xpath`. */
function enumerations(file: string, xpath: string): string[] {
  return schemaDocument(file)
    .find<libxmljs.Element>(`${xpath}//xs:enumeration`, XS)
    .map((e) => e.attr('value')!.value());
}

function partnerCodes(list: keyof PartnerProfile['codeLists']): string[] {
  return [
    ...new Set(profile.codeLists[list].map((e) => e.partner).filter((code): code is string => code !== null)),
  ].sort();
}

describe('eaeu wire schema', () => {
  it('is one file per namespace, imported by relative schemaLocation (the fixture suite validates with both libxmljs2 and xmllint)', () => {
    const imports = schemaDocument(schemaPath).find<libxmljs.Element>('//xs:import', XS);
    expect(imports.map((i) => i.attr('schemaLocation')!.value())).toEqual([
      'EEC_M_ComplexDataObjects_v0.4.14.xsd',
      'EEC_M_SimpleDataObjects_v0.4.14.xsd',
    ]);
    const targetNamespace = schemaDocument(schemaPath).root()!.attr('targetNamespace')!.value();
    expect(targetNamespace).toBe(profile.wire.namespace);
  });

  it.each([
    ['status', "//xs:element[@name='AEOCertificateStatusCode']"],
    ['authorisationType', "//xs:element[@name='AEORegistryKindCode']"],
    ['role', "//xs:simpleType[@name='AEOActivityKindCodeType']"],
  ] as const)('lists exactly the %s codes of the profile', (list, xpath) => {
    expect(enumerations(schemaPath, xpath).sort()).toEqual(partnerCodes(list));
  });

  it('lists exactly the trader-id schemes the adapter carries, which are all the domain knows', () => {
    const simpleObjects = repoPath(
      'schemas',
      'v1',
      'partners',
      'eaeu',
      'EEC_M_SimpleDataObjects_v0.4.14.xsd',
    );
    expect(enumerations(simpleObjects, "//xs:attribute[@name='kindId']").sort()).toEqual(
      [...CARRIED_TRADER_ID_SCHEMES].sort(),
    );
    expect([...CARRIED_TRADER_ID_SCHEMES].sort()).toEqual([...TRADER_ID_SCHEMES].sort());
  });
});

describe('eaeu profile', () => {
  it('maps only the three EAEU certificate types', () => {
    const adapter = new EaeuAdapter(profile);
    const [status, authorisationType, role] = adapter.capabilities().codeLists;
    expect(status).toEqual({
      list: 'status',
      unsupported: ['EXPIRED'],
      lossy: [{ canonical: 'ANNULLED', partner: '03', readBackAs: 'REVOKED' }],
    });
    expect([...authorisationType.unsupported].sort()).toEqual(
      AUTHORISATION_TYPES.filter((t) => !t.startsWith('EAEU_')).sort(),
    );
    expect(role).toEqual({ list: 'role', unsupported: [], lossy: [] });
    expect(adapter.capabilities()).toMatchObject({
      partner: 'eaeu',
      wireFormat: 'xml',
      fieldsNotCarried: [],
    });
    expect(adapter.capabilities().messageTypes).toHaveLength(6);
  });

  it.each([
    [
      'no message codes',
      { ...profile, mappingTables: { eecStructureCodes: profile.mappingTables!.eecStructureCodes } },
      /eecMessageCodes is required/,
    ],
    [
      'a code used for two messages',
      {
        ...profile,
        mappingTables: {
          ...profile.mappingTables,
          eecMessageCodes: { ...profile.mappingTables!.eecMessageCodes, RECEIPT: 'P.CC.99.MSG.001' },
        },
      },
      /used twice/,
    ],
    [
      'a malformed structure code',
      {
        ...profile,
        mappingTables: {
          ...profile.mappingTables,
          eecStructureCodes: { ...profile.mappingTables!.eecStructureCodes, RECEIPT: 'R.99' },
        },
      },
      /eecStructureCodes\.RECEIPT must match/,
    ],
    [
      'another namespace',
      { ...profile, wire: { ...profile.wire, namespace: 'urn:EEC:R:CC:RG:99:AEORegistryExchange:v2.0.0' } },
      /writes XML in namespace/,
    ],
  ])('refuses a profile with %s', (_what, broken, message) => {
    expect(() => new EaeuAdapter(broken)).toThrow(ProfileError);
    expect(() => new EaeuAdapter(broken)).toThrow(message);
  });
});
