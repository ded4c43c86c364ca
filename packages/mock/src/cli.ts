#!/usr/bin/env node
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    dynamic: { type: "boolean", default: process.env.MOCK_DYNAMIC === "1" },
    seed: { type: "string", default: process.env.MOCK_SEED },
    static: { type: "boolean", default: process.env.MOCK_STATIC === "1" },
    "rate-limit": { type: "boolean", default: false },
    stateless: { type: "boolean", default: process.env.MOCK_STATELESS === "1" },
    empty: { type: "boolean", default: process.env.MOCK_EMPTY === "1" },
  },
});

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

const rateLimitEnv = process.env.MOCK_RATE_LIMIT;
if (rateLimitEnv !== undefined && !/^[1-9]\d*$/.test(rateLimitEnv)) {
  fail(`MOCK_RATE_LIMIT must be a positive whole number, got '${rateLimitEnv}'.`, 2);
}
if (values.seed !== undefined && !/^\d+$/.test(values.seed)) {
  fail(`--seed must be a whole number, got '${values.seed}'.`, 2);
}
const rateLimit = rateLimitEnv === undefined ? values["rate-limit"] : Number(rateLimitEnv);

// Loaded after the arguments are checked, so a wrong one is reported without loading Prism.
const [{ contract }, { startMock }] = await Promise.all([
  import("@loops-contract/spec"),
  import("./index.js"),
]);

const mock = await startMock({
  port: Number(process.env.MOCK_PORT ?? 4010),
  host: process.env.MOCK_HOST ?? "127.0.0.1",
  dynamic: values.dynamic,
  static: values.static,
  rateLimit,
  stateless: values.stateless,
  empty: values.empty,
  ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
}).catch((error: unknown) => fail(`The mock could not start: ${String(error)}`, 1));

const info = contract.info as { title: string; version: string };
const mode = values.dynamic
  ? `dynamic, seed ${values.seed ?? "random"}`
  : values.static
    ? "examples verbatim"
    : mock.stateful
      ? `sandbox${values.empty ? ", every key a new team" : ""}`
      : "examples";
const limit = mock.rateLimit === undefined ? "" : `, ${mock.rateLimit} requests/s per key`;
console.log(
  `Mock of ${info.title} ${info.version} ready at ${mock.url} (${mock.operationCount} operations, ${mode}${limit})`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void mock.stop().then(() => process.exit(0));
  });
}
