// Webhook delivery below the sandbox's rules: the scheduler of due work on a key's clock, and the
// dispatcher that signs, rate-limits, posts, retries and records, driven by the clock controls
// against one local endpoint. (What emits which event is webhooks.test.ts's.)
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { Sandbox } from "../src/sandbox.js";
import { KeyScheduler } from "../src/webhooks/scheduler.js";
import { signedHeaders } from "../src/webhooks/signing.js";
import { freshKey } from "./support/sandbox.js";

interface Received {
  headers: IncomingMessage["headers"];
  body: string;
}

/** What the endpoint does with the next requests: a status to answer, or never answer. */
let answerWith: number | "hang" = 200;
const received: Received[] = [];
const hanging: ServerResponse[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    if (answerWith === "hang") hanging.push(res);
    else res.writeHead(answerWith).end();
  });
});
let endpoint = "";

beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  server.close();
});

const wall = Date.parse("2030-01-15T09:00:00.000Z");
/** A sandbox whose wall time stands still: only the clock controls move a key's clock. */
const sandbox = new Sandbox({ now: () => wall, webhooks: { timeout: 200 } });
const event = (n: number) => ({ eventName: "testing.testEvent", n });
const numbers = (bodies: string[]) => bodies.map((body) => (JSON.parse(body) as { n: number }).n);

function reset() {
  answerWith = 200;
  received.length = 0;
}

describe("the scheduler of due work on a key's clock", () => {
  test("advancing runs what is due, earliest first and same times in order, including work it schedules", () => {
    let clock = 0;
    const ran: string[] = [];
    const scheduler = new KeyScheduler(
      () => clock,
      (error) => {
        throw error;
      },
    );
    scheduler.at("k", 30, () => ran.push("c"));
    scheduler.at("k", 10, () => {
      ran.push("a");
      scheduler.at("k", 20, () => ran.push("b (scheduled by a)"));
    });
    scheduler.at("k", 30, () => ran.push("d"));
    scheduler.at("k", 40, () => ran.push("e"));
    clock = 35;
    scheduler.runDue("k");
    expect(ran).toEqual(["a", "b (scheduled by a)", "c", "d"]);
    expect(scheduler.pending("k")).toBe(1);
    scheduler.clear("k");
    expect(scheduler.pending("k")).toBe(0);
  });

  test("as wall time passes, one timer per key runs it; the timer is unref'd, so it never keeps the process alive", () => {
    const refTimers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = refTimers();
    const real = new KeyScheduler(Date.now, (error) => {
      throw error;
    });
    real.at("k", Date.now() + 60_000, () => {});
    expect(refTimers()).toBe(before);
    real.clear();
    let clock = 0;
    const ran: string[] = [];
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const scheduler = new KeyScheduler(
        () => clock,
        (error) => {
          throw error;
        },
      );
      scheduler.at("k", 1_000, () => ran.push("first"));
      scheduler.at("k", 2_000, () => ran.push("second"));
      clock = 1_000;
      vi.advanceTimersByTime(1_000);
      expect(ran).toEqual(["first"]);
      scheduler.clear();
      clock = 5_000;
      vi.advanceTimersByTime(5_000);
      expect(ran).toEqual(["first"]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("signing", () => {
  test("the Standard Webhooks test vector ('sign function works') is reproduced", () => {
    const key = Buffer.from("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "base64");
    const headers = signedHeaders(
      key,
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      1614265330,
      '{"test": 2432232314}',
    );
    expect(headers["webhook-signature"]).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  test("a secret that is not whsec_ and base64, or a timeout that is no time, is refused naming the option", () => {
    expect(() => new Sandbox({ webhooks: { secret: "hunter2" } })).toThrow(
      /^webhookSecret must be a Standard Webhooks secret, whsec_ and base64/,
    );
    expect(() => new Sandbox({ webhooks: { secret: "whsec_!!" } })).toThrow(
      "webhookSecret: the text after whsec_ must be base64 of at least one byte.",
    );
    expect(() => new Sandbox({ webhooks: { timeout: -1 } })).toThrow(
      "webhookTimeout must be a number of milliseconds above 0, got -1.",
    );
  });
});

describe("delivery to listeners and an endpoint", () => {
  test("with no endpoint and no listener nothing is kept and nothing waits", () => {
    const key = freshKey();
    expect(sandbox.webhooks.emit(key, event(1), sandbox.now(key))).toBeUndefined();
    expect(sandbox.scheduler.pending(key)).toBe(0);
    expect(sandbox.webhooks.deliveries(key)).toEqual([]);
  });

  test("an endpoint must be http or https; a bad one is refused naming it and changes nothing", () => {
    const key = freshKey();
    expect(() => sandbox.webhooks.setEndpoint(key, "ftp://127.0.0.1/hooks")).toThrow(
      'The webhook endpoint must be an http or https URL, such as http://127.0.0.1:3000/webhooks; got "ftp://127.0.0.1/hooks".',
    );
    expect(() => sandbox.webhooks.setEndpoint(key, "not a url")).toThrow(/got "not a url"/);
    expect(sandbox.webhooks.endpoint(key)).toBeUndefined();
    expect(() => new Sandbox({ webhooks: { url: "mailto:a@example.com" } })).toThrow(
      /^webhookUrl must be an http or https URL/,
    );
  });

  test("listeners get each event signed, in order, at most 10 a second of the key's clock", () => {
    const key = freshKey();
    const heard: Array<{ headers: Record<string, string>; body: string; n: number }> = [];
    const unsubscribe = sandbox.webhooks.onWebhook((message) => {
      if (message.apiKey === key) {
        heard.push({ headers: message.headers, body: message.body, n: Number(message.event.n) });
      }
    });
    try {
      const start = sandbox.now(key);
      for (let n = 0; n < 25; n += 1) sandbox.webhooks.emit(key, event(n), start);
      sandbox.scheduler.runDue(key);
      expect(heard.map((h) => h.n)).toEqual([0]);
      sandbox.advanceClock(key, 1_000);
      expect(heard.map((h) => h.n)).toEqual([...Array(11).keys()]);
      sandbox.advanceClock(key, 60_000);
      expect(heard.map((h) => h.n)).toEqual([...Array(25).keys()]);
      const [first] = heard;
      const secret = Buffer.from(sandbox.webhooks.secret(key).slice("whsec_".length), "base64");
      const { "webhook-id": id, "webhook-timestamp": timestamp } = first?.headers ?? {};
      expect(Number(timestamp)).toBe(wall / 1000);
      expect(first?.headers["webhook-signature"]).toBe(
        signedHeaders(secret, String(id), Number(timestamp), String(first?.body))[
          "webhook-signature"
        ],
      );
      const deliveries = sandbox.webhooks.deliveries(key);
      expect(deliveries.map((d) => d.status)).toEqual(Array(25).fill("delivered"));
      expect(deliveries[10]?.sentAt).toBe(new Date(start + 1_000).toISOString());
      expect(sandbox.webhooks.secret(freshKey())).not.toBe(sandbox.webhooks.secret(key));
    } finally {
      unsubscribe();
    }
  });

  test("flush cannot wait out the spacing on a clock that stands still: it returns, and advanceClock brings the rest", async () => {
    const key = freshKey();
    const unsubscribe = sandbox.webhooks.onWebhook(() => {});
    try {
      sandbox.webhooks.emit(key, event(1), sandbox.now(key));
      sandbox.webhooks.emit(key, event(2), sandbox.now(key));
      const started = performance.now();
      await sandbox.webhooks.flush(key);
      // One spacing of wall time, not the 2.2 s its timeout would allow.
      expect(performance.now() - started).toBeLessThan(1_000);
      const statuses = () => sandbox.webhooks.deliveries(key).map((d) => d.status);
      expect(statuses()).toEqual(["delivered", "pending"]);
      sandbox.advanceClock(key, 100);
      expect(statuses()).toEqual(["delivered", "delivered"]);
    } finally {
      unsubscribe();
    }
  });

  test("a listener that throws is recorded, and the stream goes on", () => {
    const key = freshKey();
    const unsubscribe = sandbox.webhooks.onWebhook(() => {
      throw new Error("handler broke");
    });
    try {
      sandbox.webhooks.emit(key, event(1), sandbox.now(key));
      sandbox.webhooks.emit(key, event(2), sandbox.now(key));
      sandbox.advanceClock(key, 1_000);
      const deliveries = sandbox.webhooks.deliveries(key);
      expect(deliveries.map((d) => [d.status, d.listenerError])).toEqual([
        ["delivered", "handler broke"],
        ["delivered", "handler broke"],
      ]);
    } finally {
      unsubscribe();
    }
  });

  test("an endpoint gets each event once, in order, with the three headers", async () => {
    reset();
    const key = freshKey();
    sandbox.webhooks.setEndpoint(key, endpoint);
    const start = sandbox.now(key);
    for (let n = 0; n < 30; n += 1) sandbox.webhooks.emit(key, event(n), start);
    sandbox.advanceClock(key, 3_000);
    await sandbox.webhooks.settled(key);
    expect(numbers(received.map((r) => r.body))).toEqual([...Array(30).keys()]);
    const secret = Buffer.from(sandbox.webhooks.secret(key).slice("whsec_".length), "base64");
    for (const { headers, body } of received) {
      const id = String(headers["webhook-id"]);
      const timestamp = Number(headers["webhook-timestamp"]);
      expect(headers["content-type"]).toBe("application/json");
      expect(headers["webhook-signature"]).toBe(
        signedHeaders(secret, id, timestamp, body)["webhook-signature"],
      );
    }
    const attempts = sandbox.webhooks.deliveries(key).map((d) => d.attempts);
    expect(attempts.every((list) => list.length === 1 && list[0]?.status === 200)).toBe(true);
    // Three seconds of the key's clock take 30 events at 10 a second, the first at the start.
    expect(attempts[29]?.[0]?.at).toBe(new Date(start + 2_900).toISOString());
  });

  test("a failed post is retried on the key's clock by the schedule, and later events wait behind it", async () => {
    reset();
    const key = freshKey();
    sandbox.webhooks.setEndpoint(key, endpoint);
    answerWith = 503;
    const start = sandbox.now(key);
    sandbox.webhooks.emit(key, event(1), start);
    sandbox.webhooks.emit(key, event(2), start);
    await sandbox.webhooks.settled(key);
    expect(numbers(received.map((r) => r.body))).toEqual([1]);
    const [waiting] = sandbox.webhooks.deliveries(key);
    expect(waiting?.attempts).toEqual([
      { at: new Date(start).toISOString(), status: 503, error: "answered 503" },
    ]);
    expect(waiting?.nextAttemptAt).toBe(new Date(start + 5_000).toISOString());
    sandbox.advanceClock(key, 4_999);
    await sandbox.webhooks.settled(key);
    expect(received).toHaveLength(1);
    answerWith = 200;
    sandbox.advanceClock(key, 101);
    await sandbox.webhooks.settled(key);
    expect(numbers(received.map((r) => r.body))).toEqual([1, 1, 2]);
    expect(received[0]?.headers["webhook-id"]).toBe(received[1]?.headers["webhook-id"]);
    const [retried, next] = sandbox.webhooks.deliveries(key);
    expect(retried?.attempts.map((a) => a.status)).toEqual([503, 200]);
    expect(retried?.status).toBe("delivered");
    expect(next?.attempts[0]?.at).toBe(new Date(start + 5_100).toISOString());
  });

  test("an event that fails its 7 retries is given up 27 h 35 min 5 s after its first attempt, and the next goes", async () => {
    reset();
    const key = freshKey();
    sandbox.webhooks.setEndpoint(key, endpoint);
    answerWith = 500;
    sandbox.webhooks.emit(key, event(1), sandbox.now(key));
    sandbox.webhooks.emit(key, event(2), sandbox.now(key));
    const lastRetry = (27 * 60 + 35) * 60_000 + 5_000;
    sandbox.advanceClock(key, lastRetry - 1);
    await sandbox.webhooks.settled(key);
    expect(sandbox.webhooks.deliveries(key).map((d) => [d.status, d.attempts.length])).toEqual([
      ["pending", 7],
      ["pending", 0],
    ]);
    sandbox.advanceClock(key, 1);
    await sandbox.webhooks.settled(key);
    const [failed, next] = sandbox.webhooks.deliveries(key);
    expect(failed?.status).toBe("failed");
    expect(failed?.attempts.map((a) => a.status)).toEqual(Array(8).fill(500));
    expect(next?.attempts).toEqual([]);
    sandbox.advanceClock(key, 100);
    await sandbox.webhooks.settled(key);
    expect(numbers(received.map((r) => r.body))).toEqual([...Array(8).fill(1), 2]);
  });

  test("an endpoint that does not answer in time fails the attempt, saying so", async () => {
    reset();
    const key = freshKey();
    sandbox.webhooks.setEndpoint(key, endpoint);
    answerWith = "hang";
    sandbox.webhooks.emit(key, event(1), sandbox.now(key));
    await sandbox.webhooks.settled(key);
    const [attempt] = sandbox.webhooks.deliveries(key)[0]?.attempts ?? [];
    expect(attempt).toMatchObject({ status: null, error: "no answer within 200 ms" });
  });

  test("an endpoint nobody listens on fails the attempt, saying why", async () => {
    const key = freshKey();
    const closed = createServer().listen(0, "127.0.0.1");
    await once(closed, "listening");
    const { port } = closed.address() as AddressInfo;
    closed.close();
    sandbox.webhooks.setEndpoint(key, `http://127.0.0.1:${port}/hooks`);
    sandbox.webhooks.emit(key, event(1), sandbox.now(key));
    await sandbox.webhooks.settled(key);
    const [attempt] = sandbox.webhooks.deliveries(key)[0]?.attempts ?? [];
    expect(attempt?.status).toBeNull();
    expect(attempt?.error).toMatch(/^no answer: .*ECONNREFUSED/);
  });

  test("reset forgets the key's queue, its records and its due work; its endpoint and secret stay", async () => {
    reset();
    const key = freshKey();
    sandbox.webhooks.setEndpoint(key, endpoint);
    const secret = sandbox.webhooks.secret(key);
    const start = sandbox.now(key);
    for (let n = 0; n < 5; n += 1) sandbox.webhooks.emit(key, event(n), start + 60_000);
    expect(sandbox.scheduler.pending(key)).toBe(1);
    sandbox.reset(key);
    expect(sandbox.scheduler.pending(key)).toBe(0);
    expect(sandbox.webhooks.deliveries(key)).toEqual([]);
    sandbox.advanceClock(key, 120_000);
    await sandbox.webhooks.settled(key);
    expect(received).toEqual([]);
    expect(sandbox.webhooks.endpoint(key)).toBe(endpoint);
    expect(sandbox.webhooks.secret(key)).toBe(secret);
  });
});
