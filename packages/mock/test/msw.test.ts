// The mock as MSW handlers, in this test process's own fetch: what users put in `setupServer`.
import { contract, operations } from "@loops-contract/spec";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { loopsHandlers } from "../dist/msw.js";
import { freshKey, operationFor, productionUrl } from "./support/sandbox.js";

const handlers = loopsHandlers();
const server = setupServer(...handlers);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => handlers.reset());
afterAll(() => server.close());

const create = operationFor("campaign", "create");
const get = operationFor("campaign", "read");

test("a create through plain fetch is remembered, under the production URL", async () => {
  const key = freshKey();
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const created = await fetch(`${productionUrl}${create.path}`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "Through MSW" }),
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const read = await fetch(`${productionUrl}${get.path.replace(/\{[^}]+\}/, id)}`, { headers });
  expect(await read.json()).toMatchObject({ id, name: "Through MSW" });
});

test("every operation of the contract is handled, under every server URL", async () => {
  const handled = handlers.map((handler) => handler.info.header);
  for (const server of contract.servers as Array<{ url: string }>) {
    for (const operation of operations) {
      const path = `${server.url}${operation.path.replace(/\{([^}]+)\}/g, ":$1")}`;
      expect(
        handled.some((header) => header.endsWith(` ${path}`)),
        path,
      ).toBe(true);
    }
  }
});

test("a Loops path the contract lacks is left to onUnhandledRequest", async () => {
  await expect(fetch(`${productionUrl}/v1/themes`, { method: "GET" })).rejects.toThrow();
});

test("the clock and reset act on the handlers' own sandbox", async () => {
  const key = freshKey();
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const before = handlers.advanceClock(key, 0);
  const created = await fetch(`${productionUrl}${create.path}`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "Later" }),
  });
  const { createdAt } = (await created.json()) as { createdAt: string };
  expect(Date.parse(createdAt)).toBeGreaterThanOrEqual(before);
  handlers.advanceClock(key, 60_000);
  const later = await fetch(`${productionUrl}${create.path}`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "Later still" }),
  });
  expect(
    Date.parse(((await later.json()) as { createdAt: string }).createdAt),
  ).toBeGreaterThanOrEqual(before + 60_000);
});

/** Creates a campaign on a key of its own through MSW; `read()` gets it again. */
async function createdThroughMsw(name: string) {
  const key = freshKey();
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const created = await fetch(`${productionUrl}${create.path}`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name }),
  });
  const { id } = (await created.json()) as { id: string };
  return { read: () => fetch(`${productionUrl}${get.path.replace(/\{[^}]+\}/, id)}`, { headers }) };
}

test("server.resetHandlers() alone leaves msw 2's sandbox as it was; handlers.reset() resets it", async () => {
  const { read } = await createdThroughMsw("Kept");
  server.resetHandlers(); // msw 2 has no hook that tells a handler
  expect((await read()).status).toBe(200);
  handlers.reset();
  expect((await read()).status).toBe(404);
});

test("each handler's reset(), the hook msw 3 calls on server.resetHandlers(), resets the sandbox", async () => {
  const { read } = await createdThroughMsw("Reset by a hook");
  (handlers.at(-1) as unknown as { reset(): void }).reset();
  expect((await read()).status).toBe(404);
});

test("the handlers keep the journal and the outbox, and waitFor hears a send made after it", async () => {
  const key = freshKey();
  const send = operations.find((operation) => operation.sandbox?.outbox?.kind === "transactional");
  const welcome = send?.requestBody?.examples[0]?.value as Record<string, unknown>;
  const sent = handlers.waitFor(key, { to: "msw@example.com" });
  await fetch(`${productionUrl}${send?.path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ ...welcome, email: "msw@example.com" }),
  });
  expect((await sent).operationId).toBe(send?.operationId);
  expect(handlers.outbox(key)).toHaveLength(1);
  expect(handlers.journal(key)).toEqual([
    expect.objectContaining({ operationId: send?.operationId, status: 200, answeredBy: "sandbox" }),
  ]);
});
