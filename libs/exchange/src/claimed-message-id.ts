import type { Delivery } from '@aeo/messaging';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * The message id a rejected message claims to have, for the negative receipt: the AMQP
 * message-id property, else the `jti` of an unverified JWS header, else the nil UUID. It is
 * only a reference for the partner's engineers; nothing is decided on it.
 */
export function claimedMessageId(delivery: Delivery): string {
  if (delivery.messageId && UUID.test(delivery.messageId)) return delivery.messageId.toLowerCase();
  const header = delivery.body.subarray(0, Math.min(delivery.body.length, 4096)).toString('ascii').split('.')[0] ?? '';
  try {
    const jti = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { jti?: unknown }).jti;
    if (typeof jti === 'string' && UUID.test(jti)) return jti.toLowerCase();
  } catch {
    // not a JWS header: fall through
  }
  return NIL_UUID;
}
