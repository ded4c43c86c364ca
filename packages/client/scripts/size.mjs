// Size budget, in two parts so that it holds as the contract grows: the hand-written runtime (the
// pipeline, errors, retries, pagination) against the openapi-fetch runtime it wraps, measured the
// same way in the same run, and the generated table of methods per operation of the contract.
// The response validation entry, which the client imports only when `validateResponses` is on (a
// bundler splits it off), is measured apart, in the same two parts, and must not carry ajv itself.
// So is the webhooks entry, which must carry none of the client's runtime, and its payload
// validation, which it imports only with `validate`.
// A script rather than size-limit because the budget is a share of openapi-fetch plus a cost per
// operation, which fixed limits cannot express.
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { operations, webhooks } from "@loops-contract/spec";
import { build } from "esbuild";

/**
 * The hand-written runtime may weigh at most this share of openapi-fetch's. 1.33 since sends got
 * their idempotency keys (a key per call, its check, `IdempotencyKeyReusedError`) and bodies their
 * `properties`: about 270 B that no smaller code did without.
 */
const RUNTIME_SHARE_OF_OPENAPI_FETCH = 1.33;
/** Each operation's generated method may add at most this much. */
const BYTES_PER_OPERATION = 40;
/** The hand-written response validation may weigh at most this share of openapi-fetch's. */
const VALIDATION_SHARE_OF_OPENAPI_FETCH = 0.9;
/** Each operation's compiled response validators may add at most this much. */
const VALIDATOR_BYTES_PER_OPERATION = 1100;
/** The webhooks entry (verification and signing) may weigh at most this share of openapi-fetch's. */
const WEBHOOKS_SHARE_OF_OPENAPI_FETCH = 0.8;
/** Each webhook's compiled payload validators, with the drift wording they share, at most this. */
const VALIDATOR_BYTES_PER_WEBHOOK = 500;

const dist = (file) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

async function minifiedGzipBytes(entryPoint, external) {
  return (await bundle(entryPoint, external)).bytes;
}

async function bundle(entryPoint, external) {
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    external,
    write: false,
    metafile: true,
    logLevel: "error",
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error(`esbuild produced nothing for ${entryPoint}`);
  return {
    bytes: gzipSync(code, { level: 9 }).byteLength,
    inputs: Object.keys(result.metafile.inputs),
  };
}

const whole = await minifiedGzipBytes(dist("index.js"), ["openapi-fetch", "./validation.js"]);
const runtime = await minifiedGzipBytes(dist("index.js"), [
  "openapi-fetch",
  "./validation.js",
  "./resources.gen.js",
]);
const generated = whole - runtime;
const openapiFetch = await minifiedGzipBytes(
  fileURLToPath(import.meta.resolve("openapi-fetch")),
  [],
);
const runtimeBudget = Math.floor(openapiFetch * RUNTIME_SHARE_OF_OPENAPI_FETCH);
const generatedBudget = BYTES_PER_OPERATION * operations.length;

const validationEntry = await bundle(dist("validation.js"), []);
const validationRuntime = await minifiedGzipBytes(dist("validation.js"), [
  "./response-validators.gen.js",
]);
const validators = await minifiedGzipBytes(dist("response-validators.gen.js"), ["ajv-formats/*"]);
const validationRuntimeBudget = Math.floor(openapiFetch * VALIDATION_SHARE_OF_OPENAPI_FETCH);
const validatorsBudget = VALIDATOR_BYTES_PER_OPERATION * operations.length;
// Only ajv-formats' format functions may come along: any file of ajv is the schema compiler.
const webhookValidationWhole = await bundle(dist("webhook-validation.js"), []);
const compilerFiles = [...validationEntry.inputs, ...webhookValidationWhole.inputs].filter(
  (input) => /node_modules\/ajv\//.test(input),
);

const mainEntry = await bundle(dist("index.js"), ["./validation.js"]);
const webhooksEntry = await bundle(dist("webhooks.js"), ["./webhook-validation.js"]);
const webhooksBudget = Math.floor(openapiFetch * WEBHOOKS_SHARE_OF_OPENAPI_FETCH);
const webhookValidation = await minifiedGzipBytes(dist("webhook-validation.js"), ["ajv-formats/*"]);
const webhookValidationBudget = VALIDATOR_BYTES_PER_WEBHOOK * webhooks.length;
// Any file the client's own bundle holds (its runtime, openapi-fetch) is one a handler need not load.
const fromClient = webhooksEntry.inputs.filter((input) => mainEntry.inputs.includes(input));

console.log(`openapi-fetch (min+gzip):                           ${openapiFetch} B`);
console.log(
  `hand-written runtime (min+gzip):                    ${runtime} B, budget ${runtimeBudget} B (${Math.round(RUNTIME_SHARE_OF_OPENAPI_FETCH * 100)}% of openapi-fetch)`,
);
console.log(
  `generated methods, ${operations.length} operations (min+gzip):        ${generated} B, budget ${generatedBudget} B (${BYTES_PER_OPERATION} B each)`,
);
console.log(`the whole client (min+gzip, openapi-fetch apart):   ${whole} B`);
console.log(
  `validation entry, hand-written (min+gzip):          ${validationRuntime} B, budget ${validationRuntimeBudget} B (${Math.round(VALIDATION_SHARE_OF_OPENAPI_FETCH * 100)}% of openapi-fetch)`,
);
console.log(
  `compiled validators, ${operations.length} operations (min+gzip):      ${validators} B, budget ${validatorsBudget} B (${VALIDATOR_BYTES_PER_OPERATION} B each)`,
);
console.log(
  `the whole validation entry (min+gzip, formats in):  ${validationEntry.bytes} B, loaded only with validateResponses`,
);
console.log(
  `webhooks entry (min+gzip):                          ${webhooksEntry.bytes} B, budget ${webhooksBudget} B (${Math.round(WEBHOOKS_SHARE_OF_OPENAPI_FETCH * 100)}% of openapi-fetch)`,
);
console.log(
  `webhook payload validation, ${webhooks.length} webhooks (min+gzip):  ${webhookValidation} B, budget ${webhookValidationBudget} B (${VALIDATOR_BYTES_PER_WEBHOOK} B each), loaded only with validate`,
);
if (fromClient.length > 0) {
  console.error(`The webhooks entry bundles the client's runtime: ${fromClient.join(", ")}.`);
  process.exit(1);
}
if (compilerFiles.length > 0) {
  console.error(`The validation bundles ajv's compiler: ${compilerFiles.join(", ")}.`);
  process.exit(1);
}
const over = [
  runtime > runtimeBudget && `the runtime by ${runtime - runtimeBudget} B`,
  generated > generatedBudget && `the generated methods by ${generated - generatedBudget} B`,
  validationRuntime > validationRuntimeBudget &&
    `the validation runtime by ${validationRuntime - validationRuntimeBudget} B`,
  validators > validatorsBudget && `the compiled validators by ${validators - validatorsBudget} B`,
  webhooksEntry.bytes > webhooksBudget &&
    `the webhooks entry by ${webhooksEntry.bytes - webhooksBudget} B`,
  webhookValidation > webhookValidationBudget &&
    `the webhook payload validation by ${webhookValidation - webhookValidationBudget} B`,
].filter(Boolean);
if (over.length > 0) {
  console.error(`Over budget: ${over.join(", ")}.`);
  process.exit(1);
}
