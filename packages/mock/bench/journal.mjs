// The journal's and the outbox's costs. (1) Throughput of valid creates, 10 connections over 10
// API keys, against the stateful mock with its journal and with `journal: false`, each in a
// process of its own, in the same run, interleaved, median of BENCH_ROUNDS (at least 3) rounds.
// (2) waitFor over HTTP (connectMock's long-poll) on an entry written later: from the write (the
// send leaving this process) to waitFor resolving, median and p99 of 100.
import { setTimeout as delay } from "node:timers/promises";
import { operations } from "@loops-contract/spec";
import { connectMock } from "../dist/index.js";
import {
  againstTarget,
  apiKeys,
  firstSuccess,
  freePort,
  headersFor,
  loadCreates,
  median,
  rounds,
  seconds,
  startProcess,
} from "./support.mjs";

const serve = new URL("./serve.mjs", import.meta.url).pathname;

async function startServer(options) {
  const port = await freePort();
  const server = startProcess(process.execPath, [serve, String(port), JSON.stringify(options)]);
  const url = `http://127.0.0.1:${port}`;
  await firstSuccess(url);
  return { url, ...server };
}

async function load(url, duration) {
  return (await loadCreates(url, { duration })).requests.average;
}

async function throughput() {
  const servers = {
    "journal on": await startServer({}),
    "journal off": await startServer({ journal: false }),
  };
  try {
    const names = Object.keys(servers);
    const samples = Object.fromEntries(names.map((name) => [name, []]));
    for (const name of names) await load(servers[name].url, 2);
    const roundCount = Math.max(3, rounds);
    for (let round = 0; round < roundCount; round += 1) {
      // Each round the other goes first, so neither always follows the same neighbour.
      for (const name of round % 2 === 0 ? names : [...names].reverse()) {
        samples[name].push(await load(servers[name].url, seconds));
      }
    }
    console.log(
      `Valid creates, stateful, 10 connections over ${apiKeys.length} API keys, ${roundCount} x ${seconds} s each, interleaved (median)`,
    );
    for (const name of names) {
      const rounded = samples[name].map((rps) => rps.toFixed(0)).join(", ");
      console.log(
        `${name.padEnd(12)} ${median(samples[name]).toFixed(0).padStart(6)} requests/s  (rounds: ${rounded})`,
      );
    }
    const ratio = median(samples["journal on"]) / median(samples["journal off"]);
    console.log(`journal on / journal off: ${againstTarget(ratio, { atLeast: 0.9 })}`);
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  }
}

const send = operations.find((candidate) => candidate.sandbox?.outbox?.kind === "transactional");
const welcome = send.requestBody.examples[0].value;

async function waitForOverHttp(count = 100) {
  const server = await startServer({});
  const apiKey = "bench-wait-key";
  const remote = connectMock(server.url);
  const latencies = [];
  try {
    for (let index = 0; index < count; index += 1) {
      const email = `wait-${index}@example.com`;
      let resolvedAt = 0;
      const waiting = remote.waitFor(apiKey, { to: email }, { timeout: 10_000 }).then(() => {
        resolvedAt = performance.now();
      });
      // Long enough for the long-poll to be parked at the mock: the entry is written later.
      await delay(20);
      const writtenAt = performance.now();
      const response = await fetch(`${server.url}${send.path}`, {
        method: "POST",
        headers: headersFor(apiKey),
        body: JSON.stringify({ ...welcome, email }),
      });
      if (!response.ok) throw new Error(`The send answered ${response.status}`);
      await response.arrayBuffer();
      await waiting;
      latencies.push(resolvedAt - writtenAt);
    }
  } finally {
    await server.stop();
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const p99 = sorted[Math.ceil(sorted.length * 0.99) - 1];
  console.log(
    `waitFor over HTTP (connectMock's long-poll), an entry written later, ${count} waits: from the write to the resolution median ${median(latencies).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
  );
}

await throughput();
await waitForOverHttp();
