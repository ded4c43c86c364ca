import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { chmod, copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import type { Agent, Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import getPort from "get-port";
import { createContractAdapter, type RateLimitHeaders } from "./adapter.js";

export type PrismLogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";

export interface MockOptions {
  /** The contract to serve; default the bundled `@loops-contract/spec/openapi.json`. */
  contract?: string;
  /** Port to listen on; default: a free port chosen by the OS. */
  port?: number;
  /** Host to listen on; default 127.0.0.1. */
  host?: string;
  /** Generate response bodies from the schemas instead of serving the contract's examples. */
  dynamic?: boolean;
  /** Seed for dynamic mode, so generated bodies are reproducible. */
  seed?: number;
  /** Prism's log level; default "error" (request violations only). */
  logLevel?: PrismLogLevel;
  /** Receives Prism's log output; by default it is kept only to explain a failed start. */
  onLog?: (text: string) => void;
  /** How long to wait for Prism to answer before giving up; default 30 s. */
  readyTimeoutMs?: number;
}

export interface RunningMock {
  /** The mock's base URL, e.g. http://127.0.0.1:4010. */
  url: string;
  port: number;
  /** Prism itself, without the contract adapter in front: for tests that pin down Prism's gaps. */
  prismUrl: string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
const logTailLimit = 16_384;
const pollIntervalMs = 50;
const stopGraceMs = 3_000;

function prismBinary(): string {
  const manifestPath = require.resolve("@stoplight/prism-cli/package.json");
  const manifest = require(manifestPath) as { bin: { prism: string } };
  return join(manifestPath, "..", manifest.bin.prism);
}

/** A read-only copy of the contract: Prism reloads when its file changes, so it gets its own. */
async function privateContractCopy(source: string): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), "loops-mock-"));
  const file = join(dir, basename(source));
  await copyFile(source, file);
  await chmod(file, 0o444);
  return { dir, file };
}

/** The values the bundled contract documents for its required rate-limit headers. */
async function contractRateLimitHeaders(): Promise<RateLimitHeaders> {
  const bundle = require.resolve("@loops-contract/spec/openapi.json");
  const contract = JSON.parse(await readFile(bundle, "utf8")) as {
    components: { headers: Record<string, { schema: { examples: unknown[] } }> };
  };
  const example = (name: string): string =>
    String(contract.components.headers[name]?.schema.examples[0]);
  return { limit: example("RateLimitLimit"), remaining: example("RateLimitRemaining") };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Negative pid: the whole process group Prism leads (it was spawned detached).
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function waitUntilAnswering(
  url: string,
  prism: ChildProcess,
  timeoutMs: number,
  logTail: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const exited = once(prism, "exit").then(([code, signal]) => ({ code, signal }));
  let exit: { code: unknown; signal: unknown } | undefined;
  void exited.then((value) => {
    exit = value;
  });
  while (Date.now() < deadline) {
    if (exit) {
      throw new Error(
        `Prism exited before it answered (code ${String(exit.code)}, signal ${String(exit.signal)}):\n${logTail()}`,
      );
    }
    try {
      // Any HTTP answer means it is serving. A CORS preflight is answered without a log line.
      await fetch(url, {
        method: "OPTIONS",
        headers: { origin: "http://127.0.0.1", "access-control-request-method": "POST" },
        signal: AbortSignal.timeout(1_000),
      });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    }
  }
  throw new Error(`Prism did not answer at ${url} within ${timeoutMs} ms:\n${logTail()}`);
}

async function closeAdapter(server: Server, agent: Agent): Promise<void> {
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeAllConnections();
  agent.destroy();
  await closed;
}

/** Starts Prism on the bundled contract and resolves once it answers. */
export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const host = options.host ?? "127.0.0.1";
  const prismPort = await getPort({ host: "127.0.0.1" });

  // Listen first, so a port that is taken fails in milliseconds instead of after Prism's start-up.
  const { server, agent } = createContractAdapter(prismPort, await contractRateLimitHeaders());
  server.listen(options.port ?? 0, host);
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;

  let prism: RunningPrism;
  try {
    prism = await startPrism(prismPort, options);
  } catch (error) {
    await closeAdapter(server, agent);
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    prismUrl: `http://127.0.0.1:${prismPort}`,
    stop() {
      stopping ??= Promise.all([closeAdapter(server, agent), prism.stop()]).then(() => undefined);
      return stopping;
    },
  };
}

interface RunningPrism {
  stop(): Promise<void>;
}

async function startPrism(prismPort: number, options: MockOptions): Promise<RunningPrism> {
  const contract = await privateContractCopy(
    options.contract ?? require.resolve("@loops-contract/spec/openapi.json"),
  );
  const args = [
    prismBinary(),
    "mock",
    contract.file,
    "--host",
    "127.0.0.1",
    "--port",
    String(prismPort),
    "--errors",
    // Loops blocks browser calls by design; Prism would otherwise allow every origin.
    "--cors=false",
    "--verboseLevel",
    options.logLevel ?? "error",
  ];
  if (options.dynamic) args.push("--dynamic");
  if (options.seed !== undefined) args.push("--seed", String(options.seed));

  const prism = spawn(process.execPath, args, {
    // Its own process group, so stop() can end Prism and anything it forks in one signal.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  let logTail = "";
  const onOutput = (chunk: Buffer): void => {
    const text = chunk.toString("utf8");
    logTail = (logTail + text).slice(-logTailLimit);
    options.onLog?.(text);
  };
  prism.stdout?.on("data", onOutput);
  prism.stderr?.on("data", onOutput);
  // If this process ends without stop(), take Prism with it.
  const killOnExit = (): void => killGroup(prism, "SIGKILL");
  process.on("exit", killOnExit);

  const exited = new Promise<void>((resolve) => prism.once("exit", () => resolve()));
  const stop = async (): Promise<void> => {
    killGroup(prism, "SIGTERM");
    const timer = setTimeout(() => killGroup(prism, "SIGKILL"), stopGraceMs);
    await exited;
    clearTimeout(timer);
    process.off("exit", killOnExit);
    await rm(contract.dir, { recursive: true, force: true });
  };

  try {
    await waitUntilAnswering(
      `http://127.0.0.1:${prismPort}/v1/campaigns`,
      prism,
      options.readyTimeoutMs ?? 30_000,
      () => logTail,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
