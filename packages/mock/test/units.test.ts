import { invalidBodies, operations, validatorAt } from "@loops-contract/spec";
import { describe, expect, test } from "vitest";
import { coherentBody, freshId } from "../src/coherent.js";
import { explainFaults, fieldName } from "../src/faults.js";
import { parsePrefer } from "../src/prefer.js";
import { RateLimiter } from "../src/rate-limit.js";

describe("parsePrefer (Prism's code, example and dynamic preferences)", () => {
  test.each([
    [undefined, {}],
    ["", {}],
    ["code=404", { code: 404 }],
    ["code=400, example=noSendingDomain", { code: 400, example: "noSendingDomain" }],
    ["code=400; example=noSendingDomain", { code: 400, example: "noSendingDomain" }],
    ['example="send now, please"', { example: "send now, please" }],
    [" Code = 201 , EXAMPLE=sendNow", { code: 201, example: "sendNow" }],
    ["dynamic=true", { dynamic: true }],
    ["dynamic=false, code=201", { dynamic: false, code: 201 }],
    ["code=201, code=400", { code: 201 }],
    ["respond-async, wait=5, return=minimal", {}],
  ])("%j", (header, preferences) => {
    expect(parsePrefer(header)).toEqual({ ok: true, preferences });
  });

  test.each([
    ["code=abc", "code"],
    ["code=20", "code"],
    ["code=600", "code"],
    ["code", "code"],
    ["example=", "example"],
    ["dynamic=yes", "dynamic"],
  ])("%j is refused with a message naming %s", (header, name) => {
    const result = parsePrefer(header);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(`Prefer: ${name}`);
  });
});

describe("RateLimiter", () => {
  test("counts down per key within a one-second window, then refuses, then starts again", () => {
    let now = 1_000;
    const limiter = new RateLimiter(3, () => now);
    const remaining = [1, 2, 3, 4].map(() => limiter.take("a"));
    expect(remaining.map((state) => [state.remaining, state.exceeded])).toEqual([
      [2, false],
      [1, false],
      [0, false],
      [0, true],
    ]);
    expect(limiter.take("b")).toEqual({ limit: 3, remaining: 2, exceeded: false });
    now += 999;
    expect(limiter.take("a").exceeded).toBe(true);
    now += 1;
    expect(limiter.take("a")).toEqual({ limit: 3, remaining: 2, exceeded: false });
  });

  test("keeps memory flat: windows that have ended are swept once many keys were seen", () => {
    let now = 0;
    const limiter = new RateLimiter(1, () => now);
    for (let key = 0; key < 10_000; key += 1) limiter.take(String(key));
    now += 1_000;
    limiter.take("new");
    // Only the new key is left: a swept key starts a fresh window.
    expect(limiter.take("0")).toEqual({ limit: 1, remaining: 0, exceeded: false });
  });
});

const created = operations.flatMap((operation) =>
  operation.responses
    .filter((response) => response.status.startsWith("2") && response.body?.examples.length)
    .map((response) => ({ operation, response })),
);

describe("coherentBody", () => {
  test.each(created)(
    "$operation.operationId $response.status: a merge that would not validate sends the example unchanged",
    ({ response }) => {
      const body = response.body;
      if (body === undefined) throw new Error("filtered above");
      const example = body.examples[0]?.value as Record<string, unknown>;
      const validate = validatorAt(body.schemaPointer);
      const key = Object.keys(example)[0] as string;
      const broken = coherentBody({
        request: { [key]: { not: "valid" } },
        example,
        id: undefined,
        validate,
      });
      expect(broken).toBe(example);
      const kept = coherentBody({
        request: { notInTheExample: 1 },
        example,
        id: undefined,
        validate,
      });
      expect(kept).toEqual(example);
      expect(kept).not.toHaveProperty("notInTheExample");
    },
  );

  test("fresh ids look like Loops' and do not repeat", () => {
    const ids = new Set(Array.from({ length: 1000 }, freshId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^c[0-9a-z]{24}$/);
  });
});

describe("explainFaults", () => {
  test("field names are dotted paths: conditions.0.value", () => {
    expect(fieldName("/audienceFilter/conditions/0/value")).toBe(
      "audienceFilter.conditions.0.value",
    );
    expect(fieldName("/a~1b")).toBe("a/b");
  });

  const rows = operations.flatMap((operation) =>
    operation.requestBody
      ? invalidBodies(operation.operationId).map((row) => ({
          ...row,
          pointer: operation.requestBody?.schemaPointer as string,
        }))
      : [],
  );

  test.each(rows)(
    "$name: one fault at least, none of ajv's oneOf summaries",
    ({ pointer, body }) => {
      const faults = explainFaults(pointer, body);
      expect(faults.length).toBeGreaterThan(0);
      for (const fault of faults) expect(fault).not.toMatch(/oneOf|exactly one schema/);
    },
  );

  /** Whether `value` holds, anywhere, an object with `operator: between` and a string `value`. */
  function hasPlainBetween(value: unknown): boolean {
    if (typeof value !== "object" || value === null) return false;
    const record = value as Record<string, unknown>;
    if (record.operator === "between" && typeof record.value === "string") return true;
    return Object.values(record).some(hasPlainBetween);
  }

  test("`between` with a string value is blamed on the value's type, not called an unknown field", () => {
    const plainBetween = rows.filter(({ body }) => hasPlainBetween(body));
    expect(plainBetween.length).toBeGreaterThan(0);
    for (const { pointer, body } of plainBetween) {
      const faults = explainFaults(pointer, body).join("; ");
      expect(faults).toMatch(/\.value must be object, got string/);
      expect(faults).not.toMatch(/unknown field 'value'|found 'value'/);
    }
  });
});
