import { readFile } from "node:fs/promises";
import { contract, type Operation, operations, validatorAt } from "@loops-contract/spec";
import { getHttpOperationsFromSpec } from "@stoplight/prism-http";
import { describe, expect, test } from "vitest";
import { contractHash, startMock } from "../dist/index.js";
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

describe("Prism's reading of the contract, stored at build time", () => {
  test("is this contract's, and what getHttpOperationsFromSpec reads from it now", async () => {
    const stored = JSON.parse(
      await readFile(new URL("../dist/prism-operations.json", import.meta.url), "utf8"),
    ) as { contract: string; operations: unknown };
    expect(stored.contract).toBe(contractHash(contract));
    const live = await getHttpOperationsFromSpec(structuredClone(contract));
    expect(stored.operations).toEqual(JSON.parse(JSON.stringify(live)));
  });
});
