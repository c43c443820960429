/**
 * Debian's Chromium for browser tests, with everything that could reach the network switched
 * off: this machine has no network, and without these flags Chromium's background connections
 * are refused many at a time (and slow every start).
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_OFFLINE_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
