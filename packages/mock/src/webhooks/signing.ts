// Standard Webhooks signing, as Loops signs (per Trigger.dev's and Standard Webhooks' pages):
// `v1,` and the base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`, keyed with the bytes the
// secret's base64 after `whsec_` decodes to. node:crypto, not Web Crypto: the mock runs only on
// Node, and its synchronous HMAC lets a delivery be signed inside `advanceClock`, which returns
// synchronously.
import { createHmac, randomBytes } from "node:crypto";

const prefix = "whsec_";

/** A secret that is not `whsec_` and base64; the message says what is wrong. */
export class WebhookSecretError extends TypeError {
  override name = "WebhookSecretError";
}

/** The key bytes of a `whsec_` secret, or a WebhookSecretError naming `where`. */
export function secretBytes(secret: unknown, where: string): Uint8Array {
  if (typeof secret !== "string" || !secret.startsWith(prefix)) {
    throw new WebhookSecretError(
      `${where} must be a Standard Webhooks secret, whsec_ and base64 (whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw).`,
    );
  }
  const encoded = secret.slice(prefix.length);
  const bytes = Buffer.from(encoded, "base64");
  if (
    bytes.length === 0 ||
    bytes.toString("base64").replace(/=+$/, "") !== encoded.replace(/=+$/, "")
  ) {
    throw new WebhookSecretError(
      `${where}: the text after whsec_ must be base64 of at least one byte.`,
    );
  }
  return bytes;
}

/**
 * A key's own secret: 24 bytes (the size of Standard Webhooks' examples) derived from the mock's
 * random one and the API key, so each key keeps its secret across resets and no table grows.
 */
export function derivedSecret(mockSecret: Uint8Array, apiKey: string): string {
  const bytes = createHmac("sha256", mockSecret).update(apiKey).digest().subarray(0, 24);
  return `${prefix}${bytes.toString("base64")}`;
}

/** Random bytes for `derivedSecret`, one set per mock. */
export function mockSecret(): Uint8Array {
  return randomBytes(32);
}

/** The three Standard Webhooks headers of one message. */
export function signedHeaders(
  key: Uint8Array,
  id: string,
  timestampSeconds: number,
  body: string,
): Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string> {
  const signature = createHmac("sha256", key)
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest("base64");
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": `v1,${signature}`,
  };
}

/** A message id as Standard Webhooks' examples write one: `msg_` and random characters. */
export function messageId(): string {
  return `msg_${randomBytes(18).toString("base64url")}`;
}
