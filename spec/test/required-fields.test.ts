// Every required field of every request body, pinned: the walk below finds each `required` list
// reachable from an operation's request schema (through $refs, properties, items, map values and
// allOf/oneOf/anyOf branches), and the table says what each must be. A field dropped from (or
// added to) a `required` anywhere in a request body fails here until the table says so too.
import {
  escapePointer,
  getOperation,
  operations,
  resolve,
  validatorAt,
} from "@loops-contract/spec";
import { describe, expect, test } from "vitest";

type RequiredLists = Record<string, string[]>;

/** Every `required` list reachable from a schema, by the pointer of the schema that holds it. */
function requiredLists(pointer: string, found: RequiredLists = {}, seen = new Set<string>()) {
  const { pointer: at, node } = resolve(pointer);
  if (seen.has(at)) return found;
  seen.add(at);
  if (Array.isArray(node.required) && node.required.length > 0)
    found[at] = node.required.map(String);
  const properties = (node.properties ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(properties))
    requiredLists(`${at}/properties/${escapePointer(name)}`, found, seen);
  for (const key of ["items", "additionalProperties"]) {
    if (typeof node[key] === "object" && node[key] !== null)
      requiredLists(`${at}/${key}`, found, seen);
  }
  for (const key of ["allOf", "oneOf", "anyOf"]) {
    const branches: unknown[] = Array.isArray(node[key]) ? node[key] : [];
    for (const index of branches.keys()) requiredLists(`${at}/${key}/${index}`, found, seen);
  }
  return found;
}

const schemas = "/components/schemas";
const AUDIENCE_FILTER: RequiredLists = {
  [`${schemas}/AudienceFilter`]: ["match", "conditions"],
  [`${schemas}/PropertyCompareCondition`]: ["type", "key", "operator"],
  [`${schemas}/PropertyPresenceCondition`]: ["type", "key", "operator"],
  [`${schemas}/PropertyBetweenCondition`]: ["type", "key", "operator", "value"],
  [`${schemas}/DateRange`]: ["from", "to"],
  [`${schemas}/OptInCondition`]: ["type", "status"],
  [`${schemas}/ActivityCondition`]: ["type", "action", "negate", "target", "id"],
};
const SCHEDULING: RequiredLists = {
  [`${schemas}/SchedulingRequestNow`]: ["method"],
  [`${schemas}/SchedulingRequestAt`]: ["method", "timestamp"],
};
/** The alternatives of a body that needs `email` or `userId`: each branch requires one. */
const EMAIL_OR_USER_ID = (
  schema: string,
  keyword: "anyOf" | "oneOf",
  within = "",
): RequiredLists => ({
  [`${schemas}/${schema}/${keyword}/0${within}`]: ["email"],
  [`${schemas}/${schema}/${keyword}/1${within}`]: ["userId"],
});

/** What the facts sheets say each request body requires, at every level. */
const REQUIRED: Record<string, RequiredLists> = {
  createCampaign: {
    [`${schemas}/CreateCampaignRequest`]: ["name"],
    ...AUDIENCE_FILTER,
    ...SCHEDULING,
  },
  updateCampaign: { ...AUDIENCE_FILTER, ...SCHEDULING },
  updateEmailMessage: {},
  previewEmailMessage: { [`${schemas}/PreviewEmailMessageRequest`]: ["emails"] },
  createCampaignGroup: { [`${schemas}/CreateCampaignGroupRequest`]: ["name"] },
  updateCampaignGroup: {},
  createAudienceSegment: {
    [`${schemas}/CreateAudienceSegmentRequest`]: ["name", "filter"],
    ...AUDIENCE_FILTER,
  },
  createContact: { [`${schemas}/CreateContactRequest`]: ["email"] },
  updateContact: EMAIL_OR_USER_ID("UpdateContactRequest", "anyOf", "/allOf/1"),
  deleteContact: EMAIL_OR_USER_ID("DeleteContactRequest", "oneOf"),
  createContactProperty: { [`${schemas}/CreateContactPropertyRequest`]: ["name", "type"] },
  sendEvent: {
    [`${schemas}/SendEventRequest`]: ["eventName"],
    [`${schemas}/SendEventFields`]: ["eventName"],
    ...EMAIL_OR_USER_ID("SendEventRequest", "anyOf", "/allOf/1"),
  },
  sendTransactionalEmail: {
    [`${schemas}/SendTransactionalEmailRequest`]: ["transactionalId", "email"],
    [`${schemas}/TransactionalAttachment`]: ["filename", "contentType", "data"],
  },
};

const withBodies = operations.filter((operation) => operation.requestBody !== undefined);

describe("every required field of every request body", () => {
  test("the table names exactly the operations that take a body", () => {
    expect(Object.keys(REQUIRED).sort()).toEqual(
      withBodies.map((operation) => operation.operationId).sort(),
    );
  });

  test.each(withBodies.map((operation) => ({ id: operation.operationId })))(
    "$id requires what the facts say, at every level",
    ({ id }) => {
      const found = requiredLists(getOperation(id).requestBody?.schemaPointer ?? "");
      expect(found).toEqual(REQUIRED[id]);
    },
  );

  // The table against the validator: each named example loses each top-level required field in turn.
  const cases = withBodies.flatMap((operation) => {
    const body = operation.requestBody;
    const root = body ? resolve(body.schemaPointer) : undefined;
    const required = (root?.node.required ?? []) as string[];
    return (body?.examples ?? []).flatMap((example) =>
      required.map((field) => ({
        id: operation.operationId,
        example: example.name,
        field,
        value: example.value,
      })),
    );
  });
  test("there are examples to take required fields from", () => {
    expect(cases.length).toBeGreaterThan(20);
  });
  test.each(cases)("$id's example $example without $field is refused", ({ id, field, value }) => {
    const validate = validatorAt(getOperation(id).requestBody?.schemaPointer ?? "");
    const { [field]: _dropped, ...without } = value as Record<string, unknown>;
    expect(validate(value)).toBe(true);
    expect(validate(without)).toBe(false);
  });
});
