// Per-call time of `campaigns.create` against a local node:http server that answers the contract's
// 201 example, next to a bare `fetch` doing the same work (with and without a timeout signal) and
// the official `loops` SDK (which has no timeout).
// All three use Node's global fetch, so they share one undici keep-alive pool: same connection reuse.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";
import { LoopsClient } from "loops";
import { createLoopsClient } from "../dist/index.js";

const WARMUP_CALLS = 300;
const ROUNDS = 40;
const CALLS_PER_ROUND = 50;
const TARGET_RATIO = 1.1;
const API_KEY = "loops_bench_key";

const spec = JSON.parse(
  await readFile(new URL(import.meta.resolve("@loops-contract/spec/openapi.json")), "utf8"),
);
const createdBody = JSON.stringify(spec.components.examples.CampaignCreatedScheduled.value);
const requestBody = spec.components.examples.CreateCampaignScheduled.value;

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(201, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(createdBody),
      "x-ratelimit-limit": "10",
      "x-ratelimit-remaining": "9",
    });
    response.end(createdBody);
  });
});
server.keepAliveTimeout = 60_000;
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
const apiRoot = `http://127.0.0.1:${port}/api`;

const loops = createLoopsClient({ apiKey: API_KEY, baseUrl: apiRoot });
// LoopsClient 7.3 takes only the key; its server is the public `apiRoot` field (a trailing slash
// matters: it resolves "v1/campaigns" against it).
const official = new LoopsClient(API_KEY);
official.apiRoot = `${apiRoot}/`;

const contenders = {
  "bare fetch": async () => {
    const response = await fetch(`${apiRoot}/v1/campaigns`, {
      method: "POST",
      headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify(requestBody),
    });
    if (response.status !== 201) throw new Error(`bare fetch got ${response.status}`);
    return response.json();
  },
  // What any client that honours a timeout must pay: Node's fetch does real work per abortable call.
  "bare fetch + timeout": async () => {
    const response = await fetch(`${apiRoot}/v1/campaigns`, {
      method: "POST",
      headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify(requestBody),
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status !== 201) throw new Error(`bare fetch got ${response.status}`);
    return response.json();
  },
  "@loops-contract/client": () => loops.campaigns.create(requestBody),
  "loops 7.3.0 SDK": () => official.createCampaign(requestBody),
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

for (const call of Object.values(contenders)) {
  for (let i = 0; i < WARMUP_CALLS; i++) await call();
}
// Interleaved rounds, so drift (GC, CPU frequency, other work on the machine) hits all alike; the
// ratios are taken round by round (paired) and their median reported.
const samples = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
const roundRatios = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  const roundMedians = {};
  for (const [name, call] of Object.entries(contenders)) {
    const times = [];
    for (let i = 0; i < CALLS_PER_ROUND; i++) {
      const started = performance.now();
      const campaign = await call();
      times.push(performance.now() - started);
      if (campaign.id === undefined) throw new Error(`${name} returned no campaign`);
    }
    samples[name].push(...times);
    roundMedians[name] = median(times);
  }
  for (const name of Object.keys(contenders)) {
    roundRatios[name].push(roundMedians[name] / roundMedians["bare fetch"]);
  }
}
server.close();
server.closeAllConnections();

console.log(
  `campaigns.create against a local node:http server, ${ROUNDS} interleaved rounds of ${CALLS_PER_ROUND} calls each`,
);
console.log(`${"".padEnd(24)} median/call  ratio to bare fetch (median of per-round ratios)`);
for (const name of Object.keys(contenders)) {
  console.log(
    `${name.padEnd(24)} ${(median(samples[name]) * 1000).toFixed(0).padStart(8)} µs  ${median(roundRatios[name]).toFixed(3)}x`,
  );
}
const ours = median(roundRatios["@loops-contract/client"]);
const oursOverTimeoutFetch = ours / median(roundRatios["bare fetch + timeout"]);
console.log(
  `target: @loops-contract/client within ${TARGET_RATIO}x of bare fetch: ${ours <= TARGET_RATIO ? "met" : "MISSED"} (${ours.toFixed(3)}x; ${oursOverTimeoutFetch.toFixed(3)}x of bare fetch + timeout)`,
);
