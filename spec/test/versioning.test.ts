// The spec's version has one source, `info.version`, bumped as `redocly diff` rates the change
// (the lint enforces that). The package version follows it through changesets: the pending
// changesets' bump for this package, applied to its version, must give `info.version`; and
// publishing (`prepublishOnly`) refuses a package whose version is not its contract's.
import { execFile } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { contract } from "@loops-contract/spec";
import { expect, test } from "vitest";
import { parse } from "yaml";

const changesetDir = new URL("../../.changeset/", import.meta.url);
const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const released = parse(readFileSync(new URL("../released/openapi.yaml", import.meta.url), "utf8"));
const bumps = ["patch", "minor", "major"] as const;
type Bump = (typeof bumps)[number];

/** The bump each pending changeset gives this package, from its front matter. */
function pendingBumps(): Bump[] {
  return readdirSync(changesetDir)
    .filter((file) => file.endsWith(".md") && file !== "README.md")
    .flatMap((file) => {
      const text = readFileSync(new URL(file, changesetDir), "utf8");
      const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1];
      const bump = front === undefined ? undefined : parse(front)?.[packageJson.name];
      return bump === undefined ? [] : [bump as Bump];
    });
}

function bumped(version: string, bump: Bump): string {
  const [major = 0, minor = 0, patch = 0] = version.split(".").map(Number);
  if (bump === "major") return `${major + 1}.0.0`;
  if (bump === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** The bump from one version to the next: the highest part that changed. */
function bumpBetween(from: string, to: string): Bump | undefined {
  const [a, b] = [from, to].map((version) => version.split(".").map(Number));
  const index = [0, 1, 2].find((part) => a?.[part] !== b?.[part]);
  return index === undefined ? undefined : bumps[2 - index];
}

test("the pending changesets bump the package version to info.version, no more and no less", () => {
  const infoVersion = (contract.info as { version: string }).version;
  const pending = pendingBumps();
  if (pending.length === 0) {
    expect(packageJson.version).toBe(infoVersion);
    return;
  }
  const highest = bumps[Math.max(...pending.map((bump) => bumps.indexOf(bump)))] as Bump;
  expect(bumped(packageJson.version, highest)).toBe(infoVersion);
});

test("the spec's changeset is at least as big as the change from the released contract", () => {
  const rating = bumpBetween(released.info.version, (contract.info as { version: string }).version);
  const pending = pendingBumps();
  if (rating === undefined) return;
  expect(
    pending.length,
    `info.version moved ${rating}: add a changeset for ${packageJson.name}`,
  ).toBeGreaterThan(0);
  const highest = Math.max(...pending.map((bump) => bumps.indexOf(bump)));
  expect(highest).toBeGreaterThanOrEqual(bumps.indexOf(rating));
});

/** `pnpm publish --dry-run` of a copy of the package at `version`: its lifecycle, no registry. */
async function publishDryRun(version: string): Promise<{ code: number; output: string }> {
  const copy = mkdtempSync(join(tmpdir(), "spec-publish-"));
  try {
    const specDir = new URL("../", import.meta.url).pathname;
    mkdirSync(join(copy, "dist"));
    cpSync(join(specDir, "scripts"), join(copy, "scripts"), { recursive: true });
    cpSync(join(specDir, "dist/openapi.json"), join(copy, "dist/openapi.json"));
    writeFileSync(join(copy, "package.json"), JSON.stringify({ ...packageJson, version }));
    return await promisify(execFile)("pnpm", ["publish", "--dry-run", "--no-git-checks"], {
      cwd: copy,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        output: error.stdout + error.stderr,
      }),
    );
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

test("publishing refuses a package whose version is not info.version, and lets the same package through at it", async () => {
  const infoVersion = (contract.info as { version: string }).version;
  const refused = await publishDryRun(`${infoVersion}-other`);
  expect(refused.code, refused.output).not.toBe(0);
  expect(refused.output).toContain(
    `${packageJson.name} ${infoVersion}-other would carry the contract ${infoVersion}`,
  );
  const published = await publishDryRun(infoVersion);
  expect(published.code, published.output).toBe(0);
  expect(published.output).toContain(`${packageJson.name}@${infoVersion}`);
});
