// Work due at times on each API key's clock (sends, deliveries, retries). A key's clock is wall
// time plus the key's offset, so the sandbox runs what is due from two places: `advanceClock`
// before it returns, and one timer per key as wall time passes. The timer is unref'd: a mock left
// running never keeps the process alive for work it has not done.

/** Work run once its key's clock reaches `at`, given the time it was due at. */
export type DueWork = (at: number) => void;

interface Entry {
  at: number;
  /** Insertion order: work due at the same time runs in the order it was scheduled. */
  order: number;
  run: DueWork;
}

interface KeyQueue {
  /** A binary min-heap by (at, order). */
  heap: Entry[];
  timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer fires, on the key's clock. */
  timerAt: number;
  running: boolean;
}

/** setTimeout's largest delay; a later time is reached by waking up again. */
const longestDelay = 2 ** 31 - 1;

function earlier(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}

function push(heap: Entry[], entry: Entry): void {
  heap.push(entry);
  let index = heap.length - 1;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (!earlier(heap[index] as Entry, heap[parent] as Entry)) break;
    [heap[index], heap[parent]] = [heap[parent] as Entry, heap[index] as Entry];
    index = parent;
  }
}

function pop(heap: Entry[]): Entry | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length === 0 || last === undefined) return top;
  heap[0] = last;
  let index = 0;
  for (;;) {
    const left = index * 2 + 1;
    const right = left + 1;
    let smallest = index;
    if (left < heap.length && earlier(heap[left] as Entry, heap[smallest] as Entry))
      smallest = left;
    if (right < heap.length && earlier(heap[right] as Entry, heap[smallest] as Entry))
      smallest = right;
    if (smallest === index) return top;
    [heap[index], heap[smallest]] = [heap[smallest] as Entry, heap[index] as Entry];
    index = smallest;
  }
}

export class KeyScheduler {
  readonly #queues = new Map<string, KeyQueue>();
  #order = 0;

  /**
   * @param clock the key's clock in milliseconds (the sandbox's `now(key)`)
   * @param onError what becomes of an error thrown by work run from a timer, where no caller is
   *   left to take it
   */
  constructor(
    readonly clock: (key: string) => number,
    readonly onError: (error: unknown) => void,
  ) {}

  /** Schedules work at a time on the key's clock; work already due waits for `runDue` or the timer. */
  at(key: string, at: number, run: DueWork): void {
    let queue = this.#queues.get(key);
    if (queue === undefined) {
      queue = { heap: [], timer: undefined, timerAt: Infinity, running: false };
      this.#queues.set(key, queue);
    }
    push(queue.heap, { at, order: this.#order++, run });
    if (!queue.running) this.#arm(key, queue);
  }

  /** Runs the key's due work, earliest first, including what that work schedules as due. */
  runDue(key: string): void {
    const queue = this.#queues.get(key);
    // Work that advances the clock itself is run by the loop already under way.
    if (queue === undefined || queue.running) return;
    queue.running = true;
    try {
      for (;;) {
        const next = queue.heap[0];
        if (next === undefined || next.at > this.clock(key)) break;
        pop(queue.heap);
        next.run(next.at);
      }
    } finally {
      queue.running = false;
      if (this.#queues.get(key) === queue) this.#arm(key, queue);
    }
  }

  /** How much work the key has waiting. */
  pending(key: string): number {
    return this.#queues.get(key)?.heap.length ?? 0;
  }

  /** Forgets one key's work, or every key's, and their timers. */
  clear(key?: string): void {
    const keys = key === undefined ? [...this.#queues.keys()] : [key];
    for (const each of keys) {
      const queue = this.#queues.get(each);
      if (queue?.timer !== undefined) clearTimeout(queue.timer);
      this.#queues.delete(each);
    }
  }

  /** One timer per key, set for its earliest work; none once it has no work left. */
  #arm(key: string, queue: KeyQueue): void {
    const next = queue.heap[0];
    if (next === undefined) {
      if (queue.timer !== undefined) clearTimeout(queue.timer);
      this.#queues.delete(key);
      return;
    }
    if (queue.timer !== undefined && queue.timerAt <= next.at) return;
    if (queue.timer !== undefined) clearTimeout(queue.timer);
    const delay = Math.min(Math.max(next.at - this.clock(key), 0), longestDelay);
    queue.timerAt = next.at;
    queue.timer = setTimeout(() => {
      queue.timer = undefined;
      queue.timerAt = Infinity;
      try {
        this.runDue(key);
      } catch (error) {
        this.onError(error);
      }
      // Nothing was due (a `now` option that stood still): wake up again later.
      if (this.#queues.get(key) === queue && queue.timer === undefined) this.#arm(key, queue);
    }, delay);
    queue.timer.unref?.();
  }
}
