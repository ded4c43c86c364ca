// Size budget: this package's own runtime code, minified and gzipped, must stay well under the
// openapi-fetch runtime it wraps, measured the same way in the same run. A script rather than
// size-limit because the budget is a share of openapi-fetch, which fixed limits cannot express.
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** Our code may weigh at most this share of openapi-fetch's. */
const BUDGET_SHARE_OF_OPENAPI_FETCH = 0.8;

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

const ours = await minifiedGzipBytes(fileURLToPath(new URL("../dist/index.js", import.meta.url)), [
  "openapi-fetch",
]);
const openapiFetch = await minifiedGzipBytes(
  fileURLToPath(import.meta.resolve("openapi-fetch")),
  [],
);
const budget = Math.floor(openapiFetch * BUDGET_SHARE_OF_OPENAPI_FETCH);

console.log(`@loops-contract/client (own code, min+gzip): ${ours} B`);
console.log(`openapi-fetch (min+gzip):                    ${openapiFetch} B`);
console.log(
  `budget (${BUDGET_SHARE_OF_OPENAPI_FETCH * 100}% of openapi-fetch):               ${budget} B`,
);
if (ours > budget) {
  console.error(`Over budget by ${ours - budget} B.`);
  process.exit(1);
}
