import { type RunningMock, startMock } from "@loops-contract/mock";
import { afterAll, beforeAll, expect, test } from "vitest";
import { firstRequestExample, type Operation, operations } from "./support/contract.js";
import { callClient, expectConformingResponse } from "./support/exchange.js";

// The mock's opt-in limiter (the documented requests per second per key), whatever server the
// rest of the suite runs against: only a local limiter can be driven past its limit on purpose.
let limited: RunningMock;
beforeAll(async () => {
  limited = await startMock({ rateLimit: true });
});
afterAll(async () => {
  await limited?.stop();
});

/** An operation the client can call with a body alone: no path parameters. */
const callable = operations.find(
  (operation) => operation.pathParameters.length === 0 && operation.requestBody?.examples.length,
) as Operation;

test("the client's 429 retry against the mock's limiter: it waits for the next window and every call succeeds", async () => {
  const limit = limited.rateLimit ?? 0;
  const calls = await Promise.all(
    Array.from({ length: limit + 2 }, () =>
      callClient(
        callable,
        { body: firstRequestExample(callable) },
        { baseUrl: limited.url, apiKey: "retry-key", maxRetries: 2 },
      ),
    ),
  );
  for (const { outcome } of calls) expect(outcome).toHaveProperty("value");
  const exchanges = calls.flatMap(({ exchanges }) => exchanges);
  const statuses = exchanges.map((exchange) => exchange.response.status);
  expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(2);
  expect(statuses.filter((status) => status < 300)).toHaveLength(limit + 2);
  for (const exchange of exchanges) expectConformingResponse(callable, exchange.response, "retry");
});
