// The package's `./vitest` entry: matchers on a mock's outbox and journal, registered on import.
// They take any mock (startMock's, createMockFetch's, loopsHandlers', connectMock's) and are
// async, so the same assertion reads a mock in this process or one over HTTP. When nothing
// matches, the message shows the closest entries and how each differs, as WireMock's near misses.
import { expect } from "vitest";
import type { JournalEntry, JournalFilter } from "./journal.js";
import { differences, nearMisses } from "./match.js";
import type { ControlId, OperationId } from "./operation-ids.gen.js";
import { type OutboxEntry, type OutboxExpected, type OutboxFilter, outboxLabel } from "./outbox.js";

/** What the matchers read: a mock in this process or connected to one. */
export interface RecordsReader {
  journal(apiKey: string, filter?: JournalFilter): JournalEntry[] | Promise<JournalEntry[]>;
  outbox(apiKey: string, filter?: OutboxFilter): OutboxEntry[] | Promise<OutboxEntry[]>;
}

/** What a request must have been, beside its operation; `times` counts them exactly. */
export interface ReceivedExpectation {
  body?: unknown;
  status?: number;
  times?: number;
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function readerOf(received: unknown): RecordsReader {
  const reader = received as Partial<RecordsReader> | undefined;
  if (typeof reader?.journal !== "function" || typeof reader.outbox !== "function") {
    throw new TypeError(
      "expect(mock): pass a mock from startMock, createMockFetch, loopsHandlers or connectMock.",
    );
  }
  return reader as RecordsReader;
}

const shown = (value: unknown) => JSON.stringify(value);

/** The closest entries, each on a line with how it differs from the expectation. */
function closest<Entry>(expected: unknown, entries: Entry[], label: (entry: Entry) => string) {
  if (entries.length === 0) return "It holds none.";
  const misses = nearMisses(expected, entries).map(
    ({ entry, differences: lines }) =>
      `  ${label(entry)}\n${lines.map((line) => `    ${line}`).join("\n")}`,
  );
  return [`It holds ${entries.length}; the closest:`, ...misses].join("\n");
}

async function toHaveSent(
  received: unknown,
  apiKey: string,
  expected: OutboxExpected = {},
): Promise<MatcherResult> {
  const entries = await readerOf(received).outbox(apiKey);
  const found = entries.find((entry) => differences(expected, entry).length === 0);
  return {
    pass: found !== undefined,
    message: () =>
      found === undefined
        ? `Expected the key's outbox to hold an entry matching ${shown(expected)}.\n${closest(expected, entries, outboxLabel)}`
        : `Expected the key's outbox to hold no entry matching ${shown(expected)}, but ${outboxLabel(found)} does.`,
  };
}

async function toHaveReceived(
  received: unknown,
  apiKey: string,
  operationId: OperationId | ControlId,
  { times, ...fields }: ReceivedExpectation = {},
): Promise<MatcherResult> {
  const entries = await readerOf(received).journal(apiKey);
  const expected = { operationId, ...fields };
  const matching = entries.filter((entry) => differences(expected, entry).length === 0);
  const pass = times === undefined ? matching.length > 0 : matching.length === times;
  const wanted = `${times === undefined ? "a request" : `exactly ${times} requests`} to ${operationId}`;
  const detail = Object.keys(fields).length > 0 ? ` with ${shown(fields)}` : "";
  const label = (entry: JournalEntry) =>
    `#${entry.seq} ${entry.method} ${entry.path}: ${entry.status} (${entry.answeredBy})`;
  return {
    pass,
    message: () =>
      pass
        ? `Expected the key's journal not to hold ${wanted}${detail}; it holds ${matching.length}.`
        : `Expected the key's journal to hold ${wanted}${detail}; it holds ${matching.length}.\n${closest(expected, entries, label)}`,
  };
}

/** The matchers, for `expect.extend` where importing this module is not wanted. */
export const loopsMatchers = { toHaveSent, toHaveReceived };

expect.extend(loopsMatchers);

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: the declaration merges with vitest's, which reads `T = any`.
  interface Matchers<T = any> {
    /** The key's outbox holds an entry with these fields (`to` matches one recipient). */
    toHaveSent(apiKey: string, expected?: OutboxExpected): Promise<T>;
    /** The key's journal holds a request to the operation (or control), as `expected` says. */
    toHaveReceived(
      apiKey: string,
      operationId: OperationId | ControlId,
      expected?: ReceivedExpectation,
    ): Promise<T>;
  }
}
