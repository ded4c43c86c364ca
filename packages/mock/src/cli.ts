#!/usr/bin/env node
import { parseArgs } from "node:util";
import {
  type CliSettings,
  flagOptions,
  helpText,
  readSettings,
  unknownOption,
} from "./cli-options.js";

function fail(message: string, code: number): never {
  console.error(`loops-mock: ${message}`);
  process.exit(code);
}

const args = process.argv.slice(2);
const options = { help: { type: "boolean", short: "h" }, ...flagOptions } as const;
const unknown = unknownOption(args, [...Object.keys(options), "h"]);
if (unknown !== undefined)
  fail(`unknown option '${unknown}'. Run loops-mock --help for the options.`, 2);

let settings: CliSettings;
try {
  const parsed = parseArgs({
    args,
    options,
    allowPositionals: true,
    tokens: true,
  });
  if (parsed.values.help) {
    console.log(helpText());
    process.exit(0);
  }
  settings = readSettings(parsed, process.env);
} catch (error) {
  // parseArgs names the option it could not read; the stack would say nothing more.
  const message = error instanceof Error ? error.message : String(error);
  fail(`${message.replace(/\.?$/, ".")} Run loops-mock --help.`, 2);
}

// Loaded after the arguments are checked, so a wrong one is reported without loading Prism.
const [{ contract }, { startMock }] = await Promise.all([
  import("@loops-contract/spec"),
  import("./index.js"),
]);

const mock = await startMock(settings).catch((error: NodeJS.ErrnoException) => {
  if (error.code === "EADDRINUSE") {
    fail(
      `port ${settings.port} on ${settings.host} is already in use (EADDRINUSE): stop what holds it, or pick another with --port or MOCK_PORT (0 for a free one).`,
      1,
    );
  }
  return fail(`the mock could not start: ${String(error)}`, 1);
});

const info = contract.info as { title: string; version: string };
const mode = settings.dynamic
  ? `dynamic, seed ${settings.seed ?? "random"}`
  : settings.static
    ? "examples verbatim"
    : mock.stateful
      ? `sandbox${settings.empty ? ", every key a new team" : ""}`
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
