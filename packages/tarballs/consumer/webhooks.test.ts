// An app's Loops webhook endpoint as a user writes it (verifyWebhook behind node:http), fed by the
// installed mock: the app's client creates a contact on a list, sends a transactional email and a
// campaign to that list, the key's clock is moved past the send, and the endpoint gets each event,
// verified, in the order spec/SANDBOX.md documents. Then the endpoint with a wrong secret, as a
// user debugging it sees it: refused, and the mock's record of the attempt shows the 400.
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLoopsClient } from "@loops-contract/client";
import {
  verifyWebhook,
  type WebhookEvent,
  WebhookVerificationError,
} from "@loops-contract/client/webhooks";
import { startMock } from "@loops-contract/mock";
import { afterAll, beforeAll, expect, test } from "vitest";

/** The endpoint's signing secret, as Loops' webhook settings show one (Standard Webhooks' example). */
const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

interface Endpoint {
  url: string;
  /** What the handler accepted, in the order it arrived. */
  verified: WebhookEvent[];
  /** Why it refused what it refused. */
  refused: string[];
  close(): Promise<void>;
}

/** The app's webhook route on a free port: verify the raw body, then act; a forgery is a 400. */
async function startEndpoint(signingSecret: string): Promise<Endpoint> {
  const verified: WebhookEvent[] = [];
  const refused: string[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    try {
      verified.push(await verifyWebhook(Buffer.concat(chunks), request.headers, signingSecret));
      response.writeHead(204).end();
    } catch (error) {
      // Forged, altered or stale: 400 and act on nothing. Anything else is the handler's: 500.
      const forged = error instanceof WebhookVerificationError;
      refused.push(forged ? error.reason : String(error));
      response.writeHead(forged ? 400 : 500).end();
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/loops`,
    verified,
    refused,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

let endpoint: Endpoint;
let mock: Awaited<ReturnType<typeof startMock>>;

beforeAll(async () => {
  endpoint = await startEndpoint(secret);
  mock = await startMock({ webhookUrl: endpoint.url, webhookSecret: secret });
});
afterAll(async () => {
  await mock?.stop();
  await endpoint?.close();
});

test("a contact, a transactional email and a campaign reach the endpoint as verified events, in order", async () => {
  const apiKey = "webhooks-test-key";
  const loops = createLoopsClient({ apiKey, baseUrl: mock.url, refuseProduction: true });
  const [list] = await loops.mailingLists.list();
  if (!list?.id) throw new Error("the mock holds no mailing list");
  const email = "hedy@example.com"; // the seed holds ada@example.com already

  await loops.contacts.create({ email, mailingLists: { [list.id]: true } });
  await loops.transactional.send({
    transactionalId: "clfq6dinn000yl70fgwwyp82l", // the contract's seeded welcome email
    email,
    dataVariables: { firstName: "Ada", confirmationUrl: "https://example.com/confirm/1" },
  });
  const draft = await loops.campaigns.create({ name: "Spring update", mailingListId: list.id });
  const tomorrow = new Date(mock.now(apiKey) + 86_400_000).toISOString();
  await loops.campaigns.update(draft.id, {
    scheduling: { method: "schedule", timestamp: tomorrow },
  });
  // Past the send, its second of sending and the 5 s to delivery; then every post is answered.
  mock.advanceClock(apiKey, 86_400_000 + 60_000);
  await mock.flushWebhooks(apiKey);

  expect({
    verified: endpoint.verified.map((event) =>
      event.eventName === "email.delivered"
        ? `${event.eventName} (${event.sourceType})`
        : event.eventName,
    ),
    refused: endpoint.refused,
  }).toEqual({
    verified: [
      "contact.created",
      "contact.mailingList.subscribed",
      "transactional.email.sent",
      "email.delivered (transactional)",
      "campaign.email.sent",
      "email.delivered (campaign)",
    ],
    refused: [],
  });
});

test("an endpoint verifying with the wrong secret refuses the event, and the mock records the 400", async () => {
  const apiKey = "webhooks-wrong-secret-key";
  const misconfigured = await startEndpoint(
    `whsec_${Buffer.from("the secret before it was rotated").toString("base64")}`,
  );
  try {
    mock.setWebhookEndpoint(apiKey, misconfigured.url);
    mock.triggerWebhook(apiKey, "testing.testEvent"); // as Loops' settings page sends one
    await mock.flushWebhooks(apiKey);
    expect({
      refused: misconfigured.refused,
      deliveries: mock.webhookDeliveries(apiKey).map(({ eventName, status, attempts }) => ({
        eventName,
        status,
        attempts: attempts.map((attempt) => attempt.status),
      })),
    }).toEqual({
      refused: ["no-matching-signature"],
      // Not 2xx: retried on the key's clock (5 s later) until the endpoint answers 2xx.
      deliveries: [{ eventName: "testing.testEvent", status: "pending", attempts: [400] }],
    });
  } finally {
    await misconfigured.close();
  }
});
