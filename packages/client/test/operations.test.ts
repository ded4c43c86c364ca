// Every generated method, walked from the generated table: what it sends, what it resolves to, how
// it treats its path parameters, and which failures it retries by default.
import { operations } from "@loops-contract/spec";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  APIConnectionError,
  InternalServerError,
  type LoopsClient,
  LoopsError,
  RateLimitError,
} from "../src/index.js";
import { resources } from "../src/resources.gen.js";
import { examples } from "./contract-examples.gen.js";
import {
  BASE_URL,
  clientWith,
  jsonResponse,
  networkFailure,
  scriptedFetch,
  sentRequest,
} from "./helpers.js";

interface OperationExamples {
  request?: Record<string, unknown>;
  status: number;
  success: Record<string, unknown>;
}

const methods = Object.entries(resources).flatMap(([namespace, members]) =>
  Object.entries(members).map(([name, descriptor]) => {
    const contract = operations.find(
      (operation) => operation.operationId === descriptor.operationId,
    );
    if (!contract) throw new Error(`${descriptor.operationId} is not in the contract`);
    const own = (examples as unknown as Record<string, OperationExamples>)[descriptor.operationId];
    if (!own) throw new Error(`no examples for ${descriptor.operationId}`);
    return {
      label: `${namespace}.${name}`,
      descriptor,
      contract,
      requestBody: own.request && Object.values(own.request)[0],
      respond: () => jsonResponse(own.status, Object.values(own.success)[0]),
      invoke: (loops: LoopsClient, args: unknown[]) =>
        (Reflect.get(Reflect.get(loops, namespace), name) as (...args: unknown[]) => unknown)(
          ...args,
        ) as PromiseLike<unknown>,
    };
  }),
);
type Method = (typeof methods)[number];

/** Valid arguments in the generated order: path parameters, body, query. */
function argumentsFor(method: Method, pathValue: string, options?: object): unknown[] {
  const args: unknown[] = method.contract.pathParameters.map(() => pathValue);
  if (method.descriptor.body) args.push(method.requestBody);
  if (method.descriptor.query) args.push({});
  if (options) args.push(options);
  return args;
}

test("every operation of the contract has exactly one method", () => {
  expect(methods.map(({ descriptor }) => descriptor.operationId).sort()).toEqual(
    operations.map(({ operationId }) => operationId).sort(),
  );
});

describe.each(methods)("$label", (method) => {
  const { descriptor, contract } = method;

  test("sends its method and path, with the API key and the example body", async () => {
    const fetch = scriptedFetch(method.respond);
    const result = await method.invoke(clientWith(fetch), argumentsFor(method, "abc_123"));
    const request = sentRequest(fetch);
    expect(request.method).toBe(descriptor.method.toUpperCase());
    expect(request.url).toBe(`${BASE_URL}${contract.path.replaceAll(/\{[^}]+\}/g, "abc_123")}`);
    expect(request.headers.get("Authorization")).toMatch(/^Bearer /);
    if (method.requestBody === undefined) expect(request.body).toBeNull();
    else expect(await request.json()).toEqual(method.requestBody);
    expect(result).toEqual(await method.respond().json());
  });

  test("resolves to the same through call(operationId)", async () => {
    const loops = clientWith(scriptedFetch(method.respond));
    const input = {
      path: Object.fromEntries(contract.pathParameters.map(({ name }) => [name, "abc_123"])),
      body: method.requestBody,
    };
    await expect(loops.call(descriptor.operationId as never, input as never)).resolves.toEqual(
      await method.respond().json(),
    );
  });

  if (contract.pathParameters.length > 0) {
    test("percent-encodes its path parameters", async () => {
      const fetch = scriptedFetch(method.respond);
      await method.invoke(clientWith(fetch), argumentsFor(method, "a/b?c#d %"));
      expect(sentRequest(fetch).url).toContain("/a%2Fb%3Fc%23d%20%25");
    });

    test.each(["", ".", ".."])(
      "refuses the path parameter %j before any request",
      async (value) => {
        const fetch = scriptedFetch(method.respond);
        const outcome = method.invoke(clientWith(fetch), argumentsFor(method, value));
        await expect(outcome).rejects.toThrow(LoopsError);
        await expect(outcome).rejects.toThrow(
          `${contract.pathParameters[0]?.name} must be a non-empty string`,
        );
        expect(fetch).not.toHaveBeenCalled();
      },
    );
  }
});

describe("which failures each operation retries", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const serverError = () => jsonResponse(500, { message: "Internal error." });
  const dropped = () => networkFailure();

  async function attempts(
    method: Method,
    fail: () => Response | Promise<Response>,
    retryOnServerErrors?: boolean,
  ) {
    const fetch = scriptedFetch(fail, method.respond);
    const loops = clientWith(
      fetch,
      retryOnServerErrors === undefined ? {} : { retryOnServerErrors },
    );
    const outcome = Promise.resolve(method.invoke(loops, argumentsFor(method, "abc_123"))).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    await vi.runAllTimersAsync();
    return { outcome: await outcome, calls: fetch.mock.calls.length };
  }

  describe.each(methods)("$label", (method) => {
    const { idempotent } = method.descriptor;

    test.each([
      ["a 5xx", serverError, InternalServerError],
      ["a dropped connection", dropped, APIConnectionError],
    ])(
      `%s: ${idempotent ? "retried (x-idempotent)" : "not retried (not x-idempotent)"} by default`,
      async (_case, fail, ErrorClass) => {
        const { outcome, calls } = await attempts(method, fail);
        expect(calls).toBe(idempotent ? 2 : 1);
        if (!idempotent) expect(outcome).toMatchObject({ error: expect.any(ErrorClass) });
      },
    );

    test("a 5xx: retried with retryOnServerErrors: true, never with false", async () => {
      expect((await attempts(method, serverError, true)).calls).toBe(2);
      expect((await attempts(method, serverError, false)).calls).toBe(1);
    });

    test("a 429 with requests left (a daily cap, not the per-second limit): not retried", async () => {
      const capped = () =>
        jsonResponse(
          429,
          { message: "Daily limit reached." },
          { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "7" },
        );
      const { outcome, calls } = await attempts(method, capped, true);
      expect(calls).toBe(1);
      expect(outcome).toMatchObject({ error: expect.any(RateLimitError) });
      expect(outcome).toMatchObject({ error: { remaining: 7 } });
    });

    test("a 409 is never retried, whatever retryOnServerErrors says", async () => {
      const conflict = () => jsonResponse(409, { message: "Conflict." });
      expect((await attempts(method, conflict, true)).calls).toBe(1);
    });
  });
});
