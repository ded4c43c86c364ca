// The publishable packages as a user gets them: packed with `pnpm pack`, installed with npm in a
// project outside the workspace next to the consumer's own toolchain, then type-checked, loaded,
// run and tested there. Only the tarballs cross from the workspace into that project.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, test } from "vitest";

const workspace = fileURLToPath(new URL("../../../", import.meta.url));
const consumerFiles = fileURLToPath(new URL("../consumer/", import.meta.url));
/** Each publishable package's name in the scope, and its folder. */
const publishable = {
  client: "packages/client",
  drift: "packages/drift",
  mock: "packages/mock",
  spec: "spec",
};

/** The consumer's own packages from the registry; scripts/fill-npm-cache.mjs caches the same. */
const toolchainFile = JSON.parse(
  readFileSync(fileURLToPath(new URL("../toolchain.json", import.meta.url)), "utf8"),
) as {
  consumer: string[];
  mswBeforeNode22_12: string;
  mswFromNode22_12: string;
  webhookRuntimes: Record<string, Array<{ name: string; package: string; bin: string }>>;
};
// msw 3 needs Node 22.12+; before it, msw 2, which the mock's peer range also allows.
const [nodeMajor = 0, nodeMinor = 0] = process.versions.node.split(".").map(Number);
const msw =
  nodeMajor > 22 || (nodeMajor === 22 && nodeMinor >= 12)
    ? toolchainFile.mswFromNode22_12
    : toolchainFile.mswBeforeNode22_12;
/** Deno and Bun, as npm packages of their binaries, where one is built for this platform. */
const webhookRuntimes = toolchainFile.webhookRuntimes[`${process.platform}-${process.arch}`] ?? [];
const toolchain = [
  ...toolchainFile.consumer,
  msw,
  ...webhookRuntimes.map(({ package: spec }) => spec),
];

/**
 * The test recipes of the mock's README, as a reader copies them: each ```ts block titled with its
 * file name. The msw recipes name their major; only the installed one's goes into the project.
 */
const recipes = [
  ...readFileSync(new URL("../../mock/README.md", import.meta.url), "utf8").matchAll(
    /^```ts title="([^"]+)"\n([\s\S]*?)^```$/gm,
  ),
]
  .map(([, file = "", source = ""]) => ({ file, source }))
  .filter(
    ({ file }) => !/msw\d/.test(file) || file.includes(msw.startsWith("msw@3") ? "msw3" : "msw2"),
  );
const recipeTests = recipes.map(({ file }) => file).filter((file) => file.endsWith(".test.ts"));

/**
 * The environment of a user's shell, not of the workspace's scripts: NODE_PATH (set by pnpm to the
 * workspace's store) would let require() find a dependency a tarball fails to declare, and pnpm's
 * npm_* variables would configure the consumer's npm. The gate's own Node comes first on PATH.
 */
const consumerEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => name !== "NODE_PATH" && !/^(npm|pnpm)_/i.test(name),
  ),
);
consumerEnv.PATH = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`;

interface Started {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  exited: Promise<number | null>;
  /** Kills it (with whatever it started, in its own group), if still running; waits for its exit. */
  stop(): Promise<void>;
}

/** What was started and has not been stopped: afterAll stops it, should a test end before it could. */
const running = new Set<Started>();

/**
 * Starts a command. `ownGroup`: in a process group of its own, so that stopping it early stops what
 * it started too; a server is left in this process's group instead, so that an interrupt reaching
 * the test run reaches it as well.
 */
function start(
  command: string,
  args: string[],
  {
    cwd,
    env = consumerEnv,
    ownGroup,
  }: { cwd: string; env?: NodeJS.ProcessEnv | undefined; ownGroup: boolean },
): Started {
  const child = spawn(command, args, {
    cwd,
    env,
    detached: ownGroup,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk: Buffer) => {
    output.stdout += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output.stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  });
  const stop = async () => {
    try {
      if (child.pid !== undefined) process.kill(ownGroup ? -child.pid : child.pid, "SIGKILL");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error; // ESRCH: already gone
    }
    await exited.catch(() => undefined);
    running.delete(started);
  };
  const started = { child, output, exited, stop };
  running.add(started);
  return started;
}

/** Resolves once the process has printed `text`; rejects if it exits first. */
function printed({ child, output, exited }: Started, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (output.stdout.includes(text)) resolve();
    };
    child.stdout?.on("data", check);
    check();
    exited.then((code) => reject(new Error(`exited (${code}): ${output.stderr}`)), reject);
  });
}

/** Runs a command to its end; `signal` (the test's, aborted on a timeout) stops it early. */
async function run(
  command: string,
  args: string[],
  { cwd, signal, env }: { cwd: string; signal?: AbortSignal | undefined; env?: NodeJS.ProcessEnv },
) {
  const started = start(command, args, { cwd, env, ownGroup: true });
  const stopOnAbort = () => void started.stop();
  signal?.addEventListener("abort", stopOnAbort);
  try {
    const code = await started.exited;
    const { stdout, stderr } = started.output;
    return { code, stdout, stderr, report: `${command} ${args.join(" ")}\n${stdout}${stderr}` };
  } finally {
    signal?.removeEventListener("abort", stopOnAbort);
    await started.stop();
  }
}

/** A registry with no packages at all: every request is a 404, at once (no retries to wait out). */
async function startEmptyRegistry(): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(404, { "content-type": "application/json" });
    response.end('{"error":"Not found"}');
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The file a package's `bin` names, for running it with this Node. */
function binOf(packageJsonPath: string, name: string): string {
  const manifest = createRequire(import.meta.url)(packageJsonPath) as {
    bin: Record<string, string>;
  };
  return join(dirname(packageJsonPath), manifest.bin[name] as string);
}

let root: string;
let project: string;
let tarballs: string[];
let emptyRegistry: Server | undefined;
// Stops the install should the set-up time out before it ends.
const setUp = new AbortController();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "loops-contract-tarballs-"));
  const packed = join(root, "tarballs");
  project = join(root, "project");
  await mkdir(project);
  await Promise.all(
    Object.values(publishable).map(async (folder) => {
      const pack = await run("pnpm", ["pack", "--pack-destination", packed], {
        cwd: join(workspace, folder),
        env: process.env,
        signal: setUp.signal,
      });
      if (pack.code !== 0) throw new Error(pack.report);
    }),
  );
  tarballs = (await readdir(packed)).map((file) => join(packed, file));

  for (const file of await readdir(consumerFiles)) {
    await copyFile(join(consumerFiles, file), join(project, file));
  }
  for (const { file, source } of recipes) await writeFile(join(project, file), source);
  if (msw.startsWith("msw@3")) {
    // msw 3 ships ES modules only: under node10 there is no msw/node to check its users against.
    await writeFile(
      join(project, "tsconfig.commonjs.json"),
      JSON.stringify({
        extends: "./tsconfig.base.json",
        compilerOptions: { module: "commonjs" },
        files: ["consumer.ts"],
      }),
    );
  }
  const registry = await startEmptyRegistry();
  emptyRegistry = registry.server;
  await writeFile(
    join(project, "package.json"),
    JSON.stringify({ name: "loops-contract-consumer", private: true, type: "module" }),
  );
  // Every @loops-contract package must come from a tarball: the scope's registry has none. A 404,
  // not a closed port: npm asks for a dependency's packument before it places the tarball that
  // provides it and ignores the failure, but would retry a closed port for minutes first.
  await writeFile(join(project, ".npmrc"), `@loops-contract:registry=${registry.url}\n`);
  const install = await run(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      // No network in the gate: `pnpm install` (the root pnpm:devPreinstall) filled npm's cache
      // with all of it.
      "--offline",
      "--ignore-scripts",
      ...tarballs,
      ...toolchain,
    ],
    { cwd: project, signal: setUp.signal },
  );
  if (install.code !== 0) {
    const hint = install.report.includes("ENOTCACHED")
      ? "npm's cache lacks part of the consumer's toolchain: `pnpm install` fills it (the root pnpm:devPreinstall).\n"
      : "";
    throw new Error(`${hint}${install.report}`);
  }
});

afterAll(async () => {
  setUp.abort();
  await Promise.all([...running].map((started) => started.stop()));
  if (emptyRegistry) {
    emptyRegistry.closeAllConnections();
    await new Promise((resolve) => emptyRegistry?.close(resolve));
  }
  if (root) await rm(root, { recursive: true, force: true });
});

describe.concurrent("the packed packages, installed by npm outside the workspace", () => {
  test("each @loops-contract package is installed once, from its tarball", async ({ expect }) => {
    const lock = JSON.parse(await readFile(join(project, "package-lock.json"), "utf8")) as {
      packages: Record<string, { resolved?: string }>;
    };
    const installed = Object.entries(lock.packages)
      .filter(([path]) => path.includes("node_modules/@loops-contract/"))
      .map(([path, entry]) => [path, entry.resolved]);
    expect(installed.sort()).toEqual(
      Object.keys(publishable).map((name) => {
        const tarball = tarballs
          .map((path) => basename(path))
          .find((file) => file.startsWith(`loops-contract-${name}-`));
        return [`node_modules/@loops-contract/${name}`, `file:../tarballs/${tarball}`];
      }),
    );
  });

  test("no file in a tarball points at a source map or a source the tarball lacks", async ({
    expect,
  }) => {
    const dangling: string[] = [];
    for (const name of Object.keys(publishable)) {
      const packageDir = join(project, "node_modules", "@loops-contract", name);
      const files = await readdir(packageDir, { recursive: true });
      for (const file of files.filter((path) => /\.[cm]?js$/.test(path))) {
        const source = await readFile(join(packageDir, file), "utf8");
        const map = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(source)?.[1];
        if (map && !map.startsWith("data:") && !files.includes(join(dirname(file), map)))
          dangling.push(`${name}/${file} -> ${map}`);
      }
      for (const file of files.filter((path) => path.endsWith(".map"))) {
        const { sources } = JSON.parse(await readFile(join(packageDir, file), "utf8")) as {
          sources: string[];
        };
        for (const source of sources) {
          if (!files.includes(join(dirname(file), source)))
            dangling.push(`${name}/${file} -> ${source}`);
        }
      }
    }
    expect(dangling).toEqual([]);
  });

  const modes = {
    commonjs: "tsconfig.commonjs.json",
    nodenext: "tsconfig.nodenext.json",
    bundler: "tsconfig.bundler.json",
  };

  test("TypeScript 5.9 (the consumer's) type-checks every entry, declaration and recipe under commonjs, nodenext and bundler; the mock's and the client's webhooks without @types/node", async ({
    expect,
    signal,
  }) => {
    const withoutNodeTypes = "tsconfig.without-node-types.json";
    const check = await run(
      process.execPath,
      ["check-types.mjs", ...Object.values(modes), withoutNodeTypes],
      { cwd: project, signal },
    );
    expect(check.code, check.report).toBe(0);
    const clean = { packages: Object.keys(publishable), nodeTypes: true, errors: [] };
    expect(JSON.parse(check.stdout)).toEqual({
      ...Object.fromEntries(Object.values(modes).map((tsconfig) => [tsconfig, clean])),
      // The mock's declarations read the spec's, the webhooks entry the client's; nothing may pull
      // @types/node in behind our back.
      [withoutNodeTypes]: { packages: ["client", "mock", "spec"], nodeTypes: false, errors: [] },
    });
  });

  test("the README's recipes are in the project, each a test file the consumer's vitest runs", ({
    expect,
  }) => {
    // Two msw recipes (one per major), createMockFetch, the globalSetup and its config, HTTP, SDK.
    expect(recipes.map(({ file }) => file)).toEqual([
      msw.startsWith("msw@3") ? "loops-msw3.test.ts" : "loops-msw2.test.ts",
      "loops-fetch.test.ts",
      "vitest.global-setup.ts",
      "vitest.config.ts",
      "loops-http.test.ts",
      "loops-sdk.test.ts",
    ]);
    // Every recipe that makes this client turns its production guard on.
    for (const { file, source } of recipes) {
      if (source.includes("createLoopsClient(")) {
        expect(source, file).toContain("refuseProduction: true");
      }
    }
  });

  test.for(["nodenext", "bundler"] as const)(
    "TypeScript 7 (the workspace's) type-checks every entry and declaration under %s",
    async (mode, { expect, signal }) => {
      const tsc = await run(
        process.execPath,
        [
          binOf(createRequire(import.meta.url).resolve("typescript/package.json"), "tsc"),
          "-p",
          modes[mode],
          "--pretty",
          "false",
          // The gate keeps both cores busy: tsc's own threads would cost CPU and save no time.
          "--singleThreaded",
        ],
        { cwd: project, signal },
      );
      // One line per diagnostic, the lines under it indented. Errors inside third-party
      // declarations are their authors', the line check-types.mjs draws for TypeScript 5.9 (with
      // msw 2: its interceptors type WebSocket.readyState as a number, TypeScript 7's DOM as
      // 0 | 1 | 2 | 3).
      const diagnostics = `${tsc.stdout}${tsc.stderr}`
        .split("\n")
        .filter((line) => line !== "" && !line.startsWith(" "));
      const ours = diagnostics.filter((line) => !/^node_modules\/(?!@loops-contract\/)/.test(line));
      expect(ours, tsc.report).toEqual([]);
      // A failure with no diagnostic at all (a crash, a kill) is not a pass.
      expect(tsc.code === 0 || diagnostics.length > 0, tsc.report).toBe(true);
    },
  );

  test("require() loads every entry and subpath, in a CommonJS process", async ({
    expect,
    signal,
  }) => {
    const loaded = await run(process.execPath, ["require-every-entry.cjs"], {
      cwd: project,
      signal,
    });
    expect(loaded.code, loaded.report).toBe(0);
    expect(JSON.parse(loaded.stdout)).toEqual(
      expect.arrayContaining([
        "@loops-contract/client",
        "@loops-contract/client/validation",
        "@loops-contract/client/webhooks",
        "@loops-contract/spec",
        "@loops-contract/spec/openapi.json",
        "@loops-contract/spec/openapi.yaml",
        "@loops-contract/mock",
        "@loops-contract/mock/msw",
        "@loops-contract/drift",
      ]),
    );
  });

  test.skipIf(webhookRuntimes.length === 0)(
    "the installed webhooks entry verifies a signed event and rejects it tampered with, the same under Node, Deno and Bun",
    async ({ expect, signal }) => {
      const runtimes = [
        { name: "node", bin: process.execPath },
        ...webhookRuntimes.map(({ name, package: spec, bin }) => ({
          name,
          bin: join(project, "node_modules", spec.slice(0, spec.lastIndexOf("@")), bin),
        })),
      ];
      // Deno keeps its cache in the project, which afterAll removes.
      const env = {
        ...consumerEnv,
        DENO_DIR: join(project, ".deno"),
        DENO_NO_UPDATE_CHECK: "1",
        NO_COLOR: "1",
      };
      for (const { name, bin } of runtimes) {
        const args = name === "deno" ? ["run", "webhooks-runtimes.mjs"] : ["webhooks-runtimes.mjs"];
        const ran = await run(bin, args, { cwd: project, env, signal });
        expect(ran.code, ran.report).toBe(0);
        expect(JSON.parse(ran.stdout), name).toEqual({
          runtime: name,
          text: "testing.testEvent",
          bytes: "testing.testEvent",
          tampered: {
            body: "WebhookVerificationError: no-matching-signature",
            id: "WebhookVerificationError: no-matching-signature",
            timestamp: "WebhookVerificationError: no-matching-signature",
            secret: "WebhookVerificationError: no-matching-signature",
          },
        });
      }
    },
  );

  test("the installed loops-mock serves the sandbox, and loops-drift finds it true to the contract", async ({
    expect,
    signal,
  }) => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const mock = start(join(project, "node_modules", ".bin", "loops-mock"), [], {
      cwd: project,
      env: { ...consumerEnv, MOCK_PORT: String(port) },
      ownGroup: false,
    });
    try {
      await printed(mock, `ready at ${url} `);
      const created = await fetch(`${url}/v1/campaigns`, {
        method: "POST",
        headers: { authorization: "Bearer test", "content-type": "application/json" },
        body: JSON.stringify({ name: "x" }),
        signal,
      });
      expect(created.status, await created.text()).toBe(201);

      const drift = await run(
        join(project, "node_modules", ".bin", "loops-drift"),
        ["--base-url", url, "--rate", "100"],
        { cwd: project, env: { ...consumerEnv, LOOPS_API_KEY: "test" }, signal },
      );
      expect(drift.code, drift.report).toBe(0);
    } finally {
      await mock.stop();
    }
  });

  test("the consumer's own vitest passes its suite and the README's recipes on the installed packages", async ({
    expect,
    signal,
  }) => {
    const vitest = await run(
      join(project, "node_modules", ".bin", "vitest"),
      ["run", "--reporter=default", "--reporter=json", "--outputFile.json=results.json"],
      { cwd: project, signal },
    );
    expect(vitest.code, vitest.report).toBe(0);
    const results = JSON.parse(await readFile(join(project, "results.json"), "utf8")) as {
      numFailedTests: number;
      numPendingTests: number;
      testResults: Array<{ name: string; status: string; assertionResults: unknown[] }>;
    };
    expect(results).toMatchObject({ numFailedTests: 0, numPendingTests: 0 });
    const files = results.testResults.map(({ name, status, assertionResults }) => [
      basename(name),
      status,
      assertionResults.length > 0,
    ]);
    // sandbox.test.ts: three ways (HTTP, fetch, MSW), two clients each; signup.test.ts: an app's
    // sign-up with each client; webhooks.test.ts: an app's webhook endpoint fed by the mock; then
    // every recipe.
    expect(files.sort()).toEqual(
      ["sandbox.test.ts", "signup.test.ts", "webhooks.test.ts", ...recipeTests]
        .sort()
        .map((file) => [file, "passed", true]),
    );
  });
});
