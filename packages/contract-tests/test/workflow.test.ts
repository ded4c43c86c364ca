// The contract's guide, "From draft to sent", walked with the generated client against the mock's
// sandbox: each step reads back what the one before it stored. Only the mock has a test clock to
// move a campaign past its send time, so against any other server this suite is skipped.
import {
  BadRequestError,
  ConflictError,
  createLoopsClient,
  type LoopsClient,
  NotFoundError,
} from "@loops-contract/client";
import { type RunningMock, startMock } from "@loops-contract/mock";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { againstMock } from "./support/exchange.js";

const day = 24 * 60 * 60 * 1000;
const apiKey = "workflow-key";

describe.skipIf(!againstMock)("from draft to sent, on the sandbox", () => {
  let mock: RunningMock;
  let loops: LoopsClient;
  beforeAll(async () => {
    mock = await startMock();
    loops = createLoopsClient({ apiKey, baseUrl: mock.url });
  });
  afterAll(async () => {
    await mock?.stop();
  });

  test("create, write, check, preview, aim, schedule, send; then only name and group may change", async () => {
    // 1. A draft with an empty message, and the revision its first update is based on.
    const campaign = await loops.campaigns.create({ name: "Spring announcement" });
    expect(campaign.status).toBe("Draft");
    const messageId = String(campaign.emailMessageId);
    const empty = await loops.emailMessages.get(messageId);
    expect(empty.campaignId).toBe(campaign.id);
    expect(empty.contentRevisionId).toBe(campaign.emailMessageContentRevisionId);

    // 2. The content, guarded by the revision; the same revision again is stale.
    const firstRevision = String(campaign.emailMessageContentRevisionId);
    const written = await loops.emailMessages.update(messageId, {
      expectedRevisionId: firstRevision,
      subject: "Spring is here",
      fromName: "Ada from Acme",
      fromEmail: "hello",
      lmx: "<Paragraph>Hello {firstName}, spring is here.</Paragraph>",
      contactPropertiesFallbacks: { firstName: "there" },
    });
    expect(written.contentRevisionId).not.toBe(firstRevision);
    const stale = await loops.emailMessages
      .update(messageId, { expectedRevisionId: firstRevision, subject: "Overwritten?" })
      .catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((await loops.emailMessages.get(messageId)).subject).toBe("Spring is here");

    // 3. Guardian, and 4. a preview.
    const checks = await loops.emailMessages.guardian(messageId);
    expect(checks.errors).toEqual([]);
    const preview = await loops.emailMessages.preview(messageId, { emails: ["ada@acme.com"] });
    expect(preview.id).toBe(messageId);

    // 5. The audience and a send time a day ahead of the key's clock.
    const segment = (await loops.audienceSegments.list()).data[0];
    const sendAt = new Date(mock.advanceClock(apiKey, 0) + day).toISOString();
    const scheduled = await loops.campaigns.update(campaign.id, {
      audienceSegmentId: String(segment?.id),
      scheduling: { method: "schedule", timestamp: sendAt },
    });
    expect(scheduled).toMatchObject({ status: "Scheduled", audienceSegmentId: segment?.id });
    const locked = await loops.emailMessages
      .update(messageId, { subject: "Too late" })
      .catch((error: unknown) => error);
    expect(locked).toBeInstanceOf(ConflictError);

    // 6. Past the send time the campaign sends, then is sent.
    mock.advanceClock(apiKey, day);
    expect((await loops.campaigns.get(campaign.id)).status).toBe("Sending");
    mock.advanceClock(apiKey, 1_000);
    expect((await loops.campaigns.get(campaign.id)).status).toBe("Sent");

    // A sent campaign keeps its audience; its name and group may still change.
    const refused = await loops.campaigns
      .update(campaign.id, { mailingListId: "cm06f5v0e45nf0ml5754o9cix" })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConflictError);
    const renamed = await loops.campaigns.update(campaign.id, {
      name: "Spring announcement (sent)",
    });
    expect(renamed).toMatchObject({ status: "Sent", name: "Spring announcement (sent)" });
  });

  test("for await visits every campaign exactly once, newest first, across pages", async () => {
    const key = "workflow-pages";
    const paged = createLoopsClient({ apiKey: key, baseUrl: mock.url });
    const made = new Set<string>();
    for (let index = 0; index < 25; index += 1) {
      made.add((await paged.campaigns.create({ name: `Campaign ${index}` })).id);
    }
    const total = (await paged.campaigns.list({ perPage: 10 })).pagination.totalResults;
    const visited: string[] = [];
    for await (const campaign of paged.campaigns.list({ perPage: 10 })) visited.push(campaign.id);
    expect(visited).toHaveLength(total);
    expect(new Set(visited).size).toBe(total);
    expect(visited.slice(0, made.size)).toEqual([...made].reverse());
  });

  test("unknown ids are typed errors: a 404 for a campaign, a 400 for a group", async () => {
    await expect(loops.campaigns.get("does-not-exist")).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      loops.campaigns.create({ name: "Lost", campaignGroupId: "does-not-exist" }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });
});

// An app's sign-up, as the sandbox keeps it: the account's welcome email declared as a fixture
// (the API cannot create one), then the contact, its event, the email, and what a retry meets.
describe.skipIf(!againstMock)("a sign-up, on the sandbox", () => {
  const signupKey = "workflow-signup";
  const welcomeEmail = {
    id: "cm9welcome000000000000000",
    name: "Welcome",
    lastUpdated: "2026-04-01T09:00:00.000Z",
    dataVariables: ["firstName", "confirmationUrl"],
  };
  const listId = "cm9signups000000000000000";
  let mock: RunningMock;
  let loops: LoopsClient;
  beforeAll(async () => {
    mock = await startMock();
    mock.define(signupKey, {
      transactionalEmail: [welcomeEmail],
      mailingList: [{ id: listId, name: "Sign-ups", description: null, isPublic: false }],
    });
    loops = createLoopsClient({ apiKey: signupKey, baseUrl: mock.url });
  });
  afterAll(async () => {
    await mock?.stop();
  });

  test("create, event, transactional; a duplicate is a 409, a repeated Idempotency-Key a 409; delete", async () => {
    const email = "new.user@example.com";
    const { id } = await loops.contacts.create({
      email,
      firstName: "Nia",
      mailingLists: { [listId]: true },
      properties: { plan: "pro" },
    });
    await loops.events.send({ email, eventName: "signup", eventProperties: { plan: "pro" } });
    const welcome = { transactionalId: welcomeEmail.id, email };
    const dataVariables = { firstName: "Nia", confirmationUrl: "https://example.com/c/1" };
    const once = { idempotencyKey: "signup-welcome-new.user" };
    await loops.transactional.send({ ...welcome, dataVariables }, once);

    const [contact] = await loops.contacts.find({ email });
    expect(contact).toMatchObject({
      id,
      email,
      firstName: "Nia",
      subscribed: true,
      mailingLists: { [listId]: true },
      plan: "pro",
    });
    expect(mock.log(signupKey).map(({ operationId, recordId }) => [operationId, recordId])).toEqual(
      [
        ["sendEvent", id],
        ["sendTransactionalEmail", welcomeEmail.id],
      ],
    );

    // The same sign-up again: the contact exists, and the welcome email's key was used.
    await expect(loops.contacts.create({ email })).rejects.toBeInstanceOf(ConflictError);
    await expect(
      loops.transactional.send({ ...welcome, dataVariables }, once),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(loops.transactional.send(welcome)).rejects.toBeInstanceOf(BadRequestError);
    expect(mock.log(signupKey)).toHaveLength(2);

    await loops.contacts.delete({ email });
    expect(await loops.contacts.find({ email })).toEqual([]);
    await expect(loops.contacts.delete({ email })).rejects.toBeInstanceOf(NotFoundError);
  });
});
