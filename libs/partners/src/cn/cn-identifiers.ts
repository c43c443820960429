import { leaf, type XmlElement, type XmlNodeSpec } from '@aeo/codecs';
import { CN_USCC, GatewayError, KZ_BIN, aeoIdRuleFor, type AeoRecord, type TraderId } from '@aeo/domain';

/**
 * How an AEO is identified on the GACC wire, for each of the two programmes the channel
 * carries:
 *
 * - a Chinese AEO by its AEO code `AEOCN` + the 10-digit customs enterprise code (the
 *   spelling GACC gives MRA partners such as Belarus, the UAE and Uruguay), plus its
 *   18-character Unified Social Credit Code (USCC) as a second identifier;
 * - one of our AEOs by the code China's declaration systems key foreign AEOs on, "country
 *   code + that customs' enterprise code" (GACC Announcement 2018 No. 131), i.e. `KZ` + BIN,
 *   next to the EAEU certificate number that is its canonical AEO id.
 */
export interface RecordIdentity {
  readonly aeoId: string;
  readonly aeoIdNormalized: string;
  readonly traderIds: readonly TraderId[];
}

const KZ_ENTERPRISE_CODE = /^KZ(\d{12})$/;

/** Identifier rules throw without a path; give their errors the element they came from. */
export function atElement<T>(element: XmlElement, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof GatewayError && error.path === undefined) {
      throw new GatewayError(error.code, error.message, element.path, { cause: error });
    }
    throw error;
  }
}

function forbid(enterprise: XmlElement, name: string, why: string): void {
  const element = enterprise.optional(name);
  if (element) throw new GatewayError('UNEXPECTED_FIELD', `${name} ${why}`, element.path);
}

export function readChineseIdentity(enterprise: XmlElement): RecordIdentity {
  forbid(enterprise, 'CertificateNo', 'belongs to foreign (EAEU) certificates, not to a Chinese AEO');
  const codeElement = enterprise.required('AeoCode');
  const aeoId = enterprise.requiredText('AeoCode');
  // The domain rule accepts AEOCN+10, CN+10 and bare 10 digits (domain.md §7.4); the id is kept as written.
  const aeoIdNormalized = atElement(codeElement, () => aeoIdRuleFor('CN-GACC').normalise(aeoId).normalised);
  const uscc = enterprise.optional('Uscc');
  const traderIds: TraderId[] = [{ scheme: 'CN-CUSTOMS10', value: aeoIdNormalized.slice('CN'.length) }];
  if (uscc)
    traderIds.push({
      scheme: 'CN-USCC18',
      value: atElement(uscc, () => CN_USCC.normalise(uscc.text).normalised),
    });
  return { aeoId, aeoIdNormalized, traderIds };
}

export function readKazakhIdentity(enterprise: XmlElement): RecordIdentity {
  forbid(enterprise, 'Uscc', 'is a Chinese identifier; a KZ-SRC record has none');
  const certificate = enterprise.required('CertificateNo');
  const aeoId = enterprise.requiredText('CertificateNo');
  const aeoIdNormalized = atElement(certificate, () => aeoIdRuleFor('KZ-SRC').normalise(aeoId).normalised);
  const codeElement = enterprise.required('AeoCode');
  const match = KZ_ENTERPRISE_CODE.exec(enterprise.requiredText('AeoCode'));
  if (!match) {
    throw new GatewayError(
      'IDENTIFIER_FORMAT',
      "AeoCode of a KZ-SRC record must be 'KZ' + the 12-digit BIN",
      codeElement.path,
    );
  }
  const bin = atElement(codeElement, () => KZ_BIN.normalise(match[1]).normalised);
  return { aeoId, aeoIdNormalized, traderIds: [{ scheme: 'KZ-BIN', value: bin }] };
}

/** AeoCode and Uscc of a Chinese AEO, in XSD order. Trader ids other than the USCC travel inside the AEO code or not at all. */
export function chineseIdentityNodes(record: AeoRecord): (XmlNodeSpec | undefined)[] {
  const customsCode = aeoIdRuleFor('CN-GACC').normalise(record.aeoId).normalised.slice('CN'.length);
  const uscc = record.traderIds.find((id) => id.scheme === 'CN-USCC18');
  return [
    leaf('AeoCode', `AEOCN${customsCode}`),
    leaf('Uscc', uscc && CN_USCC.normalise(uscc.value).normalised),
  ];
}

/** AeoCode (`KZ` + BIN) and CertificateNo of one of our AEOs, in XSD order. */
export function kazakhIdentityNodes(record: AeoRecord, path: string): XmlNodeSpec[] {
  const bin = record.traderIds.find((id) => id.scheme === 'KZ-BIN');
  if (!bin) {
    throw new GatewayError(
      'CANNOT_ENCODE',
      "a KZ-SRC record needs a KZ-BIN trader id: GACC keys foreign AEOs on 'KZ' + the enterprise code",
      `${path}/traderIds`,
    );
  }
  return [
    { name: 'AeoCode', text: `KZ${KZ_BIN.normalise(bin.value).normalised}` },
    { name: 'CertificateNo', text: record.aeoId },
  ];
}
