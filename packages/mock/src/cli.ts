#!/usr/bin/env node
import { parseArgs } from "node:util";
import { contract } from "@loops-contract/spec";
import { startMock } from "./index.js";

const { values } = parseArgs({
  options: {
    dynamic: { type: "boolean", default: process.env.MOCK_DYNAMIC === "1" },
    seed: { type: "string", default: process.env.MOCK_SEED },
    static: { type: "boolean", default: process.env.MOCK_STATIC === "1" },
    "rate-limit": { type: "boolean", default: false },
  },
});

const rateLimitEnv = process.env.MOCK_RATE_LIMIT;
if (rateLimitEnv !== undefined && !/^[1-9]\d*$/.test(rateLimitEnv)) {
  console.error(`MOCK_RATE_LIMIT must be a positive whole number, got '${rateLimitEnv}'.`);
  process.exit(2);
}
const rateLimit = rateLimitEnv === undefined ? values["rate-limit"] : Number(rateLimitEnv);

const mock = await startMock({
  port: Number(process.env.MOCK_PORT ?? 4010),
  host: process.env.MOCK_HOST ?? "127.0.0.1",
  dynamic: values.dynamic,
  static: values.static,
  rateLimit,
  ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
});

const info = contract.info as { title: string; version: string };
const mode = values.dynamic
  ? `dynamic, seed ${values.seed ?? "random"}`
  : values.static
    ? "examples verbatim"
    : "examples";
const limit = rateLimit === false ? "" : `, rate-limited`;
console.log(
  `Mock of ${info.title} ${info.version} ready at ${mock.url} (${mock.operationCount} operations, ${mode}${limit})`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void mock.stop().then(() => process.exit(0));
  });
}
