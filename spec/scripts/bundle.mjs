// Bundles the multi-file contract into spec/dist/openapi.yaml and its JSON twin,
// both with internal $refs only, for every other package to consume.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parse } from "yaml";

const require = createRequire(import.meta.url);
const redocly = require.resolve("@redocly/cli/bin/cli.js");
const specDir = new URL("../", import.meta.url);
const bundled = new URL("dist/openapi.yaml", specDir);

try {
  // Output is kept back unless bundling fails: on Node 20 Redocly prints a deprecation banner.
  execFileSync(process.execPath, [redocly, "bundle", "openapi.yaml", "-o", bundled.pathname], {
    cwd: specDir,
    stdio: "pipe",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  });
} catch (error) {
  process.stderr.write(error.stdout ?? "");
  process.stderr.write(error.stderr ?? "");
  process.exit(1);
}
const document = parse(readFileSync(bundled, "utf8"));
writeFileSync(new URL("dist/openapi.json", specDir), `${JSON.stringify(document, null, 2)}\n`);
console.log(
  `Bundled ${document.info.title} ${document.info.version} into spec/dist/openapi.{yaml,json}`,
);
