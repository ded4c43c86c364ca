// The sign-up of signup.ts, run against the installed mock over HTTP, with this client and with the
// official `loops` SDK. The mock validates every request against the contract (a body or header
// it refuses is a 400, which throws), and each flow's welcome email must carry its key.
import { createLoopsClient } from "@loops-contract/client";
import { startMock } from "@loops-contract/mock";
import { LoopsClient as LoopsSdk } from "loops";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type NewUser, signUp, signUpWithSdk, type Welcome, welcomeKey } from "./signup.js";

let mock: Awaited<ReturnType<typeof startMock>>;
let welcome: Welcome;

/** The `Idempotency-Key` of every request sent through `fetch` while `run` runs. */
async function keysSentBy(run: (fetch: typeof globalThis.fetch) => Promise<unknown>) {
  const keys: Array<string | null> = [];
  const realFetch = globalThis.fetch;
  const recording: typeof fetch = (input, init) => {
    keys.push(new Headers(init?.headers ?? (input as Request).headers).get("idempotency-key"));
    return realFetch(input, init);
  };
  globalThis.fetch = recording;
  try {
    await run(recording);
  } finally {
    globalThis.fetch = realFetch;
  }
  return keys;
}

beforeAll(async () => {
  mock = await startMock();
  // What the team holds, as the mock answers it: a list, a published email and its variables.
  const loops = createLoopsClient({ apiKey: "signup-setup", baseUrl: mock.url });
  const [list] = await loops.mailingLists.list();
  const [email] = (await loops.transactional.listPublished()).data;
  // Loops' document marks no field of a mailing list required.
  if (!list?.id || !email) throw new Error("the mock holds no mailing list or published email");
  welcome = {
    mailingListId: list.id,
    transactionalId: email.id,
    dataVariables: Object.fromEntries(email.dataVariables.map((name) => [name, `${name} value`])),
  };
});
afterAll(() => mock.stop());

test("with this client: the contact, the event, the welcome email with its key", async () => {
  const user: NewUser = { email: "ada@example.com", userId: "user_ada", plan: "pro" };
  const keys = await keysSentBy(async (fetch) => {
    const loops = createLoopsClient({ apiKey: "signup-client", baseUrl: mock.url, fetch });
    expect(await signUp(loops, user, welcome)).toEqual(expect.any(String));
  });
  // The event gets a key of the client's making, so it too is safe to retry.
  expect(keys).toEqual([null, expect.stringMatching(/^[0-9a-f-]{36}$/), welcomeKey(user)]);
});

test("with the loops SDK: the same flow, the key given by hand", async () => {
  const user: NewUser = { email: "grace@example.com", userId: "user_grace", plan: "team" };
  const keys = await keysSentBy(async () => {
    const sdk = new LoopsSdk("signup-sdk");
    sdk.apiRoot = `${mock.url}/`;
    expect(await signUpWithSdk(sdk, user, welcome)).toEqual(expect.any(String));
  });
  // The SDK sends a key only when given one, and retries nothing.
  expect(keys).toEqual([null, null, welcomeKey(user)]);
});
