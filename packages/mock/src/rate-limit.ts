export interface RateLimitState {
  limit: number;
  remaining: number;
  /** True when this request is over the limit and must be answered 429. */
  exceeded: boolean;
}

const windowMs = 1_000;
/** Past this many keys, windows that have ended are swept, so memory stays flat. */
const sweepThreshold = 10_000;

/**
 * Loops counts requests per API key in one-second windows. A fixed window per key is the whole
 * algorithm, so it is written here rather than pulled in.
 */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): RateLimitState {
    const now = this.now();
    let window = this.#windows.get(key);
    if (window === undefined || now - window.start >= windowMs) {
      if (window === undefined && this.#windows.size >= sweepThreshold) this.#sweep(now);
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - window.count),
      exceeded: window.count > this.limit,
    };
  }

  #sweep(now: number): void {
    for (const [key, window] of this.#windows) {
      if (now - window.start >= windowMs) this.#windows.delete(key);
    }
  }
}
