// The outbox (README, "The journal and the outbox"): what the sandbox sent, as the contract's
// x-sandbox.outbox declares it; waitFor in process and over HTTP (connectMock, the long-poll);
// through startMock, the node:http adapter, so the journal is proved there too.
import { operations } from "@loops-contract/spec";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type ConnectedMock,
  connectMock,
  type OperationId,
  type OutboxEntry,
  type RunningMock,
  startMock,
  WaitForTimeout,
} from "../dist/index.js";
import { exampleWithAttachment, freshKey, operationFor } from "./support/sandbox.js";

const outboxOf = (kind: string) => {
  const found = operations.find((operation) => operation.sandbox?.outbox?.kind === kind);
  if (found === undefined) throw new Error(`No operation declares an outbox entry of kind ${kind}`);
  return found;
};
const send = outboxOf("transactional");
const preview = outboxOf("preview");
const createCampaign = operationFor("campaign", "create");
const welcome = send.requestBody?.examples[0]?.value as {
  transactionalId: string;
  email: string;
  dataVariables: Record<string, string>;
};
const receipt = exampleWithAttachment(send);

let mock: RunningMock;
let remote: ConnectedMock;
beforeAll(async () => {
  mock = await startMock();
  remote = connectMock(mock.url);
});
afterAll(() => mock.stop());

async function post(key: string, path: string, body: unknown, prefer?: string) {
  const response = await fetch(`${mock.url}${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      ...(prefer ? { prefer } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const address = () => `outbox-${Math.random().toString(36).slice(2)}@example.com`;

describe("what makes an outbox entry", () => {
  test("a transactional send: recipient, id, data variables, attachments by name and size", async () => {
    const key = freshKey();
    const email = address();
    expect((await post(key, send.path, { ...receipt, email })).status).toBe(200);
    const [entry] = mock.outbox(key);
    const { data, ...attachment } = receipt?.attachments[0] ?? {};
    expect(entry).toEqual({
      seq: expect.any(Number),
      kind: "transactional",
      operationId: send.operationId,
      at: expect.any(String),
      to: [email],
      transactionalId: receipt?.transactionalId,
      dataVariables: receipt?.dataVariables,
      attachments: [{ ...attachment, size: Buffer.from(String(data), "base64").length }],
    });
    expect(Math.abs(Date.parse(String(entry?.at)) - mock.now(key))).toBeLessThan(5_000);
  });

  test("a preview: its recipients, the message's subject and the message as stored", async () => {
    const key = freshKey();
    const campaign = await post(key, createCampaign.path, { name: "Previewed" });
    const messageId = String(campaign.body.emailMessageId);
    const emails = [address(), address()];
    const path = preview.path.replace(/\{[^}]+\}/, messageId);
    expect((await post(key, path, { emails })).status).toBe(200);
    const [entry] = mock.outbox(key, { kind: "preview" });
    expect(entry).toMatchObject({ kind: "preview", to: emails, message: { id: messageId } });
    expect(entry?.subject).toBe((entry?.message as { subject?: string } | undefined)?.subject);
    expect(typeof entry?.subject).toBe("string");
  });

  test("a refused send, or one Prefer answers from the examples, sends nothing", async () => {
    const key = freshKey();
    const { confirmationUrl: _, ...missing } = welcome.dataVariables;
    expect((await post(key, send.path, { ...welcome, dataVariables: missing })).status).toBe(400);
    expect((await post(key, send.path, welcome, "code=200")).status).toBe(200);
    expect(mock.outbox(key)).toEqual([]);
    expect(mock.journal(key).map((entry) => entry.answeredBy)).toEqual(["prism", "sandbox"]);
  });
});

describe("waitFor", () => {
  test("resolves on an entry already there, or one still to come, without polling", async () => {
    const key = freshKey();
    const first = address();
    await post(key, send.path, { ...welcome, email: first });
    expect((await mock.waitFor(key, { to: first })).to).toEqual([first]);
    const later = address();
    const waiting = mock.waitFor(key, { to: later, dataVariables: { firstName: "Ada" } });
    await post(key, send.path, { ...welcome, email: later });
    expect((await waiting).to).toEqual([later]);
  });

  test("rejects after its timeout, naming the closest entries and how each differs", async () => {
    const key = freshKey();
    await post(key, send.path, { ...welcome, email: "ada@example.com" });
    const waiting = mock.waitFor(key, { to: "grace@example.com" }, { timeout: 50 });
    await expect(waiting).rejects.toThrow(WaitForTimeout);
    await expect(waiting).rejects.toThrow(
      /holds 1\.[\s\S]*to: expected an item "grace@example\.com", got \["ada@example\.com"\]/,
    );
  });
});

describe("over HTTP", () => {
  test("GET /_sandbox/outbox filters as the code does; the long-poll answers at the first entry to come", async () => {
    const key = freshKey();
    const email = address();
    const headers = { authorization: `Bearer ${key}` };
    const waiting = fetch(`${mock.url}/_sandbox/outbox/wait?to=${email}&timeout=5000`, { headers });
    await post(key, send.path, { ...welcome, email });
    const [entry] = (await (await waiting).json()) as OutboxEntry[];
    expect(entry?.to).toEqual([email]);
    const listed = await fetch(
      `${mock.url}/_sandbox/outbox?kind=transactional&after=${entry?.seq}`,
      {
        headers,
      },
    );
    expect(await listed.json()).toEqual([]);
    const expired = await fetch(`${mock.url}/_sandbox/outbox/wait?to=nobody&timeout=10`, {
      headers,
    });
    expect(await expired.json()).toEqual([]);
  });

  test("connectMock reads the journal and the outbox, and waits for an entry written later", async () => {
    const key = freshKey();
    const email = address();
    const waiting = remote.waitFor(key, (entry) => entry.to.includes(email));
    await post(key, send.path, { ...welcome, email });
    expect((await waiting).to).toEqual([email]);
    expect(await remote.outbox(key)).toEqual(mock.outbox(key));
    const journal = await remote.journal(key, { operation: send.operationId as OperationId });
    expect(journal.map((entry) => entry.status)).toEqual([200]);
    await expect(
      remote.waitFor(key, { to: "nobody@example.com" }, { timeout: 30 }),
    ).rejects.toThrow(/No outbox entry matched[\s\S]*Closest/);
    await remote.reset(key);
    expect(await remote.outbox(key)).toEqual([]);
  });
});
