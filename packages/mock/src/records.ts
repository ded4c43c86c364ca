// The journal and the outbox as the adapters hand them to their users, beside the sandbox's
// controls: reads, `waitFor`, and a subscription to a key's changes (for an inspector page).
import type { MockEngine } from "./engine.js";
import type { JournalEntry, JournalFilter } from "./journal.js";
import type { OutboxEntry, OutboxFilter, OutboxMatch, WaitForOptions } from "./outbox.js";
import type { RecordEvent, RecordKey } from "./recorded.js";

/** A change to a key's journal or outbox: an entry added, or the key forgotten (reset, evicted). */
export type MockChange =
  | { record: "journal"; type: "added"; apiKey: RecordKey; entry: JournalEntry }
  | { record: "outbox"; type: "added"; apiKey: RecordKey; entry: OutboxEntry }
  | { record: "journal" | "outbox"; type: "forgotten"; apiKey: RecordKey | undefined };

export interface MockRecords {
  /** The key's requests (`null`: those without a key), newest first, filtered. */
  journal(apiKey: string | null, filter?: JournalFilter): JournalEntry[];
  /** What the key's sandbox sent, newest first, filtered. */
  outbox(apiKey: string, filter?: OutboxFilter): OutboxEntry[];
  /**
   * Resolves on the first outbox entry of the key that matches (oldest first), already there or
   * still to come; rejects after `timeout` (default 2000 ms) with what the outbox holds.
   */
  waitFor(apiKey: string, match: OutboxMatch, options?: WaitForOptions): Promise<OutboxEntry>;
  /**
   * Calls `listener` on every change to the key's journal and outbox (`null`: requests without a
   * key; `undefined`: every key) until the returned function is called.
   */
  subscribe(apiKey: string | null | undefined, listener: (change: MockChange) => void): () => void;
  /** The keys whose journal or outbox holds entries (`null`: requests without a key). */
  apiKeys(): RecordKey[];
}

const journalOff = (): never => {
  throw new Error("This mock keeps no journal: it was started with journal: false.");
};

export function recordsOf(engine: MockEngine): MockRecords {
  const { journal, outbox } = engine;
  return {
    journal: (apiKey, filter) => (journal ? journal.read(apiKey, filter) : journalOff()),
    outbox: (apiKey, filter) => outbox.read(apiKey, filter),
    waitFor: (apiKey, match, options) => outbox.waitFor(apiKey, match, options),
    subscribe(apiKey, listener) {
      const fromJournal = journal?.records.subscribe(apiKey, (event: RecordEvent<JournalEntry>) =>
        listener({ record: "journal", ...event } as MockChange),
      );
      const fromOutbox = outbox.records.subscribe(apiKey, (event: RecordEvent<OutboxEntry>) =>
        listener({ record: "outbox", ...event } as MockChange),
      );
      return () => {
        fromJournal?.();
        fromOutbox();
      };
    },
    apiKeys: () => [...new Set([...(journal?.records.keys() ?? []), ...outbox.records.keys()])],
  };
}
