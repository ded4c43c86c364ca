// Throughput and latency of valid creates, 10 connections, against the mock and against plain
// Prism CLI on the same bundle, in the same run and interleaved; then the mock's memory over
// 100,000 requests.
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { contractPath } from "@loops-contract/spec";
import autocannon from "autocannon";
import {
  firstSuccess,
  freePort,
  headers,
  operation,
  requestBody,
  startProcess,
} from "./support.mjs";

const require = createRequire(import.meta.url);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const prismManifest = require.resolve("@stoplight/prism-cli/package.json");
const prismBin = join(prismManifest, "..", require(prismManifest).bin.prism);

function load(url, options) {
  return autocannon({
    url: `${url}${operation.path}`,
    method: operation.method.toUpperCase(),
    headers,
    body: requestBody,
    connections: 10,
    ...options,
  });
}

async function rssMb(pid) {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

// Prism reloads when the file it serves changes: it gets a copy, as the old mock did.
const dir = await mkdtemp(join(tmpdir(), "mock-bench-"));
const bundleCopy = join(dir, "openapi.json");
await copyFile(contractPath, bundleCopy);

const mockPort = await freePort();
const prismPort = await freePort();
const servers = {
  mock: {
    url: `http://127.0.0.1:${mockPort}`,
    ...startProcess(process.execPath, [cli], { MOCK_PORT: String(mockPort) }),
  },
  "prism cli": {
    url: `http://127.0.0.1:${prismPort}`,
    ...startProcess(process.execPath, [
      prismBin,
      "mock",
      bundleCopy,
      "--host",
      "127.0.0.1",
      "--port",
      String(prismPort),
      "--errors",
      "--cors=false",
      "--verboseLevel",
      "error",
    ]),
  },
};
try {
  for (const server of Object.values(servers)) await firstSuccess(server.url);
  for (const server of Object.values(servers)) await load(server.url, { duration: 2 }); // warm-up

  const results = { mock: [], "prism cli": [] };
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, server] of Object.entries(servers)) {
      const result = await load(server.url, { duration: seconds });
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      }
      results[name].push(result);
    }
  }
  console.log(`Valid creates, 10 connections, ${rounds} x ${seconds} s each, interleaved`);
  const summary = {};
  for (const [name, list] of Object.entries(results)) {
    const rps = list.reduce((sum, r) => sum + r.requests.average, 0) / list.length;
    const p99 = Math.max(...list.map((r) => r.latency.p99));
    const p50 = list.reduce((sum, r) => sum + r.latency.p50, 0) / list.length;
    summary[name] = { rps, p99 };
    console.log(
      `${name.padEnd(10)} ${rps.toFixed(0).padStart(6)} requests/s  p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms`,
    );
  }
  const ratio = summary.mock.rps / summary["prism cli"].rps;
  console.log(
    `ratio ${ratio.toFixed(2)}x (target >= 1.0, goal 1.5): ${ratio >= 1.5 ? "goal met" : ratio >= 1 ? "target met" : "MISSED"}; p99 ${summary.mock.p99 <= summary["prism cli"].p99 ? "no worse" : "WORSE"} than Prism's`,
  );

  const pid = servers.mock.child.pid;
  const total = 100_000;
  const step = 20_000;
  const rss = [await rssMb(pid)];
  for (let sent = 0; sent < total; sent += step) {
    const result = await load(servers.mock.url, { amount: step });
    if (result.non2xx > 0) throw new Error(`${result.non2xx} non-2xx answers`);
    rss.push(await rssMb(pid));
  }
  console.log(
    `mock RSS over ${total.toLocaleString("en")} requests (every ${step.toLocaleString("en")}): ${rss.map((mb) => mb.toFixed(0)).join(" -> ")} MB`,
  );
} finally {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
  await rm(dir, { recursive: true, force: true });
}
