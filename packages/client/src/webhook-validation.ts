// A verified webhook's payload checked against the contract, over validators compiled at build time.
// Loaded by `verifyWebhook` only with its `validate` option. What counts as drift is what the
// response validation counts (`./body-drift.js`): never a field the contract does not know, so
// that Loops may add fields; an event the contract does not know is drift.
import { type AlternativeValidators, bodyDrift, showToken, type Validate } from "./body-drift.js";
import type { WebhookValidationDetails } from "./webhook-errors.js";
import { alternatives, events } from "./webhook-validators.gen.js";

const payloadValidators = events as unknown as Record<string, Validate>;
const alternativeValidators = alternatives as unknown as AlternativeValidators;

/** How `event` departs from the contract's payload for its `eventName`, or `undefined` when it matches. */
export function checkWebhookEvent(
  event: Record<string, unknown>,
): WebhookValidationDetails | undefined {
  const { eventName } = event;
  const known = typeof eventName === "string" && Object.hasOwn(payloadValidators, eventName);
  const drifts = known
    ? bodyDrift(payloadValidators[eventName] as Validate, event, "", alternativeValidators)
    : [
        {
          location: "/eventName",
          kind: "enum" as const,
          expected: `one of ${Object.keys(payloadValidators).join(", ")}`,
          actual: showToken(eventName, ""),
        },
      ];
  if (drifts.length === 0) return undefined;
  const name = known ? eventName : "A webhook";
  const lines = drifts.map(
    (drift) => `  ${drift.location}: expected ${drift.expected}, got ${drift.actual}`,
  );
  return {
    eventName: known ? eventName : undefined,
    drifts,
    message: `${name} is not as the contract documents:\n${lines.join("\n")}`,
  };
}
