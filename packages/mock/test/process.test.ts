import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { type Operation, operations } from "@loops-contract/spec";
import { afterEach, describe, expect, test } from "vitest";
import { startMock } from "../dist/index.js";
import { freePort, portIsFree, ready, startCli, stopClis } from "./support/cli.js";
import { json, send, validBody } from "./support/requests.js";

const operation = operations.find((o) => o.requestBody?.examples.length) as Operation;

// A failed assertion must not leave a mock on its port.
afterEach(stopClis);

function childrenOf(pid: number): string {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).trim();
  } catch {
    return ""; // pgrep exits 1 when there are none.
  }
}

describe("the mock as a process", () => {
  test("once the port accepts a connection every answer is the contract's; one ready line, no error line; SIGKILL leaves nothing", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const { child, output } = startCli({ MOCK_PORT: String(port) });
    const exited = once(child, "exit");
    // Poll from the first instant: a refused connection is fine, any answer must be documented.
    let first: Awaited<ReturnType<typeof send>> | undefined;
    for (let attempt = 0; attempt < 2000 && first === undefined; attempt += 1) {
      try {
        first = await send(url, operation, { body: validBody(operation) });
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    expect(first?.status, first?.text).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = output.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`ready at ${url} \\(${operations.length} operations`));
    expect(output.stderr).toBe("");

    // Prism runs in this one process: nothing to orphan when it is killed without warning.
    expect(childrenOf(child.pid as number)).toBe("");
    child.kill("SIGKILL");
    await exited;
    expect(await portIsFree(port)).toBe(true);
  });

  test("`--dynamic --seed N --rate-limit` and MOCK_PORT: the seed's bodies, the documented limit", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const started = startCli({ MOCK_PORT: String(port) }, [
      "--dynamic",
      "--seed",
      "7",
      "--rate-limit",
    ]);
    await ready(started);
    expect(started.output.stdout).toMatch(/dynamic, seed 7, 10 requests\/s per key\)\n$/);
    // Sent together, so that both fall in one window however slow the first answer is.
    const [first, second] = await Promise.all([
      send(url, operation, { body: validBody(operation) }),
      send(url, operation, { body: validBody(operation) }),
    ]);
    const remaining = [first, second].map((answer) => answer.headers.get("x-ratelimit-remaining"));
    expect(remaining.sort()).toEqual(["8", "9"]);
    // The seed makes every answer's body the same.
    expect(JSON.parse(second.text)).toEqual(JSON.parse(first.text));
    const inProcess = await startMock({ dynamic: true, seed: 7 });
    try {
      const same = await send(inProcess.url, operation, {
        headers: json,
        body: validBody(operation),
      });
      expect(JSON.parse(first.text)).toEqual(JSON.parse(same.text));
    } finally {
      await inProcess.stop();
    }
  });

  test("a port already taken is one line naming the port and how to choose another, exit code 1", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const { child, output } = startCli({}, ["--port", String(port)]);
      const [code] = await once(child, "exit");
      expect(code).toBe(1);
      expect(output.stderr).toBe(
        `loops-mock: port ${port} on 127.0.0.1 is already in use (EADDRINUSE): stop what holds it, or pick another with --port or MOCK_PORT (0 for a free one).\n`,
      );
      expect(output.stdout).toBe("");
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  test("`--port N --rate-limit N`: flags win over their variables, N requests per second per key", async () => {
    const port = await freePort();
    const started = startCli({ MOCK_PORT: "1", MOCK_RATE_LIMIT: "50" }, [
      "--port",
      String(port),
      "--rate-limit",
      "3",
    ]);
    await ready(started);
    expect(started.output.stdout).toContain(`ready at http://127.0.0.1:${port} `);
    expect(started.output.stdout).toMatch(/, 3 requests\/s per key\)\n$/);
    const first = await send(`http://127.0.0.1:${port}`, operation, { body: validBody(operation) });
    expect(first.headers.get("x-ratelimit-limit")).toBe("3");
  });

  test("--help lists every flag beside its variable and exits 0 without loading the mock", async () => {
    const { child, output } = startCli({}, ["--help"]);
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    for (const row of [
      "--port N",
      "MOCK_PORT=N",
      "--host ADDRESS",
      "MOCK_HOST",
      "--rate-limit [N]",
      "MOCK_RATE_LIMIT=N",
      "--seed N",
      "--empty",
      "--stateless",
      "--dynamic",
      "--static",
    ]) {
      expect(output.stdout).toContain(row);
    }
    expect(output.stderr).toBe("");
  });

  test.each([
    [
      ["--prot", "5000"],
      "loops-mock: unknown option '--prot'. Run loops-mock --help for the options.\n",
    ],
    [
      ["--port", "http"],
      "loops-mock: --port must be a port number from 0 to 65535, got 'http'. Run loops-mock --help.\n",
    ],
    [["--seed", "-1"], "loops-mock: unknown option '-1'. Run loops-mock --help for the options.\n"],
    [["extra"], "loops-mock: Unexpected argument 'extra'. Run loops-mock --help.\n"],
    [
      ["--inspector-token", "hunter2"],
      "loops-mock: --inspector-token must be at least 16 characters, got '*******'. Run loops-mock --help.\n",
    ],
  ])("%j is one line naming it and --help, exit code 2", async (args, line) => {
    const { child, output } = startCli({}, args);
    const [code] = await once(child, "exit");
    expect(code).toBe(2);
    expect(output.stderr).toBe(line);
    expect(output.stdout).toBe("");
  });

  test("MOCK_RATE_LIMIT that is not a whole number is refused before anything listens", async () => {
    const { child, output } = startCli({ MOCK_RATE_LIMIT: "ten", MOCK_PORT: "0" });
    const [code] = await once(child, "exit");
    expect(code).toBe(2);
    expect(output.stderr).toContain("MOCK_RATE_LIMIT");
  });
});
