import { RateLimitError } from "@loops-contract/client";
import { describe, expect, test } from "vitest";
import {
  examplePathParameters,
  firstRequestExample,
  label,
  methodsOnPath,
  operations,
  paths,
} from "./support/contract.js";
import {
  againstMock,
  callClient,
  type Exchange,
  expectConformingRequest,
  expectConformingResponse,
  expectTypedError,
  methodName,
  sendRaw,
} from "./support/exchange.js";

const needsPrefer = againstMock ? "" : " — skipped: needs the mock's Prefer header";

/** One case per operation, documented status and named example: Prism's `Prefer` picks the answer. */
const cases = operations.flatMap((operation) =>
  operation.responses.flatMap((response) => {
    const examples: Array<{ name: string | undefined; value: unknown }> =
      response.body && response.body.examples.length > 0
        ? response.body.examples
        : [{ name: undefined, value: undefined }];
    return examples.map(({ name, value }) => ({
      operation,
      title: label(operation),
      status: Number(response.status),
      example: name,
      value,
      prefer:
        name === undefined ? `code=${response.status}` : `code=${response.status}, example=${name}`,
    }));
  }),
);

describe("every documented status is reached and conforms", () => {
  test.each(operations)(
    "$operationId documents 401, 405, 429, and 400 if it takes input",
    (operation) => {
      const statuses = operation.responses.map((response) => response.status);
      expect(statuses).toEqual(expect.arrayContaining(["401", "405", "429"]));
      const takesInput =
        operation.requestBody !== undefined ||
        operation.pathParameters.length + operation.queryParameters.length > 0;
      expect(statuses.includes("400")).toBe(takesInput);
      expect(statuses.some((status) => /^2\d\d$/.test(status))).toBe(true);
    },
  );

  test.each(
    operations.flatMap((operation) =>
      operation.responses.map((response) => ({ operation, response })),
    ),
  )(
    "$operation.operationId $response.status: every documented body has a named example",
    ({ response }) => {
      if (response.body) expect(response.body.examples.length).toBeGreaterThan(0);
      else expect(response.status).toBe("405");
    },
  );

  test.skipIf(!againstMock).each(cases)(
    `$title Prefer: $prefer (raw fetch)${needsPrefer}`,
    async ({ operation, status, example, value, prefer }) => {
      const body = firstRequestExample(operation);
      const observed = await sendRaw(operation, {
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        prefer,
      });
      expect(observed.status).toBe(status);
      expectConformingResponse(operation, observed, prefer);
      if (example !== undefined) expect(JSON.parse(observed.text)).toEqual(value);
    },
  );

  test
    .skipIf(!againstMock)
    .each(cases.map((testCase) => ({ ...testCase, method: methodName(testCase.operation) })))(
    `$title Prefer: $prefer — $method's outcome${needsPrefer}`,
    async ({ operation, status, example, value, prefer }) => {
      const { outcome, exchanges } = await callClient(
        operation,
        { pathParameters: examplePathParameters(operation), body: firstRequestExample(operation) },
        { headers: { Prefer: prefer } },
      );
      expect(exchanges).toHaveLength(1);
      const [exchange] = exchanges as [Exchange];
      expectConformingRequest(operation, exchange);
      expectConformingResponse(operation, exchange.response, prefer);

      if (status < 300) {
        expect(outcome).toEqual({ value: JSON.parse(exchange.response.text) });
        if (example !== undefined) expect(outcome).toEqual({ value });
        return;
      }
      const error = expectTypedError(outcome, status, exchange);
      if (example !== undefined) expect(error.body).toEqual(value);
      if (error instanceof RateLimitError) {
        expect(error.limit).toBe(Number(exchange.response.headers.get("x-ratelimit-limit")));
        expect(error.remaining).toBe(
          Number(exchange.response.headers.get("x-ratelimit-remaining")),
        );
      }
    },
  );

  test.skipIf(!againstMock).each(operations)(
    `$operationId: a 429 is retried once when no request is left in the window, else surfaced at once${needsPrefer}`,
    async (operation) => {
      const { outcome, exchanges } = await callClient(
        operation,
        { pathParameters: examplePathParameters(operation), body: firstRequestExample(operation) },
        { headers: { Prefer: "code=429" }, maxRetries: 1 },
      );
      expect("error" in outcome && outcome.error).toBeInstanceOf(RateLimitError);
      const first = (exchanges[0] as Exchange).response;
      // Requests left means it is not the per-second limit (a daily cap, say): waiting will not help.
      const retried = first.headers.get("x-ratelimit-remaining") === "0";
      expect(exchanges.map((exchange) => exchange.response.status)).toEqual(
        retried ? [429, 429] : [429],
      );
      for (const exchange of exchanges) {
        expectConformingResponse(operation, exchange.response, "429 retry");
      }
    },
  );

  /** Per path, the methods none of its operations takes: each must be a 405 without a body. */
  const wrongMethods = paths.flatMap((path) =>
    ["GET", "POST", "PUT", "DELETE", "PATCH"]
      .filter((method) => !methodsOnPath(path).includes(method))
      .map((method) => ({
        path,
        method,
        operation: operations.find((operation) => operation.path === path),
      })),
  );

  test.each(wrongMethods)(
    "$method $path: 405 with no body, on any server",
    async ({ method, operation }) => {
      if (!operation) throw new Error("unreachable: every path comes from an operation");
      const observed = await sendRaw(operation, { method });
      expect(observed.status, method).toBe(405);
      expectConformingResponse(operation, observed, method);
    },
  );
});
