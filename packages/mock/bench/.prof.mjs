import { createMockFetch } from "../dist/index.js";

const body = JSON.stringify({ name: "Bench", scheduling: { method: "now" } });
const stateless = process.argv[2] === "stateless";
const f = await createMockFetch({ stateless });
const headers = { authorization: "Bearer bench", "content-type": "application/json" };
for (let i = 0; i < 2000; i++)
  await (await f("http://127.0.0.1/v1/campaigns", { method: "POST", headers, body })).text();
const t = performance.now();
const n = 8000;
for (let i = 0; i < n; i++)
  await (await f("http://127.0.0.1/v1/campaigns", { method: "POST", headers, body })).text();
console.log(
  stateless ? "stateless" : "stateful",
  (((performance.now() - t) / n) * 1000).toFixed(0),
  "µs/create",
);
