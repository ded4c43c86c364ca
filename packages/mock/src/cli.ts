#!/usr/bin/env node
import { parseArgs } from "node:util";
import { type PrismLogLevel, startMock } from "./index.js";

const { values } = parseArgs({
  options: {
    dynamic: { type: "boolean", default: process.env.MOCK_DYNAMIC === "1" },
    seed: { type: "string", default: process.env.MOCK_SEED },
  },
});

const mock = await startMock({
  port: Number(process.env.MOCK_PORT ?? 4010),
  host: process.env.MOCK_HOST ?? "127.0.0.1",
  dynamic: values.dynamic,
  ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
  logLevel: (process.env.MOCK_LOG_LEVEL ?? "error") as PrismLogLevel,
  onLog: (text) => process.stderr.write(text),
});

const mode = values.dynamic ? `dynamic, seed ${values.seed ?? "random"}` : "static examples";
console.log(`Prism mock of the Loops campaign contract (${mode}): ${mock.url}`);
console.log(`Try: curl -i -X POST ${mock.url}/v1/campaigns -H 'Authorization: Bearer test' \\`);
console.log(`       -H 'Content-Type: application/json' -d '{"name":"Spring announcement"}'`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void mock.stop().then(() => process.exit(0));
  });
}
