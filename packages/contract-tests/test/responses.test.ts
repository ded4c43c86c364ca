import {
  AuthenticationError,
  BadRequestError,
  MethodNotAllowedError,
  NotFoundError,
  RateLimitError,
} from "@loops-contract/client";
import { describe, expect, test } from "vitest";
import { responses } from "./support/contract.js";
import {
  againstMock,
  clientFor,
  type Exchange,
  expectConformingRequest,
  expectConformingResponse,
  sendRaw,
} from "./support/exchange.js";

const errorClassFor = {
  400: BadRequestError,
  401: AuthenticationError,
  404: NotFoundError,
  405: MethodNotAllowedError,
  429: RateLimitError,
} as const;

const minimal = { name: "Spring announcement" };
const needsPrefer = "needs the mock's Prefer header (CONTRACT_BASE_URL is set)";

/** One case per documented status and named example: Prism's `Prefer` picks the answer. */
const cases = responses.flatMap((response) => {
  const examples: Array<[string | undefined, unknown]> =
    response.examples.length > 0 ? response.examples : [[undefined, undefined]];
  return examples.map(([example, value]) => ({
    status: response.status,
    example,
    value,
    prefer:
      example === undefined
        ? `code=${response.status}`
        : `code=${response.status}, example=${example}`,
  }));
});

describe("every documented status is reached and conforms", () => {
  test("the contract documents the statuses the client handles", () => {
    expect(responses.map((response) => response.status).sort()).toEqual([
      201, 400, 401, 404, 405, 429,
    ]);
  });

  test.skipIf(!againstMock).each(cases)(
    `Prefer: $prefer (raw fetch) — ${againstMock ? "mock" : needsPrefer}`,
    async ({ status, example, value, prefer }) => {
      const observed = await sendRaw({ body: JSON.stringify(minimal), prefer });
      expect(observed.status).toBe(status);
      expectConformingResponse(observed, prefer);
      if (example !== undefined) expect(JSON.parse(observed.text)).toEqual(value);
    },
  );

  test.skipIf(!againstMock).each(cases)(
    `Prefer: $prefer — the client's outcome — ${againstMock ? "mock" : needsPrefer}`,
    async ({ status, example, value, prefer }) => {
      const exchanges: Exchange[] = [];
      const client = clientFor(exchanges, { headers: { Prefer: prefer } });
      const outcome = await client.campaigns.create(minimal).then(
        (campaign) => ({ campaign }),
        (error: unknown) => ({ error }),
      );
      expect(exchanges).toHaveLength(1);
      const [exchange] = exchanges as [Exchange];
      expectConformingRequest(exchange);
      expectConformingResponse(exchange.response, prefer);

      if (status === 201) {
        expect("campaign" in outcome && outcome.campaign).toEqual(
          JSON.parse(exchange.response.text),
        );
        if (example !== undefined) expect("campaign" in outcome && outcome.campaign).toEqual(value);
        return;
      }
      const error = "error" in outcome ? outcome.error : undefined;
      expect(error).toBeInstanceOf(errorClassFor[status as keyof typeof errorClassFor]);
      const apiError = error as InstanceType<(typeof errorClassFor)[keyof typeof errorClassFor]>;
      expect(apiError.status).toBe(status);
      expect(apiError.message.length).toBeGreaterThan(0);
      if (example !== undefined) expect(apiError.body).toEqual(value);
      if (apiError instanceof RateLimitError) {
        expect(apiError.limit).toBe(Number(exchange.response.headers.get("x-ratelimit-limit")));
        expect(apiError.remaining).toBe(
          Number(exchange.response.headers.get("x-ratelimit-remaining")),
        );
      }
    },
  );

  test.skipIf(!againstMock)(
    `a 429 is retried by the client, then surfaced — ${againstMock ? "mock" : needsPrefer}`,
    async () => {
      const exchanges: Exchange[] = [];
      const client = clientFor(exchanges, { headers: { Prefer: "code=429" }, maxRetries: 1 });
      await expect(client.campaigns.create(minimal)).rejects.toBeInstanceOf(RateLimitError);
      expect(exchanges.map((exchange) => exchange.response.status)).toEqual([429, 429]);
      for (const exchange of exchanges) expectConformingResponse(exchange.response, "429 retry");
    },
  );

  test("a wrong method is 405 with no body, on any server", async () => {
    for (const method of ["PUT", "DELETE", "PATCH"]) {
      const observed = await sendRaw({ method });
      expect(observed.status, method).toBe(405);
      expectConformingResponse(observed, method);
    }
  });
});
