// The inspector's guard, its listings across keys, its event stream and its weight. A mock on a
// network address (0.0.0.0) with a token is the one server here; the in-process fetch answers its
// own process. The walk in a real browser is inspector.browser.test.ts.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { type JsonObject, type Operation, operations, sandboxModel } from "@loops-contract/spec";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMockFetch, type MockFetch, type RunningMock, startMock } from "../dist/index.js";
import { accessRefusal, isLoopbackAddress, type Reach } from "../src/inspector/access.js";
import { freshKey, productionUrl } from "./support/sandbox.js";

const token = "a-token-of-the-tests-0123456789";
const inspector = "/_sandbox/inspector";
let served: RunningMock;
let inProcess: MockFetch;

beforeAll(async () => {
  served = await startMock({ host: "0.0.0.0", inspectorToken: token });
  inProcess = await createMockFetch();
});
afterAll(() => served?.stop());

/** The served mock, reached through loopback though it listens on every address. */
const fromNetwork = (path: string, headers: Record<string, string> = {}) =>
  fetch(`http://127.0.0.1:${served.port}${path}`, { headers });

async function send(key: string, method: string, path: string, body?: unknown) {
  return inProcess(`${productionUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const inspect = async (path: string, init: RequestInit = {}) => {
  const headers = { "content-type": "application/json", ...init.headers };
  return inProcess(`${productionUrl}${inspector}${path}`, { ...init, headers });
};

/** A key's handle, from the keys the inspector lists. */
async function handleOf(key: string): Promise<string> {
  const keys = (await (await inspect("/keys")).json()) as Array<{ key: string; masked: string }>;
  const masked = `${key.slice(0, 4)}…${key.slice(-4)}`;
  const found = keys.find((entry) => entry.masked === masked);
  if (found === undefined) throw new Error(`No key masked ${masked}`);
  return found.key;
}

describe("who may open it", () => {
  test("off loopback, nothing across keys answers without the token; with it, as ?token= or the header", async () => {
    for (const path of [inspector, `${inspector}/keys`, `${inspector}/events`]) {
      const refused = await fromNetwork(path);
      expect(refused.status, path).toBe(403);
      expect(((await refused.json()) as JsonObject).message).toMatch(
        /needs a token: send its token/,
      );
      expect(
        (await fromNetwork(path, { "x-inspector-token": "not-the-token-at-all" })).status,
      ).toBe(403);
    }
    const page = await fromNetwork(`${inspector}?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const keys = await fromNetwork(`${inspector}/keys`, { "x-inspector-token": token });
    expect(keys.status).toBe(200);
    // The page's own script and style hold no data: they load before the page knows the token.
    expect((await fromNetwork(`${inspector}/files/inspector.js`)).status).toBe(200);
  });

  test("on loopback, only a Host that names this machine; a rebound name is refused", () => {
    const judged = (reach: Reach, host: string) =>
      accessRefusal(
        {
          request: { method: "GET", url: "", headers: new Headers({ host }) },
          url: new URL(`http://${host}${inspector}`),
        },
        { reach: () => reach },
      );
    for (const host of ["127.0.0.1:4010", "localhost:4010", "[::1]:4010", "127.1.2.3"]) {
      expect(judged("loopback", host), host).toBeUndefined();
    }
    expect(judged("loopback", "evil.example:4010")).toMatch(/not 'evil.example:4010'/);
    expect(judged("network", "127.0.0.1:4010")).toMatch(
      /--inspector-token \(MOCK_INSPECTOR_TOKEN\)/,
    );
    expect(judged("process", "anything.example")).toBeUndefined();
  });

  test("loopback addresses are told from the others", () => {
    const loopback = ["127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1"];
    const others = ["0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "::ffff:10.0.0.1", "1::1"];
    expect(loopback.filter(isLoopbackAddress)).toEqual(loopback);
    expect(others.filter(isLoopbackAddress)).toEqual([]);
  });

  test("a token shorter than 16 characters is refused, naming the option", async () => {
    await expect(startMock({ inspectorToken: "short" })).rejects.toThrow(/inspectorToken option/);
  });
});

describe("what it lists, in process", () => {
  test("keys are masked and named by handle; no answer holds the key itself", async () => {
    const key = freshKey();
    await send(key, "GET", "/_sandbox/clock");
    const handle = await handleOf(key);
    expect(handle).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const answers = await Promise.all(
      ["/keys", `/keys/${handle}/resources`, `/keys/${handle}/clock`].map(async (path) =>
        (await inspect(path)).text(),
      ),
    );
    for (const text of answers) expect(text).not.toContain(key);
    expect((await inspect("/keys/AAAAAAAAAAAAAAAA/clock")).status).toBe(404);
  });

  test("every resource of the model, with its read schema's fields and the key's records", async () => {
    const key = freshKey();
    await send(key, "GET", "/_sandbox/clock");
    const resources = (await (
      await inspect(`/keys/${await handleOf(key)}/resources`)
    ).json()) as Array<{
      name: string;
      idField: string;
      fields: Array<{ name: string }>;
      total: number;
      records: JsonObject[];
    }>;
    expect(resources.map((resource) => resource.name)).toEqual(
      Object.keys(sandboxModel?.resources ?? {}),
    );
    for (const resource of resources) {
      expect(
        resource.fields.map((field) => field.name),
        resource.name,
      ).toContain(resource.idField);
      expect(resource.records.length, resource.name).toBe(Math.min(resource.total, 100));
    }
  });

  test("the clock moves and the key resets by handle, only as JSON", async () => {
    const key = freshKey();
    await send(key, "GET", "/_sandbox/clock");
    const handle = await handleOf(key);
    const before = inProcess.now(key);
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const refused = await inspect(`/keys/${handle}/advance-clock`, {
      method: "POST",
      headers: form,
      body: "milliseconds=5",
    });
    expect(refused.status).toBe(400);
    const moved = await inspect(`/keys/${handle}/advance-clock`, {
      method: "POST",
      body: JSON.stringify({ milliseconds: 60_000 }),
    });
    expect(moved.status).toBe(200);
    expect(inProcess.now(key) - before).toBeGreaterThanOrEqual(60_000);
    expect((await inspect(`/keys/${handle}/reset`, { method: "POST" })).status).toBe(200);
    expect(inProcess.now(key) - before).toBeLessThan(60_000);
    expect(await handleOf(key)).toBe(handle);
  });
});

describe("its event stream", () => {
  test("a request with a key is heard at once, named by the key's handle", async () => {
    const key = freshKey();
    await send(key, "GET", "/_sandbox/clock");
    const handle = await handleOf(key);
    const events = await inspect("/events");
    expect(events.headers.get("content-type")).toBe("text/event-stream");
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const next = async () => decoder.decode((await reader.read()).value);
    expect(await next()).toBe("retry: 1000\n: open\n\n");
    await send(key, "GET", "/_sandbox/clock");
    expect(await next()).toBe(
      `event: change\ndata: ${JSON.stringify({ key: handle, kind: "answer", method: "GET", path: "/_sandbox/clock", status: 200 })}\n\n`,
    );
    await reader.cancel();
  });

  test("a webhook delivery is heard, and read newest first by handle", async () => {
    const key = freshKey();
    const stopListening = inProcess.onWebhook(() => {});
    await send(key, "GET", "/_sandbox/clock");
    const handle = await handleOf(key);
    const events = await inspect("/events");
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const first = inProcess.triggerWebhook(key, "testingTestEvent");
    const second = inProcess.triggerWebhook(key, "testingTestEvent");
    expect(new TextDecoder().decode((await reader.read()).value)).toContain(
      JSON.stringify({ key: handle, kind: "outbox" }),
    );
    await reader.cancel();
    await inProcess.flushWebhooks(key);
    stopListening();
    const deliveries = (await (await inspect(`/keys/${handle}/deliveries`)).json()) as JsonObject[];
    expect(deliveries.map((delivery) => delivery.id)).toEqual([second?.id, first?.id]);
  });

  test("a message sent is heard as 'outbox'; the key's journal and outbox read as in code", async () => {
    const key = freshKey();
    const create = operations.find(
      (operation) => operation.operationId === "createCampaign",
    ) as Operation;
    const campaign = (await (
      await send(key, "POST", create.path, { name: "Heard" })
    ).json()) as JsonObject;
    const handle = await handleOf(key);
    const events = await inspect("/events");
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const preview = operations.find(
      (operation) => operation.sandbox?.outbox !== undefined && operation.pathParameters.length > 0,
    ) as Operation;
    const path = preview.path.replace(/\{[^}]+\}/, String(campaign.emailMessageId));
    expect((await send(key, "POST", path, preview.requestBody?.examples[0]?.value)).status).toBe(
      200,
    );
    const heard = new TextDecoder().decode((await reader.read()).value);
    expect(heard).toContain(JSON.stringify({ key: handle, kind: "outbox" }));
    await reader.cancel();
    const read = async (panel: string) => (await inspect(`/keys/${handle}/${panel}`)).json();
    expect(await read("outbox")).toEqual(inProcess.outbox(key));
    expect(await read("journal")).toEqual(inProcess.journal(key));
    expect(inProcess.outbox(key)).toHaveLength(1);
  });

  test("at most 32 streams at once; one more is a 503", async () => {
    const open = await Promise.all(Array.from({ length: 32 }, () => inspect("/events")));
    expect(open.map((response) => response.status)).toEqual(open.map(() => 200));
    const refused = await inspect("/events");
    expect(refused.status).toBe(503);
    await Promise.all(open.map((response) => response.body?.cancel()));
    const again = await inspect("/events");
    expect(again.status).toBe(200);
    await again.body?.cancel();
  });
});

describe("the page", () => {
  const files = ["page.html", "inspector.js", "inspector.css"];
  const text = (name: string) =>
    readFileSync(new URL(`../inspector/${name}`, import.meta.url), "utf8");

  test("its three files weigh at most 50 kB gzipped", () => {
    const gzipped = files.reduce((sum, name) => sum + gzipSync(text(name), { level: 9 }).length, 0);
    expect(gzipped).toBeLessThanOrEqual(50_000);
  });

  test("its script writes no HTML: stored strings reach the page as text nodes", () => {
    expect(text("inspector.js")).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/,
    );
  });
});
