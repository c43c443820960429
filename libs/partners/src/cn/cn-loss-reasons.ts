import type { CodeListEntry } from '../common/code-list.js';
import type { PartnerProfile } from '../profile/partner-profile.js';
import type { LossExplainer } from './read-back-losses.js';

/** Fields the GACC format has no place for at all (capabilities; the read-back finds them per message). */
export const CN_FIELDS_NOT_CARRIED = [
  'record.consent',
  'record.traderIds (schemes other than CN-CUSTOMS10 and CN-USCC18 of a Chinese AEO, and KZ-BIN of ours; repeats)',
] as const;

const CONSENT =
  'the GACC format has no consent element; a record on this wire is shareable by definition and reads back as consent granted on its authorisation date';
const TRADER_IDS =
  "the format carries a Chinese AEO's customs enterprise code (inside its AEO code) and USCC, and our AEO's BIN (as 'KZ' + BIN), in that order and canonical spelling; other schemes and repeats are not kept";
const AEO_ID = "a Chinese AEO code is written as 'AEOCN' + the 10-digit customs enterprise code";
const INSTANT = 'instants travel as Beijing time, with milliseconds as three digits when present';
const WHITE_SPACE = 'surrounding white space is not significant in XML text and is not kept';

function noteOf(entries: readonly CodeListEntry[], value: unknown): string | undefined {
  const entry = entries.find((e) => e.canonical === value);
  if (!entry) return undefined;
  const sent = entry.partner === null ? 'has no GACC code' : `is sent as '${entry.partner}'`;
  return `${String(value)} ${sent}${entry.note ? ` (${entry.note})` : ''}`;
}

/** Explanations for the GACC format's known limits, keyed on where in the canonical message a loss appears. */
export function cnLossExplainer(profile: PartnerProfile): LossExplainer {
  const lists = profile.codeLists;
  const reason = (text: string | undefined) => (text === undefined ? undefined : { reason: text });
  return (path, original) => {
    if (/\/consent(\/|$)/.test(path)) return { reason: CONSENT, kind: 'FIELD_NOT_CARRIED' };
    if (/\/traderIds(\/|$)/.test(path)) return reason(TRADER_IDS);
    if (/\/records\/\d+\/aeoId$|\/body\/record\/aeoId$/.test(path)) return reason(AEO_ID);
    if (/\/status$/.test(path)) return reason(noteOf(lists.status, original));
    if (/\/authorisationType$/.test(path)) return reason(noteOf(lists.authorisationType, original));
    if (/\/supplyChainRoles\/\d+$|\/body\/role$/.test(path)) return reason(noteOf(lists.role, original));
    if (/\/supplyChainRoles$/.test(path) && Array.isArray(original)) {
      const lossy = lists.role.filter(
        (e) => original.includes(e.canonical) && (e.partner === null || e.readBackAs !== undefined),
      );
      return reason(lossy.map((entry) => noteOf(lists.role, entry.canonical)).join('; ') || undefined);
    }
    if (/\/(createdAt|asOf|lastChangedAt)$/.test(path)) return reason(INSTANT);
    if (typeof original === 'string' && original.trim() !== original) return reason(WHITE_SPACE);
    return undefined;
  };
}
