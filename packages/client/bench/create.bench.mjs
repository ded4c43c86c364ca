// `pnpm bench`: the per-call cost of `campaigns.create` against a bare `fetch` with the same kind of
// timeout signal, in one run, next to a bare `fetch` without one and the official `loops` SDK (which
// has no timeout); and of a send that takes an idempotency key (the client makes one per call)
// against a bare `fetch` of it with a timeout. All of them use Node's global fetch, so they share one undici keep-alive pool.
// tinybench times the calls; the tasks run in several rounds so drift on the machine (GC, CPU
// frequency, other work) hits every contender alike, and the ratio is taken round by round.
import { createServer } from "node:http";
import { operations } from "@loops-contract/spec";
import { LoopsClient } from "loops";
import { Bench } from "tinybench";
import { createLoopsClient } from "../dist/index.js";

const ROUNDS = 5;
const TIME_PER_TASK_MS = 600;
const TARGET_RATIO = 1.15;
const API_KEY = "loops_bench_key";

// The scenario is `campaigns.create`; its request and response come from the contract's examples.
const create = operations.find(
  ({ sdkMethod }) => sdkMethod.namespace === "campaigns" && sdkMethod.name === "create",
);
if (!create) throw new Error("the contract has no campaigns.create");
const requestBody = create.requestBody?.examples.find(({ name }) => name === "scheduled")?.value;
const createdBody = JSON.stringify(
  create.responses.find(({ status }) => status === "201")?.body?.examples[0]?.value,
);
if (requestBody === undefined) throw new Error("the contract has no `scheduled` create example");

// The send: the first operation the contract gives an idempotency key, with its first examples.
const send = operations.find((operation) => operation.idempotencyKey !== undefined);
if (!send) throw new Error("the contract has no operation with x-idempotency-key");
const sendBody = send.requestBody?.examples[0]?.value;
const sentBody = JSON.stringify(
  send.responses.find(({ status }) => /^2/.test(status))?.body?.examples[0]?.value,
);
const sendName = `${send.sdkMethod.namespace}.${send.sdkMethod.name}`;

const server = createServer((request, response) => {
  const isSend = request.url?.endsWith(send.path);
  const body = isSend ? sentBody : createdBody;
  request.resume();
  request.on("end", () => {
    response.writeHead(isSend ? 200 : 201, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(body),
      "x-ratelimit-limit": "10",
      "x-ratelimit-remaining": "9",
    });
    response.end(body);
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

/** A bare fetch of the same request, as any caller would write it. */
async function bareFetch(signal) {
  const response = await fetch(`${apiRoot}${create.path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify(requestBody),
    ...(signal ? { signal } : {}),
  });
  if (response.status !== 201) throw new Error(`bare fetch got ${response.status}`);
  return response.json();
}

/** A bare fetch of the send, with a timeout and no key: the least a caller would write. */
async function bareSend() {
  const response = await fetch(`${apiRoot}${send.path}`, {
    method: send.method.toUpperCase(),
    headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify(sendBody),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`bare send got ${response.status}`);
  return response.json();
}

const checked = (name, call) => async () => {
  const answer = await call();
  if (answer?.id === undefined && answer?.success !== true) {
    throw new Error(`${name} returned neither a campaign nor a success`);
  }
};
const SEND_BASELINE = `${sendName}: bare fetch + timeout`;
const SEND_OURS = `${sendName}: client, made key`;
const contenders = {
  "bare fetch": () => bareFetch(undefined),
  // What any client that honours a timeout must pay: Node's fetch does real work per abortable call.
  "bare fetch + timeout": () => bareFetch(AbortSignal.timeout(30_000)),
  "@loops-contract/client": () => loops.campaigns.create(requestBody),
  "loops 7.3.0 SDK": () => official.createCampaign(requestBody),
  [SEND_BASELINE]: bareSend,
  [SEND_OURS]: () => loops.call(send.operationId, { body: sendBody }),
};
/** Each contender's scenario is read against its own bare fetch + timeout. */
const baselineOf = (name) => (name.startsWith(sendName) ? SEND_BASELINE : "bare fetch + timeout");

const bench = new Bench({ time: TIME_PER_TASK_MS, warmupTime: 200, throws: true });
for (const [name, call] of Object.entries(contenders)) bench.add(name, checked(name, call));

const p50 = (name) => {
  const { result } = bench.getTask(name) ?? {};
  if (result?.state !== "completed") throw new Error(`${name}: ${result?.state}`);
  return result.latency.p50;
};
const rounds = [];
for (let round = 0; round < ROUNDS; round++) {
  bench.reset();
  await bench.run();
  rounds.push(Object.fromEntries(Object.keys(contenders).map((name) => [name, p50(name)])));
}
server.close();
server.closeAllConnections();

const ratios = (name, baseline) =>
  rounds.map((round) => round[name] / round[baseline]).sort((a, b) => a - b);
const middle = (sorted) => sorted[Math.floor(sorted.length / 2)];

console.log(
  `campaigns.create and ${sendName} against a local node:http server: tinybench, ${ROUNDS} rounds of ${TIME_PER_TASK_MS} ms per contender`,
);
console.log(
  `${"".padEnd(36)} median/call  ratio to its bare fetch + timeout (median round; all rounds)`,
);
for (const name of Object.keys(contenders)) {
  const perCall = middle(rounds.map((round) => round[name]).sort((a, b) => a - b));
  const all = ratios(name, baselineOf(name));
  console.log(
    `${name.padEnd(36)} ${(perCall * 1000).toFixed(0).padStart(8)} µs  ${middle(all).toFixed(3)}x  (${all.map((ratio) => ratio.toFixed(3)).join(", ")})`,
  );
}
for (const [name, baseline] of [
  ["@loops-contract/client", "bare fetch + timeout"],
  [SEND_OURS, SEND_BASELINE],
]) {
  const ours = middle(ratios(name, baseline));
  console.log(
    `target: ${name} within ${TARGET_RATIO}x of ${baseline}: ${ours <= TARGET_RATIO ? "met" : "MISSED"} (${ours.toFixed(3)}x)`,
  );
}
