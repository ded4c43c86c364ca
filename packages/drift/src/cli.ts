#!/usr/bin/env node
import { exitCodes, main } from "./main.js";

try {
  process.exitCode = await main(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
} catch (error) {
  // A bug, not a finding: say so, without the stack's data, and exit as "could not run".
  process.stderr.write(
    `loops-drift failed unexpectedly: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = exitCodes.couldNotRun;
}
