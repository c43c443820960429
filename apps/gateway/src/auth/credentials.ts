/**
 * Reading credentials from an Authorization header. The API takes `Bearer <key>`; the
 * documentation also takes HTTP Basic with the key as password, because that is the only
 * scheme a browser asks for by itself.
 */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? /^Bearer (.+)$/.exec(header)?.[1] : undefined;
}

/** The password of `Basic base64(user:password)`; the user name is not used (the key names its holder). */
export function basicPassword(header: string | undefined): string | undefined {
  const encoded = header ? /^Basic ([A-Za-z0-9+/]+={0,2})$/.exec(header)?.[1] : undefined;
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : undefined;
}
