// An app's sign-up, as a user writes it: create the contact with a custom property and a mailing
// list, send a `signup` event, send the welcome email once. The same flow with this client and
// with the official `loops` SDK; signup.test.ts runs both against the installed mock.
import type { LoopsClient } from "@loops-contract/client";
import type { LoopsClient as LoopsSdk } from "loops";

export interface NewUser {
  email: string;
  userId: string;
  plan: string;
}

/** What the app's Loops team holds: a list to add new users to, a published welcome email. */
export interface Welcome {
  mailingListId: string;
  transactionalId: string;
  dataVariables: Record<string, string>;
}

/** The key of the welcome email: one per user, so a sign-up run twice cannot send it twice. */
export const welcomeKey = (user: NewUser) => `welcome-${user.userId}`;

export async function signUp(loops: LoopsClient, user: NewUser, welcome: Welcome): Promise<string> {
  const { id } = await loops.contacts.create({
    email: user.email,
    userId: user.userId,
    mailingLists: { [welcome.mailingListId]: true },
    properties: { plan: user.plan },
  });
  await loops.events.send({
    eventName: "signup",
    email: user.email,
    eventProperties: { plan: user.plan },
  });
  // Retried after a 5xx, a timeout or a dropped connection, always with this key.
  await loops.transactional.send(
    {
      transactionalId: welcome.transactionalId,
      email: user.email,
      dataVariables: welcome.dataVariables,
    },
    { idempotencyKey: welcomeKey(user) },
  );
  return id;
}

export async function signUpWithSdk(
  sdk: LoopsSdk,
  user: NewUser,
  welcome: Welcome,
): Promise<string> {
  const created = await sdk.createContact({
    email: user.email,
    properties: { userId: user.userId, plan: user.plan },
    mailingLists: { [welcome.mailingListId]: true },
  });
  await sdk.sendEvent({
    eventName: "signup",
    email: user.email,
    eventProperties: { plan: user.plan },
  });
  // Not retried by the SDK: the key only makes a retry of your own safe.
  await sdk.sendTransactionalEmail({
    transactionalId: welcome.transactionalId,
    email: user.email,
    dataVariables: welcome.dataVariables,
    headers: { "Idempotency-Key": welcomeKey(user) },
  });
  return created.id;
}

/** What this client's types refuse, where the SDK's would let it through to a 400. */
export function refusedAtCompileTime(loops: LoopsClient, user: NewUser): void {
  // @ts-expect-error: a custom property is a string, number, boolean or null.
  void loops.contacts.create({ email: user.email, properties: { plan: { name: user.plan } } });
  // @ts-expect-error: find takes exactly one of email and userId.
  void loops.contacts.find({ email: user.email, userId: user.userId });
  // @ts-expect-error: an event needs its contact, by email or userId.
  void loops.events.send({ eventName: "signup" });
}
