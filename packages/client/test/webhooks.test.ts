// Webhook verification and signing: Standard Webhooks' own test vector, each part of a signed
// webhook tampered with, secret rotation, and hostile input. Time is injected, never waited for.
import { Buffer } from "node:buffer";
import type { IncomingHttpHeaders } from "node:http";
import { describe, expect, test } from "vitest";
import {
  signWebhook,
  verifyWebhook,
  type WebhookHeaders,
  WebhookVerificationError,
  type WebhookVerificationReason,
} from "../src/webhooks.js";

// From standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts,
// "sign function works".
const vector = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const atVectorTime = { now: () => vector.timestamp * 1000 };
const vectorHeaders = {
  "webhook-id": vector.id,
  "webhook-timestamp": String(vector.timestamp),
  "webhook-signature": vector.signature,
};
const otherSecret = `whsec_${Buffer.from("another endpoint's secret").toString("base64")}`;

/** The test vector verified at its own time, with headers, body or secret changed. */
const verify = (
  overrides: Partial<Record<keyof typeof vectorHeaders, string>>,
  body = vector.body,
  secret = vector.secret,
) => verifyWebhook(body, { ...vectorHeaders, ...overrides }, secret, atVectorTime);

async function failure(promise: Promise<unknown>): Promise<WebhookVerificationError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return error as WebhookVerificationError;
}

async function expectReason(promise: Promise<unknown>, reason: WebhookVerificationReason) {
  const error = await failure(promise);
  expect(error.reason, error.message).toBe(reason);
  return error;
}

describe("Standard Webhooks' test vector", () => {
  test("signWebhook reproduces its signature exactly", async () => {
    const headers = await signWebhook(vector.body, vector.secret, {
      id: vector.id,
      timestamp: vector.timestamp,
    });
    expect(headers).toEqual(vectorHeaders);
  });

  test("verifyWebhook accepts it and returns the parsed body, with or without whsec_", async () => {
    const bare = vector.secret.slice("whsec_".length);
    for (const secret of [vector.secret, bare]) {
      expect(await verifyWebhook(vector.body, vectorHeaders, secret, atVectorTime)).toEqual({
        test: 2432232314,
      });
    }
    const signedWithBare = await signWebhook(vector.body, bare, {
      id: vector.id,
      timestamp: new Date(vector.timestamp * 1000),
    });
    expect(signedWithBare["webhook-signature"]).toBe(vector.signature);
  });

  test("the body may be a string, a Buffer, a Uint8Array or an ArrayBuffer", async () => {
    const bytes = new TextEncoder().encode(vector.body);
    for (const body of [Buffer.from(vector.body), bytes, bytes.buffer]) {
      expect(await verifyWebhook(body, vectorHeaders, vector.secret, atVectorTime)).toEqual({
        test: 2432232314,
      });
    }
  });

  test("the headers may be a Headers, or Node's incoming headers in any case", async () => {
    const node: IncomingHttpHeaders = { ...vectorHeaders, "content-type": "application/json" };
    const mixedCase = { "Webhook-Id": vector.id, "WEBHOOK-TIMESTAMP": "1614265330" };
    const all: WebhookHeaders[] = [
      new Headers(vectorHeaders),
      node,
      { ...mixedCase, "Webhook-Signature": vector.signature },
      { ...vectorHeaders, "webhook-signature": ["v2,whatever", vector.signature] },
    ];
    for (const headers of all) {
      await expect(
        verifyWebhook(vector.body, headers, vector.secret, atVectorTime),
      ).resolves.toEqual({ test: 2432232314 });
    }
  });
});

describe("each part tampered with fails with its reason", () => {
  test("the body", async () => {
    await expectReason(verify({}, '{"test": 2432232315}'), "no-matching-signature");
    await expectReason(verify({}, `${vector.body} `), "no-matching-signature");
  });

  test("the id", async () => {
    await expectReason(verify({ "webhook-id": `${vector.id}x` }), "no-matching-signature");
  });

  test("the timestamp, within the tolerance and beyond it", async () => {
    const signed = String(vector.timestamp);
    await expectReason(
      verify({ "webhook-timestamp": `${vector.timestamp + 1}` }),
      "no-matching-signature",
    );
    await expectReason(
      verify({ "webhook-timestamp": `${vector.timestamp - 301}` }),
      "timestamp-too-old",
    );
    await expectReason(
      verify({ "webhook-timestamp": `${vector.timestamp + 301}` }),
      "timestamp-too-new",
    );
    await expectReason(verify({ "webhook-timestamp": `0${signed}` }), "no-matching-signature");
    for (const garbled of ["hello", "1614265330.5", "-1614265330", "1e9", "9".repeat(20)]) {
      const error = await expectReason(
        verify({ "webhook-timestamp": garbled }),
        "invalid-timestamp",
      );
      expect(error.header).toBe("webhook-timestamp");
    }
  });

  test("the signature", async () => {
    const [, encoded = ""] = vector.signature.split(",");
    const flipped = `${encoded[0] === "A" ? "B" : "A"}${encoded.slice(1)}`;
    await expectReason(verify({ "webhook-signature": `v1,${flipped}` }), "no-matching-signature");
    await expectReason(
      verify({ "webhook-signature": vector.signature.slice(0, 8) }),
      "no-matching-signature",
    );
    await expectReason(
      verify({ "webhook-signature": "v1,dawfeoifkpqwoekfpqoekf" }),
      "no-matching-signature",
    );
  });

  test("the secret", async () => {
    await expectReason(verify({}, vector.body, otherSecret), "no-matching-signature");
  });
});

describe("the timestamp's tolerance", () => {
  const verifyAt = (nowSeconds: number, toleranceSeconds?: number) =>
    verifyWebhook(vector.body, vectorHeaders, vector.secret, {
      now: () => nowSeconds * 1000,
      toleranceSeconds,
    });

  test("5 minutes either side by default, to the second", async () => {
    await expect(verifyAt(vector.timestamp + 300)).resolves.toBeDefined();
    await expect(verifyAt(vector.timestamp - 300)).resolves.toBeDefined();
    const old = await expectReason(verifyAt(vector.timestamp + 301), "timestamp-too-old");
    expect(old.message).toContain("301 s in the past");
    await expectReason(verifyAt(vector.timestamp - 301), "timestamp-too-new");
  });

  test("toleranceSeconds changes it", async () => {
    await expect(verifyAt(vector.timestamp + 3600, 3600)).resolves.toBeDefined();
    await expectReason(verifyAt(vector.timestamp + 11, 10), "timestamp-too-old");
    await expectReason(verifyAt(vector.timestamp - 1, 0), "timestamp-too-new");
  });

  test("a tolerance or a now that is not a number is the caller's mistake, a TypeError", async () => {
    await expect(verifyAt(vector.timestamp, -1)).rejects.toThrow(TypeError);
    await expect(verifyAt(vector.timestamp, Number.NaN)).rejects.toThrow(/toleranceSeconds/);
    const now = () => Number.NaN;
    await expect(verifyWebhook(vector.body, vectorHeaders, vector.secret, { now })).rejects.toThrow(
      /now\(\)/,
    );
  });
});

describe("several signatures", () => {
  test("any v1 entry may match, so secrets can rotate", async () => {
    const body = '{"eventName":"testing.testEvent"}';
    const signed = await signWebhook(body, otherSecret, { id: "msg_1" });
    const rotated = await signWebhook(body, vector.secret, {
      id: "msg_1",
      timestamp: Number(signed["webhook-timestamp"]),
    });
    const both = `${signed["webhook-signature"]} ${rotated["webhook-signature"]}`;
    const headers = { ...signed, "webhook-signature": both };
    for (const secret of [otherSecret, vector.secret]) {
      expect(await verifyWebhook(body, headers, secret)).toEqual({
        eventName: "testing.testEvent",
      });
    }
  });

  test("entries of another version are ignored, even with the right bytes", async () => {
    const [, encoded] = vector.signature.split(",");
    const others = `v1a,${encoded} v2,${encoded} ${encoded} v1,`;
    await expectReason(verify({ "webhook-signature": others }), "no-matching-signature");
    const withV1 = `${others} ${vector.signature}`;
    await expect(verify({ "webhook-signature": withV1 })).resolves.toEqual({ test: 2432232314 });
  });

  test("a header sent twice, joined by Headers with a comma, still verifies", async () => {
    const headers = new Headers(vectorHeaders);
    headers.set("webhook-signature", "v1,AAAA");
    headers.append("webhook-signature", vector.signature);
    expect(headers.get("webhook-signature")).toBe(`v1,AAAA, ${vector.signature}`);
    await expect(
      verifyWebhook(vector.body, headers, vector.secret, atVectorTime),
    ).resolves.toBeDefined();
  });
});

describe("hostile or broken input gets a clear error, never a crash", () => {
  test.for(["webhook-id", "webhook-timestamp", "webhook-signature"] as const)(
    "%s missing, empty or blank",
    async (name) => {
      for (const value of [undefined, "", "   ", []]) {
        const headers = { ...vectorHeaders, [name]: value };
        const error = await expectReason(
          verifyWebhook(vector.body, headers, vector.secret, atVectorTime),
          "missing-header",
        );
        expect(error.header).toBe(name);
        expect(error.message).toContain(name);
      }
    },
  );

  test("a header value that is not text is read as text", async () => {
    const numeric = { ...vectorHeaders, "webhook-timestamp": vector.timestamp } as unknown;
    await expect(
      verifyWebhook(vector.body, numeric as WebhookHeaders, vector.secret, atVectorTime),
    ).resolves.toEqual({ test: 2432232314 });
    const objectId = { ...vectorHeaders, "webhook-id": { id: vector.id } } as unknown;
    await expectReason(
      verifyWebhook(vector.body, objectId as WebhookHeaders, vector.secret, atVectorTime),
      "no-matching-signature",
    );
  });

  test("a huge signature header is refused before its signatures are tried", async () => {
    const huge = Array.from({ length: 50_000 }, () => vector.signature).join(" ");
    const error = await expectReason(verify({ "webhook-signature": huge }), "too-many-signatures");
    expect(error.message).toContain("50000 v1 signatures");
    const garbage = "x".repeat(1_000_000);
    await expectReason(verify({ "webhook-signature": garbage }), "no-matching-signature");
  });

  test("a huge id is signed and verified like any other", async () => {
    const id = "m".repeat(100_000);
    const headers = await signWebhook(vector.body, vector.secret, { id });
    await expect(verifyWebhook(vector.body, headers, vector.secret)).resolves.toBeDefined();
  });

  test("a body that is signed but not a JSON object: invalid-json, after the signature", async () => {
    for (const body of [
      "",
      "not json",
      "[1,2]",
      "42",
      "null",
      new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]),
    ]) {
      const headers = await signWebhook(body, vector.secret);
      const error = await expectReason(verifyWebhook(body, headers, vector.secret), "invalid-json");
      expect(error.message).not.toContain("not json");
    }
    const signed = await signWebhook("not json", vector.secret);
    await expectReason(verifyWebhook("not json", signed, otherSecret), "no-matching-signature");
  });

  test("a secret that is missing, empty or not base64 is a TypeError that says so", async () => {
    const headers = await signWebhook(vector.body, vector.secret);
    for (const secret of [
      undefined,
      "",
      "whsec_",
      "whsec_not base64!",
      "whsec_****",
      ` ${vector.secret}`,
    ]) {
      const error = await verifyWebhook(vector.body, headers, secret as string).catch(
        (thrown: unknown) => thrown,
      );
      expect(error, String(secret)).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/webhook secret/);
      if (secret && secret.length > "whsec_".length) {
        expect((error as Error).message).not.toContain(secret.trim());
      }
    }
    await expect(signWebhook(vector.body, "whsec_***")).rejects.toThrow(TypeError);
  });

  test("a parsed body or headers that are not an object are TypeErrors that say what to pass", async () => {
    const headers = await signWebhook(vector.body, vector.secret);
    const parsed = JSON.parse(vector.body) as unknown as string;
    await expect(verifyWebhook(parsed, headers, vector.secret)).rejects.toThrow(/raw body/);
    await expect(
      verifyWebhook(vector.body, null as unknown as Headers, vector.secret),
    ).rejects.toThrow(/headers/);
  });

  test("signWebhook refuses a timestamp that is no time", async () => {
    for (const timestamp of [Number.NaN, -1, new Date(Number.NaN), Number.POSITIVE_INFINITY]) {
      await expect(signWebhook(vector.body, vector.secret, { timestamp })).rejects.toThrow(
        TypeError,
      );
    }
  });
});

test("signWebhook's defaults: a fresh msg_ id and now, which verifyWebhook accepts", async () => {
  const first = await signWebhook(vector.body, vector.secret);
  const second = await signWebhook(vector.body, vector.secret);
  expect(first["webhook-id"]).toMatch(/^msg_[0-9a-f-]{36}$/);
  expect(second["webhook-id"]).not.toBe(first["webhook-id"]);
  expect(Math.abs(Number(first["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(5);
  await expect(verifyWebhook(vector.body, first, vector.secret)).resolves.toEqual({
    test: 2432232314,
  });
});
