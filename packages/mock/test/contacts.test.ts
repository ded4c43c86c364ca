// The application endpoints' sandbox: contacts named by unique identifiers, their mailing lists,
// and events, per API key (spec/SANDBOX.md). Operations are found by their declarations; the
// field names are the contract's (Loops' facts), as a user's test would write them.
import { contract, type JsonObject, type Operation, operations } from "@loops-contract/spec";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMockFetch, type MockFetch } from "../dist/index.js";
import { type CopiedMock, copyMockServing } from "./support/copied-mock.js";
import {
  call,
  exampleBody,
  freshKey,
  operationFor,
  otherSeededListId,
  seededListId,
} from "./support/sandbox.js";

const create = operationFor("contact", "create");
const find = operationFor("contact", "find");
const remove = operationFor("contact", "delete");
const lists = operationFor("mailingList", "list");
function upsertOperation(logs: boolean): Operation {
  const found = operations.find(
    (operation) =>
      operation.sandbox?.action === "upsert" && (operation.sandbox.log !== undefined) === logs,
  );
  if (found === undefined) throw new Error("No such upsert");
  return found;
}
const update = upsertOperation(false);
const event = upsertOperation(true);

let mock: MockFetch;
beforeAll(async () => {
  mock = await createMockFetch();
});

const email = (name: string) => `${name}-${Math.random().toString(36).slice(2)}@example.com`;

async function found(key: string, query: Record<string, string>, on: MockFetch = mock) {
  const answer = await call(on, key, find, { query });
  expect(answer.status).toBe(200);
  return answer.body as unknown as Array<Record<string, unknown>>;
}

function exactlyOne(got: string): string {
  return `Invalid request: send exactly one of email, userId; got ${got}.`;
}

describe("contacts", () => {
  test("a created contact is found by email and by userId, with the defaults Loops' examples show", async () => {
    const key = freshKey();
    const address = email("new");
    const created = await call(mock, key, create, { body: { email: address, plan: "pro" } });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ success: true, id: expect.any(String) });
    const [contact, ...others] = await found(key, { email: address });
    expect(others).toEqual([]);
    expect(contact).toEqual({
      id: created.body.id,
      email: address,
      firstName: null,
      lastName: null,
      source: "API",
      subscribed: true,
      userGroup: "",
      userId: null,
      mailingLists: {},
      optInStatus: null,
      plan: "pro",
    });
    await call(mock, key, create, { body: { email: email("other"), userId: "u-42" } });
    expect((await found(key, { userId: "u-42" }))[0]?.userId).toBe("u-42");
  });

  test("email and userId are each unique per key: a second create is the documented 409 and stores nothing", async () => {
    const key = freshKey();
    const first = { email: email("dup"), userId: "u-dup" };
    expect((await call(mock, key, create, { body: first })).status).toBe(200);
    const conflict = exampleBody(create, 409, "contactExists");
    const sameEmail = await call(mock, key, create, { body: { email: first.email } });
    expect([sameEmail.status, sameEmail.body]).toEqual([409, conflict]);
    const sameUserId = { email: email("fresh"), userId: "u-dup" };
    const refused = await call(mock, key, create, { body: sameUserId });
    expect([refused.status, refused.body]).toEqual([409, conflict]);
    expect(await found(key, { email: sameUserId.email })).toEqual([]);
    // Another key is another team: the same email is free there.
    expect((await call(mock, freshKey(), create, { body: first })).status).toBe(200);
  });

  test("find takes exactly one identifier: both or neither is the documented 400; an unknown one is []", async () => {
    const key = freshKey();
    const both = await call(mock, key, find, { query: { email: "a@example.com", userId: "u" } });
    // The engine's x-exactly-one-of check answers before the sandbox, naming what was sent.
    expect([both.status, both.body]).toEqual([
      400,
      { success: false, message: exactlyOne("email and userId") },
    ]);
    const neither = await call(mock, key, find);
    expect([neither.status, neither.body]).toEqual([
      400,
      { success: false, message: exactlyOne("none") },
    ]);
    expect(await found(key, { email: email("nobody") })).toEqual([]);
  });

  test("update changes the contact it finds and creates one it does not; null clears a property", async () => {
    const key = freshKey();
    const address = email("upsert");
    const made = await call(mock, key, update, { body: { email: address, plan: "pro", seats: 3 } });
    expect(made.status).toBe(200);
    const again = await call(mock, key, update, {
      body: { email: address, userId: "u-up", lastName: "Lovelace", seats: null },
    });
    expect(again.body.id).toBe(made.body.id);
    const [contact] = await found(key, { userId: "u-up" });
    expect(contact).toMatchObject({ id: made.body.id, email: address, lastName: "Lovelace" });
    expect(contact).toHaveProperty("plan", "pro");
    expect(contact).not.toHaveProperty("seats");
    await call(mock, key, update, { body: { userId: "u-up", lastName: null } });
    expect((await found(key, { email: address }))[0]?.lastName).toBeNull();
  });

  test("update by an unknown userId alone cannot create; identifiers of two contacts are refused", async () => {
    const key = freshKey();
    const unknown = await call(mock, key, update, { body: { userId: "u-none", plan: "x" } });
    expect([unknown.status, unknown.body]).toEqual([
      400,
      exampleBody(update, 400, "contactNotFound"),
    ]);
    const [a, b] = [email("a"), email("b")];
    await call(mock, key, create, { body: { email: a, userId: "u-a" } });
    await call(mock, key, create, { body: { email: b, userId: "u-b" } });
    const mixed = await call(mock, key, update, { body: { email: a, userId: "u-b" } });
    expect([mixed.status, mixed.body]).toEqual([
      400,
      exampleBody(update, 400, "identifiersConflict"),
    ]);
    expect((await found(key, { email: a }))[0]?.userId).toBe("u-a");
  });

  test("delete takes one identifier; the contact is gone, a second delete is the documented 404", async () => {
    const key = freshKey();
    const address = email("gone");
    await call(mock, key, create, { body: { email: address, userId: "u-gone" } });
    const deleted = await call(mock, key, remove, { body: { userId: "u-gone" } });
    expect([deleted.status, deleted.body]).toEqual([200, exampleBody(remove, 200, "deleted")]);
    expect(await found(key, { email: address })).toEqual([]);
    const again = await call(mock, key, remove, { body: { email: address } });
    expect([again.status, again.body]).toEqual([404, exampleBody(remove, 404, "contactNotFound")]);
    // Its identifiers are free again.
    expect(
      (await call(mock, key, create, { body: { email: address, userId: "u-gone" } })).status,
    ).toBe(200);
    const both = await call(mock, key, remove, { body: { email: address, userId: "u-gone" } });
    expect(both.status).toBe(400);
  });

  test("the seeded contact the examples find can be deleted on one key only", async () => {
    const [key, other] = [freshKey(), freshKey()];
    const [seeded] = await found(key, { userId: "user_8Hq2" });
    expect(seeded).toBeDefined();
    await call(mock, key, remove, { body: { userId: "user_8Hq2" } });
    expect(await found(key, { userId: "user_8Hq2" })).toEqual([]);
    expect(await found(other, { userId: "user_8Hq2" })).toEqual([seeded]);
  });
});

describe("mailing lists", () => {
  test("are seeded from the examples; a contact shows only the lists it is on", async () => {
    const key = freshKey();
    const listed = await call(mock, key, lists);
    const ids = (listed.body as unknown as Array<{ id: string }>).map((list) => list.id);
    expect(ids).toEqual(expect.arrayContaining([seededListId, otherSeededListId]));
    const address = email("lists");
    await call(mock, key, create, {
      body: { email: address, mailingLists: { [seededListId]: true, [otherSeededListId]: false } },
    });
    expect((await found(key, { email: address }))[0]?.mailingLists).toEqual({
      [seededListId]: true,
    });
    await call(mock, key, update, {
      body: { email: address, mailingLists: { [seededListId]: false, [otherSeededListId]: true } },
    });
    expect((await found(key, { email: address }))[0]?.mailingLists).toEqual({
      [otherSeededListId]: true,
    });
  });

  test("a list id the key does not have is refused in a contact and an event, storing nothing", async () => {
    const key = freshKey();
    const address = email("badlist");
    const mailingLists = { "no-such-list": true };
    const created = await call(mock, key, create, { body: { email: address, mailingLists } });
    expect([created.status, created.body]).toEqual([
      400,
      exampleBody(create, 400, "mailingListNotFound"),
    ]);
    const sent = await call(mock, key, event, {
      body: { email: address, eventName: "signup", mailingLists },
    });
    expect([sent.status, sent.body]).toEqual([400, exampleBody(event, 400, "mailingListNotFound")]);
    expect(await found(key, { email: address })).toEqual([]);
    expect(mock.log(key)).toEqual([]);
  });
});

describe("events", () => {
  test("are recorded per key with their properties; contact properties update the contact", async () => {
    const key = freshKey();
    const address = email("event");
    const sent = await call(mock, key, event, {
      body: {
        email: address,
        eventName: "signup",
        eventProperties: { plan: "pro", seats: 3 },
        firstName: "Ada",
        plan: "pro",
      },
    });
    expect([sent.status, sent.body]).toEqual([200, exampleBody(event, 200, "sent")]);
    const [contact] = await found(key, { email: address });
    expect(contact).toMatchObject({ firstName: "Ada", plan: "pro", source: "API" });
    expect(contact).not.toHaveProperty("eventName");
    expect(contact).not.toHaveProperty("eventProperties");
    expect(mock.log(key)).toEqual([
      {
        operationId: event.operationId,
        at: expect.any(String),
        recordId: contact?.id,
        eventName: "signup",
        eventProperties: { plan: "pro", seats: 3 },
      },
    ]);
    const [entry] = mock.log(key);
    expect(Math.abs(Date.parse(String(entry?.at)) - mock.now(key))).toBeLessThan(5_000);
    expect(mock.log(freshKey())).toEqual([]);
  });

  test("an event naming only an unknown userId is the documented 400 and records nothing", async () => {
    const key = freshKey();
    const refused = await call(mock, key, event, {
      body: { userId: "u-unknown", eventName: "signup" },
    });
    expect([refused.status, refused.body]).toEqual([
      400,
      exampleBody(event, 400, "contactNotFound"),
    ]);
    expect(mock.log(key)).toEqual([]);
  });
});

describe("bounded", () => {
  test("contacts and log entries per key are capped, oldest first; an evicted contact's email is free", async () => {
    const small = await createMockFetch({ limits: { recordsPerKey: 3 } });
    const key = freshKey();
    const addresses = [1, 2, 3, 4].map((n) => email(`cap${n}`));
    for (const address of addresses) {
      await call(small, key, event, { body: { email: address, eventName: "e" } });
    }
    expect(await found(key, { email: addresses[0] as string }, small)).toEqual([]);
    expect(await found(key, { email: addresses[3] as string }, small)).toHaveLength(1);
    expect(small.log(key).map((entry) => entry.recordId)).toHaveLength(3);
    const again = await call(small, key, create, { body: { email: addresses[0] } });
    expect(again.status).toBe(200);
  });
});

describe("contact properties", () => {
  const createProperty = operationFor("contactProperty", "create");
  const listProperties = operationFor("contactProperty", "list");
  const listed = async (key: string, query?: Record<string, string>) =>
    (await call(mock, key, listProperties, query ? { query } : {})).body as unknown as Array<{
      key: string;
      type: string;
    }>;

  test("a created property is listed with its type; list=custom hides the built-in ones", async () => {
    const key = freshKey();
    const created = await call(mock, key, createProperty, {
      body: { name: "favouriteColour", type: "string" },
    });
    expect([created.status, created.body]).toEqual([
      200,
      exampleBody(createProperty, 200, "created"),
    ]);
    const all = await listed(key);
    expect(all[0]).toEqual({ key: "favouriteColour", label: "favouriteColour", type: "string" });
    expect(all.map((property) => property.key)).toContain("firstName");
    const custom = (await listed(key, { list: "custom" })).map((property) => property.key);
    expect(custom).toContain("favouriteColour");
    expect(custom).not.toContain("firstName");
    expect(custom).not.toContain("email");
    expect((await listed(freshKey(), { list: "custom" })).map((p) => p.key)).not.toContain(
      "favouriteColour",
    );
  });

  test("a duplicate name, a built-in one included, is the documented 400; a reserved name is refused", async () => {
    const key = freshKey();
    const body = { name: "renewal", type: "date" };
    expect((await call(mock, key, createProperty, { body })).status).toBe(200);
    const exists = exampleBody(createProperty, 400, "propertyExists");
    const again = await call(mock, key, createProperty, { body: { ...body, type: "string" } });
    expect([again.status, again.body]).toEqual([400, exists]);
    const builtIn = await call(mock, key, createProperty, {
      body: { name: "email", type: "string" },
    });
    expect([builtIn.status, builtIn.body]).toEqual([400, exists]);
    const reserved = await call(mock, key, createProperty, {
      body: { name: "teamId", type: "string" },
    });
    expect([reserved.status, reserved.body]).toEqual([
      400,
      exampleBody(createProperty, 400, "reservedName"),
    ]);
    expect((await listed(key)).filter((property) => property.key === "renewal")).toHaveLength(1);
  });
});

describe("suppression", () => {
  const status = operationFor("contact", "flagStatus");
  const lift = operationFor("contact", "unflag");
  const suppressedExample = exampleBody(status, 200, "suppressed") as {
    contact: { email: string };
    removalQuota: { limit: number };
  };
  const seeded = { email: suppressedExample.contact.email };
  const limit = suppressedExample.removalQuota.limit;

  test("the seeded contact is suppressed; a removal answers the quota and lowers it, per key", async () => {
    const key = freshKey();
    const before = await call(mock, key, status, { query: seeded });
    expect(before.body).toMatchObject({
      isSuppressed: true,
      removalQuota: { limit, remaining: limit },
    });
    const removed = await call(mock, key, lift, { query: seeded });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ success: true, removalQuota: { remaining: limit - 1 } });
    const after = await call(mock, key, status, { query: seeded });
    expect(after.body).toMatchObject({
      isSuppressed: false,
      removalQuota: { remaining: limit - 1 },
    });
    const [contact] = await found(key, seeded);
    expect(after.body.contact).toEqual({
      id: contact?.id,
      email: contact?.email,
      userId: contact?.userId,
    });
    const other = await call(mock, freshKey(), status, { query: seeded });
    expect(other.body).toMatchObject({ isSuppressed: true, removalQuota: { remaining: limit } });
  });

  test("a contact that is not suppressed, and an unknown one, get the documented 400 and 404", async () => {
    const key = freshKey();
    const address = email("clean");
    await call(mock, key, create, { body: { email: address } });
    const clean = await call(mock, key, lift, { query: { email: address } });
    expect([clean.status, clean.body]).toEqual([400, exampleBody(lift, 400, "notSuppressed")]);
    const unknown = await call(mock, key, status, { query: { email: email("nobody") } });
    expect([unknown.status, unknown.body]).toEqual([
      404,
      exampleBody(status, 404, "contactNotFound"),
    ]);
    const both = await call(mock, key, lift, { query: { email: address, userId: "u" } });
    expect([both.status, both.body]).toEqual([
      400,
      { success: false, message: exactlyOne("email and userId") },
    ]);
  });

  test("a removal counts for a rolling 30 days of the key's clock", async () => {
    const key = freshKey();
    await call(mock, key, lift, { query: seeded });
    mock.advanceClock(key, 30 * 24 * 60 * 60 * 1000 - 60_000);
    const within = await call(mock, key, status, { query: seeded });
    expect(within.body).toMatchObject({ removalQuota: { remaining: limit - 1 } });
    mock.advanceClock(key, 120_000);
    const after = await call(mock, key, status, { query: seeded });
    expect(after.body).toMatchObject({ removalQuota: { remaining: limit } });
  });

  describe("with no removals left", () => {
    // Each key's seed has one suppressed contact, so the contract's quota can never be spent
    // down: a copy of the contract whose limit is 0 makes the first removal the one past it.
    let copy: CopiedMock | undefined;
    beforeAll(async () => {
      const document = structuredClone(contract);
      const resources = (document["x-sandbox-model"] as { resources: Record<string, JsonObject> })
        .resources;
      (resources.contact?.flag as JsonObject).limit = 0;
      copy = await copyMockServing(document);
    });
    afterAll(() => copy?.remove());

    test("a removal is refused with the documented 400 and changes nothing", async () => {
      if (copy === undefined) throw new Error("The copied mock is not loaded");
      const spent = await copy.mock.createMockFetch();
      const key = freshKey();
      const stillSuppressed = [
        200,
        { ...suppressedExample, removalQuota: { limit: 0, remaining: 0 } },
      ];
      const before = await call(spent, key, status, { query: seeded });
      expect([before.status, before.body]).toEqual(stillSuppressed);
      const refused = await call(spent, key, lift, { query: seeded });
      expect([refused.status, refused.body]).toEqual([400, exampleBody(lift, 400, "quotaUsed")]);
      const after = await call(spent, key, status, { query: seeded });
      expect([after.status, after.body]).toEqual(stillSuppressed);
    });
  });
});
