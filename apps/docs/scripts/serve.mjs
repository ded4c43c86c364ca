// Serves dist/ (the built docs) at http://127.0.0.1:${DOCS_PORT:-8080}; also importable as serveDocs().
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import sirv from "sirv";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));

/**
 * Serves the built docs on 127.0.0.1. Resolves once listening.
 * @param {{ port?: number, host?: string }} [options] port 0 (the default) picks a free port.
 * @returns {Promise<{ url: string, port: number, stop(): Promise<void> }>}
 */
export async function serveDocs({ port = 0, host = "127.0.0.1" } = {}) {
  if (!existsSync(`${dist}/index.html`)) {
    throw new Error("No built docs: run `pnpm --filter @loops-contract/docs build` first.");
  }
  // dev: re-stat files on each request so a rebuild shows without restarting the server.
  const server = createServer(sirv(dist, { dev: true, etag: true }));
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("Not a TCP server.");
  return {
    url: `http://${host}:${address.port}/`,
    port: address.port,
    stop: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.DOCS_PORT ?? 8080);
  const docs = await serveDocs({ port });
  console.log(`Loops API docs: ${docs.url}  (Ctrl-C stops)`);
  for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
    process.once(signal, async () => {
      await docs.stop();
      process.exit(0);
    });
  }
}
