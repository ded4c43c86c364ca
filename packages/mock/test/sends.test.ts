// Transactional sends and idempotency keys in the sandbox (spec/SANDBOX.md): the email must be
// one the key holds, with its data variables; what was sent is logged without attachment data;
// a repeated Idempotency-Key is refused for 24 hours of the key's clock.
import { getOperation } from "@loops-contract/spec";
import { beforeAll, describe, expect, test } from "vitest";
import { createMockFetch, type MockFetch, maxBodyBytes } from "../dist/index.js";
import { call, exampleBody, freshKey, operationFor } from "./support/sandbox.js";

const send = operationFor("transactionalEmail", "send");
const sendEvent = getOperation("sendEvent");
const find = operationFor("contact", "find");
const header = String(send.idempotencyKey?.header);
const welcome = send.requestBody?.examples[0]?.value as {
  transactionalId: string;
  dataVariables: Record<string, string>;
};

let mock: MockFetch;
beforeAll(async () => {
  mock = await createMockFetch();
});

const address = () => `send-${Math.random().toString(36).slice(2)}@example.com`;
const hour = 60 * 60 * 1000;

describe("transactional sends", () => {
  test("an id the key does not hold is the documented 404, and nothing is logged", async () => {
    const key = freshKey();
    const body = { ...welcome, transactionalId: "no-such-email", email: address() };
    const refused = await call(mock, key, send, { body });
    expect([refused.status, refused.body]).toEqual([
      404,
      exampleBody(send, 404, "transactionalNotFound"),
    ]);
    expect(mock.log(key)).toEqual([]);
  });

  test("a declared data variable left out is the documented 400 naming it", async () => {
    const key = freshKey();
    const { confirmationUrl: _, ...rest } = welcome.dataVariables;
    const refused = await call(mock, key, send, {
      body: { ...welcome, email: address(), dataVariables: rest },
    });
    expect([refused.status, refused.body]).toEqual([
      400,
      exampleBody(send, 400, "missingVariables"),
    ]);
    const none = await call(mock, key, send, {
      body: { transactionalId: welcome.transactionalId, email: address() },
    });
    expect(none.body.message).toBe("Missing required data variable(s): confirmationUrl, firstName");
  });

  test("a send is logged with recipient, variables and attachment names, types and sizes, never data", async () => {
    const key = freshKey();
    const to = address();
    const sent = await call(mock, key, send, {
      body: {
        ...welcome,
        email: to,
        attachments: [{ filename: "a.txt", contentType: "text/plain", data: "aGVsbG8=" }],
      },
    });
    expect([sent.status, sent.body]).toEqual([200, exampleBody(send, 200, "sent")]);
    expect(mock.log(key)).toEqual([
      {
        operationId: send.operationId,
        at: expect.any(String),
        recordId: welcome.transactionalId,
        email: to,
        dataVariables: welcome.dataVariables,
        attachments: [{ filename: "a.txt", contentType: "text/plain", size: 5 }],
      },
    ]);
    // Without addToAudience the recipient is not a contact.
    expect((await call(mock, key, find, { query: { email: to } })).body).toEqual([]);
  });

  test("addToAudience creates the contact, once", async () => {
    const key = freshKey();
    const to = address();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const sent = await call(mock, key, send, {
        body: { ...welcome, email: to, addToAudience: true },
      });
      expect(sent.status).toBe(200);
    }
    const found = (await call(mock, key, find, { query: { email: to } })).body as unknown as Array<
      Record<string, unknown>
    >;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ email: to, subscribed: true, source: "API" });
  });
});

describe("body size", () => {
  const limit = Number(send.sandbox?.bodyLimit?.bytes);
  const withAttachment = (bytes: number) => ({
    ...welcome,
    email: address(),
    attachments: [
      { filename: "big.bin", contentType: "application/octet-stream", data: "A".repeat(bytes) },
    ],
  });

  test("a send with attachments takes up to 4 MB; past it, the 400 that says so, and nothing is logged", async () => {
    expect(limit).toBe(4 * 1024 * 1024);
    const key = freshKey();
    const fits = await call(mock, key, send, { body: withAttachment(limit - 1024) });
    expect(fits.status).toBe(200);
    expect(mock.log(key)[0]?.attachments).toEqual([
      {
        filename: "big.bin",
        contentType: "application/octet-stream",
        size: ((limit - 1024) / 4) * 3,
      },
    ]);
    const over = await call(mock, key, send, { body: withAttachment(limit) });
    expect([over.status, over.body]).toEqual([400, exampleBody(send, 400, "bodyTooLarge")]);
    expect(mock.log(key)).toHaveLength(1);
  });

  test("every other operation keeps the 1 MB cap", async () => {
    const create = operationFor("contact", "create");
    const big = await call(mock, freshKey(), create, {
      body: { email: address(), note: "x".repeat(maxBodyBytes) },
    });
    expect(big.status).toBe(400);
    expect(big.body.message).toBe(`Request body is over ${maxBodyBytes} bytes.`);
  });
});

const keyUsedMessage = "Idempotency key already used within the last 24 hours.";

describe("idempotency keys", () => {
  test("a key seen again within 24 hours of the key's clock is the documented 409, whatever the body; after, it is free", async () => {
    const key = freshKey();
    const headers = { [header]: crypto.randomUUID() };
    const body = { ...welcome, email: address() };
    expect((await call(mock, key, send, { body, headers })).status).toBe(200);
    // The documented body, its message saying what the sandbox checks: any reuse, not only
    // with a different body, as Loops' example words it.
    const conflict = { ...(exampleBody(send, 409, "keyUsed") as object), message: keyUsedMessage };
    const same = await call(mock, key, send, { body, headers });
    expect([same.status, same.body]).toEqual([409, conflict]);
    const other = await call(mock, key, send, { body: { ...body, email: address() }, headers });
    expect([other.status, other.body]).toEqual([409, conflict]);
    expect(mock.log(key)).toHaveLength(1);
    mock.advanceClock(key, 24 * hour);
    expect((await call(mock, key, send, { body, headers })).status).toBe(200);
  });

  test("keys are shared by the two send operations of an API key, and not across API keys", async () => {
    const key = freshKey();
    const headers = { [header]: crypto.randomUUID() };
    const to = address();
    expect((await call(mock, key, send, { body: { ...welcome, email: to }, headers })).status).toBe(
      200,
    );
    const event = await call(mock, key, sendEvent, {
      body: { email: to, eventName: "signup" },
      headers,
    });
    expect([event.status, event.body]).toEqual([
      409,
      { ...(exampleBody(sendEvent, 409, "keyUsed") as object), message: keyUsedMessage },
    ]);
    const elsewhere = await call(mock, freshKey(), sendEvent, {
      body: { email: to, eventName: "signup" },
      headers,
    });
    expect(elsewhere.status).toBe(200);
  });

  test("a refused send records nothing and spends no key", async () => {
    const key = freshKey();
    const headers = { [header]: crypto.randomUUID() };
    const refused = await call(mock, key, send, {
      body: { transactionalId: welcome.transactionalId, email: address() },
      headers,
    });
    expect(refused.status).toBe(400);
    expect(mock.log(key)).toEqual([]);
    const retried = await call(mock, key, send, {
      body: { ...welcome, email: address() },
      headers,
    });
    expect(retried.status).toBe(200);
  });

  test("without a key, the same send twice is two sends", async () => {
    const key = freshKey();
    const body = { ...welcome, email: address() };
    await call(mock, key, send, { body });
    await call(mock, key, send, { body });
    expect(mock.log(key)).toHaveLength(2);
  });

  test("keys kept per API key are capped like records, oldest first", async () => {
    const small = await createMockFetch({ limits: { recordsPerKey: 2 } });
    const key = freshKey();
    const keys = [1, 2, 3].map(() => crypto.randomUUID());
    for (const idempotencyKey of keys) {
      await call(small, key, send, {
        body: { ...welcome, email: address() },
        headers: { [header]: idempotencyKey },
      });
    }
    const oldest = await call(small, key, send, {
      body: { ...welcome, email: address() },
      headers: { [header]: String(keys[0]) },
    });
    expect(oldest.status).toBe(200);
    const newest = await call(small, key, send, {
      body: { ...welcome, email: address() },
      headers: { [header]: String(keys[2]) },
    });
    expect(newest.status).toBe(409);
  });
});
