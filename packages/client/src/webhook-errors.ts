// The webhooks entry's errors, apart from the client's (`LoopsError` and the rest): a handler
// imports this entry alone, and none of the client's runtime comes with it.
import type { BodyDrift } from "./body-drift.js";

/**
 * Which check a webhook failed:
 * - `missing-header`: `webhook-id`, `webhook-timestamp` or `webhook-signature` is absent or empty
 *   (`header` says which);
 * - `invalid-timestamp`: `webhook-timestamp` is not a whole number of seconds;
 * - `timestamp-too-old`, `timestamp-too-new`: it is further from now than the tolerance;
 * - `no-matching-signature`: no `v1,` entry of `webhook-signature` is the body's signature with
 *   this secret (a body, id or timestamp changed on the way, another secret, no `v1,` entry at all);
 * - `too-many-signatures`: more `v1,` entries than anyone rotating secrets sends, not all tried;
 * - `invalid-json`: the signature holds, but the body is not a JSON object.
 */
export type WebhookVerificationReason =
  | "missing-header"
  | "invalid-timestamp"
  | "timestamp-too-old"
  | "timestamp-too-new"
  | "no-matching-signature"
  | "too-many-signatures"
  | "invalid-json";

export type WebhookHeaderName = "webhook-id" | "webhook-timestamp" | "webhook-signature";

/**
 * A webhook that cannot be trusted as sent: answer it with a 4xx and do not act on it. `reason`
 * says which check failed; the message says it in words, and never quotes the body or the secret.
 */
export class WebhookVerificationError extends Error {
  override name = "WebhookVerificationError" as const;
  declare readonly reason: WebhookVerificationReason;
  /** The header at fault, for `missing-header`, `invalid-timestamp` and the signature reasons. */
  declare readonly header: WebhookHeaderName | undefined;

  constructor(reason: WebhookVerificationReason, message: string, header?: WebhookHeaderName) {
    super(message);
    Object.assign(this, { reason, header });
  }
}

/** How a verified webhook's payload departs from the contract: where, what kind, expected, got. */
export type WebhookDrift = BodyDrift;

export interface WebhookValidationDetails {
  /** The event's name, when the contract knows it. */
  eventName: string | undefined;
  drifts: WebhookDrift[];
  /** The event and one line per drift; no value from the payload but enum-like codes. */
  message: string;
}

/**
 * With `validate: "throw"`: the webhook is verified (signed with the secret, on time), but its
 * payload is not as the contract documents. Not a verification failure: `event` is the verified
 * event, for a handler that acts on it anyway.
 */
export class WebhookValidationError extends Error {
  override name = "WebhookValidationError" as const;
  declare readonly eventName: string | undefined;
  declare readonly drifts: readonly WebhookDrift[];
  /** The verified event, as parsed. */
  declare readonly event: Record<string, unknown>;

  constructor(
    { eventName, drifts, message }: WebhookValidationDetails,
    event: Record<string, unknown>,
  ) {
    super(message);
    Object.assign(this, { eventName, drifts, event });
  }
}
