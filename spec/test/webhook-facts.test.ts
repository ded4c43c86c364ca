// The facts of the 17 webhooks Loops sends, checked against the bundle with the spec module's ajv:
// each event's key and eventName, the fields its payload requires (found by taking each one out
// of its example), its source types, the three required headers, no security, and any 2xx as the
// acknowledgement. Loops' own words on these are in its document's `webhooks` and its webhooks
// page; the signing scheme is third-party (see the webhook-signature header).
import {
  contract as document,
  type JsonObject,
  validatorAt,
  type Webhook,
  webhooks,
} from "@loops-contract/spec";
import { describe, expect, test } from "vitest";

// The bundle as JSON.parse gives it, walked by the facts below as a reader would.
type Json = ReturnType<typeof JSON.parse>;
const contract: Json = document;

const BASE = ["eventName", "eventTime", "webhookSchemaVersion", "contactIdentity"];
const SENT_BY_ANY = ["loop", "campaign", "transactional"];
const SENT_BY_CAMPAIGN_OR_LOOP = ["loop", "campaign"];

// Loops' key, its eventName, what its payload requires beyond the base, and for the email events
// the values of `sourceType`.
const EVENTS: [string, string, string[], string[]?][] = [
  ["contactCreated", "contact.created", ["contact"]],
  ["contactUnsubscribed", "contact.unsubscribed", []],
  ["contactDeleted", "contact.deleted", []],
  ["contactMailingListSubscribed", "contact.mailingList.subscribed", ["mailingList"]],
  ["contactMailingListUnsubscribed", "contact.mailingList.unsubscribed", ["mailingList"]],
  [
    "transactionalEmailSent",
    "transactional.email.sent",
    ["transactionalId", "transactionalName", "email"],
  ],
  [
    "campaignEmailSent",
    "campaign.email.sent",
    ["campaignId", "campaignName", "email", "mailingLists"],
  ],
  ["loopEmailSent", "loop.email.sent", ["loopId", "loopName", "email", "mailingLists"]],
  ["emailDelivered", "email.delivered", ["email", "sourceType"], SENT_BY_ANY],
  ["emailSoftBounced", "email.softBounced", ["email", "sourceType"], SENT_BY_ANY],
  ["emailHardBounced", "email.hardBounced", ["email", "sourceType"], SENT_BY_ANY],
  ["emailSpamReported", "email.spamReported", ["email", "sourceType"], SENT_BY_ANY],
  ["emailClicked", "email.clicked", ["email", "sourceType"], SENT_BY_CAMPAIGN_OR_LOOP],
  ["emailOpened", "email.opened", ["email", "sourceType"], SENT_BY_CAMPAIGN_OR_LOOP],
  ["emailUnsubscribed", "email.unsubscribed", ["email", "sourceType"], SENT_BY_CAMPAIGN_OR_LOOP],
  ["emailResubscribed", "email.resubscribed", ["email", "sourceType"], SENT_BY_CAMPAIGN_OR_LOOP],
];

const byKey = new Map(webhooks.map((webhook) => [webhook.key, webhook]));
function webhook(key: string): Webhook {
  const found = byKey.get(key);
  if (!found) throw new Error(`The contract has no webhook ${key}`);
  return found;
}
const isPayload = (key: string) => {
  const validate = validatorAt(webhook(key).schemaPointer);
  return (value: unknown) => validate(value) as boolean;
};
/** The webhook's one example (each has exactly one), as a fresh copy to edit. */
function example(key: string): Json {
  const values = Object.values(webhook(key).examples);
  expect(values, key).toHaveLength(1);
  return structuredClone(values[0]);
}
const without = (value: JsonObject, field: string) =>
  Object.fromEntries(Object.entries(value).filter(([name]) => name !== field));
/** The top-level fields of the example whose absence the schema refuses. */
function requiredFields(key: string): string[] {
  const valid = isPayload(key);
  const value = example(key);
  return Object.keys(value).filter((field) => !valid(without(value, field)));
}

test("the contract has Loops' 17 webhooks, under its keys, in its order", () => {
  expect(Object.keys(contract.webhooks)).toEqual([
    ...EVENTS.map(([key]) => key),
    "testingTestEvent",
  ]);
});

describe.each(EVENTS)("%s", (key, eventName, extra) => {
  test(`is ${eventName}, and its example is a valid payload of it`, () => {
    expect(webhook(key).eventName).toBe(eventName);
    expect(example(key).eventName).toBe(eventName);
    expect(isPayload(key)(example(key))).toBe(true);
    expect(isPayload(key)({ ...example(key), eventName: "contact.other" })).toBe(false);
  });

  test(`requires the base and ${extra.join(", ") || "nothing more"}`, () => {
    expect(requiredFields(key).sort()).toEqual([...BASE, ...extra].sort());
  });

  test("stays open to fields Loops adds", () => {
    expect(isPayload(key)({ ...example(key), addedByLoopsLater: { any: "value" } })).toBe(true);
  });
});

const EMAIL_EVENTS = EVENTS.flatMap(([key, , , sourceTypes]) =>
  sourceTypes ? [[key, sourceTypes] as const] : [],
);

test.each(EMAIL_EVENTS)("%s is sent for %j emails, the source IDs optional", (key, sourceTypes) => {
  const valid = isPayload(key);
  const value = example(key);
  for (const sourceType of sourceTypes) expect(valid({ ...value, sourceType })).toBe(true);
  for (const other of ["transactional", "form"].filter((s) => !sourceTypes.includes(s))) {
    expect(valid({ ...value, sourceType: other }), other).toBe(false);
  }
  const ids = sourceTypes.map((sourceType) => `${sourceType}Id`);
  const bare = Object.fromEntries(Object.entries(value).filter(([name]) => !ids.includes(name)));
  expect(valid(bare)).toBe(true);
  expect(valid({ ...bare, campaignId: "c1", loopId: "l1" })).toBe(true);
});

describe("testingTestEvent", () => {
  test("is testing.testEvent, with message `test` and no contact", () => {
    const valid = isPayload("testingTestEvent");
    expect(webhook("testingTestEvent").eventName).toBe("testing.testEvent");
    expect(example("testingTestEvent")).not.toHaveProperty("contactIdentity");
    expect(requiredFields("testingTestEvent").sort()).toEqual(
      ["eventName", "eventTime", "message", "webhookSchemaVersion"].sort(),
    );
    expect(valid({ ...example("testingTestEvent"), message: "hello" })).toBe(false);
  });
});

describe("every webhook", () => {
  test.each(webhooks.map((each) => [each.key, each]))(
    "%s: a signed POST with the three headers required, no security, any 2xx acknowledging",
    (key) => {
      const post = contract.webhooks[key].post;
      expect(Object.keys(contract.webhooks[key])).toEqual(["post"]);
      expect(post.security).toEqual([]);
      expect(webhook(key).headers).toEqual([
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
      ]);
      expect(post.requestBody.required).toBe(true);
      expect(Object.keys(post.responses)).toEqual(["2XX", "default"]);
      expect(post).not.toHaveProperty("x-sdk-method");
    },
  );

  test("the headers are strings, and the signature's says where its scheme comes from", () => {
    for (const name of ["WebhookId", "WebhookTimestamp", "WebhookSignature"]) {
      const parameter = contract.components.parameters[name];
      expect(parameter, name).toMatchObject({ in: "header", required: true });
      expect(parameter.schema.type, name).toBe("string");
    }
    const signature: string = contract.components.parameters.WebhookSignature.description;
    expect(signature).toMatch(/Trigger\.dev/);
    expect(signature).toMatch(/Standard Webhooks/);
    expect(signature).toMatch(/not Loops' words/);
    expect(contract.components.responses.WebhookAcknowledged.description).toMatch(/Any 2xx/);
  });
});

describe("the shared base", () => {
  const valid = isPayload("contactUnsubscribed");
  const value = example("contactUnsubscribed");

  test("eventTime is whole Unix seconds", () => {
    expect(valid({ ...value, eventTime: String(value.eventTime) })).toBe(false);
    expect(valid({ ...value, eventTime: value.eventTime + 0.5 })).toBe(false);
  });

  test("webhookSchemaVersion is 1.0.0", () => {
    expect(valid({ ...value, webhookSchemaVersion: "1.1.0" })).toBe(false);
  });

  test("contactIdentity has id, email and userId, which may be null", () => {
    const identity = value.contactIdentity;
    expect(valid({ ...value, contactIdentity: { ...identity, userId: null } })).toBe(true);
    for (const field of ["id", "email", "userId"]) {
      expect(valid({ ...value, contactIdentity: without(identity, field) }), field).toBe(false);
    }
  });

  test("an email has id, emailMessageId and subject", () => {
    const delivered = example("emailDelivered");
    for (const field of ["id", "emailMessageId", "subject"]) {
      expect(
        isPayload("emailDelivered")({ ...delivered, email: without(delivered.email, field) }),
        field,
      ).toBe(false);
    }
  });

  test("a mailing list has id, name, description (or null) and isPublic; a list of them may be empty", () => {
    const joined = example("contactMailingListSubscribed");
    const validJoin = isPayload("contactMailingListSubscribed");
    expect(
      validJoin({ ...joined, mailingList: { ...joined.mailingList, description: null } }),
    ).toBe(true);
    for (const field of ["id", "name", "description", "isPublic"]) {
      expect(validJoin({ ...joined, mailingList: without(joined.mailingList, field) }), field).toBe(
        false,
      );
    }
    const sent = example("campaignEmailSent");
    expect(isPayload("campaignEmailSent")({ ...sent, mailingLists: [] })).toBe(true);
  });

  test("the created contact carries its custom properties, and no pending or rejected opt-in", () => {
    const created = example("contactCreated");
    const validCreated = isPayload("contactCreated");
    expect(created.contact.plan).toBe("pro");
    expect(
      validCreated({ ...created, contact: { ...created.contact, optInStatus: "accepted" } }),
    ).toBe(true);
    for (const optInStatus of ["pending", "rejected"]) {
      expect(
        validCreated({ ...created, contact: { ...created.contact, optInStatus } }),
        optInStatus,
      ).toBe(false);
    }
  });
});
