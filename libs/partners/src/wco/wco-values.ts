import type { XmlElement } from '@aeo/codecs';
import {
  GatewayError,
  isCalendarDate,
  isProgramme,
  isUtcInstant,
  type Programme,
  type ReasonCode,
} from '@aeo/domain';
import { R143_MAX_LENGTH } from './wco-vocabulary.js';

/**
 * Typed reading of WCO-REF leaf elements. Every failure names the element path, so a partner's
 * engineer sees `/AEOStatusDelta/AEOMutualRecognitionParty[2]/Status/EffectivePeriod/StartDate`
 * rather than a canonical JSON pointer they never sent.
 */

/** Identifier rules throw without a path (they know nothing of XML); attach the element's. */
export function atPath<T>(path: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof GatewayError && error.path === undefined) {
      throw new GatewayError(error.code, error.message, path, { cause: error });
    }
    throw error;
  }
}

export interface Leaf {
  readonly text: string;
  readonly path: string;
}

/**
 * The trimmed text of an element that holds text only (nested elements would otherwise be
 * ignored silently); an empty element counts as missing.
 */
export function textOf(element: XmlElement): string {
  const nested = element.children[0];
  if (nested)
    throw new GatewayError(
      'UNEXPECTED_FIELD',
      `${element.name} holds text, not element ${nested.name}`,
      nested.path,
    );
  const text = element.text.trim();
  if (text === '') throw new GatewayError('MISSING_REQUIRED_FIELD', `${element.name} is empty`, element.path);
  return text;
}

/** A required text-only child, with its path for errors raised by the caller (e.g. a code list). */
export function readLeaf(parent: XmlElement, name: string): Leaf {
  const element = parent.required(name);
  return { text: textOf(element), path: element.path };
}

export function readText(parent: XmlElement, name: string): string {
  return readLeaf(parent, name).text;
}

export function readOptionalText(parent: XmlElement, name: string): string | undefined {
  return parent.optional(name) ? readText(parent, name) : undefined;
}

// The domain's checks are type guards over `unknown`; used as plain predicates they leave `text`
// typed as a string in the error branch, where the message quotes it.
const isRealDate = (text: string): boolean => isCalendarDate(text);
const isInstant = (text: string): boolean => isUtcInstant(text);

export function readDate(parent: XmlElement, name: string): string {
  const { text, path } = readLeaf(parent, name);
  if (!isRealDate(text))
    throw new GatewayError('INVALID_DATE', `${name} '${text}' is not a real date YYYY-MM-DD`, path);
  return text;
}

export function readOptionalDate(parent: XmlElement, name: string): string | undefined {
  return parent.optional(name) ? readDate(parent, name) : undefined;
}

export function readInstant(parent: XmlElement, name: string): string {
  const { text, path } = readLeaf(parent, name);
  if (!isInstant(text))
    throw new GatewayError(
      'INVALID_DATE',
      `${name} '${text}' is not a UTC instant YYYY-MM-DDThh:mm:ssZ`,
      path,
    );
  return text;
}

/** Digits only; the range (positive, chunk within count) is a business rule checked on the canonical message. */
export function readInteger(parent: XmlElement, name: string): number {
  const { text, path } = readLeaf(parent, name);
  const value = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value))
    throw new GatewayError('INVALID_VALUE', `${name} '${text}' is not a whole number`, path);
  return value;
}

/** xs:boolean restricted to its canonical spellings, so a value reads back as it was written. */
export function readIndicator(parent: XmlElement, name: string): boolean {
  const { text, path } = readLeaf(parent, name);
  if (text !== 'true' && text !== 'false')
    throw new GatewayError('INVALID_VALUE', `${name} must be true or false`, path);
  return text === 'true';
}

/** A code from a fixed list that has no profile mapping (the canonical codes are the wire codes). */
export function readCode<T extends string>(
  parent: XmlElement,
  name: string,
  allowed: readonly T[],
  unknown: ReasonCode,
): T {
  const { text, path } = readLeaf(parent, name);
  if (!(allowed as readonly string[]).includes(text))
    throw new GatewayError(unknown, `unknown ${name} '${text}'`, path);
  return text as T;
}

export function readProgramme(parent: XmlElement, name: string): Programme {
  const { text, path } = readLeaf(parent, name);
  if (!isProgramme(text)) throw new GatewayError('UNKNOWN_PROGRAMME', `unknown programme '${text}'`, path);
  return text;
}

/** R143 is an..17 counted in characters, so Cyrillic EAEU certificate numbers fit. */
export function readAeoPartyId(parent: XmlElement, name: string): string {
  const { text, path } = readLeaf(parent, name);
  if ([...text].length > R143_MAX_LENGTH) {
    throw new GatewayError(
      'INVALID_VALUE',
      `${name} is longer than ${R143_MAX_LENGTH} characters (WCO R143 an..17)`,
      path,
    );
  }
  return text;
}
