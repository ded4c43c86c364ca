// The curl sample shown in the docs, run as a reader would run it, against the Prism mock.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { type RunningMock, startMock } from "@loops-contract/mock";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contract, type JsonObject, resolve } from "./contract.js";

const sample = readFileSync(new URL("../samples/create-campaign.sh", import.meta.url), "utf8");
const servers = contract.servers as JsonObject[];
const productionUrl = String(servers[0]?.url);

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(contract, "contract");
const validate = (schemaName: string, value: unknown) => {
  const check = ajv.getSchema(`contract#/components/schemas/${schemaName}`);
  if (!check) throw new Error(`No schema ${schemaName}`);
  return { valid: check(value), errors: ajv.errorsText(check.errors) };
};

/** Splits `curl -i` output into status, headers and the parsed JSON body. */
function parseIncludedResponse(output: string) {
  const [head = "", ...rest] = output.split(/\r?\n\r?\n/);
  const [statusLine = "", ...headerLines] = head.split(/\r?\n/);
  const headers = new Map(
    headerLines.map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const;
    }),
  );
  return { status: Number(statusLine.split(" ")[1]), headers, body: JSON.parse(rest.join("\n\n")) };
}

describe("the curl sample", () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it("calls the contract's production server, which the test swaps for the mock", () => {
    expect(productionUrl).toBe("https://app.loops.so/api");
    expect(sample).toContain(`${productionUrl}/v1/campaigns`);
  });

  it("sends the contract's scheduled example, a valid request", () => {
    const body = JSON.parse(/-d '([^']*)'/.exec(sample)?.[1] ?? "null");
    expect(validate("CreateCampaignRequest", body)).toEqual({ valid: true, errors: "No errors" });
    expect(body).toEqual(resolve({ $ref: "#/components/examples/CreateCampaignScheduled" }).value);
  });

  it("gets 201 and a draft campaign from the mock", async () => {
    const command = sample.replaceAll(productionUrl, mock.url.replace(/\/$/, ""));
    const { stdout } = await promisify(execFile)("sh", ["-c", command], {
      env: { ...process.env, LOOPS_API_KEY: "test-api-key" },
    });
    const response = parseIncludedResponse(stdout);
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(validate("CreatedCampaign", response.body)).toEqual({
      valid: true,
      errors: "No errors",
    });
    expect(response.body).toMatchObject({ name: "Spring announcement", status: "Draft" });
  });
});
