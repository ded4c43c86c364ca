import {
  invalidBodies,
  type Operation,
  operations,
  resolve,
  validatorAt,
} from "@loops-contract/spec";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunningMock, startMock } from "../dist/index.js";
import { auth, concretePath, expectDocumented, json, send, validBody } from "./support/requests.js";

// Every operation of the contract, generically: whatever the bundle holds, one operation or many.
// These tables check each answer on its own, so they run stateless (a sandbox would answer a
// second update of one example revision with a 409, rightly); the fuzz runs against both.

let mock: RunningMock;
let sandboxMock: RunningMock;
beforeAll(async () => {
  [mock, sandboxMock] = await Promise.all([startMock({ stateless: true }), startMock()]);
});
afterAll(async () => {
  await Promise.all([mock?.stop(), sandboxMock?.stop()]);
});

const operationArbitrary = fc.constantFrom(...operations);
const withBody = operations.filter((operation) => operation.requestBody !== undefined);

const requestExamples = withBody.flatMap((operation) =>
  (operation.requestBody?.examples ?? []).map((example) => ({
    operation,
    name: `${operation.operationId} ${example.name}`,
    value: example.value,
  })),
);

const documentedAnswers = operations.flatMap((operation) =>
  operation.responses.flatMap((response) => {
    const examples = response.body?.examples ?? [];
    const prefers =
      examples.length === 0
        ? [{ prefer: `code=${response.status}`, value: undefined as unknown }]
        : examples.map((example) => ({
            prefer: `code=${response.status}, example=${example.name}`,
            value: example.value,
            // A header example named like the body example goes with it (the daily preview cap's
            // 429 shows requests left; the per-second one shows none).
            headers: Object.fromEntries(
              response.headers.flatMap((header) => {
                const named = header.examples.find((candidate) => candidate.name === example.name);
                return named ? [[header.name.toLowerCase(), String(named.value)]] : [];
              }),
            ),
          }));
    return prefers.map((entry) => ({
      operation,
      status: Number(response.status),
      name: `${operation.operationId} ${entry.prefer}`,
      ...entry,
    }));
  }),
);

const invalidRows = withBody.flatMap((operation) =>
  invalidBodies(operation.operationId).map((row) => ({
    operation,
    name: `${operation.operationId}: ${row.name}`,
    body: row.body,
  })),
);

function topLevelStringFields(value: unknown): string[] {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.entries(value)
        .filter(([, field]) => typeof field === "string")
        .map(([key]) => key)
    : [];
}

describe("every operation", () => {
  test("the mock serves every operation of the bundle", () => {
    expect(operations.length).toBeGreaterThan(0);
    expect(mock.operationCount).toBe(operations.length);
  });

  test.each(requestExamples)(
    "accepts the request example $name, answering as documented",
    async ({ operation, value }) => {
      const observed = await send(mock.url, operation, { body: JSON.stringify(value) });
      expect(observed.status, observed.text).toBeGreaterThanOrEqual(200);
      expect(observed.status, observed.text).toBeLessThan(300);
      expectDocumented(operation, observed, "example");
    },
  );

  test.each(documentedAnswers)(
    "reaches $name with Prefer, the example verbatim and the documented headers",
    async ({ operation, status, prefer, value, ...entry }) => {
      const observed = await send(mock.url, operation, {
        headers: { ...json, prefer },
        body: validBody(operation),
      });
      expect(observed.status, observed.text).toBe(status);
      expectDocumented(operation, observed, prefer);
      if (value !== undefined) expect(JSON.parse(observed.text)).toEqual(value);
      for (const [name, expected] of Object.entries("headers" in entry ? entry.headers : {})) {
        expect(observed.headers.get(name), name).toBe(expected);
      }
    },
  );

  test.each(invalidRows)(
    "refuses $name with a 400 that names the fault, even where a 422 is documented",
    async ({ operation, body }) => {
      const observed = await send(mock.url, operation, { body: JSON.stringify(body) });
      expect(observed.status, observed.text).toBe(400);
      expectDocumented(operation, observed, "invalid body");
      const { message } = JSON.parse(observed.text) as { message: string };
      expect(message).toMatch(/^Invalid request body: .+\.$/);
      expect(message).not.toMatch(/oneOf|must match exactly one schema/);
    },
  );

  test.each(operations)(
    "a wrong method on $path is a 405 whose Allow lists the path's methods",
    async (operation) => {
      const methods = operations
        .filter((other) => other.path === operation.path)
        .map((other) => other.method.toUpperCase());
      const wrong = ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => !methods.includes(m));
      for (const method of wrong) {
        const observed = await send(mock.url, operation, { method });
        expect(observed.status, method).toBe(405);
        expect(observed.headers.get("allow"), method).toBe([...new Set(methods)].join(", "));
        expectDocumented(operation, observed, method);
      }
    },
  );
});

describe("answers coherent with the request", () => {
  const creates = requestExamples.filter(({ operation }) =>
    operation.responses.some((response) => response.status === "201" && response.body),
  );

  test.each(creates)(
    "$name: what the request set, a fresh id, the rest from the example",
    async ({ operation, value }) => {
      const request = structuredClone(value) as Record<string, unknown>;
      for (const key of topLevelStringFields(request)) {
        if (!key.endsWith("Id")) request[key] = `Q3 launch ñ 🚀 ${key}`;
      }
      const first = await send(mock.url, operation, { body: JSON.stringify(request) });
      const second = await send(mock.url, operation, { body: JSON.stringify(request) });
      expect(first.status, first.text).toBe(201);
      expectDocumented(operation, first, "coherent create");
      const created = JSON.parse(first.text) as Record<string, unknown>;
      const sent = Object.fromEntries(Object.entries(request).filter(([key]) => key in created));
      expect(Object.keys(sent).length).toBeGreaterThan(0);
      expect(created).toMatchObject(sent);
      expect(created.id).not.toBe((JSON.parse(second.text) as { id: unknown }).id);
    },
  );

  test("every request example comes back in its answer, or the example goes out unchanged", async () => {
    // A field the request replaces keeps the schema's required keys as null (a `now` schedule
    // answered with `timestamp: null`); a merge the response schema refuses (a `null` that
    // clears a value) sends the documented example instead.
    let reflected = 0;
    let filledWithNull = 0;
    for (const { operation, value } of requestExamples) {
      const observed = await send(mock.url, operation, { body: JSON.stringify(value) });
      const answer = JSON.parse(observed.text) as Record<string, unknown>;
      const response = operation.responses.find((r) => r.status === String(observed.status));
      const example = response?.body?.examples[0]?.value as Record<string, unknown> | undefined;
      const sent = Object.entries(value as Record<string, unknown>).filter(
        ([key]) => example !== undefined && key in example,
      );
      const { id: _answerId, ...answerWithoutId } = answer;
      const { id: _exampleId, ...exampleWithoutId } = example ?? {};
      if (sent.length === 0 || JSON.stringify(answerWithoutId) === JSON.stringify(exampleWithoutId))
        continue;
      expect(answer, operation.operationId).toMatchObject(Object.fromEntries(sent));
      reflected += 1;
      for (const [key, field] of sent) {
        const got = answer[key];
        if (typeof field !== "object" || field === null || typeof got !== "object" || got === null)
          continue;
        for (const extra of Object.keys(got).filter((k) => !(k in field))) {
          expect((got as Record<string, unknown>)[extra], `${key}.${extra}`).toBeNull();
          filledWithNull += 1;
        }
      }
    }
    expect(reflected).toBeGreaterThan(0);
    expect(filledWithNull).toBeGreaterThan(0);
  });

  test("a later read answers with the contract's example: the mock keeps no state", async () => {
    const reads = operations.filter((o) => o.method === "get");
    for (const operation of reads) {
      const observed = await send(mock.url, operation, { headers: json });
      const response = operation.responses.find((r) => r.status === String(observed.status));
      expect(JSON.parse(observed.text)).toEqual(response?.body?.examples[0]?.value);
    }
  });
});

describe("static mode", () => {
  let verbatim: RunningMock;
  beforeAll(async () => {
    verbatim = await startMock({ static: true });
  });
  afterAll(async () => {
    await verbatim?.stop();
  });

  test.each(requestExamples)(
    "$name: the first documented 2xx example, verbatim",
    async ({ operation, value }) => {
      const observed = await send(verbatim.url, operation, { body: JSON.stringify(value) });
      const response = operation.responses.find((r) => r.status === String(observed.status));
      expect(observed.status).toBeLessThan(300);
      expect(JSON.parse(observed.text)).toEqual(response?.body?.examples[0]?.value);
    },
  );
});

describe("no request can crash it", () => {
  function withKey(operation: Operation, key: string, value: unknown): string {
    return JSON.stringify({
      ...(JSON.parse(validBody(operation) ?? "{}") as object),
      [key]: value,
    });
  }
  /** A body open to extra fields (custom contact properties) takes a number under any key. */
  const isClosed = (operation: Operation) =>
    resolve(operation.requestBody?.schemaPointer ?? "").node.additionalProperties === false;

  test.each(withBody)(
    "$operationId: an unknown key above U+00FF is named in UTF-8, and the mock answers on",
    async (operation) => {
      // A closed body refuses the key itself; an open one, a value no extra field may hold.
      const [value, fault] = isClosed(operation) ? [1, "unknown field '"] : [{ deeper: 1 }, ""];
      for (const key of ["🚀", "ñ", "名前", "\u0000", "a\nb"]) {
        const observed = await send(mock.url, operation, { body: withKey(operation, key, value) });
        expect(observed.status, key).toBe(400);
        expect((JSON.parse(observed.text) as { message: string }).message).toContain(
          `${fault}${key}`,
        );
      }
      const after = await send(mock.url, operation, { body: validBody(operation) });
      expect(after.status).toBeLessThan(300);
    },
  );

  test.each(withBody)(
    "$operationId: `application/json, text/plain` and other content types are a 400 naming Content-Type",
    async (operation) => {
      for (const type of ["application/json, text/plain", "text/plain", "", "application/xml"]) {
        const observed = await send(mock.url, operation, {
          headers: { ...json, "content-type": type },
          body: validBody(operation),
        });
        expect(observed.status, type).toBe(400);
        expectDocumented(operation, observed, type);
        expect(observed.text).toContain("Content-Type");
      }
      const charset = await send(mock.url, operation, {
        headers: { ...json, "content-type": "application/json; charset=utf-8" },
        body: validBody(operation),
      });
      expect(charset.status).toBeLessThan(300);
    },
  );

  test.each(withBody)(
    "$operationId: malformed JSON and bytes that are not UTF-8 are a documented 400",
    async (operation) => {
      for (const body of ['{"name":', "\xff\xfe", "null", "[]", '"x"']) {
        const observed = await send(mock.url, operation, { body });
        expect(observed.status, body).toBe(400);
        expectDocumented(operation, observed, body);
      }
      const response = await fetch(`${mock.url}${concretePath(operation)}`, {
        method: operation.method.toUpperCase(),
        headers: json,
        body: new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("not valid JSON");
    },
  );

  test.each(withBody)(
    "$operationId: a body over its limit is its declared refusal, else a 413 where documented, else a 400",
    async (operation) => {
      const { maxBodyBytes } = await import("../dist/index.js");
      const declared = operation.sandbox?.bodyLimit;
      const huge = JSON.stringify({ name: "x".repeat(declared?.bytes ?? maxBodyBytes) });
      const observed = await send(mock.url, operation, { body: huge });
      expectDocumented(operation, observed, "huge body");
      if (declared !== undefined) {
        expect(observed.status).toBe(declared.status);
        const response = operation.responses.find((r) => r.status === String(declared.status));
        const example = response?.body?.examples.find((e) => e.name === declared.example);
        expect(JSON.parse(observed.text)).toEqual(example?.value);
        return;
      }
      const documents413 = operation.responses.some((response) => response.status === "413");
      expect(observed.status).toBe(documents413 ? 413 : 400);
      expect(observed.text).toContain(`over ${maxBodyBytes} bytes`);
    },
  );

  test.each([
    ["stateless", () => mock],
    ["with the sandbox", () => sandboxMock],
  ])(
    "%s: a fuzz of keys, bodies, content types, methods and paths never gets a 5xx or an undocumented answer",
    async (_, target) => {
      const mock = target();
      const key = fc.oneof(
        fc.string({ unit: "grapheme", maxLength: 8 }),
        fc.string({ unit: "binary", maxLength: 8 }),
        fc.constantFrom("__proto__", "constructor", "🚀", "ñ", ""),
      );
      const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({}));
      const body = fc.oneof(
        fc.dictionary(key, value, { maxKeys: 4 }).map((object) => JSON.stringify(object)),
        operationArbitrary.chain((operation) =>
          fc.tuple(key, value).map(([extra, v]) => {
            const base = JSON.parse(validBody(operation) ?? "{}") as object;
            return JSON.stringify({ ...base, [extra]: v });
          }),
        ),
        fc.string({ unit: "binary", maxLength: 40 }),
        fc.constant(undefined),
      );
      const contentType = fc.oneof(
        fc.constantFrom(
          "application/json",
          "application/json; charset=utf-8",
          "application/json, text/plain",
          "text/plain",
          "multipart/form-data; boundary=x",
          "application/x-www-form-urlencoded",
          "application/json; charset=latin1",
          ";;;",
        ),
        fc.string({ unit: "grapheme-ascii", maxLength: 20 }),
      );
      const method = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
      const path = fc.oneof(
        operationArbitrary.map(concretePath),
        operationArbitrary.map((operation) => `${concretePath(operation)}/${"x"}`),
        fc.webPath(),
      );
      await fc.assert(
        fc.asyncProperty(method, path, contentType, body, async (m, p, type, b) => {
          const response = await fetch(`${mock.url}${p.startsWith("/") ? p : `/${p}`}`, {
            method: m,
            headers: { ...auth, "content-type": type },
            ...(b === undefined || m === "GET" ? {} : { body: b }),
          });
          const text = await response.text();
          expect(response.status, `${m} ${p} ${type} ${b}: ${text}`).toBeLessThan(500);
          // The operation of this method at the path, or (a 405) any operation at the path.
          const atPath = operations.filter((o) => concretePath(o) === p);
          const routed = atPath.find((o) => o.method === m.toLowerCase()) ?? atPath[0];
          if (routed) {
            expectDocumented(
              routed,
              { status: response.status, headers: response.headers, text },
              `${m} ${type} ${b}`,
            );
          }
        }),
        { numRuns: 300 },
      );
      const after = await send(mock.url, operations[0] as Operation, {
        body: validBody(operations[0] as Operation),
      });
      expect(after.status).toBeLessThan(300);
    },
  );

  test("an unknown path is a 404 with the contract's error shape, not a crash", async () => {
    const response = await fetch(`${mock.url}/v1/%zz/../nope?x=%`, { headers: json });
    expect(response.status).toBe(404);
    expect(validatorAt("/components/schemas/Error")(await response.json())).toBe(true);
  });
});

describe("Prefer", () => {
  const operation = operations[0] as Operation;

  test("an undocumented status is served only when asked for, with a message saying so", async () => {
    const observed = await send(mock.url, operation, {
      headers: { ...json, prefer: "code=503" },
      body: validBody(operation),
    });
    expect(observed.status).toBe(503);
    expect(observed.text).toContain("as asked with Prefer");
  });

  test("an unknown example or a malformed preference is a 400 that says what is wrong", async () => {
    for (const prefer of ["example=noSuchExample", "code=abc", "dynamic=maybe", "code=9999"]) {
      const observed = await send(mock.url, operation, {
        headers: { ...json, prefer },
        body: validBody(operation),
      });
      expect(observed.status, prefer).toBe(400);
      expect(observed.text, prefer).toContain("Prefer");
    }
  });

  test("`Accept` is not negotiated: the answer is JSON whatever it asks for", async () => {
    const observed = await send(mock.url, operation, {
      headers: { ...json, accept: "text/html" },
      body: validBody(operation),
    });
    expect(observed.status).toBeLessThan(300);
    expectDocumented(operation, observed, "Accept: text/html");
  });

  test("no Authorization fails the contract's security scheme: 401 with the contract's example", async () => {
    const observed = await send(mock.url, operation, {
      headers: { "content-type": "application/json" },
      body: validBody(operation),
    });
    expect(observed.status).toBe(401);
    expectDocumented(operation, observed, "no key");
  });
});
