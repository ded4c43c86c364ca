// A user's own Loops account in the sandbox: fixtures declared from code, per key or for every
// key, over HTTP and from a file, validated with errors naming the field, kept by reset.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getOperation } from "@loops-contract/spec";
import { beforeAll, describe, expect, test } from "vitest";
import { createMockFetch, FixtureError, type MockFetch } from "../dist/index.js";
import { readSettings } from "../src/cli-options.js";
import { call, freshKey, operationFor, productionUrl } from "./support/sandbox.js";

const send = operationFor("transactionalEmail", "send");
const createContact = operationFor("contact", "create");
const lists = operationFor("mailingList", "list");
const passwordReset = {
  id: "cm9reset00000000000000000",
  name: "Password reset",
  lastUpdated: "2026-04-01T09:00:00.000Z",
  dataVariables: ["resetUrl"],
};
const sendReset = { transactionalId: passwordReset.id, dataVariables: { resetUrl: "https://x" } };

let mock: MockFetch;
beforeAll(async () => {
  mock = await createMockFetch();
});

describe("fixtures", () => {
  test("define(apiKey) adds a transactional email and a list to that key only, and reset keeps them", async () => {
    const key = freshKey();
    const body = { ...sendReset, email: "a@example.com" };
    expect((await call(mock, key, send, { body })).status).toBe(404);
    mock.define(key, {
      transactionalEmail: [passwordReset],
      mailingList: [
        { id: "cm9list0000000000000000", name: "Mine", description: null, isPublic: false },
      ],
    });
    expect((await call(mock, key, send, { body })).status).toBe(200);
    const withList = {
      email: "b@example.com",
      mailingLists: { cm9list0000000000000000: true },
    };
    expect((await call(mock, key, createContact, { body: withList })).status).toBe(200);
    expect((await call(mock, freshKey(), send, { body })).status).toBe(404);
    mock.reset(key);
    expect(mock.log(key)).toEqual([]);
    expect((await call(mock, key, send, { body })).status).toBe(200);
    const listed = (await call(mock, key, lists)).body as unknown as Array<{ id: string }>;
    expect(listed.map((list) => list.id)).toContain("cm9list0000000000000000");
  });

  test("a key's fixtures are bounded: an id declared again replaces its record; past the limits the call is refused whole", async () => {
    const small = await createMockFetch({ limits: { keys: 2, recordsPerKey: 2 } });
    const [first, second] = [freshKey(), freshKey()];
    const email = (id: string) => ({ ...passwordReset, id, name: id });
    small.define(first, { transactionalEmail: [email("cm9a")] });
    small.define(first, { transactionalEmail: [email("cm9a"), email("cm9b")] });
    expect(() => small.define(first, { transactionalEmail: [email("cm9c")] })).toThrow(
      "fixtures.transactionalEmail would hold 3 records for this key, over limits.recordsPerKey (2).",
    );
    small.define(second, { transactionalEmail: [email("cm9a")] });
    expect(() => small.define(freshKey(), { transactionalEmail: [email("cm9a")] })).toThrow(
      FixtureError,
    );
    // The refused calls kept nothing: the first key still holds its two emails and no third.
    const body = (id: string) => ({ ...sendReset, transactionalId: id, email: "g@example.com" });
    expect((await call(small, first, send, { body: body("cm9b") })).status).toBe(200);
    expect((await call(small, first, send, { body: body("cm9c") })).status).toBe(404);
  });

  test("the fixtures option gives every key the records; a declared variable left out is refused", async () => {
    const withFixtures = await createMockFetch({
      fixtures: { transactionalEmail: [passwordReset] },
    });
    const key = freshKey();
    const missing = await call(withFixtures, key, send, {
      body: { transactionalId: passwordReset.id, email: "c@example.com" },
    });
    expect([missing.status, missing.body.message]).toEqual([
      400,
      "Missing required data variable(s): resetUrl",
    ]);
  });

  test("a transactional email's optional variables may be left out; no answer shows which they are", async () => {
    const key = freshKey();
    const receipt = {
      ...passwordReset,
      id: "cm9receipt0000000000000",
      dataVariables: ["total", "note"],
    };
    mock.define(key, { transactionalEmail: [{ ...receipt, optionalDataVariables: ["note"] }] });
    const sent = await call(mock, key, send, {
      body: { transactionalId: receipt.id, email: "f@example.com", dataVariables: { total: 3 } },
    });
    expect(sent.status).toBe(200);
    const refused = await call(mock, key, send, {
      body: { transactionalId: receipt.id, email: "f@example.com", dataVariables: { note: "x" } },
    });
    expect(refused.body.message).toBe("Missing required data variable(s): total");
    const listed = await call(mock, key, operationFor("transactionalEmail", "list"), {
      query: { perPage: "50" },
    });
    expect(
      (listed.body.data as Array<{ id: string }>).find((email) => email.id === receipt.id),
    ).toEqual(receipt);
    expect(() =>
      mock.define(key, { transactionalEmail: [{ ...receipt, optionalDataVariables: "note" }] }),
    ).toThrow("fixtures.transactionalEmail[0].optionalDataVariables: must be an array of names.");
  });

  test("a record that does not fit is refused with the field named, and nothing is added", async () => {
    const key = freshKey();
    expect(() =>
      mock.define(key, { transactionalEmail: [{ ...passwordReset, dataVariables: "resetUrl" }] }),
    ).toThrow(new FixtureError("fixtures.transactionalEmail[0].dataVariables: must be array."));
    expect(() => mock.define(key, { template: [] })).toThrow(
      /fixtures\.template: no such resource/,
    );
    const { name: _, ...nameless } = passwordReset;
    expect(() => mock.define(key, { transactionalEmail: [nameless] })).toThrow(
      "fixtures.transactionalEmail[0]: must have required property 'name'.",
    );
    await expect(createMockFetch({ fixtures: { mailingList: [{ name: "x" }] } })).rejects.toThrow(
      "fixtures.mailingList[0].id: must be a string.",
    );
    const body = { ...sendReset, email: "d@example.com" };
    expect((await call(mock, key, send, { body })).status).toBe(404);
  });

  test("over HTTP: POST /_sandbox/fixtures declares them; a bad one is a 400 naming the field", async () => {
    const key = freshKey();
    const post = (fixtures: unknown) =>
      mock(`${productionUrl}/_sandbox/fixtures`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(fixtures),
      });
    const bad = await post({ transactionalEmail: [{ ...passwordReset, name: 3 }] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      message: "fixtures.transactionalEmail[0].name: must be string.",
    });
    const good = await post({ transactionalEmail: [passwordReset] });
    expect(await good.json()).toEqual({ defined: ["transactionalEmail"] });
    const body = { ...sendReset, email: "e@example.com" };
    expect((await call(mock, key, send, { body })).status).toBe(200);
    expect(getOperation("sendTransactionalEmail").operationId).toBe(send.operationId);
  });

  test("from a file: --fixtures and MOCK_FIXTURES read it; a file that is not JSON is named", () => {
    const dir = mkdtempSync(join(tmpdir(), "fixtures-"));
    const file = join(dir, "account.json");
    writeFileSync(file, JSON.stringify({ transactionalEmail: [passwordReset] }));
    const parsed = (values: Record<string, string>) => ({ values, tokens: [] });
    expect(readSettings(parsed({ fixtures: file }), {}).fixtures).toEqual({
      transactionalEmail: [passwordReset],
    });
    expect(readSettings(parsed({}), { MOCK_FIXTURES: file }).fixtures).toEqual({
      transactionalEmail: [passwordReset],
    });
    writeFileSync(file, "{ not json");
    expect(() => readSettings(parsed({ fixtures: file }), {})).toThrow(
      `--fixtures: '${file}' is not JSON`,
    );
  });
});
