// Size budget, in two parts so that it holds as the contract grows: the hand-written runtime (the
// pipeline, errors, retries, pagination) against the openapi-fetch runtime it wraps, measured the
// same way in the same run, and the generated table of methods per operation of the contract.
// A script rather than size-limit because the budget is a share of openapi-fetch plus a cost per
// operation, which fixed limits cannot express.
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { operations } from "@loops-contract/spec";
import { build } from "esbuild";

/** The hand-written runtime may weigh at most this share of openapi-fetch's. */
const RUNTIME_SHARE_OF_OPENAPI_FETCH = 1.1;
/** Each operation's generated method may add at most this much. */
const BYTES_PER_OPERATION = 40;

const dist = (file) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

async function minifiedGzipBytes(entryPoint, external) {
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    external,
    write: false,
    logLevel: "error",
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error(`esbuild produced nothing for ${entryPoint}`);
  return gzipSync(code, { level: 9 }).byteLength;
}

const whole = await minifiedGzipBytes(dist("index.js"), ["openapi-fetch"]);
const runtime = await minifiedGzipBytes(dist("index.js"), ["openapi-fetch", "./resources.gen.js"]);
const generated = whole - runtime;
const openapiFetch = await minifiedGzipBytes(
  fileURLToPath(import.meta.resolve("openapi-fetch")),
  [],
);
const runtimeBudget = Math.floor(openapiFetch * RUNTIME_SHARE_OF_OPENAPI_FETCH);
const generatedBudget = BYTES_PER_OPERATION * operations.length;

console.log(`openapi-fetch (min+gzip):                           ${openapiFetch} B`);
console.log(
  `hand-written runtime (min+gzip):                    ${runtime} B, budget ${runtimeBudget} B (${Math.round(RUNTIME_SHARE_OF_OPENAPI_FETCH * 100)}% of openapi-fetch)`,
);
console.log(
  `generated methods, ${operations.length} operations (min+gzip):        ${generated} B, budget ${generatedBudget} B (${BYTES_PER_OPERATION} B each)`,
);
console.log(`the whole client (min+gzip, openapi-fetch apart):   ${whole} B`);
const over = [
  runtime > runtimeBudget && `the runtime by ${runtime - runtimeBudget} B`,
  generated > generatedBudget && `the generated methods by ${generated - generatedBudget} B`,
].filter(Boolean);
if (over.length > 0) {
  console.error(`Over budget: ${over.join(", ")}.`);
  process.exit(1);
}
