// Throughput and latency of valid creates, 10 connections, against the mock stateful (the
// default), the mock --stateless and plain Prism CLI on the same bundle, in the same run and
// interleaved. The sandbox's memory is measured in sandbox.mjs, in a process of its own.
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contractPath } from "@loops-contract/spec";
import { defaultLimits } from "../dist/index.js";
import {
  againstTarget,
  apiKeys,
  cli,
  firstSuccess,
  freePort,
  loadCreates,
  prismBin,
  rounds,
  seconds,
  startProcess,
} from "./support.mjs";

async function startServer(command, argsForPort) {
  const port = await freePort();
  return {
    url: `http://127.0.0.1:${port}`,
    ...startProcess(command, argsForPort(String(port)), { MOCK_PORT: String(port) }),
  };
}

// Prism reloads when the file it serves changes: it gets a copy, as the old mock did.
const dir = await mkdtemp(join(tmpdir(), "mock-bench-"));
const bundleCopy = join(dir, "openapi.json");
await copyFile(contractPath, bundleCopy);

const stateful = "mock (stateful)";
const prismCli = "prism cli";
const servers = {
  [stateful]: await startServer(process.execPath, () => [cli]),
  "mock --stateless": await startServer(process.execPath, () => [cli, "--stateless"]),
  [prismCli]: await startServer(process.execPath, (port) => [
    prismBin,
    "mock",
    bundleCopy,
    "--host",
    "127.0.0.1",
    "--port",
    port,
    "--errors",
    "--cors=false",
    "--verboseLevel",
    "error",
  ]),
};
try {
  const names = Object.keys(servers);
  const results = Object.fromEntries(names.map((name) => [name, []]));
  let statefulCreates = 0;
  for (const name of names) {
    await firstSuccess(servers[name].url);
    const warmUp = await loadCreates(servers[name].url, { duration: 2 });
    if (name === stateful) statefulCreates += warmUp["2xx"];
  }
  for (let round = 0; round < rounds; round += 1) {
    // A different server goes first each round, so none always follows the same neighbour.
    const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)];
    for (const name of order) {
      const result = await loadCreates(servers[name].url, { duration: seconds });
      if (name === stateful) statefulCreates += result["2xx"];
      results[name].push(result);
    }
  }

  const label = (name) => name.padEnd(Math.max(...names.map((n) => n.length)));
  console.log(
    `Valid creates, 10 connections over ${apiKeys.length} API keys, ${rounds} x ${seconds} s each, interleaved`,
  );
  const summary = {};
  for (const [name, list] of Object.entries(results)) {
    const rps = list.reduce((sum, r) => sum + r.requests.average, 0) / list.length;
    const p99 = Math.max(...list.map((r) => r.latency.p99));
    const p50 = list.reduce((sum, r) => sum + r.latency.p50, 0) / list.length;
    summary[name] = { rps, p99 };
    console.log(
      `${label(name)} ${rps.toFixed(0).padStart(6)} requests/s  p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms`,
    );
  }
  for (const name of names.filter((n) => n !== prismCli)) {
    // The stateless mock keeps the target it had before the sandbox came.
    const target = name === stateful ? { atLeast: 1.5 } : { atLeast: 1 };
    const ratio = summary[name].rps / summary[prismCli].rps;
    const p99 = summary[name].p99 <= summary[prismCli].p99 ? "no worse" : "WORSE";
    console.log(
      `${label(name)} / ${prismCli}: ${againstTarget(ratio, target)}; p99 ${p99} than Prism's`,
    );
  }
  const perKey = Math.round(statefulCreates / apiKeys.length);
  const cap = defaultLimits.recordsPerKey;
  console.log(
    `${stateful} was sent ${statefulCreates.toLocaleString("en")} creates, ${perKey.toLocaleString("en")} per key: ${perKey > cap ? "past" : "below"} the cap of ${cap.toLocaleString("en")} per key (past it each create also evicts the key's oldest: a long run's steady state)`,
  );
} finally {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
  await rm(dir, { recursive: true, force: true });
}
