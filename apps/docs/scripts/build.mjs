// Builds dist/index.html: the bundled contract (with the code samples the spec build attached as
// x-codeSamples), rendered by `redocly build-docs` into one page that loads nothing from the network.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { contract, operations } from "@loops-contract/spec";

const root = new URL("../", import.meta.url);
const dist = new URL("dist/", root);

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

// The bundle already carries each operation's samples (x-codeSamples, from spec/code_samples/).
const document = structuredClone(contract);
for (const operation of operations) showSampleExampleFirst(document, operation);

// The contract copy and Redoc's page go to a scratch folder: only a page that passes the checks
// below reaches dist/.
const scratch = mkdtempSync(join(tmpdir(), "loops-docs-"));
let html;
try {
  const docsSpec = join(scratch, "openapi.json");
  const redocPage = join(scratch, "index.html");
  writeFileSync(docsSpec, JSON.stringify(document));
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
 * Redoc puts the selected request example beside the samples, so select first the example whose
 * body the operation's curl sample sends; the build fails when that sample sends none of them.
 * @param {any} openapi the copy of the bundle that the page is built from
 * @param {import("@loops-contract/spec").Operation} operation
 */
function showSampleExampleFirst(openapi, operation) {
  const curl = (at(openapi, operation.pointer)["x-codeSamples"] ?? []).find(
    (/** @type {{ lang: string }} */ sample) => sample.lang === "curl",
  );
  const examples = operation.requestBody?.examples ?? [];
  if (!curl || examples.length === 0) return;
  const sentBody = sentJson(curl.source);
  const sent = examples.find((example) => isDeepStrictEqual(example.value, sentBody));
  if (!sent) {
    throw new Error(
      `The curl sample of ${operation.operationId} sends none of its request examples.`,
    );
  }
  const mediaPointer = operation.requestBody?.schemaPointer.replace(/\/schema$/, "") ?? "";
  const media = at(openapi, mediaPointer);
  const entries = Object.entries(media.examples);
  media.examples = Object.fromEntries([
    ...entries.filter(([name]) => name === sent.name),
    ...entries.filter(([name]) => name !== sent.name),
  ]);
}

/**
 * The JSON a curl command sends with `-d '...'`, or `undefined` when it sends none.
 * @param {string} command
 */
function sentJson(command) {
  const data = /(?:-d|--data(?:-raw)?) '([^']*)'/.exec(command)?.[1];
  return data === undefined ? undefined : JSON.parse(data);
}

/**
 * The node at a JSON pointer that the spec module gave, in the copy being edited.
 * @param {any} node
 * @param {string} pointer
 */
function at(node, pointer) {
  return pointer
    .split("/")
    .slice(1)
    .reduce((parent, segment) => parent[segment.replaceAll("~1", "/").replaceAll("~0", "~")], node);
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
