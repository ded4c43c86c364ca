// The engine's parameter check, for every operation of the bundle that has what it checks: header
// parameters held to their schemas like path and query ones, and `x-exactly-one-of` groups.
import { type JsonObject, operations, resolve } from "@loops-contract/spec";
import { describe, expect, test } from "vitest";
import type { ReadBody } from "../src/context.js";
import { createMockEngine } from "../src/engine.js";
import { concretePath, json, validBody } from "./support/requests.js";

const engine = createMockEngine({ stateless: true });

function respond(
  operation: (typeof operations)[number],
  path: string,
  headers: Record<string, string> = {},
) {
  const body = validBody(operation) ?? "";
  return engine.respond(
    {
      method: operation.method.toUpperCase(),
      url: `http://127.0.0.1${path}`,
      headers: new Headers({ ...json, ...headers }),
    },
    async (): Promise<ReadBody> => ({ bytes: Buffer.from(body), tooLarge: false }),
  );
}

const bounded = operations.flatMap((operation) =>
  operation.headerParameters.flatMap((parameter) => {
    const { maxLength } = resolve(parameter.schemaPointer).node as JsonObject;
    return typeof maxLength === "number" ? [{ operation, parameter, maxLength }] : [];
  }),
);

describe("header parameters", () => {
  test("the contract has some with a bounded length", () => {
    expect(bounded.length).toBeGreaterThan(0);
  });

  test.each(bounded)(
    "$operation.operationId: $parameter.name over maxLength is a 400 naming it",
    async ({ operation, parameter, maxLength }) => {
      const path = concretePath(operation);
      const over = await respond(operation, path, { [parameter.name]: "k".repeat(maxLength + 1) });
      expect(over.status).toBe(400);
      expect(JSON.stringify(over.body)).toContain(`header ${parameter.name}`);
      const within = await respond(operation, path, { [parameter.name]: "k".repeat(maxLength) });
      expect(within.status).toBe(200);
    },
  );
});

const grouped = operations.filter((operation) => operation.exactlyOneOf !== undefined);

describe("x-exactly-one-of", () => {
  test("the contract has operations with a group", () => {
    expect(grouped.length).toBeGreaterThan(0);
  });

  describe.each(grouped)("$operationId", (operation) => {
    const group = operation.exactlyOneOf as string[];
    const base = concretePath(operation).split("?")[0] as string;
    const withQuery = (names: string[]) =>
      `${base}?${new URLSearchParams(names.map((name) => [name, `${name}@example.com`]))}`;

    test.each([
      ["all of the group", group, group.join(" and ")],
      ["none of the group", [], "none"],
    ])("%s is a 400 naming the group", async (_case, names, got) => {
      const answer = await respond(operation, withQuery(names));
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toContain(
        `send exactly one of ${group.join(", ")}; got ${got}`,
      );
    });

    test.each(group)("%s alone is let through", async (name) => {
      const answer = await respond(operation, withQuery([name]));
      expect(answer.status).toBe(200);
    });
  });
});
