import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunningMock, startMock } from "../src/index.js";
import { freePort, portIsFree, prismPids, processExists } from "./support/processes.js";

// Each test pins down one thing Prism does with this contract (README: "What Prism gets wrong").
// `prismUrl` is Prism alone, `url` is Prism behind the mock's contract adapter.

const require = createRequire(import.meta.url);
const contract = JSON.parse(
  await readFile(require.resolve("@loops-contract/spec/openapi.json"), "utf8"),
) as { components: { schemas: Record<string, object> } };

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
ajv.addSchema({ $id: "contract", components: contract.components });
const errorBody = ajv.compile({ $ref: "contract#/components/schemas/Error" });
const createdCampaign = ajv.compile({ $ref: "contract#/components/schemas/CreatedCampaign" });

const auth = { authorization: "Bearer test-key", "content-type": "application/json" };

let port: number;
let mock: RunningMock;
beforeAll(async () => {
  port = await freePort();
  mock = await startMock({ port });
});
afterAll(async () => {
  await mock?.stop();
});

test("the mock answers on the port it was given, served by one Prism process", async () => {
  expect(mock.url).toBe(`http://127.0.0.1:${port}`);
  expect(mock.port).toBe(port);
  expect(prismPids(mock.prismUrl)).toHaveLength(1);
  const response = await post(mock.url, JSON.stringify({ name: "Spring announcement" }));
  expect(response.status).toBe(201);
});

function post(base: string, body: string, headers: Record<string, string> = auth) {
  return fetch(`${base}/v1/campaigns`, { method: "POST", headers, body });
}

describe("Prism alone vs. the contract", () => {
  test("malformed JSON: Prism's 400 body is not the contract's Error and has no rate-limit headers", async () => {
    const response = await post(mock.prismUrl, '{"name":');
    expect(response.status).toBe(400);
    expect(response.headers.get("x-ratelimit-limit")).toBeNull();
    const body: unknown = await response.json();
    expect(body).toEqual({ error: { code: "invalid_json", message: "Invalid JSON" } });
    expect(errorBody(body)).toBe(false);
  });

  test("wrong method: Prism's 405 has a problem+json body where the contract documents none", async () => {
    const response = await fetch(`${mock.prismUrl}/v1/campaigns`, { headers: auth });
    expect(response.status).toBe(405);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect((await response.text()).length).toBeGreaterThan(0);
  });
});

describe("the mock: Prism behind the contract adapter", () => {
  test("malformed JSON is a 400 with the contract's Error body and headers", async () => {
    const response = await post(mock.url, '{"name":');
    expect(response.status).toBe(400);
    expect(response.headers.get("x-ratelimit-limit")).toBe("10");
    expect(response.headers.get("x-ratelimit-remaining")).toBe("9");
    const body: unknown = await response.json();
    expect(errorBody(body), JSON.stringify(errorBody.errors)).toBe(true);
    expect(body).toEqual({ message: "Invalid request body: Invalid JSON." });
  });

  test("a wrong method is a 405 without a body, with the rate-limit headers", async () => {
    for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
      const response = await fetch(`${mock.url}/v1/campaigns`, { method, headers: auth });
      expect(response.status, method).toBe(405);
      expect(response.headers.get("x-ratelimit-limit"), method).toBe("10");
      expect(await response.text(), method).toBe("");
    }
  });

  test("a wrong content type is a 400 (Prism's violation code says 415; the contract documents 400)", async () => {
    const response = await post(mock.url, '{"name":"x"}', {
      ...auth,
      "content-type": "text/plain",
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("sl-violations")).toContain('"code":415');
    expect(errorBody(await response.json())).toBe(true);
  });

  test("like Loops, the mock allows no browser origin (Prism's default CORS headers are off)", async () => {
    const response = await post(mock.url, '{"name":"x"}');
    expect(response.status).toBe(201);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("security is enforced: no Authorization, a Basic scheme and an empty Bearer are 401", async () => {
    const headers = [
      { "content-type": "application/json" },
      { "content-type": "application/json", authorization: "Basic dXNlcjpwYXNz" },
      { "content-type": "application/json", authorization: "Bearer" },
    ];
    for (const header of headers) {
      const response = await post(mock.url, '{"name":"x"}', header);
      expect(response.status, JSON.stringify(header)).toBe(401);
      expect(await response.json()).toMatchObject({ success: false, message: "Invalid API key" });
    }
  });

  test("Prism's 400 body is the first example whatever the fault; the mock's names the field", async () => {
    const body = JSON.stringify({ name: "x", unknown: 1 });
    const fromPrism = await post(mock.prismUrl, body);
    expect(await fromPrism.json()).toEqual({ message: "Invalid request body: name is required." });
    expect(fromPrism.headers.get("sl-violations")).toContain("found 'unknown'");

    const fromMock = await post(mock.url, body);
    expect(fromMock.status).toBe(400);
    expect(fromMock.headers.get("x-ratelimit-limit")).not.toBeNull();
    expect(await fromMock.json()).toEqual({
      message:
        "Invalid request body: Request body must NOT have additional properties; found 'unknown'.",
    });
    const nested = await post(
      mock.url,
      JSON.stringify({ name: "x", scheduling: { method: "schedule" } }),
    );
    expect((await nested.json()).message).toMatch(
      /^Invalid request body: .*scheduling.* \(and \d+ more/,
    );
  });

  test("oneOf with a null branch and const-tagged branches validate as the contract says", async () => {
    const accepted = [
      { name: "x", audienceFilter: null, mailingListId: null, audienceSegmentId: null },
      { name: "x", scheduling: { method: "now" } },
      {
        name: "x",
        audienceFilter: { match: "any", conditions: [{ type: "optIn", status: null }] },
      },
    ];
    for (const body of accepted) {
      const response = await post(mock.url, JSON.stringify(body));
      expect(response.status, JSON.stringify(body)).toBe(201);
      expect(response.headers.get("sl-violations")).toBeNull();
    }
    const rejected = [
      { name: "x", scheduling: { method: "now", timestamp: "2026-04-01T09:00:00.000Z" } },
      { name: "x", scheduling: { method: "schedule" } },
      { name: "x", audienceFilter: { match: "all", conditions: [{ type: "bogus" }] } },
      {
        name: "x",
        audienceFilter: {
          match: "all",
          conditions: [{ type: "property", key: "plan", operator: "isTrue", value: "x" }],
        },
      },
    ];
    for (const body of rejected) {
      const response = await post(mock.url, JSON.stringify(body));
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  test("static examples with null fields are served as they are, without a violation", async () => {
    const response = await post(mock.url, '{"name":"x"}', { ...auth, prefer: "example=sendNow" });
    expect(response.status).toBe(201);
    expect(response.headers.get("sl-violations")).toBeNull();
    const body: unknown = await response.json();
    expect(body).toMatchObject({
      audienceFilter: null,
      scheduling: { method: "now", timestamp: null },
    });
    expect(createdCampaign(body), JSON.stringify(createdCampaign.errors)).toBe(true);
  });
});

// Last, as it ends the shared mock.
describe("stop()", () => {
  test("ends Prism's process group and frees both ports; a second stop() is harmless", async () => {
    const pids = prismPids(mock.prismUrl);
    await mock.stop();
    for (const pid of pids) expect(processExists(pid)).toBe(false);
    expect(await portIsFree(mock.port)).toBe(true);
    expect(await portIsFree(Number(new URL(mock.prismUrl).port))).toBe(true);
    await mock.stop();
  });
});
