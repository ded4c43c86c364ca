// The sandbox's memory at its caps, in a process of its own so that its RSS is the sandbox's
// (sandbox.mjs runs it with --expose-gc and prints the JSON it writes). The caps are small so that
// they are reached in seconds. Creates round-robin over as many keys as the key cap fill every key
// to the record cap: the caps are first reached half way. Then the keys move on by half the cap,
// so half of them are full and evict their oldest records, and half are new and evict the least
// recently used keys: from there memory should stay where it was.
import { createMockFetch } from "../dist/index.js";
import { createIn, headersFor, inProcess, pagePath } from "./support.mjs";

const limits = { keys: 10, recordsPerKey: 10_000 };
const createsToCaps = limits.keys * limits.recordsPerKey;
const shift = limits.keys / 2;
const keyAt = (index) => `memory-${index}`;
const mockFetch = await createMockFetch({ limits });

async function createRoundRobin(firstKey) {
  for (let made = 0; made < createsToCaps; made += 1) {
    await createIn(mockFetch, keyAt(firstKey + (made % limits.keys)));
  }
}

function afterGc() {
  // A second pass collects what the first one's finalizers released.
  globalThis.gc();
  globalThis.gc();
  const { rss, heapTotal, heapUsed } = process.memoryUsage();
  return { rss, heapTotal, heapUsed };
}

async function campaignsHeld(key) {
  const { pagination } = await inProcess(mockFetch, pagePath, { headers: headersFor(key) });
  return pagination.totalResults;
}

const started = performance.now();
await createRoundRobin(0);
const filled = performance.now();
const atCaps = afterGc();
const shifted = performance.now();
await createRoundRobin(shift);
const seconds = {
  toCaps: (filled - started) / 1000,
  pastCaps: (performance.now() - shifted) / 1000,
};
const atEnd = afterGc();
// Read last: a read of the evicted key brings it back, which evicts another.
const held = { full: await campaignsHeld(keyAt(shift)), evicted: await campaignsHeld(keyAt(0)) };
console.log(
  JSON.stringify({
    limits,
    creates: 2 * createsToCaps,
    keys: limits.keys + shift,
    seconds,
    atCaps,
    atEnd,
    held,
  }),
);
