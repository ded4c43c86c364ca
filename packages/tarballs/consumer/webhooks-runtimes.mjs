// Run by the tarball test under Node, Deno and Bun, from the installed client: the webhooks entry
// verifies an event it signed (as text with a plain object of headers, checked against the
// contract too, and as bytes with a `Headers`), and rejects the same event with its body, id or
// timestamp changed, or another secret. Prints what each check gave, with the runtime's name.
import { signWebhook, verifyWebhook } from "@loops-contract/client/webhooks";

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const otherSecret = "whsec_c2VjcmV0IG9mIGFub3RoZXIgZW5kcG9pbnQ=";
const body = JSON.stringify({
  eventName: "testing.testEvent",
  eventTime: Math.floor(Date.now() / 1000),
  message: "test",
  webhookSchemaVersion: "1.0.0",
});
const headers = await signWebhook(body, secret);
const runtime = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "node";

const outcome = (verification) =>
  verification.then(
    (event) => event.eventName,
    (error) => `${error.name}: ${error.reason}`,
  );
const tampered = {
  body: outcome(verifyWebhook(body.replace('"test"', '"tset"'), headers, secret)),
  id: outcome(verifyWebhook(body, { ...headers, "webhook-id": "msg_other" }, secret)),
  timestamp: outcome(
    verifyWebhook(
      body,
      { ...headers, "webhook-timestamp": String(Number(headers["webhook-timestamp"]) - 1) },
      secret,
    ),
  ),
  secret: outcome(verifyWebhook(body, headers, otherSecret)),
};
console.log(
  JSON.stringify({
    runtime,
    // validate: the payload validators, a module of their own, load in this runtime too.
    text: await outcome(verifyWebhook(body, headers, secret, { validate: "throw" })),
    bytes: await outcome(
      verifyWebhook(new TextEncoder().encode(body), new Headers(headers), secret),
    ),
    tampered: Object.fromEntries(
      await Promise.all(
        Object.entries(tampered).map(async ([part, result]) => [part, await result]),
      ),
    ),
  }),
);
