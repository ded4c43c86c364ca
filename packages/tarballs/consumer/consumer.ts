// A consumer of every entry the packages publish, type-checked in a project that installed their
// tarballs. No top-level await: under "module": "commonjs" it would not compile. Each
// `@ts-expect-error` holds only if that entry's types are real: were an import `any`, the line
// under it would compile, and the unused directive would be the error.
import { createLoopsClient, NotFoundError } from "@loops-contract/client";
import { checkResponse, type ResponseDrift } from "@loops-contract/client/validation";
import { signWebhook, verifyWebhook, type WebhookEvent } from "@loops-contract/client/webhooks";
import { type DriftReport, runDriftCheck } from "@loops-contract/drift";
import { connectMock, createMockFetch, startMock } from "@loops-contract/mock";
import { loopsMatchers } from "@loops-contract/mock/vitest";
import { getOperation, operations } from "@loops-contract/spec";

export async function createAndReadBack(name: string): Promise<string> {
  const mock = await startMock();
  try {
    const loops = createLoopsClient({ apiKey: "test", baseUrl: mock.url });
    const created = await loops.campaigns.create({ name });
    // @ts-expect-error: a campaign needs a name.
    await loops.campaigns.create({});
    return (await loops.campaigns.get(created.id)).name;
  } finally {
    await mock.stop();
  }
}

export async function isMissing(campaignId: string): Promise<boolean> {
  const mockFetch = await createMockFetch({ empty: true });
  // @ts-expect-error: the clock moves by milliseconds, a number.
  mockFetch.advanceClock("test", "a day");
  const loops = createLoopsClient({ apiKey: "test", fetch: mockFetch });
  return loops.campaigns.get(campaignId).then(
    () => false,
    (error: unknown) => error instanceof NotFoundError && error.status === 404,
  );
}

export function driftOf(status: number, body: unknown): string[] {
  const details = checkResponse("getCampaign", status, new Headers(), body);
  // @ts-expect-error: a drift's kind is one of a closed set of names.
  const unknownKind: ResponseDrift["kind"] = "no such kind";
  return [unknownKind, ...(details?.drifts.map((drift) => drift.kind) ?? [])];
}

export async function driftedOperations(baseUrl: string): Promise<string[]> {
  const report: DriftReport = await runDriftCheck({ baseUrl, apiKey: "test" });
  // @ts-expect-error: a report counts its calls with a number.
  const calls: string = report.calls;
  return [calls, ...report.results.filter((r) => r.drifts.length > 0).map((r) => r.operation.path)];
}

export function operationIds(): string[] {
  const create = getOperation("createCampaign");
  // @ts-expect-error: an operation's method is a lower-case HTTP method.
  const method: "FETCH" = create.method;
  return [method, ...operations.map((operation) => operation.operationId)];
}

export async function waitedFor(url: string): Promise<string[]> {
  const remote = connectMock(url);
  // @ts-expect-error: a recipient is an address, a string.
  await remote.waitFor("test", { to: 42 });
  // @ts-expect-error: the matchers are functions.
  const matcher: string = loopsMatchers.toHaveSent;
  return [matcher, ...(await remote.waitFor("test", { kind: "preview" })).to];
}

export async function signedEventName(rawBody: string, secret: string): Promise<string[]> {
  const event: WebhookEvent = await verifyWebhook(
    rawBody,
    await signWebhook(rawBody, secret),
    secret,
  );
  // @ts-expect-error: an event's name is one of the contract's.
  const unknownName: WebhookEvent["eventName"] = "no.such.event";
  return [unknownName, event.eventName];
}
