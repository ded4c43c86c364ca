import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, test } from "vitest";
import { startMock } from "../src/index.js";

const require = createRequire(import.meta.url);
const contract = JSON.parse(
  await readFile(require.resolve("@loops-contract/spec/openapi.json"), "utf8"),
) as { components: object };

// The OpenAPI document is not itself a JSON Schema, hence strict: false.
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
ajv.addSchema({ $id: "contract", components: contract.components });
const createdCampaign = ajv.compile({ $ref: "contract#/components/schemas/CreatedCampaign" });

describe("dynamic mode", () => {
  test("generates bodies that conform, reproducibly for a seed", async () => {
    const generate = async (): Promise<unknown> => {
      const dynamic = await startMock({ dynamic: true, seed: 42 });
      try {
        const response = await fetch(`${dynamic.url}/v1/campaigns`, {
          method: "POST",
          headers: { authorization: "Bearer test-key", "content-type": "application/json" },
          body: '{"name":"x"}',
        });
        expect(response.status).toBe(201);
        return await response.json();
      } finally {
        await dynamic.stop();
      }
    };
    // Two separate Prism processes with the same seed.
    const bodies = await Promise.all([generate(), generate()]);
    expect(bodies[1]).toEqual(bodies[0]);
    expect(createdCampaign(bodies[0]), JSON.stringify(createdCampaign.errors)).toBe(true);
  });
});
