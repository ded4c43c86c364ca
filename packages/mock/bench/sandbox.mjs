// What the sandbox's state costs: reading one page from a key holding as many created records as
// the cap keeps, against one holding a few (in-process, so no network noise), then memory under
// the caps in a process of its own (sandbox-memory.mjs).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createMockFetch, defaultLimits } from "../dist/index.js";
import {
  againstTarget,
  createIn,
  headersFor,
  inProcess,
  median,
  pagePath,
  pageSize,
} from "./support.mjs";

const batches = Number(process.env.BENCH_BATCHES ?? 30);
const readsPerBatch = 200;
const holdings = [defaultLimits.recordsPerKey, 10];
const keyHolding = (count) => `holding-${count}`;

const mockFetch = await createMockFetch();
for (const count of holdings) {
  for (let made = 0; made < count; made += 1) await createIn(mockFetch, keyHolding(count));
}

async function readPage(count) {
  const body = await inProcess(mockFetch, pagePath, { headers: headersFor(keyHolding(count)) });
  if (body.data.length !== pageSize || body.pagination.totalResults < count) {
    throw new Error(`${keyHolding(count)} read ${JSON.stringify(body.pagination)}`);
  }
}

/** Microseconds per read over one batch: a batch is long enough for the clock, a read is not. */
async function microsecondsPerRead(count) {
  const started = performance.now();
  for (let read = 0; read < readsPerBatch; read += 1) await readPage(count);
  return ((performance.now() - started) / readsPerBatch) * 1000;
}

const samples = new Map(holdings.map((count) => [count, []]));
for (const count of holdings) await microsecondsPerRead(count); // warm-up, discarded
for (let batch = 0; batch < batches; batch += 1) {
  // Interleaved, each first in every other batch, so a slow moment of the machine hits both.
  const order = batch % 2 === 0 ? holdings : [...holdings].reverse();
  for (const count of order) samples.get(count).push(await microsecondsPerRead(count));
}
console.log(
  `One page of ${pageSize} (GET ${pagePath}), in-process, ${batches} batches of ${readsPerBatch} reads (median per read)`,
);
for (const count of holdings) {
  const label = `from a key holding ${count.toLocaleString("en")} created`;
  console.log(`${label.padEnd(36)} ${median(samples.get(count)).toFixed(0).padStart(5)} µs`);
}
const [many, few] = holdings.map((count) => median(samples.get(count)));
console.log(`many / few: ${againstTarget(many / few, { atMost: 1.2 })}`);

const child = fileURLToPath(new URL("./sandbox-memory.mjs", import.meta.url));
const memory = JSON.parse(
  execFileSync(process.execPath, ["--expose-gc", child], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }),
);
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const { limits } = memory;
const { toCaps, pastCaps } = memory.seconds;
console.log(
  `Memory under the caps (${limits.keys} keys, ${limits.recordsPerKey.toLocaleString("en")} created per key), ${memory.creates.toLocaleString("en")} creates over ${memory.keys} keys, in-process: ${(toCaps + pastCaps).toFixed(0)} s (${toCaps.toFixed(0)} s to the caps, ${pastCaps.toFixed(0)} s past them)`,
);
const { atCaps, atEnd } = memory;
console.log(
  `after gc, caps first reached -> end: RSS ${mb(atCaps.rss)} -> ${mb(atEnd.rss)}, heap used ${mb(atCaps.heapUsed)} -> ${mb(atEnd.heapUsed)}, heap committed ${mb(atCaps.heapTotal)} -> ${mb(atEnd.heapTotal)}`,
);
console.log(`end / caps reached: ${againstTarget(atEnd.rss / atCaps.rss, { atMost: 1.1 })}`);
console.log(
  `campaigns held at the end: ${memory.held.full} by a key past its record cap, ${memory.held.evicted} by a key evicted for newer ones (the seed alone)`,
);
