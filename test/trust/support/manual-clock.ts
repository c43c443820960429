import type { Clock } from '@aeo/trust';

/** A clock the test moves by hand; every component of a scenario shares one. */
export class ManualClock implements Clock {
  private at: Date;

  constructor(start: Date) {
    this.at = new Date(start);
  }

  now(): Date {
    return new Date(this.at);
  }

  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

/** The cheapest scrypt cost the key store accepts: fast tests; production keeps the default. */
export const FAST_SCRYPT = { N: 2 ** 14, r: 8, p: 1 };
export const TEST_PASSPHRASE = 'test-only passphrase, not a secret';
