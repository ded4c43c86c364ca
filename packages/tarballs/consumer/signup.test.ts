// The sign-up of signup.ts, run against the installed mock over HTTP, with this client and with the
// official `loops` SDK. The mock validates every request against the contract (a body or header
// it refuses is a 400, which throws), and each flow's welcome email must carry its key.
import { ConflictError, createLoopsClient } from "@loops-contract/client";
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

/** The app's own welcome email, declared as what its Loops account holds: the API cannot make one. */
const welcomeEmail = {
  id: "cm_welcome_app",
  name: "Welcome",
  lastUpdated: "2026-04-01T09:00:00.000Z",
  dataVariables: ["firstName", "confirmationUrl"],
};

beforeAll(async () => {
  mock = await startMock({ fixtures: { transactionalEmail: [welcomeEmail] } });
  // The team's mailing list, as the mock answers it.
  const loops = createLoopsClient({ apiKey: "signup-setup", baseUrl: mock.url });
  const [list] = await loops.mailingLists.list();
  // Loops' document marks no field of a mailing list required.
  if (!list?.id) throw new Error("the mock holds no mailing list");
  welcome = {
    mailingListId: list.id,
    transactionalId: welcomeEmail.id,
    dataVariables: { firstName: "Linus", confirmationUrl: "https://example.com/confirm/1" },
  };
});
afterAll(() => mock.stop());

test("with this client: the contact, the event, the welcome email with its key; the sandbox holds them", async () => {
  const user: NewUser = { email: "linus@example.org", userId: "user_linus", plan: "pro" };
  const loops = createLoopsClient({ apiKey: "signup-client", baseUrl: mock.url });
  let id = "";
  const keys = await keysSentBy(async (fetch) => {
    const recorded = createLoopsClient({ apiKey: "signup-client", baseUrl: mock.url, fetch });
    id = await signUp(recorded, user, welcome);
  });
  // The event gets a key of the client's making, so it too is safe to retry.
  expect(keys).toEqual([null, expect.stringMatching(/^[0-9a-f-]{36}$/), welcomeKey(user)]);

  const [contact] = await loops.contacts.find({ email: user.email });
  expect(contact).toMatchObject({
    id,
    userId: user.userId,
    plan: user.plan,
    mailingLists: { [welcome.mailingListId]: true },
  });
  expect(mock.log("signup-client").map((entry) => entry.operationId)).toEqual([
    "sendEvent",
    "sendTransactionalEmail",
  ]);
  // The sign-up run again: the contact exists, and the welcome email's key was spent.
  await expect(signUp(loops, user, welcome)).rejects.toBeInstanceOf(ConflictError);
  await expect(
    loops.transactional.send(
      {
        transactionalId: welcome.transactionalId,
        email: user.email,
        dataVariables: welcome.dataVariables,
      },
      { idempotencyKey: welcomeKey(user) },
    ),
  ).rejects.toBeInstanceOf(ConflictError);
});

test("with the loops SDK: the same flow, the key given by hand", async () => {
  const user: NewUser = { email: "margaret@example.org", userId: "user_margaret", plan: "team" };
  const keys = await keysSentBy(async () => {
    const sdk = new LoopsSdk("signup-sdk");
    sdk.apiRoot = `${mock.url}/`;
    expect(await signUpWithSdk(sdk, user, welcome)).toEqual(expect.any(String));
  });
  // The SDK sends a key only when given one, and retries nothing.
  expect(keys).toEqual([null, null, welcomeKey(user)]);
});
