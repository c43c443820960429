import { type XmlElement } from '@aeo/codecs';
import {
  GatewayError,
  formatEaeuCertificate,
  parseEaeuCertificate,
  type EaeuCertificateNumber,
} from '@aeo/domain';
import type { MappingLoss } from '../partner-adapter.js';
import { textOf } from './eaeu-xml-reader.js';
import { atPath } from './eaeu-values.js';

/**
 * EAEU certificate numbers on the wire. The register writes them in the official Cyrillic form
 * `BY/0042/ТИП 2`; on input the domain rule also accepts the Latin `TIP` and spacing or case
 * variants. The canonical aeoId keeps what was received, so a spelling other than the official
 * one cannot survive a trip through this format and is reported as a loss when encoding.
 */
export function certificateNumberOf(element: XmlElement): {
  raw: string;
  certificate: EaeuCertificateNumber;
} {
  const raw = textOf(element);
  return { raw, certificate: atPath(element.path, () => parseEaeuCertificate(raw)) };
}

export function officialCertificateNumber(aeoId: string, pointer: string, losses: MappingLoss[]): string {
  let certificate: EaeuCertificateNumber;
  try {
    certificate = parseEaeuCertificate(aeoId);
  } catch (cause) {
    throw new GatewayError(
      'CANNOT_ENCODE',
      'the EAEU register carries EAEU certificate numbers only',
      pointer,
      { cause },
    );
  }
  const official = formatEaeuCertificate(certificate);
  if (official !== aeoId) {
    losses.push({
      path: pointer,
      kind: 'FIELD_NOT_CARRIED',
      detail: `written in the official form '${official}'; the spelling '${aeoId}' is not kept`,
    });
  }
  return official;
}
