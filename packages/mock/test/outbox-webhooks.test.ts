// The outbox beside the webhooks (README, "The journal and the outbox"): a campaign that turns
// Sent writes one entry per recipient of its declared audience, with or without an endpoint; each
// step of a webhook delivery is an entry of kind `webhook`, which waitFor and the matchers find.
// One in-process mock and one local endpoint for the file; the clock controls drive time.
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { webhooks } from "@loops-contract/spec";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createMockFetch,
  type MockChange,
  type MockFetch,
  type OutboxKind,
} from "../dist/index.js";
import "../dist/vitest.js";
import { call, freshKey, operationFor } from "./support/sandbox.js";

const createContact = operationFor("contact", "create");
const createCampaign = operationFor("campaign", "create");
const updateCampaign = operationFor("campaign", "update");
const updateMessage = operationFor("emailMessage", "update");
const listId = "cm9list0000000000000000";
const campaignKind = webhooks.find((webhook) => webhook.sandbox?.outbox)?.sandbox?.outbox
  ?.kind as OutboxKind;

/** An address no seeded contact has. */
const address = (name: string) => `${name}-${Math.random().toString(36).slice(2)}@example.com`;

let mock: MockFetch;
// The endpoint answers 500 to the first post to a path under /flaky/, 204 to every other.
const failedOnce = new Set<string>();
const endpointServer = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const path = req.url ?? "";
    const fail = path.startsWith("/flaky/") && !failedOnce.has(path);
    failedOnce.add(path);
    res.writeHead(fail ? 500 : 204).end();
  });
});
let base = "";

beforeAll(async () => {
  mock = await createMockFetch();
  endpointServer.listen(0, "127.0.0.1");
  await once(endpointServer, "listening");
  base = `http://127.0.0.1:${(endpointServer.address() as AddressInfo).port}`;
});
afterAll(() => {
  endpointServer.closeAllConnections();
  endpointServer.close();
});

describe("a campaign's recipients", () => {
  test("a campaign sent to a list of 3, one unsubscribed, writes 2 entries with the declared fields, with no endpoint or listener; subscribers hear each", async () => {
    const key = freshKey();
    mock.define(key, {
      mailingList: [{ id: listId, name: "Readers", description: null, isPublic: false }],
    });
    const [ada, bob, cy] = [address("ada"), address("bob"), address("cy")];
    for (const [email, subscribed] of [
      [ada, true],
      [bob, false],
      [cy, true],
    ] as const) {
      const body = { email, subscribed, mailingLists: { [listId]: true } };
      expect((await call(mock, key, createContact, { body })).status).toBe(200);
    }
    const campaign = (
      await call(mock, key, createCampaign, { body: { name: "Spring", mailingListId: listId } })
    ).body;
    const message = { id: String(campaign.emailMessageId), body: { subject: "Hello readers" } };
    expect((await call(mock, key, updateMessage, message)).status).toBe(200);
    const heard: MockChange[] = [];
    const stop = mock.subscribe(key, (change) => void heard.push(change));
    const publish = { scheduling: { method: "now" } };
    await call(mock, key, updateCampaign, { id: String(campaign.id), body: publish });
    expect(mock.outbox(key, { kind: campaignKind })).toEqual([]);

    mock.advanceClock(key, 3_600_000);
    stop();
    const sent = mock.outbox(key, { kind: campaignKind });
    expect(mock.webhookDeliveries(key)).toEqual([]);
    expect(sent.map((entry) => entry.to[0]).sort()).toEqual([ada, cy].sort());
    for (const entry of sent) {
      expect(entry).toEqual({
        seq: expect.any(Number),
        kind: "campaign",
        operationId: null,
        at: expect.any(String),
        to: entry.to,
        campaignId: campaign.id,
        campaignName: "Spring",
        subject: "Hello readers",
      });
    }
    const added = heard.filter((change) => change.record === "outbox" && change.type === "added");
    expect(added.map((change) => "entry" in change && change.entry.seq)).toEqual(
      sent.map((entry) => entry.seq).reverse(),
    );
  });
});

describe("webhook deliveries", () => {
  test("waitFor resolves on a delivery written later, once the clock brings its retry; the matchers show the failed attempt as a near miss", async () => {
    const key = freshKey();
    const endpoint = `${base}/flaky/${key}`;
    mock.setWebhookEndpoint(key, endpoint);
    const wanted = { kind: "webhook", eventName: "contact.created", status: "delivered" } as const;
    const delivered = mock.waitFor(key, wanted);
    const email = address("ada");
    await call(mock, key, createContact, { body: { email } });

    const failed = await mock.waitFor(key, { kind: "webhook", endpointStatus: 500 });
    expect(failed).toMatchObject({
      eventName: "contact.created",
      to: [endpoint],
      status: "pending",
      attempts: 1,
      error: "answered 500",
      event: { contactIdentity: { email } },
    });
    await expect(expect(mock).toHaveSent(key, wanted)).rejects.toThrow(
      /the closest:\n {2}webhook #\d+ contact\.created to \S+ \(pending, answered 500\)\n {4}status: expected "delivered", got "pending"/,
    );

    mock.advanceClock(key, 5_000);
    expect(await delivered).toMatchObject({
      webhookId: failed.webhookId,
      to: [endpoint],
      status: "delivered",
      attempts: 2,
      endpointStatus: 204,
      error: null,
    });
    await expect(mock).toHaveSent(key, wanted);
    expect(mock.outbox(key, { kind: "webhook" }).map((entry) => entry.status)).toEqual([
      "delivered",
      "pending",
    ]);
  });
});
