import { type Operation, operations } from "@loops-contract/spec";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunningMock, startMock } from "../dist/index.js";
import { expectDocumented, json, type Observed, send, validBody } from "./support/requests.js";

// The documented limit (10 a second per key) is what `rateLimit: true` and `--rate-limit` use.
let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ rateLimit: true });
});
afterAll(async () => {
  await mock?.stop();
});

/** An operation the client can call with a body alone: no path parameters. */
const callable = operations.find(
  (operation) => operation.pathParameters.length === 0 && operation.requestBody?.examples.length,
) as Operation;

function sendAll(count: number, key: string, scheme = "Bearer"): Promise<Observed[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      send(mock.url, callable, {
        headers: { ...json, authorization: `${scheme} ${key}` },
        body: validBody(callable),
      }),
    ),
  );
}

describe("rate limiting (opt-in)", () => {
  test("x-ratelimit-remaining counts down per key; past the limit a 429 with the contract's body and headers", async () => {
    const answers = await sendAll(12, "countdown-key");
    const limit = Number(answers[0]?.headers.get("x-ratelimit-limit"));
    expect(limit).toBe(10);
    const passed = answers.filter((answer) => answer.status < 300);
    expect(passed.map((a) => Number(a.headers.get("x-ratelimit-remaining"))).sort()).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused).toHaveLength(2);
    const documented = callable.responses.find((response) => response.status === "429");
    for (const answer of refused) {
      expectDocumented(callable, answer, "429");
      expect(answer.headers.get("x-ratelimit-remaining")).toBe("0");
      expect(JSON.parse(answer.text)).toEqual(documented?.body?.examples[0]?.value);
    }
    // Another key has its own window.
    const [other] = await sendAll(1, "another-key");
    expect(other?.status).toBeLessThan(300);
    expect(other?.headers.get("x-ratelimit-remaining")).toBe("9");
  });

  test("the window is the key's, however its scheme is written", async () => {
    const [first] = await sendAll(1, "one-window-key");
    const [second] = await sendAll(1, "one-window-key", "bearer ");
    expect(first?.headers.get("x-ratelimit-remaining")).toBe("9");
    expect(second?.headers.get("x-ratelimit-remaining")).toBe("8");
  });
});
