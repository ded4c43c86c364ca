import { spawn } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { operations, sandboxModel } from "@loops-contract/spec";
import autocannon from "autocannon";

/** The first operation that takes a body, and its first example: what "a valid create" is here. */
export const operation = operations.find((o) => o.requestBody?.examples.length);
export const requestBody = JSON.stringify(operation.requestBody.examples[0].value);

export function headersFor(apiKey) {
  return { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
}

/** A handful of keys, as test suites sharing one mock send: the sandbox keeps one state a key. */
export const apiKeys = Array.from({ length: 10 }, (_, index) => `bench-key-${index}`);

/** The valid create as `fetch` options, for one API key. */
export function validCreate(apiKey = "bench-key") {
  return { method: operation.method.toUpperCase(), headers: headersFor(apiKey), body: requestBody };
}

/**
 * Valid creates with 10 connections, each cycling through the keys (one sandbox per key, as when
 * a few test suites share a mock); the requests are built once, so the load generator spends
 * nothing per request on varying them. Throws unless every answer was a 2xx.
 */
export async function loadCreates(url, options) {
  const { method, body } = validCreate();
  const result = await autocannon({
    url: `${url}${operation.path}`,
    method,
    body,
    requests: apiKeys.map((apiKey) => ({ headers: headersFor(apiKey) })),
    connections: 10,
    ...options,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return result;
}

/** The list of what the valid create makes: one page of its smallest size, newest first. */
const listOperation = operations.find(
  (o) => o.sandbox?.action === "list" && o.sandbox.resource === operation.sandbox?.resource,
);
const { perPageParameter } = sandboxModel.pagination;
export const pageSize = listOperation.queryParameters.find((p) => p.name === perPageParameter)
  .schema.minimum;
export const pagePath = `${listOperation.path}?${perPageParameter}=${pageSize}`;

/** Sends `path` to an in-process mock (`createMockFetch`); its JSON body, or a throw unless 2xx. */
export async function inProcess(mockFetch, path, init) {
  const response = await mockFetch(`http://mock.invalid${path}`, init);
  const body = await response.json();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** One valid create for `apiKey` through an in-process mock; throws unless it is a 2xx. */
export function createIn(mockFetch, apiKey) {
  return inProcess(mockFetch, operation.path, validCreate(apiKey));
}

/** `ratio` and the target it is read against: `<ratio>x (target >= <t>: met or MISSED)`. */
export function againstTarget(ratio, { atLeast, atMost }) {
  const met = atLeast === undefined ? ratio <= atMost : ratio >= atLeast;
  const target = atLeast === undefined ? `<= ${atMost}` : `>= ${atLeast}`;
  return `${ratio.toFixed(2)}x (target ${target}: ${met ? "met" : "MISSED"})`;
}

export async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Sends the valid request until it gets a 2xx; resolves with the time it did. */
export async function firstSuccess(url, deadlineMs = 60_000) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}${operation.path}`, validCreate());
      await response.arrayBuffer();
      if (response.ok) return performance.now();
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`${url} gave no 2xx within ${deadlineMs} ms`);
}

/** Starts a server process; `stop()` ends it and waits for its exit. */
export function startProcess(command, args, env = {}) {
  const child = spawn(command, args, {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ...env },
  });
  const exited = once(child, "exit");
  return {
    child,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Middle value of a sample: start-ups are single process launches, not a loop for tinybench. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const require = createRequire(import.meta.url);
/** How long and how often a load runs: BENCH_SECONDS, BENCH_ROUNDS. */
export const seconds = Number(process.env.BENCH_SECONDS ?? 8);
export const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
/** The mock's CLI, as built, and plain Prism CLI's, to run on the same bundle. */
export const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const prismManifest = require.resolve("@stoplight/prism-cli/package.json");
export const prismBin = join(prismManifest, "..", require(prismManifest).bin.prism);
