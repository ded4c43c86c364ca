// Serves the docs beside the Prism mock of the same contract, prints both URLs, stops both on Ctrl-C.
import { startMock } from "@loops-contract/mock";
import { serveDocs } from "./serve.mjs";

const mock = await startMock({ port: Number(process.env.MOCK_PORT ?? 4010) });
const docs = await serveDocs({ port: Number(process.env.DOCS_PORT ?? 8080) }).catch(
  async (error) => {
    await mock.stop();
    throw error;
  },
);
console.log(`Loops API docs: ${docs.url}`);
console.log(
  `Loops API mock: ${mock.url}  (use it in the samples instead of https://app.loops.so/api)`,
);
console.log("Ctrl-C stops both.");
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.once(signal, async () => {
    await Promise.all([docs.stop(), mock.stop()]);
    process.exit(0);
  });
}
