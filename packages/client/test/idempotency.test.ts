// Sends the contract marks `x-idempotency-key`: one key per call, on every attempt of it, so a
// retry after a 5xx, a timeout or a dropped connection cannot do the work twice.
import { operations } from "@loops-contract/spec";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ConflictError,
  IdempotencyKeyReusedError,
  type LoopsClient,
  LoopsError,
} from "../src/index.js";
import { examples } from "./contract-examples.gen.js";
import {
  clientWith,
  hangingFetch,
  jsonResponse,
  networkFailure,
  rejectionOf,
  scriptedFetch,
  sentRequest,
} from "./helpers.js";

const keyed = operations.filter((operation) => operation.idempotencyKey !== undefined);
const serverError = () => jsonResponse(500, { message: "Internal error." });
const used = () => jsonResponse(409, { success: false, message: "Idempotency key already used." });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test("the contract marks sends with a key of bounded length", () => {
  expect(keyed.length).toBeGreaterThan(0);
  for (const { idempotencyKey } of keyed) expect(idempotencyKey?.maxLength).toBeGreaterThan(0);
});

describe.each(keyed)("$operationId", ({ operationId, idempotencyKey }) => {
  const id = operationId as keyof typeof examples;
  const header = idempotencyKey?.header as string;
  const maxLength = idempotencyKey?.maxLength as number;
  const entry = examples[id] as { request?: Record<string, unknown>; success: object };
  const body = Object.values(entry.request ?? {})[0];
  const success = () => jsonResponse(200, Object.values(entry.success)[0]);
  const send = (loops: LoopsClient, idempotencyKey?: string) =>
    loops.call(id as never, { body } as never, { idempotencyKey });
  const keysSent = (fetch: { mock: { calls: unknown[][] } }) =>
    fetch.mock.calls.map((_, index) => sentRequest(fetch, index).headers.get(header));

  test("makes a v4 UUID per call and sends it on every retry of that call", async () => {
    const fetch = scriptedFetch(serverError, () => networkFailure(), success);
    const outcome = send(clientWith(fetch));
    await vi.runAllTimersAsync();
    await outcome;
    const keys = keysSent(fetch);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(UUID);
    expect(new Set(keys).size).toBe(1);

    const next = scriptedFetch(success);
    await send(clientWith(next));
    expect(keysSent(next)[0]).not.toBe(keys[0]);
  });

  test("retries a timeout with the same key", async () => {
    const fetch = hangingFetch();
    const outcome = rejectionOf(send(clientWith(fetch, { timeoutMs: 1000 }), "key-1"));
    await vi.runAllTimersAsync();
    await outcome;
    expect(keysSent(fetch)).toEqual(["key-1", "key-1", "key-1"]);
  });

  test("keeps the caller's key, up to the contract's length", async () => {
    const key = "k".repeat(maxLength);
    const fetch = scriptedFetch(serverError, success);
    const outcome = send(clientWith(fetch), key);
    await vi.runAllTimersAsync();
    await outcome;
    expect(keysSent(fetch)).toEqual([key, key]);
  });

  test.each([
    ["longer than the contract allows", "k".repeat(maxLength + 1)],
    ["empty", ""],
  ])("refuses a key %s before any request", async (_case, key) => {
    const fetch = scriptedFetch(success);
    const error = await rejectionOf(send(clientWith(fetch), key));
    expect(error).toBeInstanceOf(LoopsError);
    expect((error as Error).message).toContain(`idempotencyKey must be 1 to ${maxLength}`);
    expect(fetch).not.toHaveBeenCalled();
  });

  test("a 409 on the first attempt is a plain ConflictError: the key was used by another call", async () => {
    const fetch = scriptedFetch(used);
    const error = await rejectionOf(send(clientWith(fetch), "key-1"));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).not.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test("a 409 after only 429s is a plain ConflictError: Loops refused those attempts unread", async () => {
    const limited = () => jsonResponse(429, { message: "Too many." }, { "Retry-After": "1" });
    const fetch = scriptedFetch(limited, used);
    const outcome = rejectionOf(send(clientWith(fetch), "key-1"));
    await vi.runAllTimersAsync();
    const error = await outcome;
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).not.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  test("a 409 on a retry is an IdempotencyKeyReusedError: an earlier attempt reached Loops", async () => {
    const fetch = scriptedFetch(serverError, used, success);
    const outcome = rejectionOf(send(clientWith(fetch), "key-1"));
    await vi.runAllTimersAsync();
    const error = await outcome;
    expect(error).toBeInstanceOf(IdempotencyKeyReusedError);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({
      name: "IdempotencyKeyReusedError",
      status: 409,
      idempotencyKey: "key-1",
      attempts: 2,
      body: { message: "Idempotency key already used." },
    });
    expect((error as Error).message).toMatch(/An earlier attempt reached Loops/);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});

test("an idempotencyKey for an operation without one is refused before any request", async () => {
  const unkeyed = operations.find((operation) => operation.idempotencyKey === undefined);
  const fetch = scriptedFetch(() => jsonResponse(200, {}));
  const error = await rejectionOf(
    clientWith(fetch).call(unkeyed?.operationId as never, {} as never, { idempotencyKey: "k" }),
  );
  expect(error).toBeInstanceOf(LoopsError);
  expect((error as Error).message).toBe(`${unkeyed?.operationId} takes no idempotencyKey.`);
  expect(fetch).not.toHaveBeenCalled();
});
