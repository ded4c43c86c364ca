// The consumer's own test suite, run by its own vitest: the installed mock three ways (over HTTP,
// as a fetch, under MSW), each with the installed client and with the official `loops` SDK. Each
// creates a campaign and reads it back by its id: the same name means the sandbox remembered it.
// Over HTTP, what a send put in the outbox is read from another handle (connectMock), waited
// for and asserted with the `./vitest` matchers.
import { createLoopsClient } from "@loops-contract/client";
import { connectMock, createMockFetch, startMock } from "@loops-contract/mock";
import { loopsHandlers } from "@loops-contract/mock/msw";
import "@loops-contract/mock/vitest";
import { LoopsClient } from "loops";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const apiKey = "test";

async function expectClientRemembers(loops: ReturnType<typeof createLoopsClient>, name: string) {
  const created = await loops.campaigns.create({ name });
  expect((await loops.campaigns.get(created.id)).name).toBe(name);
}

async function expectSdkRemembers(sdk: LoopsClient, name: string) {
  const created = await sdk.createCampaign({ name });
  expect((await sdk.getCampaign(created.id)).name).toBe(name);
}

describe("over HTTP: startMock()", () => {
  let mock: Awaited<ReturnType<typeof startMock>>;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(() => mock.stop());

  test("the client", () =>
    expectClientRemembers(createLoopsClient({ apiKey, baseUrl: mock.url }), "over HTTP, client"));

  test("the loops SDK", () => {
    const sdk = new LoopsClient(apiKey);
    sdk.apiRoot = `${mock.url}/`;
    return expectSdkRemembers(sdk, "over HTTP, loops SDK");
  });

  test("the outbox: waitFor on connectMock, then the matchers", async () => {
    const remote = connectMock(mock.url);
    const loops = createLoopsClient({ apiKey, baseUrl: mock.url });
    const sent = remote.waitFor(apiKey, { kind: "transactional", to: "grace@example.com" });
    await loops.transactional.send({
      transactionalId: "clfq6dinn000yl70fgwwyp82l",
      email: "grace@example.com",
      dataVariables: { firstName: "Grace", confirmationUrl: "https://example.com/confirm/1" },
    });
    expect((await sent).dataVariables).toMatchObject({ firstName: "Grace" });
    await expect(remote).toHaveSent(apiKey, { to: "grace@example.com" });
    await expect(mock).toHaveReceived(apiKey, "sendTransactionalEmail", { status: 200, times: 1 });
  });
});

describe("in process: createMockFetch()", () => {
  test("the client", async () => {
    const loops = createLoopsClient({ apiKey, fetch: await createMockFetch() });
    await expectClientRemembers(loops, "as a fetch, client");
  });

  test("the loops SDK, which calls the global fetch", async () => {
    const mockFetch = await createMockFetch();
    const realFetch = globalThis.fetch;
    globalThis.fetch = mockFetch;
    try {
      await expectSdkRemembers(new LoopsClient(apiKey), "as a fetch, loops SDK");
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});

describe("under MSW: setupServer(...loopsHandlers())", () => {
  const server = setupServer(...loopsHandlers());
  // No options: msw 2 calls the unhandled-request policy onUnhandledRequest, msw 3 onUnhandledFrame.
  beforeAll(() => server.listen());
  afterAll(() => server.close());

  test("the client, at the production URL", () =>
    expectClientRemembers(createLoopsClient({ apiKey }), "under MSW, client"));

  test("the loops SDK, at the production URL", () =>
    expectSdkRemembers(new LoopsClient(apiKey), "under MSW, loops SDK"));
});
