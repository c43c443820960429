import { GatewayError } from '@aeo/domain';
import type { InputLimits } from './limits.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Byte limit first, then strict UTF-8 (no replacement characters smuggled in). */
export function decodeUtf8Input(bytes: Uint8Array, limits: InputLimits): string {
  if (bytes.byteLength > limits.maxBytes) {
    throw new GatewayError('PAYLOAD_TOO_LARGE', `message is ${bytes.byteLength} bytes; the limit is ${limits.maxBytes}`);
  }
  try {
    return strictUtf8.decode(bytes);
  } catch (cause) {
    throw new GatewayError('INVALID_ENCODING', 'message is not valid UTF-8', undefined, { cause });
  }
}

/** Characters XML 1.0 cannot carry and that no legitimate name or address contains. */
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
