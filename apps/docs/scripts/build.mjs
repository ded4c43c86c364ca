// Builds dist/index.html: the bundled contract, with the checked samples in samples/ injected as
// x-codeSamples, rendered by `redocly build-docs` into one page that loads nothing from the network.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { parse, stringify } from "yaml";

const root = new URL("../", import.meta.url);
const dist = new URL("dist/", root);
const operationId = "createCampaign";

/** The samples shown on the operation, as files that the gate checks (see README.md). */
const codeSamples = [
  { lang: "curl", label: "curl", file: "samples/create-campaign.sh" },
  { lang: "TypeScript", label: "TypeScript", file: "samples/create-campaign.ts" },
];

// Redoc 3 shows an "API docs by Redocly" logo fetched from Redocly's CDN, with no option to turn it
// off; an inline SVG keeps the credit without the request.
const cdnLogos = [
  "https://cdn.redoc.ly/redoc/logo-mini-full.svg",
  "https://cdn.redoc.ly/redoc/logo-mini.svg",
];
const inlineLogo = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="16" viewBox="0 0 64 16">' +
    '<text x="0" y="12" font-family="sans-serif" font-size="12" fill="#444">Redocly</text></svg>',
)}`;

const specPath = fileURLToPath(import.meta.resolve("@loops-contract/spec/openapi.yaml"));
const document = parse(readFileSync(specPath, "utf8"));
const operation = findOperation(document, operationId);
operation["x-codeSamples"] = codeSamples.map(({ lang, label, file }) => ({
  lang,
  label,
  source: readFileSync(new URL(file, root), "utf8").trimEnd(),
}));

showSampleExampleFirst(document, operation);

// The contract copy and Redoc's page go to a scratch folder: only a page that passes the checks
// below reaches dist/.
const scratch = mkdtempSync(join(tmpdir(), "loops-docs-"));
let html;
try {
  const docsSpec = join(scratch, "openapi.yaml");
  const redocPage = join(scratch, "index.html");
  writeFileSync(docsSpec, stringify(document));
  runRedocly([
    "build-docs",
    docsSpec,
    "--config",
    fileURLToPath(new URL("redocly.yaml", root)),
    "--template",
    fileURLToPath(new URL("template.hbs", root)),
    "--output",
    redocPage,
    "--inlineBundle",
    "--lint-config",
    "error",
  ]);
  html = readFileSync(redocPage, "utf8");
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

for (const logo of cdnLogos) {
  if (!html.includes(logo)) {
    throw new Error(`Redoc no longer references ${logo}: check what it loads instead.`);
  }
  html = html.replaceAll(logo, inlineLogo);
}
const externalLoads = findExternalLoads(html);
if (externalLoads.length > 0) {
  throw new Error(`The page loads from the network:\n${externalLoads.join("\n")}`);
}
mkdirSync(dist, { recursive: true });
const output = fileURLToPath(new URL("index.html", dist));
writeFileSync(output, html);
console.log(`Built ${output} (${Math.round(html.length / 1024)} KiB, no external resources).`);

/**
 * Runs the Redocly CLI quietly (it prints banners), showing its output only when it fails.
 * @param {string[]} args
 */
function runRedocly(args) {
  const cli = createRequire(import.meta.url).resolve("@redocly/cli/bin/cli.js");
  try {
    execFileSync(process.execPath, [cli, ...args], {
      env: { ...process.env, REDOCLY_TELEMETRY: "off" },
      stdio: "pipe",
      encoding: "utf8",
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = /** @type {{ stdout?: string, stderr?: string }} */ (
      error
    );
    process.stderr.write(`${stdout}${stderr}`);
    throw new Error(`redocly ${args[0]} failed`);
  }
}

/**
 * @param {{ paths: Record<string, Record<string, { operationId?: string } & Record<string, unknown>>> }} openapi
 * @param {string} id
 */
function findOperation(openapi, id) {
  for (const pathItem of Object.values(openapi.paths)) {
    for (const candidate of Object.values(pathItem)) {
      if (candidate.operationId === id) return candidate;
    }
  }
  throw new Error(`The contract has no operation ${id}.`);
}

/**
 * Redoc puts the selected request example beside the samples, so select first the example whose
 * body the samples send; the build fails when the curl sample sends none of the examples.
 * @param {any} openapi
 * @param {any} op
 */
function showSampleExampleFirst(openapi, op) {
  const curl = readFileSync(new URL("samples/create-campaign.sh", root), "utf8");
  const sentBody = JSON.parse(/-d '([^']*)'/.exec(curl)?.[1] ?? "null");
  const media = op.requestBody.content["application/json"];
  /** @param {any} example */
  const exampleValue = (example) =>
    example.$ref
      ? openapi.components.examples[example.$ref.replace("#/components/examples/", "")].value
      : example.value;
  const entries = Object.entries(media.examples);
  const sent = entries.find(([, example]) => isDeepStrictEqual(exampleValue(example), sentBody));
  if (!sent) throw new Error("samples/create-campaign.sh sends none of the request examples.");
  media.examples = Object.fromEntries([sent, ...entries.filter((entry) => entry !== sent)]);
}

/**
 * Resources the page would fetch by itself: stylesheets, scripts, images, fonts and imports
 * that point off the page. Links a reader may click are fine.
 * @param {string} page
 */
function findExternalLoads(page) {
  const patterns = [
    /<(?:script|img|iframe|source|video|audio)\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+/gi,
    /<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+/gi,
    /@import\s+(?:url\()?["']?(?:https?:)?\/\/[^"')\s]+/gi,
    /url\(\s*["']?(?:https?:)?\/\/[^"')\s]+/gi,
    // Redoc's named-icon sets, fetched only for an icon that a description names: none here, and
    // the browser test fails on any request that leaves 127.0.0.1.
    /https?:\/\/cdn\.(?!redocly\.com\/icons\/)[^"'`\s)]+/gi,
    /https?:\/\/fonts\.(?:googleapis|gstatic)\.com[^"'`\s)]*/gi,
  ];
  return patterns.flatMap((pattern) => page.match(pattern) ?? []);
}
