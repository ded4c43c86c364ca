// The webhook events as types, from the `webhooks` openapi-typescript generates from the contract
// (src/schema.gen.ts): each webhook's JSON body, and their union, told apart by `eventName`.
import type { webhooks } from "./schema.gen.js";

type PayloadOf<Webhook> = Webhook extends {
  post: { requestBody: { content: { "application/json": infer Payload } } };
}
  ? Payload
  : never;

/**
 * Any event Loops sends, as the contract documents it: a union discriminated by `eventName`, so a
 * `switch (event.eventName)` narrows each case to its event's fields.
 */
export type WebhookEvent = { [Key in keyof webhooks]: PayloadOf<webhooks[Key]> }[keyof webhooks];

/** The name of any event Loops sends: `"contact.created"`, ... */
export type WebhookEventName = WebhookEvent["eventName"];

/** The event of one name: `WebhookEventOf<"contact.created">`. */
export type WebhookEventOf<Name extends WebhookEventName> = Extract<
  WebhookEvent,
  { eventName: Name }
>;
