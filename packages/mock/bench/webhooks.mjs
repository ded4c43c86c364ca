// A campaign sent to 10,000 contacts, the key's clock advanced past it: every one of its 20,000
// events (campaign.email.sent, then email.delivered, for each contact) must reach a local
// endpoint, in order; and the mock's RSS after gc, in a child process of its own
// (webhooks-campaign.mjs) as the memory bench does, should grow by less than 50 MB.
import { execFile } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const received = [];
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const event = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    received.push(`${event.eventName} ${event.contactIdentity?.email}`);
    res.writeHead(204).end();
  });
});
server.listen(0, "127.0.0.1");
await once(server, "listening");
const endpoint = `http://127.0.0.1:${server.address().port}/loops`;

const child = fileURLToPath(new URL("./webhooks-campaign.mjs", import.meta.url));
const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", child, endpoint], {
  maxBuffer: 2 ** 20,
});
server.close();
const run = JSON.parse(stdout);
const { contacts } = run;

// Before the campaign: each contact's created and joined-list events, in order of creation.
const campaign = received.slice(2 * contacts);
const expected = ["campaign.email.sent", "email.delivered"].flatMap((name) =>
  Array.from({ length: contacts }, (_, n) => `${name} reader-${n}@example.com`),
);
const inOrder =
  campaign.length === expected.length && campaign.every((line, i) => line === expected[i]);
const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);
const growth = (run.after.rss - run.before.rss) / 2 ** 20;
console.log(
  `Campaign to ${contacts.toLocaleString("en")} contacts: ${campaign.length.toLocaleString("en")} events at the endpoint, in order: ${inOrder ? "yes" : "NO"} (deliveries recorded: ${JSON.stringify(run.statuses)})`,
);
console.log(
  `advanceClock past it: ${run.seconds.advance.toFixed(2)} s; every event delivered ${run.seconds.delivered.toFixed(1)} s after it (${Math.round(campaign.length / run.seconds.delivered).toLocaleString("en")} events/s, one at a time)`,
);
console.log(
  `mock RSS after gc, before the send -> all delivered: ${mb(run.before.rss)} -> ${mb(run.after.rss)} MB (${growth >= 0 ? "+" : ""}${growth.toFixed(1)} MB, target < 50: ${growth < 50 ? "met" : "MISSED"}); heap used ${mb(run.before.heapUsed)} -> ${mb(run.after.heapUsed)} MB`,
);
