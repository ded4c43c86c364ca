// Run by the root `pnpm:devPreinstall`, on every local `pnpm install`: puts in npm's cache all
// that the tarball test's consumer project installs from the registry (its toolchain, both msw
// majors, Deno and Bun where they are built for this platform, the packages' third-party
// dependencies), so that the test installs with `--offline` and the gate needs no network.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { npmOutsideWorkspace } from "./npm-outside-workspace.mjs";

const workspace = new URL("../../../", import.meta.url);
const toolchain = JSON.parse(readFileSync(new URL("../toolchain.json", import.meta.url), "utf8"));
const publishable = ["spec", "packages/client", "packages/mock", "packages/drift"];

/** `name@version` as a package.json dependency, under an alias when the name is taken. */
const dependencies = {};
const add = (spec, alias) => {
  const at = spec.lastIndexOf("@");
  const name = spec.slice(0, at);
  if (alias) dependencies[alias] = `npm:${spec}`;
  else dependencies[name] = spec.slice(at + 1);
};
for (const spec of toolchain.consumer) add(spec);
add(toolchain.mswBeforeNode22_12);
add(toolchain.mswFromNode22_12, "msw-from-node-22-12");
// Deno's and Bun's own binaries, for this platform only: npm refuses a package built for another.
for (const runtime of toolchain.webhookRuntimes[`${process.platform}-${process.arch}`] ?? []) {
  add(runtime.package);
}
for (const folder of publishable) {
  const manifest = JSON.parse(readFileSync(new URL(`${folder}/package.json`, workspace), "utf8"));
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (!range.startsWith("workspace:")) dependencies[name] = range;
  }
}

const project = mkdtempSync(join(tmpdir(), "loops-contract-npm-cache-"));
try {
  writeFileSync(join(project, "package.json"), JSON.stringify({ private: true, dependencies }));
  npmOutsideWorkspace(
    [
      "install",
      "--prefer-offline",
      "--ignore-scripts",
      "--no-audit",
      "--no-fund",
      "--no-package-lock",
      "--engine-strict=false",
      "--loglevel=error",
    ],
    project,
  );
} finally {
  rmSync(project, { recursive: true, force: true });
}
