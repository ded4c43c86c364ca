// The sandbox fires webhooks (spec/SANDBOX.md, "Webhooks"): which change emits which event, as the
// contract's `x-sandbox` on each webhook declares it, with payloads made from the records, the
// test addresses' outcomes, the trigger control, the HTTP controls and connectMock's calls to them
// (interchangeable with the in-process mock's), and MSW let through. One mock and one local
// endpoint for the file; the clock controls drive time.
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { getOperation, type JsonObject, validatorAt, webhooks } from "@loops-contract/spec";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectMock, createMockFetch, MockControlError, type MockFetch } from "../dist/index.js";
import { loopsHandlers } from "../dist/msw.js";
import { signedHeaders } from "../src/webhooks/signing.js";
import { call, freshKey, operationFor, productionUrl, seededListId } from "./support/sandbox.js";

const createContact = operationFor("contact", "create");
const updateContact = operationFor("contact", "upsert");
const deleteContact = operationFor("contact", "delete");
const findContact = operationFor("contact", "find");
const sendEvent = getOperation("sendEvent");
const send = operationFor("transactionalEmail", "send");
const createCampaign = operationFor("campaign", "create");
const updateCampaign = operationFor("campaign", "update");
const getCampaign = operationFor("campaign", "read");
const listLists = operationFor("mailingList", "list");
const welcome = send.requestBody?.examples[0]?.value as JsonObject;

interface Heard {
  headers: Record<string, string>;
  body: string;
  event: JsonObject;
}

let mock: MockFetch;
const heard = new Map<string, Heard[]>();
const received: Array<{ url: string; headers: IncomingMessage["headers"]; body: string }> = [];
// It answers 503 to a post to a path ending in /unavailable, 204 to any other.
const endpointServer = createServer((req, res) => {
  const chunks: Buffer[] = [];
  const url = req.url ?? "";
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    received.push({ url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(url.endsWith("/unavailable") ? 503 : 204).end();
  });
});
let endpoint = "";

beforeAll(async () => {
  mock = await createMockFetch();
  mock.onWebhook(({ apiKey, headers, body, event }) => {
    heard.set(apiKey, [...(heard.get(apiKey) ?? []), { headers, body, event }]);
  });
  endpointServer.listen(0, "127.0.0.1");
  await once(endpointServer, "listening");
  endpoint = `http://127.0.0.1:${(endpointServer.address() as AddressInfo).port}/loops`;
});
afterAll(() => {
  endpointServer.closeAllConnections();
  endpointServer.close();
});

/** The events the key's listener heard, once everything due in the next `ms` was delivered. */
function eventsAfter(key: string, ms = 60_000): JsonObject[] {
  mock.advanceClock(key, ms);
  return (heard.get(key) ?? []).map((entry) => entry.event);
}
const names = (events: JsonObject[]) => events.map((event) => event.eventName);
const address = (local: string) => `${local}+${Math.random().toString(36).slice(2)}@example.com`;

async function contactOf(key: string, email: string): Promise<JsonObject> {
  const found = await call(mock, key, findContact, { query: { email } });
  return (found.body as unknown as JsonObject[])[0] as JsonObject;
}

describe("contacts", () => {
  test("create emits contact.created with the contact as stored, and a list joined at create emits its event", async () => {
    const key = freshKey();
    const email = address("ada");
    await call(mock, key, createContact, {
      body: { email, userId: `u-${key}`, mailingLists: { [seededListId]: true } },
    });
    const stored = await contactOf(key, email);
    const [created, joined, ...rest] = eventsAfter(key);
    expect(rest).toEqual([]);
    expect(created?.eventName).toBe("contact.created");
    expect(created?.contactIdentity).toEqual({ id: stored.id, email, userId: `u-${key}` });
    expect(created?.contact).toEqual(stored);
    expect(Math.abs(Number(created?.eventTime) - mock.now(key) / 1000)).toBeLessThan(120);
    const lists = await call(mock, key, listLists);
    const list = (lists.body as unknown as JsonObject[]).find((entry) => entry.id === seededListId);
    expect(joined).toMatchObject({
      eventName: "contact.mailingList.subscribed",
      mailingList: list,
    });
  });

  test("leaving a list, unsubscribing, and a delete (contact.unsubscribed, then contact.deleted)", async () => {
    const key = freshKey();
    const email = address("grace");
    await call(mock, key, createContact, {
      body: { email, mailingLists: { [seededListId]: true } },
    });
    await call(mock, key, updateContact, {
      body: { email, mailingLists: { [seededListId]: false } },
    });
    await call(mock, key, updateContact, { body: { email, subscribed: false } });
    await call(mock, key, updateContact, { body: { email, subscribed: false } });
    await call(mock, key, deleteContact, { body: { email } });
    expect(names(eventsAfter(key))).toEqual([
      "contact.created",
      "contact.mailingList.subscribed",
      "contact.mailingList.unsubscribed",
      "contact.unsubscribed",
      "contact.unsubscribed",
      "contact.deleted",
    ]);
  });

  test("an update or an event that creates its contact emits contact.created", async () => {
    const key = freshKey();
    await call(mock, key, updateContact, { body: { email: address("upsert") } });
    await call(mock, key, sendEvent, { body: { email: address("event"), eventName: "signup" } });
    expect(names(eventsAfter(key))).toEqual(["contact.created", "contact.created"]);
  });
});

describe("transactional email", () => {
  test("a send with addToAudience: contact.created, transactional.email.sent, then email.delivered 5 s later", async () => {
    const key = freshKey();
    const email = address("linus");
    await call(mock, key, send, { body: { ...welcome, email, addToAudience: true } });
    const [created, sent] = eventsAfter(key, 4_000);
    expect([created?.eventName, sent?.eventName]).toEqual([
      "contact.created",
      "transactional.email.sent",
    ]);
    expect(sent).toMatchObject({
      transactionalId: welcome.transactionalId,
      contactIdentity: { email },
    });
    const [, , delivered] = eventsAfter(key, 2_000);
    expect(delivered).toMatchObject({
      eventName: "email.delivered",
      sourceType: "transactional",
      transactionalId: welcome.transactionalId,
      email: sent?.email,
    });
    expect(Number(delivered?.eventTime) - Number(sent?.eventTime)).toBe(5);
  });

  test("a send to an address no contact has emits nothing (the payload is about a contact)", async () => {
    const key = freshKey();
    await call(mock, key, send, { body: { ...welcome, email: address("stranger") } });
    expect(eventsAfter(key)).toEqual([]);
  });
});

/** A key with contacts at the given addresses on the seeded list, and a campaign to it sent. */
async function sendCampaign(key: string, members: Record<string, boolean>) {
  for (const [email, subscribed] of Object.entries(members)) {
    await call(mock, key, createContact, {
      body: { email, subscribed, mailingLists: { [seededListId]: true } },
    });
  }
  await call(mock, key, createContact, { body: { email: address("elsewhere") } });
  mock.advanceClock(key, 10_000); // the contacts' own events, 10 a second, are out of the way
  const draft = await call(mock, key, createCampaign, {
    body: { name: "Spring update", mailingListId: seededListId },
  });
  const id = String(draft.body.id);
  const tomorrow = new Date(mock.now(key) + 86_400_000).toISOString();
  await call(mock, key, updateCampaign, {
    id,
    body: { scheduling: { method: "schedule", timestamp: tomorrow } },
  });
  heard.delete(key);
  return id;
}

describe("campaigns", () => {
  test("a campaign that turns Sent emits campaign.email.sent to each subscribed member of its list, then email.delivered", async () => {
    const key = freshKey();
    const [ada, grace, gone] = [address("ada"), address("grace"), address("gone")];
    const id = await sendCampaign(key, { [ada]: true, [grace]: true, [gone]: false });
    const campaign = await call(mock, key, getCampaign, { id });
    expect(eventsAfter(key, 86_000_000)).toEqual([]);
    const events = eventsAfter(key, 1_000_000);
    expect((await call(mock, key, getCampaign, { id })).body.status).toBe("Sent");
    expect(names(events)).toEqual([
      "campaign.email.sent",
      "campaign.email.sent",
      "email.delivered",
      "email.delivered",
    ]);
    const [toAda, , deliveredToAda] = events;
    expect(events.map((event) => (event.contactIdentity as JsonObject).email)).toEqual([
      ada,
      grace,
      ada,
      grace,
    ]);
    const lists = (await call(mock, key, listLists)).body as unknown as JsonObject[];
    expect(toAda).toMatchObject({
      campaignId: id,
      campaignName: "Spring update",
      email: { emailMessageId: campaign.body.emailMessageId, subject: "Spring update" },
      mailingLists: lists.filter((list) => list.id === seededListId),
    });
    expect(deliveredToAda).toMatchObject({
      sourceType: "campaign",
      campaignId: id,
      email: toAda?.email,
    });
  });

  test("test addresses: soft and hard bounces (then unsubscribed), spam reports, opens and clicks", async () => {
    const key = freshKey();
    const soft = address("softbounced");
    const hard = address("bounced");
    const spam = address("complained");
    const opener = address("opened");
    const clicker = address("clicked");
    const elsewhere = `bounced@loops-sandbox-${key}.dev`;
    await sendCampaign(key, {
      [soft]: true,
      [hard]: true,
      [spam]: true,
      [opener]: true,
      [clicker]: true,
      [elsewhere]: true,
    });
    const events = eventsAfter(key, 86_400_000 + 10 * 60_000);
    const byAddress = (email: string) =>
      names(events.filter((event) => (event.contactIdentity as JsonObject).email === email));
    expect(byAddress(soft)).toEqual(["campaign.email.sent", "email.softBounced"]);
    expect(byAddress(hard)).toEqual([
      "campaign.email.sent",
      "email.hardBounced",
      "contact.unsubscribed",
    ]);
    expect((await contactOf(key, hard)).subscribed).toBe(false);
    expect(byAddress(spam)).toEqual(["campaign.email.sent", "email.spamReported"]);
    expect(byAddress(opener)).toEqual(["campaign.email.sent", "email.delivered", "email.opened"]);
    expect(byAddress(clicker)).toEqual([
      "campaign.email.sent",
      "email.delivered",
      "email.opened",
      "email.clicked",
    ]);
    expect(byAddress(elsewhere)).toEqual(["campaign.email.sent", "email.delivered"]);
  });

  test("with no endpoint and no listener nothing is kept; a campaign published meanwhile emits to the listener there is when it sends", async () => {
    const quiet = await createMockFetch();
    const key = freshKey();
    const email = address("quiet");
    await call(quiet, key, createContact, {
      body: { email, mailingLists: { [seededListId]: true } },
    });
    expect(quiet.webhookDeliveries(key)).toEqual([]);
    const draft = await call(quiet, key, createCampaign, {
      body: { name: "Quiet", mailingListId: seededListId },
    });
    await call(quiet, key, updateCampaign, {
      id: String(draft.body.id),
      body: { scheduling: { method: "now" } },
    });
    const late: string[] = [];
    quiet.onWebhook((message) => void late.push(String(message.event.eventName)));
    quiet.advanceClock(key, 86_400_000);
    expect(late).toEqual(["campaign.email.sent", "email.delivered"]);
  });
});

describe("the trigger control", () => {
  test("each of the 17 webhooks goes out from its example, fitting its schema; a given payload is checked first", async () => {
    const key = freshKey();
    for (const webhook of webhooks) {
      const delivery = mock.triggerWebhook(key, webhook.eventName);
      expect(delivery?.status).not.toBe("dropped");
    }
    const events = eventsAfter(key, 10_000);
    expect(names(events)).toEqual(webhooks.map((webhook) => webhook.eventName));
    for (const [index, webhook] of webhooks.entries()) {
      expect(validatorAt(webhook.schemaPointer)(events[index])).toBe(true);
      expect(events[index]).toEqual(Object.values(webhook.examples)[0]);
    }
    expect(() =>
      mock.triggerWebhook(key, "contact.created", { eventName: "contact.created" }),
    ).toThrow(/^Invalid contact\.created payload: .*eventTime/);
    expect(() => mock.triggerWebhook(key, "contact.exploded")).toThrow(
      /^event: no webhook "contact.exploded"; there are contact.created, /,
    );
  });
});

describe("the HTTP controls and an endpoint", () => {
  async function control(key: string, method: string, path: string, body?: unknown) {
    const response = await mock(`${productionUrl}/_sandbox/${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as JsonObject };
  }

  test("set the endpoint, read the secret, trigger, advance: the endpoint has the events, signed, when advance-clock answers", async () => {
    const key = freshKey();
    const refused = await control(key, "PUT", "webhooks", { endpoint: "file:///etc/passwd" });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/^The webhook endpoint must be an http or https URL/);
    const set = await control(key, "PUT", "webhooks", { endpoint });
    expect(set.body).toEqual({ endpoint, secret: mock.webhookSecret(key) });
    expect((await control(key, "GET", "webhooks")).body).toEqual(set.body);
    received.length = 0;
    const bad = await control(key, "POST", "webhooks/trigger", {
      event: "testing.testEvent",
      payload: { message: 1 },
    });
    expect(bad.status).toBe(400);
    for (let n = 0; n < 12; n += 1) {
      const triggered = await control(key, "POST", "webhooks/trigger", {
        event: "testingTestEvent",
      });
      expect((triggered.body.delivery as JsonObject).eventName).toBe("testing.testEvent");
    }
    expect(received.length).toBeLessThan(12);
    await control(key, "POST", "advance-clock", { milliseconds: 2_000 });
    expect(received).toHaveLength(12);
    const secret = Buffer.from(String(set.body.secret).slice("whsec_".length), "base64");
    for (const { headers, body } of received) {
      const signed = signedHeaders(
        secret,
        String(headers["webhook-id"]),
        Number(headers["webhook-timestamp"]),
        body,
      );
      expect(headers["webhook-signature"]).toBe(signed["webhook-signature"]);
    }
    const deliveries = await control(key, "GET", "webhooks/deliveries");
    expect((deliveries.body as unknown as JsonObject[]).map((d) => d.status)).toEqual(
      Array(12).fill("delivered"),
    );
    mock.setWebhookEndpoint(key, null);
  });
});

describe.each([
  ["in process", () => mock],
  ["through connectMock", () => connectMock(productionUrl, { fetch: mock })],
])("the webhook controls %s", (_, controlsUnderTest) => {
  test("set and read the endpoint and secret, trigger, flush, and a retry the clock brings read the same; a bad endpoint or payload is refused naming it", async () => {
    const key = freshKey();
    const controls = controlsUnderTest();
    await expect(async () =>
      controls.setWebhookEndpoint(key, "file:///etc/passwd"),
    ).rejects.toThrow(/The webhook endpoint must be an http or https URL/);
    await expect(async () =>
      controls.triggerWebhook(key, "testing.testEvent", { message: 1 }),
    ).rejects.toThrow(/Invalid testing\.testEvent payload: /);
    const unavailable = `${endpoint}/unavailable`;
    await controls.setWebhookEndpoint(key, unavailable);
    expect(await controls.webhookEndpoint(key)).toBe(unavailable);
    const secret = await controls.webhookSecret(key);
    expect(secret).toBe(mock.webhookSecret(key));

    const triggered = await controls.triggerWebhook(key, "testingTestEvent");
    expect(triggered).toMatchObject({ eventName: "testing.testEvent", status: "pending" });
    await controls.flushWebhooks(key);
    expect(await controls.webhookDeliveries(key)).toMatchObject([
      { id: triggered?.id, status: "pending", attempts: [{ status: 503 }] },
    ]);
    await controls.setWebhookEndpoint(key, endpoint);
    await controls.advanceClock(key, 5_000); // the first retry, after 5 s of the key's clock
    await controls.flushWebhooks(key);
    expect(await controls.webhookDeliveries(key)).toMatchObject([
      { status: "delivered", endpoint, attempts: [{ status: 503 }, { status: 204 }] },
    ]);
    const posts = received.filter(({ headers }) => headers["webhook-id"] === triggered?.id);
    expect(posts.map(({ url }) => url)).toEqual(["/loops/unavailable", "/loops"]);
    const { headers, body } = posts[1] ?? { headers: {} as IncomingMessage["headers"], body: "" };
    const signed = signedHeaders(
      Buffer.from(secret.slice("whsec_".length), "base64"),
      String(headers["webhook-id"]),
      Number(headers["webhook-timestamp"]),
      body,
    );
    expect(headers["webhook-signature"]).toBe(signed["webhook-signature"]);
    await controls.setWebhookEndpoint(key, null);
    expect(await controls.webhookEndpoint(key)).toBeUndefined();
  });

  test("flush waits out the 10-a-second spacing, not a retry: a contact created on a list", async () => {
    const controls = controlsUnderTest();
    const createOnList = async (key: string) =>
      call(mock, key, createContact, {
        body: { email: address("flush"), mailingLists: { [seededListId]: true } },
      });
    const key = freshKey();
    await controls.setWebhookEndpoint(key, endpoint);
    await createOnList(key);
    await controls.flushWebhooks(key);
    const deliveries = await controls.webhookDeliveries(key);
    expect(deliveries.map(({ eventName, status }) => [eventName, status])).toEqual([
      ["contact.created", "delivered"],
      ["contact.mailingList.subscribed", "delivered"],
    ]);
    const [first, second] = deliveries.map(({ sentAt }) => Date.parse(String(sentAt)));
    expect(Number(second) - Number(first)).toBeGreaterThanOrEqual(100);
    const ids = deliveries.map(({ id }) => id);
    const posted = received.filter(({ headers }) => ids.includes(String(headers["webhook-id"])));
    expect(posted.map(({ body }) => JSON.parse(body).eventName)).toEqual([
      "contact.created",
      "contact.mailingList.subscribed",
    ]);

    const failing = freshKey();
    await controls.setWebhookEndpoint(failing, `${endpoint}/unavailable`);
    await createOnList(failing);
    await controls.flushWebhooks(failing);
    const [retrying, behind] = await controls.webhookDeliveries(failing);
    expect(retrying).toMatchObject({ status: "pending", attempts: [{ status: 503 }] });
    const firstAttempt = Date.parse(String(retrying?.attempts[0]?.at));
    expect(retrying?.nextAttemptAt).toBe(new Date(firstAttempt + 5_000).toISOString());
    expect(behind).toMatchObject({ status: "pending", attempts: [] });
    mock.reset(failing);
  });

  test("flush gives up at its timeout, what is left pending; a timeout that is no time is refused", async () => {
    const controls = controlsUnderTest();
    const key = freshKey();
    await controls.setWebhookEndpoint(key, endpoint);
    for (let n = 0; n < 30; n += 1) await controls.triggerWebhook(key, "testingTestEvent");
    await controls.flushWebhooks(key, { timeout: 300 });
    const statuses = (await controls.webhookDeliveries(key)).map(({ status }) => status);
    const delivered = statuses.filter((status) => status === "delivered").length;
    expect(delivered).toBeGreaterThan(1);
    expect(statuses).toEqual([
      ...Array(delivered).fill("delivered"),
      ...Array(30 - delivered).fill("pending"),
    ]);
    mock.reset(key);
    await expect(controls.flushWebhooks(key, { timeout: -1 })).rejects.toThrow(/timeout/);
  });
});

test("connectMock fails with a MockControlError saying what to do: the mock's refusal, or nothing listening", async () => {
  const key = freshKey();
  const refused = await connectMock(productionUrl, { fetch: mock })
    .setWebhookEndpoint(key, "ftp://example.com")
    .catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(MockControlError);
  expect(refused).toMatchObject({ control: "PUT /_sandbox/webhooks", status: 400 });
  expect((refused as Error).message).toMatch(
    /^PUT \/_sandbox\/webhooks answered 400: The webhook endpoint must be an http or https URL/,
  );
  // A port that was free a moment ago: nothing listens there.
  const closed = createServer().listen(0, "127.0.0.1");
  await once(closed, "listening");
  const nowhere = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  closed.close();
  const unreachable = await connectMock(nowhere)
    .flushWebhooks(key)
    .catch((error: unknown) => error);
  expect(unreachable).toBeInstanceOf(MockControlError);
  expect(unreachable).toMatchObject({ control: "POST /_sandbox/webhooks/flush", status: null });
  expect((unreachable as Error).message).toBe(
    `POST /_sandbox/webhooks/flush: nothing answered at ${nowhere} (connect ECONNREFUSED ${nowhere.slice("http://".length)}). Start the mock (startMock() or loops-mock) and pass connectMock the url it prints.`,
  );
  expect((unreachable as Error).cause).toBeUndefined();
});

test("connectMock refuses, before sending anything, a URL that is none and Loops' production API", () => {
  expect(() => connectMock(String(process.env.LOOPS_UNSET_MOCK_URL))).toThrow(
    'connectMock: "undefined" is no http(s) URL. Pass the url startMock() or loops-mock prints (http://127.0.0.1:PORT).',
  );
  expect(() => connectMock(`${productionUrl}/`)).toThrow(
    `connectMock: ${productionUrl} is Loops' production API, not a mock. Pass the url startMock() or loops-mock prints (http://127.0.0.1:PORT).`,
  );
  // An in-process fetch answers the production URL itself: nothing leaves the process.
  expect(connectMock(productionUrl, { fetch: mock }).url).toBe(productionUrl);
});

describe("under MSW", () => {
  test("deliveries bypass MSW: with onUnhandledRequest 'error', the endpoint gets them and MSW sees none", async () => {
    const handlers = loopsHandlers();
    const server = setupServer(...handlers);
    const unhandled: string[] = [];
    server.events.on("request:unhandled", ({ request }) => unhandled.push(request.url));
    server.listen({ onUnhandledRequest: "error" });
    try {
      const key = freshKey();
      handlers.setWebhookEndpoint(key, endpoint);
      received.length = 0;
      const email = address("msw");
      const created = await fetch(`${productionUrl}${createContact.path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ email }),
      });
      expect(created.status).toBe(200);
      await handlers.flushWebhooks(key);
      expect(received.map((r) => JSON.parse(r.body).eventName)).toEqual(["contact.created"]);
      expect(handlers.webhookDeliveries(key)[0]?.status).toBe("delivered");
      expect(unhandled).toEqual([]);
    } finally {
      server.close();
    }
  });
});
