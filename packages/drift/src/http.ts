/** The only method that may leave the process: the check must be safe on a real account. */
const allowedMethod = "GET";

export class NonGetRequestError extends Error {
  override name = "NonGetRequestError";
  constructor(method: string) {
    super(
      `The drift check only sends GET requests; refused a ${method} before it left the process`,
    );
  }
}

/** The check cannot go on; the CLI exits 2 with this message. */
export class CouldNotRunError extends Error {
  override name = "CouldNotRunError";
}

/** The call cap was reached: the operations left are reported as not reached. */
export class CallCapReachedError extends Error {
  override name = "CallCapReachedError";
}

export interface HttpOptions {
  apiKey: string;
  fetch?: typeof fetch;
  /** At most this many requests per second; default 2 (Loops allows a team 10, shared with its apps). */
  requestsPerSecond?: number;
  /** At most this many requests in all, retries included; default 50. */
  maxCalls?: number;
  /** How many times a 429, a 5xx or a network error is retried; default 3. */
  maxRetries?: number;
  /** The longest single wait a 429 may ask for before the check gives up; default 30 s. */
  maxRetryWaitMs?: number;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The parsed body when it is JSON, otherwise `undefined`. */
  body: unknown;
}

const rateLimitWindowMs = 1000;
const serverErrorBackoffMs = 1000;

/**
 * Wraps `fetch` so that anything but GET throws before a byte is sent: the guard sits below every
 * caller in the check, so no code path, present or future, can write to the account.
 */
export function getOnlyFetch(inner: typeof fetch): typeof fetch {
  return (input, init) => {
    const method = (
      init?.method ?? (input instanceof Request ? input.method : allowedMethod)
    ).toUpperCase();
    if (method !== allowedMethod) return Promise.reject(new NonGetRequestError(method));
    return inner(input, init);
  };
}

/**
 * One request at a time, spaced to the rate, counted against the cap, with 429s waited out on the
 * server's hints. Hand-written because the check never has two requests in flight: spacing the
 * starts is the whole limiter.
 */
export class DriftHttp {
  readonly #fetch: typeof fetch;
  readonly #apiKey: string;
  readonly #intervalMs: number;
  readonly #maxCalls: number;
  readonly #maxRetries: number;
  readonly #maxRetryWaitMs: number;
  readonly #timeoutMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  #nextStart = 0;
  #calls = 0;

  constructor(options: HttpOptions) {
    this.#fetch = getOnlyFetch(options.fetch ?? globalThis.fetch);
    this.#apiKey = options.apiKey;
    this.#intervalMs = 1000 / (options.requestsPerSecond ?? 2);
    this.#maxCalls = options.maxCalls ?? 50;
    this.#maxRetries = options.maxRetries ?? 3;
    this.#maxRetryWaitMs = options.maxRetryWaitMs ?? 30_000;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#sleep =
      options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))));
    this.#now = options.now ?? Date.now;
  }

  /** Requests sent so far, retries included. */
  get calls(): number {
    return this.#calls;
  }

  get(url: URL): Promise<HttpResponse> {
    return this.request(allowedMethod, url);
  }

  /** Every request goes through here; the fetch below it refuses anything but GET. */
  async request(method: string, url: URL): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.#send(method, url);
      if (outcome instanceof Error) {
        if (attempt >= this.#maxRetries) {
          throw new CouldNotRunError(
            `Could not reach ${url.origin}: ${outcome.message}. Check the base URL and the network.`,
          );
        }
        await this.#sleep(serverErrorBackoffMs * 2 ** attempt);
        continue;
      }
      const { status, headers } = outcome;
      if (status === 401) {
        throw new CouldNotRunError(
          "The API refused the key (401): check LOOPS_API_KEY, and that the team's API access is enabled.",
        );
      }
      if (status === 429) {
        const waitMs = this.#rateLimitWait(headers, attempt);
        if (attempt >= this.#maxRetries || waitMs > this.#maxRetryWaitMs) {
          throw new CouldNotRunError(
            `Still rate limited (429) after ${attempt + 1} tries${waitMs > this.#maxRetryWaitMs ? ` (the server asked for ${Math.ceil(waitMs / 1000)} s)` : ""}: another client of the team is using its limit; try later or lower --rate.`,
          );
        }
        await this.#sleep(waitMs);
        continue;
      }
      if (status >= 500) {
        if (attempt >= this.#maxRetries) {
          throw new CouldNotRunError(
            `The server kept answering ${status} after ${attempt + 1} tries: Loops is having trouble; try later.`,
          );
        }
        await this.#sleep(serverErrorBackoffMs * 2 ** attempt);
        continue;
      }
      if (parseCount(headers.get("x-ratelimit-remaining")) === 0) {
        // The window is spent: the next request would only earn a 429.
        this.#nextStart = Math.max(this.#nextStart, this.#now() + rateLimitWindowMs);
      }
      return outcome;
    }
  }

  async #send(method: string, url: URL): Promise<HttpResponse | Error> {
    if (this.#calls >= this.#maxCalls) {
      throw new CallCapReachedError(`The cap of ${this.#maxCalls} calls was reached`);
    }
    const now = this.#now();
    const start = Math.max(now, this.#nextStart);
    this.#nextStart = start + this.#intervalMs;
    if (start > now) await this.#sleep(start - now);
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.#apiKey}`, accept: "application/json" },
        // A redirect is reported as an undocumented status; following it could carry the key elsewhere.
        redirect: "manual",
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      if (error instanceof NonGetRequestError) throw error;
      this.#calls += 1;
      return new Error(networkReason(error));
    }
    this.#calls += 1;
    const text = await response.text();
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, body };
  }

  #rateLimitWait(headers: Headers, attempt: number): number {
    const retryAfter = headers.get("retry-after")?.trim();
    if (retryAfter !== undefined) {
      if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
      const date = Date.parse(retryAfter);
      if (!Number.isNaN(date)) return Math.max(0, date - this.#now());
    }
    if (parseCount(headers.get("x-ratelimit-remaining")) === 0) return rateLimitWindowMs;
    return rateLimitWindowMs * 2 ** attempt;
  }
}

function parseCount(value: string | null): number | undefined {
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

/** Why a request never got an answer, in words, from the error `fetch` throws (its cause has the code). */
function networkReason(error: unknown): string {
  if (error instanceof DOMException && error.name === "TimeoutError") return "no answer in time";
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "the host name does not resolve";
  return code ?? (error instanceof Error ? error.message : String(error));
}
