import { type Operation, operations, validatorAt } from "@loops-contract/spec";
import { describe, expect, test } from "vitest";
import { startMock } from "../dist/index.js";
import { send, validBody } from "./support/requests.js";

const operation = operations.find((o) => o.requestBody?.examples.length) as Operation;

describe("dynamic mode", () => {
  test("generates bodies that conform, reproducibly for a seed", async () => {
    const generate = async (): Promise<unknown> => {
      const dynamic = await startMock({ dynamic: true, seed: 42 });
      try {
        const observed = await send(dynamic.url, operation, { body: validBody(operation) });
        expect(observed.status).toBeLessThan(300);
        const response = operation.responses.find((r) => r.status === String(observed.status));
        const body: unknown = JSON.parse(observed.text);
        const validate = validatorAt(response?.body?.schemaPointer as string);
        expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
        return body;
      } finally {
        await dynamic.stop();
      }
    };
    const [first, second] = [await generate(), await generate()];
    expect(second).toEqual(first);
    const example = operation.responses.find((r) => r.status.startsWith("2"))?.body?.examples[0];
    expect(first).not.toEqual(example?.value);
  });
});
