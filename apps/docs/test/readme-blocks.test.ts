// Every ```ts block of the READMEs, as a reader copies it: type-checked against the packages, then
// run as a program whose requests to the production server the sandbox answers.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type RunningMock, startMock } from "@loops-contract/mock";
import { contract, type JsonObject } from "@loops-contract/spec";
import { transformSync } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const docsDir = fileURLToPath(new URL("../", import.meta.url));
// Inside apps/docs, so that the blocks' imports resolve through its node_modules; gitignored.
const blocksDir = join(docsDir, "readme-blocks");
const preload = new URL("./sandbox-preload.mjs", import.meta.url).href;
const productionUrl = String((contract.servers as JsonObject[])[0]?.url);
const tsc = join(docsDir, "node_modules/.bin/tsc");

// README.md, spec/README.md, apps/*/README.md and packages/*/README.md, relative to the repo root.
const readmes = [
  "README.md",
  "spec/README.md",
  ...["apps", "packages"].flatMap((folder) =>
    readdirSync(join(repoRoot, folder)).map((name) => `${folder}/${name}/README.md`),
  ),
].filter((readme) => existsSync(join(repoRoot, readme)));

interface ReadmeBlock {
  title: string;
  readme: string;
  /** The README line of the block's first line of code. */
  line: number;
  file: string;
  source: string;
}

const blocks: ReadmeBlock[] = readmes.flatMap((readme) => {
  const text = readFileSync(join(repoRoot, readme), "utf8");
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match, index) => ({
    title: `${readme}, ts block ${index + 1}`,
    readme,
    line: text.slice(0, match.index).split("\n").length + 1,
    file: `${readme.replaceAll("/", "-").replace(/\.md$/, "")}-${index + 1}.ts`,
    source: match[1] ?? "",
  }));
});

/** The block as the program that runs: the same name, as JavaScript. */
const runnable = (block: ReadmeBlock) => block.file.replace(/\.ts$/, ".mjs");

/** tsc's `file.ts(line,column)` as the README's `path:line:column (title)`. */
function inReadmeTerms(tscOutput: string): string {
  return tscOutput.replace(/^(\S+\.ts)\((\d+),(\d+)\)/gm, (whole, file, line, column) => {
    const block = blocks.find((candidate) => candidate.file === file);
    if (!block) return whole;
    return `${block.readme}:${block.line + Number(line) - 1}:${column} (${block.title})`;
  });
}

describe("the READMEs' TypeScript blocks", () => {
  // One sandbox for every block, each on a key of its own, so that no block's process loads Prism
  // unless the block itself starts a mock.
  let sandbox: RunningMock;
  beforeAll(async () => {
    rmSync(blocksDir, { recursive: true, force: true });
    mkdirSync(blocksDir);
    for (const block of blocks) {
      writeFileSync(join(blocksDir, block.file), block.source);
      // Run as JavaScript: the types are tsc's to check, below; esbuild strips them as tsx would.
      const { code } = transformSync(block.source, { loader: "ts", format: "esm" });
      writeFileSync(join(blocksDir, runnable(block)), code);
    }
    const tsconfig = {
      extends: relative(blocksDir, join(repoRoot, "tsconfig.base.json")),
      compilerOptions: { noEmit: true, types: ["node"] },
      include: ["*.ts"],
    };
    writeFileSync(join(blocksDir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    sandbox = await startMock();
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  test.concurrent("type-check against the packages, in one tsc run", async () => {
    expect(blocks.length).toBeGreaterThan(0);
    // Single-threaded, like the builds' tsc: its threads cost CPU the other tasks need.
    const checked = await promisify(execFile)(
      tsc,
      ["-p", "tsconfig.json", "--pretty", "false", "--singleThreaded"],
      { cwd: blocksDir },
    ).then(
      () => "",
      (error: { stdout: string; stderr: string }) => inReadmeTerms(error.stdout + error.stderr),
    );
    expect(checked).toBe("");
  });

  // Nothing on stderr either: the blocks report a caught failure there (console.error, a drift),
  // and a reader's first run should take the path the prose describes.
  test.concurrent.each(blocks)("$title runs against the sandbox, quietly", async (block) => {
    const where = `${block.title} (${block.readme}:${block.line})`;
    const { stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", preload, runnable(block)],
      {
        cwd: blocksDir,
        env: {
          ...process.env,
          // A key of its own: each block starts on a fresh team, as a reader's would.
          LOOPS_API_KEY: `readme-block-${block.file}`,
          // The webhook handlers' endpoint secret: base64 after whsec_, as Loops' settings give one.
          LOOPS_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
          README_BLOCK_PRODUCTION_URL: productionUrl,
          README_BLOCK_SANDBOX_URL: sandbox.url.replace(/\/$/, ""),
        },
        timeout: 30_000,
      },
    ).catch((error: { code: number | null; signal: string | null; stderr: string }) => {
      const outcome = error.signal ? `was stopped (${error.signal})` : `exited ${error.code}`;
      throw new Error(`${where} ${outcome}:\n${error.stderr}`);
    });
    expect(stderr, `${where} wrote to stderr`).toBe("");
  });
});
