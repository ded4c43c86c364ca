import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

// The CLI as users run it: `node dist/cli.js` (what `pnpm mock` starts), one process.
const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

export interface StartedCli {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
}

/** The CLIs started and not yet seen to exit: what `stopClis` must stop. */
const running = new Set<ChildProcess>();

/** Starts the CLI; a file that calls this stops what it started with `afterEach(stopClis)`. */
export function startCli(env: Record<string, string>, args: string[] = []): StartedCli {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  const output = { stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk: Buffer) => {
    output.stdout += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output.stderr += chunk.toString("utf8");
  });
  return { child, output };
}

/** Resolves once the CLI has printed its ready line; rejects if it exits first. */
export function ready({ child, output }: StartedCli): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!output.stdout.includes("ready")) return;
      settle();
      resolve();
    };
    const exited = (code: number | null) => {
      settle();
      reject(new Error(`the mock exited (${code}) before it was ready: ${output.stderr}`));
    };
    const settle = () => {
      child.stdout?.off("data", check);
      child.off("exit", exited);
    };
    child.stdout?.on("data", check);
    child.once("exit", exited);
    check();
  });
}

/** Kills every CLI still running and waits for each to exit, so its port is free again. */
export async function stopClis(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    }),
  );
}
