import {
  APIConnectionError,
  InternalServerError,
  type LoopsError,
  RateLimitError,
} from "./errors.js";

/** Loops counts requests per one-second window; `x-ratelimit-remaining: 0` means "wait for the next one". */
const RATE_LIMIT_WINDOW_MS = 1000;
const INITIAL_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8000;
/** A server that asks for a longer wait gets its error back at once rather than a call that hangs. */
export const MAX_RETRY_AFTER_MS = 60_000;

export interface RateLimitHints {
  limit: number | undefined;
  remaining: number | undefined;
  retryAfterMs: number | undefined;
}

export function readRateLimitHints(headers: Headers, now: number): RateLimitHints {
  const remaining = parseCount(headers.get("x-ratelimit-remaining"));
  return {
    limit: parseCount(headers.get("x-ratelimit-limit")),
    remaining,
    retryAfterMs:
      parseRetryAfter(headers.get("retry-after"), now) ??
      (remaining === 0 ? RATE_LIMIT_WINDOW_MS : undefined),
  };
}

/**
 * How long to wait before retry number `retry` (0-based), or `undefined` when `error` must not be
 * retried. A 429 was not processed, so it is safe to repeat; but with requests left in the window
 * it is a longer limit (a daily cap), which waiting seconds will not lift. A 5xx, timeout or
 * dropped connection may have taken effect, so it is retried only when `retryServerErrors` says
 * repeating the request is safe.
 */
export function retryDelayMs(
  error: LoopsError,
  retry: number,
  retryServerErrors: boolean,
): number | undefined {
  if (error instanceof RateLimitError) {
    if (error.remaining !== undefined && error.remaining > 0) return undefined;
    if (error.retryAfterMs === undefined) return backoffWithFullJitter(retry);
    return error.retryAfterMs <= MAX_RETRY_AFTER_MS ? error.retryAfterMs : undefined;
  }
  if (
    retryServerErrors &&
    (error instanceof InternalServerError || error instanceof APIConnectionError)
  ) {
    return backoffWithFullJitter(retry);
  }
  return undefined;
}

/** "Full jitter": spreads retrying clients evenly so they do not hit the next window together. */
function backoffWithFullJitter(retry: number): number {
  return Math.random() * Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** retry);
}

function parseCount(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110, section 10.2.3). */
function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
