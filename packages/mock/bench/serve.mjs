// One mock in a process of its own, for a bench: `node bench/serve.mjs <port> '<options JSON>'`.
// Stops on SIGTERM.
import { startMock } from "../dist/index.js";

const [port, options = "{}"] = process.argv.slice(2);
const mock = await startMock({ ...JSON.parse(options), port: Number(port) });
process.once("SIGTERM", () => void mock.stop().then(() => process.exit(0)));
