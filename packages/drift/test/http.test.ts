import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  CallCapReachedError,
  CouldNotRunError,
  DriftHttp,
  getOnlyFetch,
  NonGetRequestError,
} from "../src/index.js";

const url = new URL("http://127.0.0.1:9/v1/things");

/** A fetch that answers from a script, one response per call, recording what it was asked. */
function scriptedFetch(...script: Array<() => Response>) {
  const methods: string[] = [];
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    methods.push(init?.method ?? "GET");
    const next = script.shift();
    if (!next) throw new Error("script exhausted");
    return next();
  };
  return { fetch, methods };
}

const ok = () =>
  Response.json({}, { headers: { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "9" } });
const limited =
  (headers: Record<string, string> = {}) =>
  () =>
    Response.json({ message: "Rate limit exceeded" }, { status: 429, headers });

/** A clock that only moves when the code under test sleeps, so waits are exact and instant. */
function fakeClock() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe("only GET leaves the process", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it("refuses any other method before it reaches the server", async () => {
    const received: string[] = [];
    const server = createServer((request, response) => {
      received.push(String(request.method));
      response.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    close = () => new Promise((resolve) => server.close(() => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const http = new DriftHttp({ apiKey: "key", requestsPerSecond: 1000 });

    for (const method of ["POST", "PUT", "PATCH", "DELETE", "post", "HEAD", "OPTIONS"]) {
      await expect(http.request(method, new URL(`${base}/v1/things`))).rejects.toBeInstanceOf(
        NonGetRequestError,
      );
    }
    const guarded = getOnlyFetch(globalThis.fetch);
    await expect(guarded(new Request(`${base}/x`, { method: "DELETE" }))).rejects.toBeInstanceOf(
      NonGetRequestError,
    );
    await expect(guarded(`${base}/x`, { method: "POST", body: "{}" })).rejects.toBeInstanceOf(
      NonGetRequestError,
    );
    expect(received).toEqual([]);
    expect(http.calls).toBe(0);

    await http.get(new URL(`${base}/v1/things`));
    expect(received).toEqual(["GET"]);
  });
});

describe("pacing and the call cap", () => {
  it("spaces requests to 2 per second by default", async () => {
    const clock = fakeClock();
    const { fetch } = scriptedFetch(ok, ok, ok, ok);
    const http = new DriftHttp({ apiKey: "key", fetch, ...clock });
    for (let call = 0; call < 4; call += 1) await http.get(url);
    expect(clock.sleeps).toEqual([500, 500, 500]);
  });

  it("waits for the next window when the server says none is left", async () => {
    const clock = fakeClock();
    const spent = () =>
      Response.json({}, { headers: { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "0" } });
    const { fetch } = scriptedFetch(spent, ok);
    const http = new DriftHttp({ apiKey: "key", fetch, requestsPerSecond: 10, ...clock });
    await http.get(url);
    await http.get(url);
    expect(clock.sleeps).toEqual([1000]);
  });

  it("stops at the cap on calls, retries included", async () => {
    const clock = fakeClock();
    const { fetch, methods } = scriptedFetch(limited(), ok, ok);
    const http = new DriftHttp({ apiKey: "key", fetch, maxCalls: 2, ...clock });
    await http.get(url);
    await expect(http.get(url)).rejects.toBeInstanceOf(CallCapReachedError);
    expect(methods).toHaveLength(2);
    expect(http.calls).toBe(2);
  });
});

describe("429 and 5xx", () => {
  it("waits as long as Retry-After says, then goes on", async () => {
    const clock = fakeClock();
    const { fetch } = scriptedFetch(limited({ "retry-after": "3" }), ok);
    const http = new DriftHttp({ apiKey: "key", fetch, requestsPerSecond: 1000, ...clock });
    expect((await http.get(url)).status).toBe(200);
    expect(clock.sleeps).toContain(3000);
  });

  it("waits for the next window on a 429 with no remaining requests and no Retry-After", async () => {
    const clock = fakeClock();
    const { fetch } = scriptedFetch(limited({ "x-ratelimit-remaining": "0" }), ok);
    const http = new DriftHttp({ apiKey: "key", fetch, requestsPerSecond: 1000, ...clock });
    await http.get(url);
    expect(clock.sleeps).toContain(1000);
  });

  it("gives up with a clear message when the 429s do not clear", async () => {
    const clock = fakeClock();
    const { fetch, methods } = scriptedFetch(limited(), limited(), limited(), limited());
    const http = new DriftHttp({ apiKey: "key", fetch, ...clock });
    await expect(http.get(url)).rejects.toThrow(/Still rate limited \(429\) after 4 tries/);
    expect(methods).toHaveLength(4);
  });

  it("gives up at once when the server asks for a wait past the bound", async () => {
    const clock = fakeClock();
    const { fetch, methods } = scriptedFetch(limited({ "retry-after": "3600" }));
    const http = new DriftHttp({ apiKey: "key", fetch, ...clock });
    await expect(http.get(url)).rejects.toThrow(/asked for 3600 s/);
    expect(methods).toHaveLength(1);
  });

  it("retries a 5xx, and gives up when it persists", async () => {
    const clock = fakeClock();
    const failing = () => new Response("", { status: 503 });
    const recovering = scriptedFetch(failing, ok);
    await new DriftHttp({ apiKey: "key", fetch: recovering.fetch, ...clock }).get(url);
    expect(recovering.methods).toHaveLength(2);

    const down = scriptedFetch(failing, failing, failing, failing);
    const http = new DriftHttp({ apiKey: "key", fetch: down.fetch, ...clock });
    const error = await http.get(url).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CouldNotRunError);
    expect(String(error)).toMatch(/kept answering 503 after 4 tries/);
  });

  it("turns a 401 into a could-not-run error at once", async () => {
    const { fetch, methods } = scriptedFetch(() =>
      Response.json({ message: "Invalid API key" }, { status: 401 }),
    );
    const http = new DriftHttp({ apiKey: "key", fetch, ...fakeClock() });
    await expect(http.get(url)).rejects.toThrow(/refused the key \(401\)/);
    expect(methods).toHaveLength(1);
  });
});
