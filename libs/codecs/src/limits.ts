/**
 * Size limits on everything that comes in. They are checked before a parser sees the
 * bytes, so an attacker cannot make us allocate more than this per message.
 */
export interface InputLimits {
  /** Largest accepted message, in bytes. */
  readonly maxBytes: number;
  /** Deepest accepted element or value nesting. Our formats need fewer than 10 levels. */
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: InputLimits = { maxBytes: 16 * 1024 * 1024, maxDepth: 32 };
