// The application endpoints' sandbox: (1) creates of the resource named by unique identifiers (a
// contact), each with a fresh identifier, 10 connections, against the stateful mock and plain
// Prism CLI on the same bundle, interleaved; (2) a find by identifier with 10,000 records per key
// against 10, in process. Operations and fields come from the contract's declarations.
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contractPath, operations, sandboxModel } from "@loops-contract/spec";
import autocannon from "autocannon";
import { createMockFetch } from "../dist/index.js";
import {
  againstTarget,
  cli,
  freePort,
  headersFor,
  inProcess,
  median,
  prismBin,
  rounds,
  seconds,
  startProcess,
} from "./support.mjs";

const identified = (action) =>
  operations.find(
    (o) => o.sandbox?.action === action && sandboxModel.resources[o.sandbox.resource]?.identifiers,
  );
const create = identified("create");
const find = identified("find");
const field = sandboxModel.resources[create.sandbox.resource].identifiers.creates;
let counter = 0;
function fresh() {
  counter += 1;
  return `bench-${process.pid}-${counter}@example.com`;
}

async function creates(url, duration) {
  const result = await autocannon({
    url: `${url}${create.path}`,
    method: create.method.toUpperCase(),
    headers: headersFor("bench-contacts"),
    connections: 10,
    duration,
    requests: [
      { setupRequest: (request) => ({ ...request, body: JSON.stringify({ [field]: fresh() }) }) },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return result;
}

async function startServer(argsForPort) {
  const port = await freePort();
  return {
    url: `http://127.0.0.1:${port}`,
    ...startProcess(process.execPath, argsForPort(String(port)), { MOCK_PORT: String(port) }),
  };
}

async function untilUp(url) {
  for (let attempt = 0; attempt < 3000; attempt += 1) {
    try {
      const response = await fetch(`${url}${create.path}`, {
        method: "POST",
        headers: headersFor("bench-warm"),
        body: JSON.stringify({ [field]: fresh() }),
      });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${url} never answered`);
}

async function createThroughput() {
  const dir = await mkdtemp(join(tmpdir(), "mock-bench-"));
  const bundleCopy = join(dir, "openapi.json");
  await copyFile(contractPath, bundleCopy);
  const prismArgs = (port) => [prismBin, "mock", bundleCopy, "--host", "127.0.0.1", "--port", port];
  const servers = {
    "mock (stateful)": await startServer(() => [cli]),
    "prism cli": await startServer((port) => [
      ...prismArgs(port),
      "--errors",
      "--cors=false",
      "--verboseLevel",
      "error",
    ]),
  };
  try {
    const results = Object.fromEntries(Object.keys(servers).map((name) => [name, []]));
    for (const server of Object.values(servers)) {
      await untilUp(server.url);
      await creates(server.url, 2);
    }
    for (let round = 0; round < rounds; round += 1) {
      const names = Object.keys(servers);
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) results[name].push(await creates(servers[name].url, seconds));
    }
    const rps = (name) =>
      results[name].reduce((sum, r) => sum + r.requests.average, 0) / results[name].length;
    console.log(`Contact creates, a fresh ${field} each, 10 connections, ${rounds} x ${seconds} s`);
    for (const name of Object.keys(servers)) {
      const p99 = Math.max(...results[name].map((r) => r.latency.p99));
      console.log(
        `${name.padEnd(16)} ${rps(name).toFixed(0).padStart(6)} requests/s  p99 ${p99} ms`,
      );
    }
    const ratio = rps("mock (stateful)") / rps("prism cli");
    console.log(`mock (stateful) / prism cli: ${againstTarget(ratio, { atLeast: 1.5 })}`);
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

/** Microseconds per find, the median of `samples` batches of `batch` finds of known records. */
async function findCost(mockFetch, apiKey, addresses, samples = 15, batch = 400) {
  const times = [];
  for (let sample = 0; sample < samples; sample += 1) {
    const started = performance.now();
    for (let index = 0; index < batch; index += 1) {
      const address = addresses[(sample * batch + index) % addresses.length];
      const found = await inProcess(
        mockFetch,
        `${find.path}?${field}=${encodeURIComponent(address)}`,
        {
          headers: headersFor(apiKey),
        },
      );
      if (found.length !== 1) throw new Error(`${address} not found`);
    }
    times.push(((performance.now() - started) * 1000) / batch);
  }
  return median(times);
}

async function findScaling() {
  const mockFetch = await createMockFetch();
  const sizes = { small: 10, large: 10_000 };
  const addresses = {};
  for (const [name, count] of Object.entries(sizes)) {
    addresses[name] = [];
    for (let index = 0; index < count; index += 1) {
      const address = fresh();
      addresses[name].push(address);
      await inProcess(mockFetch, create.path, {
        method: "POST",
        headers: headersFor(`bench-${name}`),
        body: JSON.stringify({ [field]: address }),
      });
    }
  }
  const costs = { small: [], large: [] };
  for (let round = 0; round < 3; round += 1) {
    for (const name of round % 2 === 0 ? ["small", "large"] : ["large", "small"]) {
      costs[name].push(await findCost(mockFetch, `bench-${name}`, addresses[name]));
    }
  }
  const small = median(costs.small);
  const large = median(costs.large);
  console.log(
    `Find by ${field}, in process: ${small.toFixed(1)} µs at ${sizes.small} per key, ${large.toFixed(1)} µs at ${sizes.large.toLocaleString("en")}`,
  );
  console.log(`10,000 / 10: ${againstTarget(large / small, { atMost: 1.2 })}`);
}

await createThroughput();
await findScaling();
