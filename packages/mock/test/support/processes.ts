import { execFileSync } from "node:child_process";
import { createServer } from "node:net";

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The Prism processes serving on the port of `prismUrl`. */
export function prismPids(prismUrl: string): number[] {
  const port = new URL(prismUrl).port;
  const out = execFileSync("pgrep", ["-f", `prism-cli/dist/index.js mock .* --port ${port} `], {
    encoding: "utf8",
  }).trim();
  return out.split("\n").map(Number);
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === "object" && address !== null ? address.port : 0;
}

export async function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}
