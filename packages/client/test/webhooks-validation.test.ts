// verifyWebhook's `validate`: every webhook example of the contract verified and found true to it;
// drift warned or thrown as a WebhookValidationError, never as a verification failure; the payload
// validators loaded only when asked for.
import { webhooks } from "@loops-contract/spec";
import { describe, expect, test, vi } from "vitest";

const loads = vi.hoisted(() => ({ count: 0 }));
vi.mock("../src/webhook-validation.js", async (importOriginal) => {
  loads.count += 1;
  return importOriginal();
});
// Test files share one module graph: count the imports of an entry loaded afresh, through the mock.
vi.resetModules();
const { signWebhook, verifyWebhook, WebhookValidationError, WebhookVerificationError } =
  await import("../src/webhooks.js");

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const examples = webhooks.flatMap(({ key, eventName, examples: named }) =>
  Object.entries(named).map(([name, value]) => ({
    title: `${key}: ${name}`,
    eventName,
    value: value as Record<string, unknown>,
  })),
);
const [first] = examples;
if (!first) throw new Error("the contract's webhooks have no examples");

async function signed(event: unknown) {
  const body = JSON.stringify(event);
  return { body, headers: await signWebhook(body, secret) };
}

function silentLogger() {
  return { warn: vi.fn<(message: string) => void>() };
}

test("without validate, the payload validators are never loaded", async () => {
  const { body, headers } = await signed({ ...first.value, eventTime: "not a number" });
  await expect(verifyWebhook(body, headers, secret)).resolves.toMatchObject({
    eventName: first.eventName,
  });
  expect(loads.count).toBe(0);
});

test("every webhook has an example, and each verifies and validates as the contract's own", async () => {
  expect(new Set(examples.map(({ eventName }) => eventName))).toEqual(
    new Set(webhooks.map(({ eventName }) => eventName)),
  );
  for (const { title, eventName, value } of examples) {
    const { body, headers } = await signed(value);
    const event = await verifyWebhook(body, headers, secret, { validate: "throw" });
    expect(event, title).toEqual(value);
    expect(event.eventName, title).toBe(eventName);
  }
  expect(loads.count).toBe(1);
});

describe("a drifted payload", () => {
  const drifted: Record<string, unknown> = { ...first.value, eventTime: "yesterday" };
  delete drifted.webhookSchemaVersion;

  test('"throw": a WebhookValidationError naming each drift, with the verified event', async () => {
    const { body, headers } = await signed(drifted);
    const error = await verifyWebhook(body, headers, secret, { validate: "throw" }).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(WebhookValidationError);
    expect(error).not.toBeInstanceOf(WebhookVerificationError);
    const { drifts, event, eventName, message } = error as InstanceType<
      typeof WebhookValidationError
    >;
    expect(eventName).toBe(first.eventName);
    expect(event).toEqual(drifted);
    expect(drifts.map(({ location, kind }) => [location, kind])).toEqual([
      ["/webhookSchemaVersion", "missing-field"],
      ["/eventTime", "type"],
    ]);
    expect(message).toContain(`${first.eventName} is not as the contract documents`);
    expect(message).not.toContain("yesterday");
  });

  test('"warn": each drift written to the logger once, and the event returned', async () => {
    const { body, headers } = await signed(drifted);
    const logger = silentLogger();
    const event = await verifyWebhook(body, headers, secret, { validate: "warn", logger });
    expect(event).toEqual(drifted);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]?.[0]).toMatch(/\/eventTime: expected integer, got string/);
  });

  test("a signature failure is still one, whatever the payload", async () => {
    const { body, headers } = await signed(drifted);
    const error = await verifyWebhook(`${body} `, headers, secret, { validate: "throw" }).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect((error as InstanceType<typeof WebhookVerificationError>).reason).toBe(
      "no-matching-signature",
    );
  });
});

test("a field the contract does not know is not drift; an event it does not know is", async () => {
  const logger = silentLogger();
  const extra = await signed({ ...first.value, fieldLoopsAdded: { nested: true } });
  await verifyWebhook(extra.body, extra.headers, secret, { validate: "warn", logger });
  expect(logger.warn).not.toHaveBeenCalled();

  const unknown = await signed({ ...first.value, eventName: "contact.teleported" });
  const error = await verifyWebhook(unknown.body, unknown.headers, secret, {
    validate: "throw",
  }).catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(WebhookValidationError);
  const { eventName, drifts } = error as InstanceType<typeof WebhookValidationError>;
  expect(eventName).toBeUndefined();
  expect(drifts).toEqual([
    {
      location: "/eventName",
      kind: "enum",
      expected: `one of ${webhooks.map(({ eventName }) => eventName).join(", ")}`,
      actual: '"contact.teleported"',
    },
  ]);
});

test("a validate that is neither warn nor throw is a TypeError", async () => {
  const { body, headers } = await signed(first.value);
  const validate = "always" as "warn";
  await expect(verifyWebhook(body, headers, secret, { validate })).rejects.toThrow(
    'validate must be "warn" or "throw".',
  );
});
