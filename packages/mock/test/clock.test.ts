// The test clock as tests read and follow it: `now(apiKey)` in code and over HTTP, the `now`
// option that lets fake timers move the sandbox, the refusal that says what the clock reads, and
// the reset of every key over HTTP.
import { afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { createMockFetch, type MockFetch, startMock } from "../dist/index.js";
import { loopsHandlers } from "../dist/msw.js";
import { call, exampleBody, freshKey, operationFor, productionUrl } from "./support/sandbox.js";

const create = operationFor("campaign", "create");
const get = operationFor("campaign", "read");
const update = operationFor("campaign", "update");
const day = 24 * 60 * 60 * 1000;

let mock: MockFetch;
beforeAll(async () => {
  mock = await createMockFetch();
});
afterEach(() => {
  vi.useRealTimers();
});

async function control(fetchFrom: MockFetch, key: string, method: string, path: string) {
  const response = await fetchFrom(`${productionUrl}/_sandbox/${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("reading a key's clock", () => {
  test("now(apiKey) is wall time plus what the key was advanced, on every adapter", async () => {
    const key = freshKey();
    const before = Date.now();
    expect(mock.now(key)).toBeGreaterThanOrEqual(before);
    expect(mock.now(key)).toBeLessThan(before + 5_000);
    const advanced = mock.advanceClock(key, day);
    expect(mock.now(key) - advanced).toBeLessThan(5_000);
    expect(mock.now(key)).toBeGreaterThanOrEqual(before + day);
    expect(mock.now(freshKey())).toBeLessThan(before + day);
    expect(loopsHandlers().now(key)).toBeLessThan(before + day);
    const running = await startMock();
    try {
      expect(running.now(key)).toBeLessThan(before + day);
    } finally {
      await running.stop();
    }
  });

  test("GET /_sandbox/clock answers { now } for the key that asks, as now(apiKey) reads it", async () => {
    const key = freshKey();
    const advanced = mock.advanceClock(key, 3 * day);
    const answer = await control(mock, key, "GET", "clock");
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(["now"]);
    const now = Date.parse(String(answer.body.now));
    expect(now).toBeGreaterThanOrEqual(advanced);
    expect(now).toBeLessThanOrEqual(mock.now(key));
    const anonymous = await mock(`${productionUrl}/_sandbox/clock`);
    expect(anonymous.status).toBe(401);
  });

  test("a schedule refused for being in the past says what the key's clock reads", async () => {
    const key = freshKey();
    const now = mock.advanceClock(key, 2 * day);
    const tomorrow = new Date(Date.now() + day).toISOString(); // behind this key's clock
    const refused = await call(mock, key, create, {
      body: { name: "Late", scheduling: { method: "schedule", timestamp: tomorrow } },
    });
    expect(refused.status).toBe(400);
    const example = exampleBody(create, 400, "scheduleInPast") as { message: string };
    const message = String(refused.body.message);
    expect(message.startsWith(example.message.replace(/\.$/, ""))).toBe(true);
    const read = /reads (\S+)\.$/.exec(message)?.[1];
    expect(Date.parse(String(read)) - now).toBeGreaterThanOrEqual(0);
    expect(Date.parse(String(read)) - now).toBeLessThan(5_000);
  });
});

describe("the now option: wall time from a function the test gives", () => {
  test("vi.setSystemTime and fake timers move the sandbox, and 'tomorrow' from Date.now() is in its future", async () => {
    const followed = await createMockFetch({ now: () => Date.now() });
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2030-01-15T09:00:00.000Z"));
    const key = freshKey();
    expect(new Date(followed.now(key)).toISOString()).toBe("2030-01-15T09:00:00.000Z");
    const draft = await call(followed, key, create, { body: { name: "Newsletter" } });
    expect(draft.body.createdAt).toBe("2030-01-15T09:00:00.000Z");
    const tomorrow = new Date(Date.now() + day).toISOString();
    const scheduled = await call(followed, key, update, {
      id: String(draft.body.id),
      body: { scheduling: { method: "schedule", timestamp: tomorrow } },
    });
    expect(scheduled.body.status).toBe("Scheduled");
    vi.advanceTimersByTime(day);
    expect(new Date(followed.now(key)).toISOString()).toBe("2030-01-16T09:00:00.000Z");
    const sending = await call(followed, key, get, { id: String(draft.body.id) });
    expect(sending.body.status).toBe("Sending");
    followed.advanceClock(key, 1_000); // a key's own offset still adds to the function's time
    const sent = await call(followed, key, get, { id: String(draft.body.id) });
    expect(sent.body.status).toBe("Sent");
  });

  test("a now option that is no function, or returns no time, is an error naming it", async () => {
    await expect(createMockFetch({ now: 42 as unknown as () => number })).rejects.toThrow(
      /now option must be a function/,
    );
    const broken = await createMockFetch({ now: () => Number.NaN });
    expect(() => broken.now(freshKey())).toThrow(/now option returned NaN/);
  });
});

describe("resetting every key over HTTP", () => {
  test("POST /_sandbox/reset-all forgets every key's records, whichever key asks; without a key, nothing", async () => {
    const own = await createMockFetch();
    const [one, two] = [freshKey(), freshKey()];
    const first = await call(own, one, create, { body: { name: "one" } });
    const second = await call(own, two, create, { body: { name: "two" } });
    expect((await control(own, "", "POST", "reset-all")).status).toBe(401);
    expect((await call(own, one, get, { id: String(first.body.id) })).status).toBe(200);
    const answer = await control(own, one, "POST", "reset-all");
    expect(answer).toEqual({ status: 200, body: { keys: 2 } });
    expect((await call(own, one, get, { id: String(first.body.id) })).status).toBe(404);
    expect((await call(own, two, get, { id: String(second.body.id) })).status).toBe(404);
  });
});
