// `@loops-contract/client/webhooks`: verifies the webhooks Loops sends (Standard Webhooks'
// scheme) and signs test events the same way. An entry of its own that loads none of the client:
// a handler needs no API key and no HTTP client.
import type { Logger } from "./core.js";
import { WebhookValidationError, WebhookVerificationError } from "./webhook-errors.js";
import type { WebhookEvent } from "./webhook-events.js";
import {
  anyMatches,
  sign,
  signedContent,
  signingKey,
  v1Signatures,
  WEBHOOK_ID,
  WEBHOOK_SIGNATURE,
  WEBHOOK_TIMESTAMP,
} from "./webhook-signature.js";

export type { Logger } from "./core.js";
export {
  type WebhookDrift,
  type WebhookHeaderName,
  type WebhookValidationDetails,
  WebhookValidationError,
  WebhookVerificationError,
  type WebhookVerificationReason,
} from "./webhook-errors.js";
export type { WebhookEvent, WebhookEventName, WebhookEventOf } from "./webhook-events.js";

/** A raw body exactly as received: text, or the bytes (a Node `Buffer` is a `Uint8Array`). */
export type WebhookBody = string | Uint8Array | ArrayBuffer;

/**
 * The request's headers: a `Headers` (fetch, Hono, Bun, Deno, edge runtimes) or a plain object of
 * them such as Node's `IncomingMessage.headers` (names matched without regard to case).
 */
export type WebhookHeaders =
  | { get(name: string): string | null }
  | { readonly [name: string]: string | readonly string[] | undefined };

export interface VerifyWebhookOptions {
  /** How far `webhook-timestamp` may be from now, either way, in seconds. Default 300 (5 minutes). */
  toleranceSeconds?: number | undefined;
  /** The time to check the timestamp against, in milliseconds since the epoch. Default `Date.now`. */
  now?: (() => number) | undefined;
  /**
   * Checks the verified payload against the contract: `"warn"` writes any drift to the logger,
   * `"throw"` throws a `WebhookValidationError` (not a `WebhookVerificationError`: the webhook is
   * authentic). Off by default; the validators load only when it is on.
   */
  validate?: "warn" | "throw" | undefined;
  /** Where `validate: "warn"` writes. Default `console`. */
  logger?: Logger | undefined;
}

/**
 * The three headers of a signed webhook. A type, not an interface, so that it is a plain object of
 * header values that `verifyWebhook` and `fetch` take as they are.
 */
export type SignedWebhookHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

export interface SignWebhookOptions {
  /** The message id. Default `msg_` and a random UUID. */
  id?: string | undefined;
  /** When it was sent, a `Date` or in seconds since the epoch. Default now. */
  timestamp?: Date | number | undefined;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;
/** More `v1,` signatures than this in one header are refused, not tried one by one. */
export const MAX_SIGNATURES = 10;

/**
 * Verifies a webhook and returns its event. It checks the three headers, the timestamp's distance
 * from now, the signature (any `v1,` entry of `webhook-signature` may match, so secrets can
 * rotate), the body as JSON, and with `validate`, the payload against the contract. `rawBody` must
 * be the body exactly as received, before any JSON parsing. Throws a `WebhookVerificationError`
 * whose `reason` names the failed check, or a `TypeError` for a secret that is missing or not
 * base64, which is the receiver's mistake, not the sender's.
 */
export async function verifyWebhook(
  rawBody: WebhookBody,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<WebhookEvent> {
  checkValidate(options.validate);
  const key = signingKey(secret);
  const body = bodyBytes(rawBody);
  const id = requiredHeader(headers, WEBHOOK_ID);
  const timestamp = requiredHeader(headers, WEBHOOK_TIMESTAMP);
  const signatures = v1Signatures(requiredHeader(headers, WEBHOOK_SIGNATURE));
  checkTimestamp(timestamp, options);
  if (signatures.length > MAX_SIGNATURES) {
    throw new WebhookVerificationError(
      "too-many-signatures",
      `webhook-signature has ${signatures.length} v1 signatures; at most ${MAX_SIGNATURES} are tried.`,
      WEBHOOK_SIGNATURE,
    );
  }
  if (!(await anyMatches(await key, signatures, signedContent(id, timestamp, body)))) {
    throw new WebhookVerificationError(
      "no-matching-signature",
      signatures.length === 0
        ? "webhook-signature has no v1 signature of 32 bytes in base64."
        : "No v1 signature in webhook-signature matches the body, id and timestamp with this secret.",
      WEBHOOK_SIGNATURE,
    );
  }
  const event = parseEvent(body);
  if (options.validate) await validateEvent(event, options);
  return event as WebhookEvent;
}

/**
 * The three headers that sign `rawBody` with `secret`, as Loops signs its webhooks: for tests,
 * to feed a handler an event that `verifyWebhook` accepts. Send `rawBody` exactly as signed.
 */
export async function signWebhook(
  rawBody: WebhookBody,
  secret: string,
  { id = `msg_${globalThis.crypto.randomUUID()}`, timestamp = new Date() }: SignWebhookOptions = {},
): Promise<SignedWebhookHeaders> {
  const seconds = timestamp instanceof Date ? timestamp.getTime() / 1000 : timestamp;
  if (!Number.isSafeInteger(Math.floor(seconds)) || seconds < 0) {
    throw new TypeError(
      "signWebhook's timestamp must be a Date or a number of seconds, not negative.",
    );
  }
  const time = String(Math.floor(seconds));
  const signature = await sign(
    await signingKey(secret),
    signedContent(id, time, bodyBytes(rawBody)),
  );
  return { [WEBHOOK_ID]: id, [WEBHOOK_TIMESTAMP]: time, [WEBHOOK_SIGNATURE]: signature };
}

const encoder = new TextEncoder();

function bodyBytes(rawBody: WebhookBody): Uint8Array {
  if (typeof rawBody === "string") return encoder.encode(rawBody);
  if (rawBody instanceof Uint8Array) return rawBody;
  if (rawBody instanceof ArrayBuffer) return new Uint8Array(rawBody);
  throw new TypeError(
    "The webhook body must be the raw body as received: a string, a Uint8Array (a Buffer) or an ArrayBuffer, not parsed JSON.",
  );
}

/** A header's value, or a `missing-header` error; several values (a plain object's array) are joined. */
function requiredHeader(headers: WebhookHeaders, name: string): string {
  const value = headerValue(headers, name);
  // Read as text whatever a plain object holds: a number from a hand-built object, say.
  const text = Array.isArray(value) ? value.join(" ") : value == null ? "" : String(value);
  if (!text.trim()) {
    throw new WebhookVerificationError(
      "missing-header",
      `The ${name} header is missing or empty.`,
      name as typeof WEBHOOK_ID,
    );
  }
  return text.trim();
}

function headerValue(
  headers: WebhookHeaders,
  name: string,
): string | readonly string[] | null | undefined {
  if (typeof headers !== "object" || headers === null) {
    throw new TypeError("The webhook headers must be a Headers or an object of header values.");
  }
  if (typeof headers.get === "function")
    return (headers as { get(name: string): string | null }).get(name);
  const record = headers as Record<string, string | readonly string[] | undefined>;
  if (name in record) return record[name];
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : record[key];
}

function checkTimestamp(
  timestamp: string,
  { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = Date.now }: VerifyWebhookOptions,
): void {
  if (!(typeof toleranceSeconds === "number" && toleranceSeconds >= 0)) {
    throw new TypeError("toleranceSeconds must be a number of seconds, 0 or more.");
  }
  const sent = /^\d{1,15}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (Number.isNaN(sent)) {
    throw new WebhookVerificationError(
      "invalid-timestamp",
      "webhook-timestamp is not a whole number of seconds since the epoch.",
      WEBHOOK_TIMESTAMP,
    );
  }
  const nowMs = now();
  if (!Number.isFinite(nowMs))
    throw new TypeError("now() must return milliseconds since the epoch.");
  const age = Math.floor(nowMs / 1000) - sent;
  if (age > toleranceSeconds || -age > toleranceSeconds) {
    const tooOld = age > 0;
    throw new WebhookVerificationError(
      tooOld ? "timestamp-too-old" : "timestamp-too-new",
      `webhook-timestamp is ${Math.abs(age)} s ${tooOld ? "in the past" : "in the future"}, beyond the tolerance of ${toleranceSeconds} s.`,
      WEBHOOK_TIMESTAMP,
    );
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function parseEvent(body: Uint8Array): Record<string, unknown> {
  let event: unknown;
  try {
    event = JSON.parse(decoder.decode(body));
  } catch {
    event = undefined; // not UTF-8 or not JSON: said below, without the body's text
  }
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    throw new WebhookVerificationError(
      "invalid-json",
      "The webhook is signed, but its body is not a JSON object.",
    );
  }
  return event as Record<string, unknown>;
}

function checkValidate(validate: unknown): void {
  if (validate !== undefined && validate !== "warn" && validate !== "throw") {
    throw new TypeError('validate must be "warn" or "throw".');
  }
}

/** The payload validation, imported on the first event validated: a module's import costs each time. */
let validation: Promise<typeof import("./webhook-validation.js")> | undefined;

async function validateEvent(
  event: Record<string, unknown>,
  { validate, logger = console }: VerifyWebhookOptions,
): Promise<void> {
  validation ??= import("./webhook-validation.js");
  const { checkWebhookEvent } = await validation;
  const drift = checkWebhookEvent(event);
  if (!drift) return;
  if (validate === "warn") logger.warn(drift.message);
  else throw new WebhookValidationError(drift, event);
}
