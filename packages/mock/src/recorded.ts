// What the journal and the outbox share: per API key, entries newest first, bounded in bytes, with
// subscriptions per key so that a waiter hears of an entry the moment it is added (no polling).
// Entries are kept as their JSON text: what a reader gets is a copy, never an object the sandbox
// or the caller still holds, and its size in bytes is the size of that text.

/** An API key, or `null` for requests that carried none. */
export type RecordKey = string | null;

/** What a subscriber hears: an entry added for a key, or keys forgotten (`apiKey` undefined: all). */
export type RecordEvent<Entry> =
  | { type: "added"; apiKey: RecordKey; entry: Entry }
  | { type: "forgotten"; apiKey: RecordKey | undefined };

export type RecordListener<Entry> = (event: RecordEvent<Entry>) => void;

export interface RecordBudget {
  /** Bytes of entries (their JSON text) kept per key; past it the oldest go. */
  bytesPerKey: number;
  /** Keys kept at once (requests without a key count as one); past it the least recently used goes. */
  keys: number;
}

interface Stored<Meta> {
  seq: number;
  meta: Meta;
  json: string;
  bytes: number;
}

/** One key's entries, oldest first behind `head`, so that evicting the oldest shifts nothing. */
class KeyLog<Meta> {
  entries: Stored<Meta>[] = [];
  head = 0;
  bytes = 0;

  push(stored: Stored<Meta>, budget: number): void {
    this.entries.push(stored);
    this.bytes += stored.bytes;
    // The newest entry is always kept, even one larger than the whole budget.
    while (this.bytes > budget && this.head < this.entries.length - 1) {
      this.bytes -= (this.entries[this.head] as Stored<Meta>).bytes;
      this.entries[this.head] = undefined as never;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Newest first. */
  *newestFirst(): Generator<Stored<Meta>> {
    for (let index = this.entries.length - 1; index >= this.head; index -= 1) {
      yield this.entries[index] as Stored<Meta>;
    }
  }
}

/**
 * Entries per key. `Meta` is the few fields filters read without parsing an entry; `seq` numbers
 * every entry of the store, across keys, so that "after seq n" stays meaningful after a reset.
 */
export class KeyedRecords<Meta, Entry extends { seq: number }> {
  readonly #logs = new Map<RecordKey, KeyLog<Meta>>();
  readonly #listeners = new Map<RecordKey, Set<RecordListener<Entry>>>();
  readonly #everyKey = new Set<RecordListener<Entry>>();
  readonly #budget: RecordBudget;
  #seq = 0;

  constructor(budget: RecordBudget) {
    for (const [name, value] of Object.entries(budget)) {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`limits.${name} must be a whole number of at least 1, not ${value}.`);
      }
    }
    this.#budget = budget;
  }

  /**
   * Adds an entry, evicting the oldest past the budget, and tells subscribers. An entry over half
   * the budget is made again by `shrink`, when given, so that one request cannot empty a key.
   */
  add(key: RecordKey, meta: Meta, make: () => object, shrink?: () => object): void {
    const seq = ++this.#seq;
    let json = JSON.stringify({ seq, ...make() });
    if (shrink !== undefined && json.length * 2 > this.#budget.bytesPerKey) {
      json = JSON.stringify({ seq, ...shrink() });
    }
    let log = this.#logs.get(key);
    if (log === undefined) {
      log = new KeyLog<Meta>();
      while (this.#logs.size >= this.#budget.keys) this.forget(this.#logs.keys().next().value);
    } else {
      this.#logs.delete(key); // most recently used last, so eviction takes the first
    }
    this.#logs.set(key, log);
    log.push({ seq, meta, json, bytes: Buffer.byteLength(json) }, this.#budget.bytesPerKey);
    const listeners = this.#listeners.get(key);
    if (listeners === undefined && this.#everyKey.size === 0) return;
    const event: RecordEvent<Entry> = { type: "added", apiKey: key, entry: JSON.parse(json) };
    for (const listener of [...(listeners ?? []), ...this.#everyKey]) listener(event);
  }

  /** The key's entries whose meta passes `keep`, newest first, each a fresh copy. */
  list(key: RecordKey, keep: (meta: Meta, seq: number) => boolean = () => true): Entry[] {
    const found: Entry[] = [];
    for (const stored of this.#logs.get(key)?.newestFirst() ?? []) {
      if (keep(stored.meta, stored.seq)) found.push(JSON.parse(stored.json) as Entry);
    }
    return found;
  }

  /** The keys that hold entries, least recently used first. */
  keys(): RecordKey[] {
    return [...this.#logs.keys()];
  }

  /** Drops one key's entries, or every key's (`undefined`), and tells the subscribers. */
  forget(key: RecordKey | undefined): void {
    if (key === undefined) this.#logs.clear();
    else this.#logs.delete(key);
    const event: RecordEvent<Entry> = { type: "forgotten", apiKey: key };
    const listeners =
      key === undefined
        ? [...this.#listeners.values()].flatMap((set) => [...set])
        : [...(this.#listeners.get(key) ?? [])];
    for (const listener of [...listeners, ...this.#everyKey]) listener(event);
  }

  /** Hears of the key's changes (every key's, with `undefined`) until the returned function runs. */
  subscribe(key: RecordKey | undefined, listener: RecordListener<Entry>): () => void {
    if (key === undefined) {
      this.#everyKey.add(listener);
      return () => void this.#everyKey.delete(listener);
    }
    const set = this.#listeners.get(key) ?? new Set();
    this.#listeners.set(key, set);
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(key) === set) this.#listeners.delete(key);
    };
  }
}

/** A moment on a key's clock: a `Date`, an ISO 8601 string or milliseconds since 1970. */
export type Instant = Date | string | number;

function millisecondsOf(value: Instant, option: string): number {
  const at =
    value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
  if (!Number.isFinite(at)) {
    throw new RangeError(
      `${option} must be a date, an ISO 8601 string or milliseconds, not ${String(value)}.`,
    );
  }
  return at;
}

/** A test of a time (milliseconds) against `since` and `until`, both inclusive and optional. */
export function timeRange(filter: { since?: Instant | undefined; until?: Instant | undefined }) {
  const since = filter.since === undefined ? -Infinity : millisecondsOf(filter.since, "since");
  const until = filter.until === undefined ? Infinity : millisecondsOf(filter.until, "until");
  return (at: number) => at >= since && at <= until;
}

/** A test of a value against one wanted value or any of several; anything when none is given. */
export function oneOf<Value>(wanted: Value | readonly Value[] | undefined) {
  if (wanted === undefined) return () => true;
  const set = new Set<Value>(Array.isArray(wanted) ? wanted : [wanted as Value]);
  return (value: Value) => set.has(value);
}
