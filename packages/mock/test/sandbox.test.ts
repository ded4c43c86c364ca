// The sandbox's promises, one test each, through the in-process fetch (the same engine the HTTP
// server runs). Every test takes a key of its own, so nothing one test stores reaches another.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createAjv, type JsonObject, operations, validatorAt } from "@loops-contract/spec";
import { beforeAll, describe, expect, test } from "vitest";
import { createMockFetch, type MockFetch } from "../dist/index.js";
import { oneOfGroup } from "./support/requests.js";
import {
  call,
  exampleBody,
  freshKey,
  model,
  operationFor,
  otherSeededListId,
  productionUrl,
  seededListId,
} from "./support/sandbox.js";

/** A resource's create, read, update and list operations, found by the contract's declarations. */
function operationsOf(resource: string) {
  return {
    get create() {
      return operationFor(resource, "create");
    },
    get get() {
      return operationFor(resource, "read");
    },
    get update() {
      return operationFor(resource, "update");
    },
    get list() {
      return operationFor(resource, "list");
    },
  };
}
const campaigns = operationsOf("campaign");
const messages = operationsOf("emailMessage");
const groups = operationsOf("campaignGroup");
const segments = operationsOf("audienceSegment");
const inspections = operations.filter(
  (operation) =>
    operation.sandbox?.resource === "emailMessage" && operation.sandbox.action === "inspect",
);
const preview = inspections.find((operation) => operation.sandbox?.dailyQuota !== undefined);
const guardian = inspections.find((operation) => operation.sandbox?.dailyQuota === undefined);

const day = 24 * 60 * 60 * 1000;
// yaml is the spec module's dependency, not the mock's.
const requireFromSpec = createRequire(
  createRequire(import.meta.url).resolve("@loops-contract/spec"),
);
const inADay = (mock: MockFetch, key: string) =>
  new Date(mock.advanceClock(key, 0) + day).toISOString();
const filter = {
  match: "all",
  conditions: [{ type: "property", key: "plan", operator: "equals", value: "pro" }],
};

let mock: MockFetch;
beforeAll(async () => {
  mock = await createMockFetch();
});

async function created(key: string, body: object = { name: "Q3 launch" }) {
  const answer = await call(mock, key, campaigns.create, { body });
  expect(answer.status).toBe(201);
  return answer.body;
}

describe("the key", () => {
  test("state is keyed by the Bearer token: the scheme in any case, the token trimmed", async () => {
    const key = freshKey();
    const campaign = await created(key);
    for (const authorization of [`bearer ${key}`, `BEARER   ${key}  `, `Bearer\t${key}`]) {
      const read = await call(mock, key, campaigns.get, {
        id: String(campaign.id),
        headers: { authorization },
      });
      expect(read.status, authorization).toBe(200);
    }
    expect((await call(mock, freshKey(), campaigns.get, { id: String(campaign.id) })).status).toBe(
      404,
    );
  });

  test("the contract's security scheme holds for every request, after a key was let in too", async () => {
    const key = freshKey();
    await created(key);
    for (const authorization of [`Basic ${key}`, "Bearer ", "Bearer", key]) {
      const refused = await call(mock, key, campaigns.list, { headers: { authorization } });
      expect(refused.status, authorization).toBe(401);
    }
    expect((await call(mock, key, campaigns.list)).status).toBe(200);
  });

  test("the key is never echoed, in a body or a header", async () => {
    const key = `${freshKey()}-secret`;
    const answers = [
      await call(mock, key, campaigns.get, { id: "does-not-exist" }),
      await call(mock, key, campaigns.create, { body: { name: key, campaignGroupId: "nope" } }),
    ];
    for (const answer of answers) {
      expect(answer.text).not.toContain(key);
      expect([...answer.headers.values()].join(" ")).not.toContain(key);
    }
  });

  test("reset(key) returns one key to its seed, and reset() every key", async () => {
    const [one, two] = [freshKey(), freshKey()];
    const first = await created(one);
    const second = await created(two);
    mock.reset(one);
    expect((await call(mock, one, campaigns.get, { id: String(first.id) })).status).toBe(404);
    expect((await call(mock, two, campaigns.get, { id: String(second.id) })).status).toBe(200);
    mock.reset();
    expect((await call(mock, two, campaigns.get, { id: String(second.id) })).status).toBe(404);
  });
});

describe("the seed", () => {
  test("every key gets its own copy: one key's change to an example id is invisible to others", async () => {
    const [one, two] = [freshKey(), freshKey()];
    const page = await call(mock, one, campaigns.list, { query: { perPage: "50" } });
    const draft = (page.body.data as Array<Record<string, unknown>>).find(
      (c) => c.status === "Draft",
    );
    const id = String(draft?.id);
    await call(mock, one, campaigns.update, { id, body: { name: "Renamed by one" } });
    expect((await call(mock, one, campaigns.get, { id })).body.name).toBe("Renamed by one");
    expect((await call(mock, two, campaigns.get, { id })).body.name).toBe(draft?.name);
  });

  test("is the records of the list examples, totals true, newest first, times moved to the key's clock", async () => {
    const key = freshKey();
    const now = mock.advanceClock(key, 0);
    const page = await call(mock, key, campaigns.list, { query: { perPage: "50" } });
    const listed = page.body.data as Array<Record<string, unknown>>;
    const example = campaigns.list.responses[0]?.body?.examples ?? [];
    const exampleIds = new Set(
      example.flatMap((e) =>
        ((e.value as { data: Array<{ id: string }> }).data ?? []).map((c) => c.id),
      ),
    );
    expect(new Set(listed.map((c) => c.id))).toEqual(exampleIds);
    expect((page.body.pagination as { totalResults: number }).totalResults).toBe(exampleIds.size);
    const created = listed.map((c) => Date.parse(String(c.createdAt)));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    // The examples were written at examplesNow: the newest seed keeps its distance to it.
    const newestExample = Math.max(
      ...example.flatMap((e) =>
        (e.value as { data: Array<{ createdAt: string }> }).data.map((c) =>
          Date.parse(c.createdAt),
        ),
      ),
    );
    const distance = Date.parse(model.examplesNow) - newestExample;
    expect(Math.abs(now - distance - (created[0] as number))).toBeLessThan(5_000);
    for (const campaign of listed.filter((c) => c.status === "Scheduled")) {
      const at = Date.parse(String((campaign.scheduling as { timestamp: string }).timestamp));
      expect(at, String(campaign.id)).toBeGreaterThan(now);
    }
  });

  test("every campaign's message exists and points back at it", async () => {
    const key = freshKey();
    const page = await call(mock, key, campaigns.list, { query: { perPage: "50" } });
    for (const campaign of page.body.data as Array<Record<string, unknown>>) {
      const message = await call(mock, key, messages.get, { id: String(campaign.emailMessageId) });
      expect(message.status, String(campaign.id)).toBe(200);
      expect(message.body.campaignId).toBe(campaign.id);
    }
  });

  test("empty: a new team has the Unsorted group and nothing else, so no mailing list a campaign could name", async () => {
    const empty = await createMockFetch({ empty: true });
    const key = freshKey();
    const listed = await call(empty, key, groups.list);
    expect((listed.body.data as Array<{ name: string }>).map((g) => g.name)).toEqual(["Unsorted"]);
    expect((await call(empty, key, campaigns.list)).body.data).toEqual([]);
    expect((await call(empty, key, segments.list)).body.data).toEqual([]);
    const campaign = await call(empty, key, campaigns.create, {
      body: { name: "To a list", mailingListId: seededListId },
    });
    expect(campaign.status).toBe(404);
    expect(campaign.body).toEqual(exampleBody(campaigns.create, 404, "mailingListNotFound"));
  });
});

describe("create, then get", () => {
  test("a get returns what was created: the request's fields, a fresh id, times from the key's clock", async () => {
    const key = freshKey();
    const later = mock.advanceClock(key, 3 * day);
    const campaign = await created(key, { name: "Q3 launch", mailingListId: seededListId });
    expect(Math.abs(Date.parse(String(campaign.createdAt)) - later)).toBeLessThan(5_000);
    expect(campaign.updatedAt).toBe(campaign.createdAt);
    const read = await call(mock, key, campaigns.get, { id: String(campaign.id) });
    const { emailMessageContentRevisionId: _, ...withoutRevision } = campaign;
    expect(read.body).toEqual(withoutRevision);
    expect(read.body).not.toHaveProperty("emailMessageContentRevisionId");
    expect(campaign.id).not.toBe((await created(key)).id);
  });

  test("derived fields are the model's templates filled in from the new record, and a get keeps them", async () => {
    const key = freshKey();
    const campaign = await created(key);
    const derived = Object.entries(model.resources.campaign?.derived ?? {});
    expect(derived.length).toBeGreaterThan(0);
    const read = await call(mock, key, campaigns.get, { id: String(campaign.id) });
    for (const [field, template] of derived) {
      const expected = template.replace(/\{(\w+)\}/g, (_, name: string) => String(campaign[name]));
      expect(expected).not.toMatch(/[{}]/);
      expect(campaign[field], field).toBe(expected);
      expect(read.body[field], field).toBe(expected);
    }
  });

  test("omitted fields take what a new team sees: Unsorted's id, null where nullable, a draft", async () => {
    const key = freshKey();
    const unsorted = (await call(mock, key, groups.list, { query: { perPage: "50" } })).body
      .data as Array<Record<string, unknown>>;
    const campaign = await created(key);
    expect(campaign).toMatchObject({
      status: "Draft",
      campaignGroupId: unsorted.find((g) => g.name === "Unsorted")?.id,
      mailingListId: null,
      audienceSegmentId: null,
      audienceFilter: null,
      scheduling: { method: "now", timestamp: null },
    });
  });

  test("a campaign comes with its empty message, whose first revision the create answered", async () => {
    const key = freshKey();
    const campaign = await created(key);
    const message = await call(mock, key, messages.get, { id: String(campaign.emailMessageId) });
    expect(message.body).toMatchObject({
      campaignId: campaign.id,
      contentRevisionId: campaign.emailMessageContentRevisionId,
      subject: "",
      lmx: "",
    });
  });
});

describe("updates", () => {
  test("a segment clears the filter, a filter clears the segment, both together keep both", async () => {
    const key = freshKey();
    const segment = String(
      ((await call(mock, key, segments.list)).body.data as Array<{ id: string }>)[0]?.id,
    );
    const id = String((await created(key)).id);
    const withFilter = await call(mock, key, campaigns.update, {
      id,
      body: { audienceFilter: filter },
    });
    expect(withFilter.body).toMatchObject({ audienceFilter: filter, audienceSegmentId: null });
    const withSegment = await call(mock, key, campaigns.update, {
      id,
      body: { audienceSegmentId: segment },
    });
    expect(withSegment.body).toMatchObject({ audienceSegmentId: segment, audienceFilter: null });
    const both = await call(mock, key, campaigns.update, {
      id,
      body: { audienceSegmentId: segment, audienceFilter: filter },
    });
    expect(both.body).toMatchObject({ audienceSegmentId: segment, audienceFilter: filter });
    const renamed = await call(mock, key, campaigns.update, {
      id,
      body: { name: "Kept audience" },
    });
    expect(renamed.body).toMatchObject({ audienceSegmentId: segment, audienceFilter: filter });
  });

  test("fallback maps: a string sets, null deletes, an absent name keeps", async () => {
    const key = freshKey();
    const campaign = await created(key);
    const id = String(campaign.emailMessageId);
    await call(mock, key, messages.update, {
      id,
      body: { contactPropertiesFallbacks: { firstName: "there", company: "your team" } },
    });
    const changed = await call(mock, key, messages.update, {
      id,
      body: { contactPropertiesFallbacks: { company: null, plan: "free" } },
    });
    expect(changed.body.contactPropertiesFallbacks).toEqual({ firstName: "there", plan: "free" });
    const read = await call(mock, key, messages.get, { id });
    expect(read.body.contactPropertiesFallbacks).toEqual({ firstName: "there", plan: "free" });
  });

  test("Unsorted cannot be edited and no group may take its name; segment names are unique", async () => {
    const key = freshKey();
    const listed = (await call(mock, key, groups.list, { query: { perPage: "50" } })).body
      .data as Array<Record<string, unknown>>;
    const unsorted = String(listed.find((g) => g.name === "Unsorted")?.id);
    const refused = await call(mock, key, groups.update, {
      id: unsorted,
      body: { description: "x" },
    });
    expect(refused.status).toBe(model.resources.campaignGroup?.reserved?.status);
    expect(refused.body).toEqual(exampleBody(groups.update, refused.status, "unsortedGroup"));
    expect((await call(mock, key, groups.create, { body: { name: "Unsorted" } })).status).toBe(400);
    const taken = String(
      ((await call(mock, key, segments.list)).body.data as Array<{ name: string }>)[0]?.name,
    );
    const duplicate = await call(mock, key, segments.create, { body: { name: taken, filter } });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body).toEqual(exampleBody(segments.create, 400, "duplicateName"));
    const fresh = await call(mock, key, segments.create, {
      body: { name: `${taken} (copy)`, filter },
    });
    expect(fresh.status).toBe(200);
    expect((await call(mock, key, segments.list)).body.data).toContainEqual(fresh.body);
  });

  test("an lmx over 100 KB is a 413 and stores nothing; updatedAt moves and createdAt stays", async () => {
    const key = freshKey();
    const campaign = await created(key);
    const id = String(campaign.emailMessageId);
    const before = await call(mock, key, messages.get, { id });
    const tooLarge = await call(mock, key, messages.update, {
      id,
      body: { lmx: "x".repeat(100 * 1024 + 1) },
    });
    expect(tooLarge.status).toBe(413);
    expect((await call(mock, key, messages.get, { id })).body).toEqual(before.body);
    expect(
      (await call(mock, key, messages.update, { id, body: { lmx: "x".repeat(100 * 1024) } }))
        .status,
    ).toBe(200);
    mock.advanceClock(key, 60_000);
    const renamed = await call(mock, key, campaigns.update, {
      id: String(campaign.id),
      body: { name: "New name" },
    });
    expect(renamed.body.createdAt).toBe(campaign.createdAt);
    expect(Date.parse(String(renamed.body.updatedAt))).toBeGreaterThanOrEqual(
      Date.parse(String(campaign.updatedAt)) + 60_000,
    );
  });
});

describe("revisions", () => {
  test("a stale expectedRevisionId is a 409 naming it, that changes nothing; success issues a new revision", async () => {
    const key = freshKey();
    const campaign = await created(key);
    const id = String(campaign.emailMessageId);
    const first = String(campaign.emailMessageContentRevisionId);
    const updated = await call(mock, key, messages.update, {
      id,
      body: { expectedRevisionId: first, subject: "One" },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.contentRevisionId).not.toBe(first);
    const stale = await call(mock, key, messages.update, {
      id,
      body: { expectedRevisionId: first, subject: "Two" },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toContain(first);
    expect((await call(mock, key, messages.get, { id })).body).toMatchObject({
      subject: "One",
      contentRevisionId: updated.body.contentRevisionId,
    });
  });

  test("of two concurrent updates on one revision exactly one succeeds", async () => {
    const key = freshKey();
    const campaign = await created(key);
    const id = String(campaign.emailMessageId);
    const expectedRevisionId = String(campaign.emailMessageContentRevisionId);
    const answers = await Promise.all(
      ["A", "B"].map((subject) =>
        call(mock, key, messages.update, { id, body: { expectedRevisionId, subject } }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
  });

  test("an update without expectedRevisionId is accepted unguarded", async () => {
    const key = freshKey();
    const campaign = await created(key);
    const id = String(campaign.emailMessageId);
    await call(mock, key, messages.update, { id, body: { subject: "One" } });
    expect((await call(mock, key, messages.update, { id, body: { subject: "Two" } })).status).toBe(
      200,
    );
  });
});

describe("unknown ids", () => {
  test("an id never created is a 404 on every operation that takes one", async () => {
    const key = freshKey();
    for (const operation of operations.filter((o) => o.pathParameters.length > 0)) {
      const body = operation.requestBody?.examples[0]?.value;
      const answer = await call(mock, key, operation, { id: "never-created", body });
      expect(answer.status, operation.operationId).toBe(404);
    }
  });

  test("a segment that does not exist is a 404, a group that does not exist a 400, and neither stores anything", async () => {
    const key = freshKey();
    const before = (await call(mock, key, campaigns.list)).body.pagination;
    const segment = await call(mock, key, campaigns.create, {
      body: { name: "x", audienceSegmentId: "nope" },
    });
    expect(segment.body).toEqual(exampleBody(campaigns.create, 404, "audienceSegmentNotFound"));
    const group = await call(mock, key, campaigns.create, {
      body: { name: "x", campaignGroupId: "nope" },
    });
    expect(group.status).toBe(400);
    expect(group.body).toEqual(exampleBody(campaigns.create, 400, "campaignGroupNotFound"));
    expect((await call(mock, key, campaigns.list)).body.pagination).toEqual(before);
  });
});

describe("lists", () => {
  test("perPage is honoured, totals are true, nextCursor and nextPage lead on and are null on the last page", async () => {
    const key = freshKey();
    for (let index = 0; index < 14; index += 1) await created(key, { name: `Campaign ${index}` });
    const first = await call(mock, key, campaigns.list, { query: { perPage: "10" } });
    const total = (first.body.pagination as { totalResults: number }).totalResults;
    expect(first.body.pagination).toMatchObject({
      returnedResults: 10,
      perPage: 10,
      totalPages: Math.ceil(total / 10),
    });
    const seen = [...(first.body.data as Array<{ id: string }>)];
    let pagination = first.body.pagination as {
      nextCursor: string | null;
      nextPage: string | null;
    };
    while (pagination.nextCursor !== null) {
      expect(pagination.nextPage).toBe(
        `${productionUrl}${campaigns.list.path}?perPage=10&cursor=${pagination.nextCursor}`,
      );
      const next = await mock(String(pagination.nextPage), {
        headers: { authorization: `Bearer ${key}` },
      });
      const body = (await next.json()) as {
        data: Array<{ id: string }>;
        pagination: typeof pagination;
      };
      seen.push(...body.data);
      pagination = body.pagination;
    }
    expect(pagination.nextPage).toBeNull();
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((c) => c.id)).size).toBe(total);
  });

  test("newest first, ties to the later create; a cursor holds while items are created during an iteration", async () => {
    const key = freshKey();
    const made = [];
    for (let index = 0; index < 12; index += 1)
      made.push(String((await created(key, { name: `C${index}` })).id));
    const first = await call(mock, key, campaigns.list, { query: { perPage: "10" } });
    expect((first.body.data as Array<{ id: string }>).map((c) => c.id)).toEqual(
      made.slice(2).reverse(),
    );
    await created(key, { name: "Created mid-iteration" });
    const cursor = String((first.body.pagination as { nextCursor: string }).nextCursor);
    const second = await call(mock, key, campaigns.list, { query: { perPage: "10", cursor } });
    expect((second.body.data as Array<{ id: string }>).slice(0, 2).map((c) => c.id)).toEqual(
      made.slice(0, 2).reverse(),
    );
  });

  test("an unreadable cursor is a 400", async () => {
    const answer = await call(mock, freshKey(), campaigns.list, {
      query: { cursor: "clz2k6b8d016yl70z7a8b9c0d" },
    });
    expect(answer.status).toBe(model.pagination.invalidCursor.status);
    expect(answer.body).toEqual(
      exampleBody(campaigns.list, 400, model.pagination.invalidCursor.example),
    );
  });
});

describe("scheduling", () => {
  test("a timestamp not after the key's clock is a 400, on create and update", async () => {
    const key = freshKey();
    const now = new Date(mock.advanceClock(key, 0)).toISOString();
    const refused = await call(mock, key, campaigns.create, {
      body: { name: "Late", scheduling: { method: "schedule", timestamp: now } },
    });
    expect(refused.status).toBe(400);
    // The example's message, then the key's clock (clock.test.ts reads it).
    const { message } = exampleBody(campaigns.create, 400, "scheduleInPast") as { message: string };
    expect(String(refused.body.message)).toContain(message.replace(/\.$/, ""));
    expect(String(refused.body.message)).toContain(now.slice(0, 10));
    const id = String((await created(key)).id);
    const update = await call(mock, key, campaigns.update, {
      id,
      body: { scheduling: { method: "schedule", timestamp: "2020-01-01T00:00:00.000Z" } },
    });
    expect(update.status).toBe(400);
  });

  test("a schedule set at create is stored and shown on a draft that never sends; an update with it publishes it", async () => {
    const key = freshKey();
    const scheduling = { method: "schedule", timestamp: inADay(mock, key) };
    const draft = await created(key, { name: "Set at create", scheduling });
    expect(draft).toMatchObject({ status: "Draft", scheduling });
    const id = String(draft.id);
    mock.advanceClock(key, 2 * day);
    expect((await call(mock, key, campaigns.get, { id })).body).toMatchObject({
      status: "Draft",
      scheduling,
    });
    const later = { method: "schedule", timestamp: inADay(mock, key) };
    const published = await call(mock, key, campaigns.update, { id, body: { scheduling: later } });
    expect(published.body).toMatchObject({ status: "Scheduled", scheduling: later });
  });

  test("a future schedule reads Scheduled, then Sending and Sent once the clock passes it", async () => {
    const key = freshKey();
    const id = String((await created(key)).id);
    const timestamp = inADay(mock, key);
    const scheduled = await call(mock, key, campaigns.update, {
      id,
      body: { scheduling: { method: "schedule", timestamp } },
    });
    expect(scheduled.body.status).toBe("Scheduled");
    mock.advanceClock(key, day - 1_000);
    expect((await call(mock, key, campaigns.get, { id })).body.status).toBe("Scheduled");
    mock.advanceClock(key, 1_000);
    expect((await call(mock, key, campaigns.get, { id })).body.status).toBe("Sending");
    mock.advanceClock(key, 1_000);
    expect((await call(mock, key, campaigns.get, { id })).body.status).toBe("Sent");
  });

  test("now reads Sending, then Sent a second later on the key's clock", async () => {
    const key = freshKey();
    const id = String((await created(key)).id);
    const sending = await call(mock, key, campaigns.update, {
      id,
      body: { scheduling: { method: "now" } },
    });
    expect(sending.body).toMatchObject({
      status: "Sending",
      scheduling: { method: "now", timestamp: null },
    });
    mock.advanceClock(key, 1_000);
    expect((await call(mock, key, campaigns.get, { id })).body.status).toBe("Sent");
  });

  test("a Sent campaign takes only name and group (a repeat of its values is a 200); its message takes nothing", async () => {
    const key = freshKey();
    const campaign = await created(key);
    const id = String(campaign.id);
    await call(mock, key, campaigns.update, { id, body: { scheduling: { method: "now" } } });
    const messageUpdate = await call(mock, key, messages.update, {
      id: String(campaign.emailMessageId),
      body: { subject: "Too late" },
    });
    expect(messageUpdate.status).toBe(409);
    expect(messageUpdate.body).toEqual(exampleBody(messages.update, 409, "campaignNotDraft"));
    mock.advanceClock(key, 1_000);
    const refused = await call(mock, key, campaigns.update, {
      id,
      body: { mailingListId: otherSeededListId },
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual(exampleBody(campaigns.update, 409, "alreadySent"));
    expect(
      (
        await call(mock, key, campaigns.update, {
          id,
          body: { mailingListId: null, scheduling: { method: "now" } },
        })
      ).status,
    ).toBe(200);
    const renamed = await call(mock, key, campaigns.update, {
      id,
      body: { name: "Sent, renamed" },
    });
    expect(renamed.body).toMatchObject({ status: "Sent", name: "Sent, renamed" });
  });
});

describe("previews and Guardian", () => {
  test("the 101st preview of a key's day is the contract's 429 with requests left; refused ones do not count", async () => {
    if (preview === undefined) throw new Error("No operation declares a daily quota");
    const quota = preview.sandbox?.dailyQuota;
    const key = freshKey();
    const id = String((await created(key)).emailMessageId);
    const body = preview.requestBody?.examples[0]?.value;
    expect((await call(mock, key, preview, { id: "never-created", body })).status).toBe(404);
    for (let index = 0; index < (quota?.limit ?? 0); index += 1) {
      expect((await call(mock, key, preview, { id, body })).status, `preview ${index + 1}`).toBe(
        200,
      );
    }
    const refused = await call(mock, key, preview, { id, body });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual(exampleBody(preview, 429, String(quota?.example)));
    expect(Number(refused.headers.get("x-ratelimit-remaining"))).toBeGreaterThan(0);
    expect(
      (
        await call(mock, freshKey(), preview, {
          id: String((await created(key)).emailMessageId),
          body,
        })
      ).status,
    ).toBe(404);
    mock.advanceClock(key, day);
    expect((await call(mock, key, preview, { id, body })).status).toBe(200);
  });

  test("Guardian answers clean for a stored message, with its id where the answer has one", async () => {
    if (guardian === undefined) throw new Error("No inspection without a quota");
    const key = freshKey();
    const id = String((await created(key)).emailMessageId);
    const answer = await call(mock, key, guardian, { id });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(exampleBody(guardian, 200, String(guardian.sandbox?.answer)));
  });
});

describe("Prefer and refusals change nothing", () => {
  test("Prefer: code= or example= answers as if stateless and stores nothing, even a forced success", async () => {
    const key = freshKey();
    const before = (await call(mock, key, campaigns.list)).body.pagination;
    for (const prefer of ["code=201", "example=sendNow", "code=400"]) {
      await call(mock, key, campaigns.create, { body: { name: "Forced" }, headers: { prefer } });
    }
    expect((await call(mock, key, campaigns.list)).body.pagination).toEqual(before);
  });
});

describe("the test clock over HTTP", () => {
  // The controls' own OpenAPI document, kept out of the contract: every answer must fit it.
  const controls = requireFromSpec("yaml").parse(
    readFileSync(new URL("../openapi/sandbox.yaml", import.meta.url), "utf8"),
  ) as JsonObject;
  const controlAjv = createAjv({}, controls);
  const fits = (status: number, body: unknown) => {
    const name = status === 200 ? "Clock" : "Error";
    const validate = controlAjv.compile({
      $ref: `contract#/components/responses/${name}/content/application~1json/schema`,
    });
    return validate(body);
  };
  const control = async (action: string, init: RequestInit = {}) => {
    const response = await mock(`${productionUrl}/_sandbox/${action}`, { method: "POST", ...init });
    const body = await response.json();
    expect(fits(response.status, body), JSON.stringify(body)).toBe(true);
    return { status: response.status, body: body as { now?: string } };
  };

  test("advance-clock and reset under the reserved prefix, authorised by the key's own token", async () => {
    const key = freshKey();
    const id = String((await created(key)).id);
    const authorization = `Bearer ${key}`;
    const before = mock.advanceClock(key, 0);
    const advanced = await control("advance-clock", {
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify({ milliseconds: day }),
    });
    expect(advanced.status).toBe(200);
    expect(Date.parse(String(advanced.body.now)) - before).toBeGreaterThanOrEqual(day);
    for (const body of ['{"milliseconds":-1}', '{"milliseconds":1.5}', "[]", "not json"]) {
      expect(
        (await control("advance-clock", { headers: { authorization }, body })).status,
        body,
      ).toBe(400);
    }
    expect((await control("reset")).status).toBe(401);
    expect((await control("rewind", { headers: { authorization } })).status).toBe(404);
    // A state change without JSON is what a cross-site form sends: refused, nothing reset.
    for (const type of [undefined, "application/x-www-form-urlencoded", "text/plain"]) {
      const headers = { authorization, ...(type ? { "content-type": type } : {}) };
      const refused = await control("reset", { headers });
      expect(refused.status, type).toBe(400);
      expect(refused.body, type).toEqual({
        message: `Invalid request: a control that changes state takes Content-Type: application/json, got '${type ?? ""}'.`,
      });
    }
    expect((await call(mock, key, campaigns.get, { id })).status).toBe(200);
    const json = { authorization, "content-type": "application/json" };
    expect((await control("reset", { headers: json })).status).toBe(200);
    expect((await call(mock, key, campaigns.get, { id })).status).toBe(404);
    expect(() => mock.advanceClock(key, -1)).toThrow(RangeError);
  });

  test("a stateless mock has no sandbox: its controls answer 404, in code they throw", async () => {
    const stateless = await createMockFetch({ stateless: true });
    const response = await stateless(`${productionUrl}/_sandbox/reset`, {
      method: "POST",
      headers: { authorization: "Bearer x", "content-type": "application/json" },
    });
    expect(response.status).toBe(404);
    expect(() => stateless.reset()).toThrow(/stateless/);
  });

  test("a path the contract lacks is refused by the in-process fetch, naming it", async () => {
    await expect(mock(`${productionUrl}/v1/themes`, { method: "GET" })).rejects.toThrow(
      /GET .*\/v1\/themes/,
    );
  });
});

describe("bounds", () => {
  test("past the records cap the oldest created go, with their messages; seeds stay; creates never fail", async () => {
    const small = await createMockFetch({ limits: { recordsPerKey: 3 } });
    const key = freshKey();
    const seeded = (await call(small, key, campaigns.list, { query: { perPage: "50" } })).body
      .data as unknown[];
    const made = [];
    for (let index = 0; index < 5; index += 1) {
      const answer = await call(small, key, campaigns.create, { body: { name: `C${index}` } });
      expect(answer.status).toBe(201);
      made.push(answer.body);
    }
    const listed = await call(small, key, campaigns.list, { query: { perPage: "50" } });
    expect((listed.body.pagination as { totalResults: number }).totalResults).toBe(
      seeded.length + 3,
    );
    expect((await call(small, key, campaigns.get, { id: String(made[0]?.id) })).status).toBe(404);
    expect(
      (await call(small, key, messages.get, { id: String(made[0]?.emailMessageId) })).status,
    ).toBe(404);
    expect((await call(small, key, campaigns.get, { id: String(made[4]?.id) })).status).toBe(200);
  });

  test("past the keys cap the least recently used key starts again from the seed", async () => {
    const small = await createMockFetch({ limits: { keys: 2 } });
    const [one, two, three] = [freshKey(), freshKey(), freshKey()];
    const first = await call(small, one, campaigns.create, { body: { name: "one" } });
    await call(small, two, campaigns.create, { body: { name: "two" } });
    await call(small, one, campaigns.get, { id: String(first.body.id) });
    await call(small, three, campaigns.create, { body: { name: "three" } });
    expect((await call(small, one, campaigns.get, { id: String(first.body.id) })).status).toBe(200);
    const listed = await call(small, two, campaigns.list, { query: { perPage: "50" } });
    expect((listed.body.data as Array<{ name: string }>).map((c) => c.name)).not.toContain("two");
  });
});

describe("validated answers", () => {
  test("every operation's stored answer fits its response schema, from a fresh key", async () => {
    const key = freshKey();
    const campaign = await created(key);
    const ids: Record<string, string> = {
      campaign: String(campaign.id),
      // Another campaign's: the walk schedules the first, which locks its message.
      emailMessage: String((await created(key)).emailMessageId),
      campaignGroup: (await call(mock, key, groups.create, { body: { name: "Fresh" } })).body
        .id as string,
      audienceSegment: String(
        ((await call(mock, key, segments.list)).body.data as Array<{ id: string }>)[0]?.id,
      ),
    };
    for (const operation of operations) {
      const resource = String(operation.sandbox?.resource);
      // The examples' own revision is not this message's: the walk updates unguarded.
      const expectedField = String(model.resources[resource]?.revision?.expectedField);
      const { [expectedField]: _, ...example } = (operation.requestBody?.examples[0]?.value ??
        {}) as Record<string, unknown>;
      const body =
        operation.sandbox?.action === "create"
          ? { ...example, name: `Fresh ${operation.operationId}` }
          : example;
      const answer = await call(mock, key, operation, {
        id: ids[resource] ?? "",
        ...(operation.requestBody ? { body } : {}),
        query: oneOfGroup(operation),
      });
      expect(answer.status, `${operation.operationId}: ${answer.text}`).toBeLessThan(300);
      const success = operation.responses.find((r) => r.status === String(answer.status));
      expect(validatorAt(String(success?.body?.schemaPointer))(answer.body)).toBe(true);
    }
  });
});
