// Bundles the multi-file contract into spec/dist/openapi.yaml and its JSON twin, both with internal
// $refs only, for every other package to consume. The code samples in code_samples/<lang>/<path>/<verb>.*
// (openapi-starter's layout: `/` in the path spelt `@`) are attached to their operations as
// x-codeSamples, so every renderer shows them.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, extname } from "node:path";
import { parse, stringify } from "yaml";

const require = createRequire(import.meta.url);
const redocly = require.resolve("@redocly/cli/bin/cli.js");
const specDir = new URL("../", import.meta.url);
const samplesDir = new URL("code_samples/", specDir);
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
attachCodeSamples(document);
// One Redocly run and a lossless conversion, rather than a second run with --ext json.
writeFileSync(bundled, stringify(document, { lineWidth: 0 }));
writeFileSync(new URL("dist/openapi.json", specDir), `${JSON.stringify(document, null, 2)}\n`);
console.log(
  `Bundled ${document.info.title} ${document.info.version} into spec/dist/openapi.{yaml,json}`,
);

function attachCodeSamples(openapi) {
  const problems = [];
  for (const lang of readdirSync(samplesDir).sort()) {
    for (const pathDir of readdirSync(new URL(`${lang}/`, samplesDir)).sort()) {
      const path = `/${pathDir.replaceAll("@", "/")}`;
      for (const file of readdirSync(new URL(`${lang}/${pathDir}/`, samplesDir)).sort()) {
        const method = basename(file, extname(file));
        const operation = openapi.paths[path]?.[method];
        const where = `code_samples/${lang}/${pathDir}/${file}`;
        if (!operation) {
          problems.push(`${where}: the contract has no ${method.toUpperCase()} ${path}`);
          continue;
        }
        const source = readFileSync(new URL(`${lang}/${pathDir}/${file}`, samplesDir), "utf8");
        operation["x-codeSamples"] ??= [];
        operation["x-codeSamples"].push({ lang, label: lang, source: source.trimEnd() });
      }
    }
  }
  if (problems.length > 0) {
    console.error(`Code samples without an operation:\n${problems.join("\n")}`);
    process.exit(1);
  }
}
