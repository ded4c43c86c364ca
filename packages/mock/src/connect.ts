// A running mock's journal, outbox and clock over HTTP, for test files in other processes than the
// mock's (a vitest `globalSetup` starts it; each worker connects). Every method takes the API key
// it reads, as the in-process mock's do, so the vitest matchers read the same on either.
import type { JournalEntry, JournalFilter } from "./journal.js";
import { meets } from "./match.js";
import {
  defaultWaitTimeout,
  type OutboxEntry,
  type OutboxFilter,
  type OutboxMatch,
  timeoutMessage,
  type WaitForOptions,
  WaitForTimeout,
} from "./outbox.js";
import type { Instant } from "./recorded.js";
import { controlPrefix } from "./routes.js";

export interface ConnectedMock {
  /** The mock's base URL. */
  url: string;
  journal(apiKey: string, filter?: JournalFilter): Promise<JournalEntry[]>;
  outbox(apiKey: string, filter?: OutboxFilter): Promise<OutboxEntry[]>;
  /** As the in-process `waitFor`, over the mock's long-poll (`GET /_sandbox/outbox/wait`). */
  waitFor(apiKey: string, match: OutboxMatch, options?: WaitForOptions): Promise<OutboxEntry>;
  now(apiKey: string): Promise<number>;
  advanceClock(apiKey: string, milliseconds: number): Promise<number>;
  reset(apiKey: string): Promise<void>;
}

export interface ConnectOptions {
  /** The `fetch` to reach the mock with; default the global one (under MSW, pass one it lets through). */
  fetch?: typeof fetch | undefined;
}

/** Filters as query parameters: repeatable ones repeated, times as ISO 8601. */
function queryOf(filter: object): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one === undefined || one === null) continue;
      const instant = name === "since" || name === "until";
      query.append(name, instant ? new Date(one as Instant).toISOString() : String(one));
    }
  }
  return query;
}

/** Connects to a mock `startMock` or `loops-mock` serves at `url`; nothing is sent until asked. */
export function connectMock(url: string | URL, options: ConnectOptions = {}): ConnectedMock {
  const base = String(url).replace(/\/$/, "");
  const send = options.fetch ?? fetch;

  async function control<Body>(
    apiKey: string,
    path: string,
    init: RequestInit = {},
  ): Promise<Body> {
    const response = await send(`${base}${controlPrefix}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    });
    const body = (await response.json().catch(() => undefined)) as { message?: string } | undefined;
    if (!response.ok) {
      throw new Error(
        `The mock at ${base} answered ${response.status}: ${body?.message ?? "no message"}`,
      );
    }
    return body as Body;
  }

  const outbox = (apiKey: string, filter: OutboxFilter = {}) =>
    control<OutboxEntry[]>(apiKey, `outbox?${queryOf(filter)}`);

  async function waitFor(apiKey: string, match: OutboxMatch, waitOptions: WaitForOptions = {}) {
    const timeout = waitOptions.timeout ?? defaultWaitTimeout;
    const deadline = Date.now() + timeout;
    let after = 0;
    // Each long-poll answers at the first new entry; the match is tested here, so a function or
    // an asymmetric matcher works as in process.
    for (let left = timeout; ; left = deadline - Date.now()) {
      const query = queryOf({ after, timeout: Math.max(0, Math.min(left, 30_000)) });
      const entries = await control<OutboxEntry[]>(apiKey, `outbox/wait?${query}`);
      const found = [...entries].reverse().find((entry) => meets(match, entry));
      if (found !== undefined) return found;
      after = Math.max(after, ...entries.map((entry) => entry.seq));
      if (deadline - Date.now() <= 0) break;
    }
    throw new WaitForTimeout(timeoutMessage(match, timeout, await outbox(apiKey)));
  }

  const clock = (body: { now: string }) => Date.parse(body.now);
  return {
    url: base,
    journal: (apiKey, filter = {}) => control(apiKey, `journal?${queryOf(filter)}`),
    outbox,
    waitFor,
    now: async (apiKey) => clock(await control(apiKey, "clock")),
    advanceClock: async (apiKey, milliseconds) =>
      clock(
        await control(apiKey, "advance-clock", {
          method: "POST",
          body: JSON.stringify({ milliseconds }),
        }),
      ),
    reset: async (apiKey) => void (await control(apiKey, "reset", { method: "POST" })),
  };
}
