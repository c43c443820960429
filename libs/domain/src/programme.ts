/**
 * Issuing AEO programmes. EAEU certificates are issued by member states, so each member
 * is its own programme (`EAEU-BY`, ...); `EAEU-EEC` is the Commission's common register,
 * which sends and receives but issues nothing. KZ-SRC is the home programme.
 */
export const PROGRAMMES = [
  'KZ-SRC',
  'CN-GACC',
  'KR-KCS',
  'TR-MOT',
  'EAEU-AM',
  'EAEU-BY',
  'EAEU-KG',
  'EAEU-RU',
  'EAEU-EEC',
  'WCO-REF',
] as const;

export type Programme = (typeof PROGRAMMES)[number];

export function isProgramme(value: unknown): value is Programme {
  return typeof value === 'string' && (PROGRAMMES as readonly string[]).includes(value);
}

export const HOME_PROGRAMME: Programme = 'KZ-SRC';
