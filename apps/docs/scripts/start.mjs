// Serves the docs beside the Prism mock of the same contract, prints both URLs, stops both on Ctrl-C.
import { startMock } from "@loops-contract/mock";
import { serveDocs } from "./serve.mjs";

/**
 * Exits with one line when the port is taken (another `pnpm start` or mock, most often).
 * @param {NodeJS.ErrnoException & { address?: string, port?: number }} error what listening threw
 * @param {string} variable the environment variable that sets the port
 * @returns {never}
 */
function exitIfPortTaken(error, variable) {
  if (error?.code !== "EADDRINUSE") throw error;
  console.error(
    `Port ${error.port} on ${error.address} is already in use: stop what holds it, or set ${variable} to another port.`,
  );
  process.exit(1);
}

const mock = await startMock({ port: Number(process.env.MOCK_PORT ?? 4010) }).catch((error) =>
  exitIfPortTaken(error, "MOCK_PORT"),
);
const docs = await serveDocs({ port: Number(process.env.DOCS_PORT ?? 8080) }).catch(
  async (error) => {
    await mock.stop();
    exitIfPortTaken(error, "DOCS_PORT");
  },
);
console.log(`Loops API docs: ${docs.url}`);
console.log(
  `Loops API mock: ${mock.url}  (use it in the samples instead of https://app.loops.so/api)`,
);
console.log(`Sandbox inspector: ${mock.url}/_sandbox/inspector  (what each key holds, live)`);
console.log("Ctrl-C stops both.");
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.once(signal, async () => {
    await Promise.all([docs.stop(), mock.stop()]);
    process.exit(0);
  });
}
