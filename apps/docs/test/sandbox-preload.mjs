// Preloaded into each README block's process (`node --import <this file>`): requests for the
// contract's production server go to the sandbox the test serves, on the block's own key, so a
// block runs as written; any other URL (a mock the block starts) goes out as asked. Plain
// JavaScript with no imports, so that a block's process loads nothing it would not load itself.
const productionUrl = process.env.README_BLOCK_PRODUCTION_URL;
const sandboxUrl = process.env.README_BLOCK_SANDBOX_URL;
if (!productionUrl || !sandboxUrl) throw new Error("Run by test/readme-blocks.test.ts only.");
const networkFetch = globalThis.fetch;

globalThis.fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (!url.startsWith(`${productionUrl}/`)) return networkFetch(input, init);
  const request = new Request(input, init);
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return networkFetch(`${sandboxUrl}${request.url.slice(productionUrl.length)}`, {
    method: request.method,
    headers: request.headers,
    body: hasBody ? await request.arrayBuffer() : undefined,
    signal: request.signal,
    redirect: request.redirect,
  });
};
