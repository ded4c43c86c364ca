// The `./vitest` entry's matchers, on a mock in this process and on one over HTTP (connectMock):
// they pass on what the outbox and the journal hold, and their failures show the closest entries
// and how each differs.
import { operations } from "@loops-contract/spec";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectMock, type OperationId, type RunningMock, startMock } from "../dist/index.js";
import "../dist/vitest.js";
import { freshKey, type SendBody } from "./support/sandbox.js";

const send = operations.find((operation) => operation.sandbox?.outbox?.kind === "transactional");
const welcome = send?.requestBody?.examples[0]?.value as SendBody;
const sendId = send?.operationId as OperationId;

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.stop());

async function sendTo(key: string, email: string, dataVariables = welcome.dataVariables) {
  await fetch(`${mock.url}${send?.path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ ...welcome, email, dataVariables }),
  });
}

describe.each([
  ["in process", () => mock],
  ["over HTTP", () => connectMock(mock.url)],
])("%s", (_, mockUnderTest) => {
  test("toHaveSent passes on a matching entry, and fails naming the closest and how it differs", async () => {
    const key = freshKey();
    await sendTo(key, "ada@example.com");
    await expect(mockUnderTest()).toHaveSent(key, {
      to: "ada@example.com",
      dataVariables: { firstName: welcome.dataVariables.firstName },
    });
    await expect(mockUnderTest()).not.toHaveSent(key, { to: "grace@example.com" });
    const failed = expect(mockUnderTest()).toHaveSent(key, {
      kind: "transactional",
      dataVariables: { firstName: "Grace" },
    });
    await expect(failed).rejects.toThrow(
      /It holds 1; the closest:\n {2}transactional #\d+ to ada@example\.com\n {4}dataVariables\.firstName: expected "Grace", got "Ada"/,
    );
  });

  test("toHaveReceived counts requests to an operation, with a body and a status, and shows near misses", async () => {
    const key = freshKey();
    await sendTo(key, "ada@example.com");
    await sendTo(key, "ada@example.com", {});
    await expect(mockUnderTest()).toHaveReceived(key, sendId, { times: 2 });
    await expect(mockUnderTest()).toHaveReceived(key, sendId, {
      status: 400,
      body: { email: "ada@example.com", dataVariables: {} },
    });
    const failed = expect(mockUnderTest()).toHaveReceived(key, sendId, {
      status: 200,
      body: { email: "grace@example.com" },
    });
    await expect(failed).rejects.toThrow(
      /it holds 0\.\nIt holds 2; the closest:\n {2}#\d+ POST \S+: 200 \(sandbox\)\n {4}body\.email: expected "grace@example\.com", got "ada@example\.com"/,
    );
    await expect(expect(mockUnderTest()).not.toHaveReceived(key, sendId)).rejects.toThrow(
      `not to hold a request to ${sendId}; it holds 2.`,
    );
  });
});

test("anything that is not a mock is refused with what to pass", async () => {
  await expect(expect({}).toHaveSent("key", {})).rejects.toThrow("pass a mock from startMock");
});
