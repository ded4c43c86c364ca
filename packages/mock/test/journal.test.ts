// The journal (README, "The journal and the outbox"): every request the mock answers, per key,
// newest first, with the step that answered, on the key's clock, bounded in bytes; through
// createMockFetch (the in-process adapter) and over HTTP at GET /_sandbox/journal.
import { operations } from "@loops-contract/spec";
import { beforeAll, describe, expect, test } from "vitest";
import {
  createMockFetch,
  type JournalEntry,
  type MockChange,
  type MockFetch,
  type OperationId,
} from "../dist/index.js";
import {
  call,
  exampleWithAttachment,
  freshKey,
  operationFor,
  productionUrl,
} from "./support/sandbox.js";

const create = operationFor("campaign", "create");
const created = Number(
  create.responses.find((response) => response.status.startsWith("2"))?.status,
);
const send = operations.find((operation) => operation.sandbox?.outbox?.kind === "transactional");
const receipt = exampleWithAttachment(send);

let mock: MockFetch;
beforeAll(async () => {
  mock = await createMockFetch();
});

const control = (key: string | undefined, path: string) =>
  mock(`${productionUrl}/_sandbox/${path}`, {
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
  });

describe("the journal", () => {
  test("keeps each request newest first: operation, method, path, status, body, the key's clock and the step", async () => {
    const key = freshKey();
    mock.advanceClock(key, 86_400_000);
    const at = new Date(mock.now(key)).toISOString();
    await call(mock, key, create, { body: { name: "Journalled" } });
    await call(mock, key, create, { body: { name: 42 } });
    await call(mock, key, create, {
      body: { name: "Forced" },
      headers: { prefer: `code=${created}` },
    });
    const [forced, refused, made] = mock.journal(key);
    expect(made).toMatchObject({
      method: "POST",
      path: new URL(`${productionUrl}${create.path}`).pathname,
      operationId: create.operationId,
      status: created,
      answeredBy: "sandbox",
      body: { name: "Journalled" },
      bodyBytes: Buffer.byteLength(JSON.stringify({ name: "Journalled" })),
    });
    expect(Date.parse(String(made?.at))).toBeGreaterThanOrEqual(Date.parse(at));
    expect(refused).toMatchObject({ status: 400, answeredBy: "bodyValid", body: { name: 42 } });
    expect(forced).toMatchObject({ status: created, answeredBy: "prism" });
    expect(Number(forced?.seq)).toBeGreaterThan(Number(refused?.seq));
  });

  test("a request without a key is under null, a control under its id, and the key is never kept", async () => {
    const before = mock.journal(null).length;
    const response = await mock(`${productionUrl}${create.path}`, { method: "POST" });
    expect(response.status).toBe(401);
    expect(mock.journal(null)).toHaveLength(before + 1);
    expect(mock.journal(null)[0]).toMatchObject({ answeredBy: "authenticated", status: 401 });
    const key = freshKey();
    await control(key, "clock");
    expect(mock.journal(key)).toEqual([
      expect.objectContaining({ operationId: "now", answeredBy: "control", status: 200 }),
    ]);
    expect(JSON.stringify(mock.journal(key))).not.toContain(key);
  });

  test("attachment data is kept as name and size only, as the contract's logSizes declares", async () => {
    if (send === undefined) throw new Error("No transactional send declares an outbox");
    const key = freshKey();
    expect((await call(mock, key, send, { body: receipt })).status).toBe(200);
    const [entry] = mock.journal(key, { operation: send.operationId as OperationId });
    const [attachment] = (entry?.body as { attachments: unknown[] } | undefined)?.attachments ?? [];
    const [{ data, ...named } = { data: "" }] = receipt.attachments;
    expect(attachment).toEqual({ ...named, size: Buffer.from(data, "base64").length });
  });

  test("filters by operation, status (or its class) and time, in code and as query parameters", async () => {
    const key = freshKey();
    await call(mock, key, create, { body: { name: "One" } });
    await call(mock, key, create, { body: {} });
    const later = mock.advanceClock(key, 60_000);
    await call(mock, key, create, { body: { name: "Two" } });
    const names = (entries: JournalEntry[]) =>
      entries.map((entry) => (entry.body as { name?: string }).name);
    expect(names(mock.journal(key, { status: created }))).toEqual(["Two", "One"]);
    expect(names(mock.journal(key, { status: "4xx" }))).toEqual([undefined]);
    expect(names(mock.journal(key, { since: later }))).toEqual(["Two"]);
    expect(
      names(
        mock.journal(key, {
          until: new Date(later - 1),
          operation: create.operationId as OperationId,
        }),
      ),
    ).toHaveLength(2);
    const query = `journal?operation=${create.operationId}&status=2xx&since=${new Date(later).toISOString()}`;
    const overHttp = (await (await control(key, query)).json()) as JournalEntry[];
    expect(names(overHttp)).toEqual(["Two"]);
    const bad = await control(key, "journal?status=600");
    expect([bad.status, await bad.json()]).toEqual([
      400,
      { message: expect.stringContaining("status") },
    ]);
  });

  test("a subscriber hears each entry of its key as it is written, until it unsubscribes", async () => {
    const key = freshKey();
    const heard: MockChange[] = [];
    const unsubscribe = mock.subscribe(key, (change) => heard.push(change));
    await call(mock, key, create, { body: { name: "Heard" } });
    await call(mock, freshKey(), create, { body: { name: "Someone else's" } });
    mock.reset(key);
    unsubscribe();
    await call(mock, key, create, { body: { name: "Not heard" } });
    expect(heard.map((change) => [change.record, change.type])).toEqual([
      ["journal", "added"],
      ["journal", "forgotten"],
      ["outbox", "forgotten"],
    ]);
    expect(mock.apiKeys()).toContain(key);
  });
});

describe("its bounds", () => {
  test("bytes per key: the oldest entries go, a body over half the budget is left out, an evicted key loses its journal", async () => {
    const small = await createMockFetch({ limits: { keys: 1, journalBytes: 4096 } });
    const key = freshKey();
    for (let index = 0; index < 40; index += 1) {
      await call(small, key, create, { body: { name: `Campaign ${index}` } });
    }
    const kept = small.journal(key);
    expect(kept.length).toBeLessThan(40);
    expect(kept[0]?.body).toEqual({ name: "Campaign 39" });
    expect(JSON.stringify(kept).length).toBeLessThanOrEqual(4096 + kept.length);
    await call(small, key, create, { body: { name: "x".repeat(3000) } });
    expect(small.journal(key)[0]).toMatchObject({ bodyOmitted: true, bodyBytes: 3011 });
    expect(small.journal(key)[0]).not.toHaveProperty("body");
    await call(small, freshKey(), create, { body: { name: "The only key kept" } });
    expect(small.journal(key)).toEqual([]);
  });

  test("journal: false keeps none, and says so in code and over HTTP", async () => {
    const off = await createMockFetch({ journal: false });
    expect(() => off.journal("any")).toThrow("journal: false");
    const answer = await off(`${productionUrl}/_sandbox/journal`, {
      headers: { authorization: "Bearer any" },
    });
    expect([answer.status, await answer.json()]).toEqual([
      404,
      { message: expect.stringContaining("journal: false") },
    ]);
  });
});
