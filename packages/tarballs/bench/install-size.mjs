// What installing the mock costs a user: the bytes on disk of node_modules after `npm install` of
// its packed tarball (with the spec's, which it depends on) into an empty project, against the
// same for the `@stoplight/prism-cli` the mock builds on, the CLI mock it replaces. Prism is
// bundled into the mock, so the mock's install must not pull it a second time.
import { execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { npmOutsideWorkspace } from "../scripts/npm-outside-workspace.mjs";

const require = createRequire(import.meta.url);
const workspace = new URL("../../../", import.meta.url);
const mockManifest = require(fileURLToPath(new URL("packages/mock/package.json", workspace)));
const prismCli = `@stoplight/prism-cli@${mockManifest.devDependencies["@stoplight/prism-cli"]}`;
const packageDirs = ["packages/mock/", "spec/"].map((dir) =>
  fileURLToPath(new URL(dir, workspace)),
);
const scratch = mkdtempSync(join(tmpdir(), "mock-install-size-"));

/** Bytes of every file under `dir`, as `du --apparent-size` counts them; links are not followed. */
function bytesUnder(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? bytesUnder(path) : lstatSync(path).size;
  }
  return total;
}

/** Installs `specs` into an empty project; the bytes of its node_modules and the package count. */
function installed(name, specs) {
  const project = join(scratch, name);
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ private: true }));
  npmOutsideWorkspace(
    ["install", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund", ...specs],
    project,
  );
  const lock = require(join(project, "package-lock.json"));
  return {
    bytes: bytesUnder(join(project, "node_modules")),
    packages: Object.keys(lock.packages).filter(Boolean).length,
  };
}

try {
  // pnpm pack prints the tarball's path last.
  const tarballs = packageDirs.map((dir) =>
    execFileSync("pnpm", ["pack", "--pack-destination", scratch], { cwd: dir, encoding: "utf8" })
      .trim()
      .split("\n")
      .at(-1),
  );
  const mock = installed("mock", tarballs);
  const prism = installed("prism", [prismCli]);
  const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
  console.log("install size: node_modules after npm install into an empty project");
  console.log(
    `  @loops-contract/mock (with its spec): ${megabytes(mock.bytes)}, ${mock.packages} packages`,
  );
  console.log(`  ${prismCli}: ${megabytes(prism.bytes)}, ${prism.packages} packages`);
  console.log(`  mock / Prism CLI: ${(mock.bytes / prism.bytes).toFixed(2)}x`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
