// The engine itself, below its adapters: the order of its checks, the listeners that see every
// answer, and the controls' handlers against their document.
import { type Operation, operations } from "@loops-contract/spec";
import { describe, expect, test } from "vitest";
import type { ReadBody } from "../src/context.js";
import { controlsDocument } from "../src/documents.js";
import { createMockEngine } from "../src/engine.js";
import { controlHandlers } from "../src/responders/controls.js";
import { recordControls } from "../src/responders/records.js";
import { concretePath } from "./support/requests.js";

const creates = operations.find(
  (operation) => operation.method === "post" && operation.requestBody?.required,
) as Operation;

function request(init: { method?: string; path?: string; headers?: Record<string, string> }) {
  return {
    method: init.method ?? "POST",
    url: `http://127.0.0.1${init.path ?? concretePath(creates)}`,
    headers: new Headers(init.headers),
  };
}

const bytes = (text: string) => async (): Promise<ReadBody> => ({
  bytes: Buffer.from(text),
  tooLarge: false,
});

describe("the order of checks is the order of the engine's list", () => {
  const engine = createMockEngine({ stateless: true });
  const json = { "content-type": "application/json" };

  test("authentication comes before parameters and the body, as at Loops", async () => {
    const answer = await engine.respond(request({ headers: json }), bytes('{"name": 42}'));
    expect(answer.status).toBe(401);
    const keyed = { ...json, authorization: "Bearer engine-key" };
    const refused = await engine.respond(request({ headers: keyed }), bytes('{"name": 42}'));
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ message: expect.stringContaining("name") });
  });

  test("a body too large is refused before a missing key", async () => {
    const tooLarge = async (): Promise<ReadBody> => ({ bytes: Buffer.alloc(0), tooLarge: true });
    const answer = await engine.respond(request({ headers: json }), tooLarge);
    expect([400, 413]).toContain(answer.status);
  });

  test("a wrong method is refused before a missing key, with Allow", async () => {
    const answer = await engine.respond(request({ method: "DELETE" }), bytes(""));
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toMatch(/POST/);
  });
});

describe("listeners", () => {
  test("each sees every request's context and the very answer sent, in the order added", async () => {
    const engine = createMockEngine();
    const seen: string[] = [];
    const answers: unknown[] = [];
    engine.onAnswer((context, answer) => {
      seen.push(`first ${context.request.method} ${context.route.kind} ${answer.status}`);
      answers.push(answer);
    });
    engine.onAnswer((context) => seen.push(`second ${context.apiKey}`));
    const keyed = { authorization: "Bearer listener-key", "content-type": "application/json" };
    const created = await engine.respond(
      request({ headers: keyed }),
      bytes(JSON.stringify(creates.requestBody?.examples[0]?.value)),
    );
    const missing = await engine.respond(request({ path: "/v1/nothing-here" }), bytes(""));
    expect(seen).toEqual([
      `first POST operation ${created.status}`,
      "second listener-key",
      "first POST noPath 404",
      "second undefined",
    ]);
    expect(answers).toEqual([created, missing]);
    expect(answers[0]).toBe(created);
  });
});

describe("the controls", () => {
  test("every operation of openapi/sandbox.yaml has a handler, and every handler an operation", async () => {
    const document = await controlsDocument();
    const documented = document.operations.map((operation) => operation.operationId).sort();
    const inspector = createMockEngine().inspector?.operations ?? [];
    const handled = [...Object.keys(controlHandlers), ...recordControls, ...inspector];
    expect(handled.sort()).toEqual(documented);
  });
});
