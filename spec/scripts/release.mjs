// Releases the contract: rebuilds the bundle, checks it against the last release
// (breaking changes need a major bump, additions a minor one), then makes it the new snapshot.
import { execFileSync } from "node:child_process";
import { copyFileSync, readFileSync } from "node:fs";

const specDir = new URL("../", import.meta.url);
const run = (command, args) =>
  execFileSync(command, args, {
    cwd: specDir,
    stdio: "inherit",
    env: { ...process.env, REDOCLY_TELEMETRY: "off" },
  });

try {
  run("pnpm", ["run", "--silent", "build"]);
  run("pnpm", ["run", "--silent", "breaking"]);
} catch {
  console.error("Not released: fix the findings above (or bump info.version) first.");
  process.exit(1);
}
copyFileSync(new URL("dist/openapi.yaml", specDir), new URL("released/openapi.yaml", specDir));
const { version } = JSON.parse(readFileSync(new URL("dist/openapi.json", specDir), "utf8")).info;
console.log(`Released contract ${version}: spec/released/openapi.yaml is the new baseline.`);
