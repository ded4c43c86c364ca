// A campaign to 10,000 contacts in a process of its own, so that its RSS is the mock's
// (webhooks.mjs runs it with --expose-gc and the endpoint's URL, and prints the JSON it writes).
// The contacts join one mailing list; the campaign to that list is scheduled, the key's clock is
// advanced past its send and its deliveries, and every event is posted to the endpoint.
import { operations, sandboxModel } from "@loops-contract/spec";
import { createMockFetch } from "../dist/index.js";
import { headersFor, inProcess } from "./support.mjs";

const endpoint = process.argv[2];
const contacts = 10_000;
const key = "webhook-bench";
const find = (resource, action) =>
  operations.find((o) => o.sandbox?.resource === resource && o.sandbox.action === action);
const createContact = find("contact", "create");
const createCampaign = find("campaign", "create");
const updateCampaign = find("campaign", "update");
const listLists = find("mailingList", "list");

function afterGc() {
  globalThis.gc();
  globalThis.gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

const send = (operation, body, id = "") =>
  inProcess(mockFetch, operation.path.replace(/\{[^}]+\}/, id), {
    method: operation.method.toUpperCase(),
    headers: headersFor(key),
    body: JSON.stringify(body),
  });

const mockFetch = await createMockFetch();
mockFetch.setWebhookEndpoint(key, endpoint);
const [list] = await inProcess(mockFetch, listLists.path, { headers: headersFor(key) });
const flagMap = Object.keys(sandboxModel.resources.contact.flagMaps ?? {})[0];
for (let n = 0; n < contacts; n += 1) {
  await send(createContact, { email: `reader-${n}@example.com`, [flagMap]: { [list.id]: true } });
}
// The contacts' own events (created, joined the list) go first, then memory is read.
mockFetch.advanceClock(key, 2 * 2 * contacts * 100);
await mockFetch.flushWebhooks(key, { timeout: 600_000 }); // 20,000 posts outlast the default 30 s
const before = afterGc();
const draft = await send(createCampaign, { name: "Bench", mailingListId: list.id });
const inAMinute = new Date(mockFetch.now(key) + 60_000).toISOString();
await send(updateCampaign, { scheduling: { method: "schedule", timestamp: inAMinute } }, draft.id);
const started = performance.now();
// Past the send, and 20,000 events at 10 a second.
mockFetch.advanceClock(key, 60_000 + 2 * contacts * 100 + 60_000);
const advanced = performance.now();
await mockFetch.flushWebhooks(key, { timeout: 600_000 }); // 20,000 posts outlast the default 30 s
const seconds = {
  advance: (advanced - started) / 1000,
  delivered: (performance.now() - started) / 1000,
};
const after = afterGc();
const statuses = {};
for (const delivery of mockFetch.webhookDeliveries(key)) {
  statuses[delivery.status] = (statuses[delivery.status] ?? 0) + 1;
}
console.log(JSON.stringify({ contacts, seconds, before, after, statuses }));
