// The sandbox vocabulary (SANDBOX.md says what each word means) as one JSON Schema 2020-12, the
// only place its shape is written: the Spectral rules (.spectral.mjs) import it, and the build
// generates from it the TypeScript types and the validator the spec module checks the bundle with
// on load (scripts/sandbox-vocabulary.mjs). A module rather than a JSON file, as Spectral 6 can
// import neither a JSON file nor a `$ref` to one from a ruleset. Each `$defs` title names its
// generated type.
// It has no `$id`: the rules copy it whole, and one id may be loaded only once per validator.

const name = { type: "string" };
const nonEmpty = { type: "string", minLength: 1 };
const someFields = { type: "object", minProperties: 1 };
const fieldList = { type: "array", items: name };
const clientError = { type: "integer", minimum: 400, maximum: 499 };

/** A refusal the sandbox answers with: the named example documented under `status`. */
const refusal = { $ref: "#/$defs/Refusal" };
const refusalProperties = {
  status: clientError,
  example: nonEmpty,
  message: {
    type: "string",
    minLength: 1,
    description:
      "The message instead of the example's: `{now}` is filled in with the key's clock (ISO 8601), any other `{field}` from the request body.",
  },
};

/**
 * A refusal with more fields of its own, all required: one object rather than an `allOf` with
 * `Refusal`, which validators compile about twice as fast.
 */
function refusalWith(properties) {
  return {
    type: "object",
    required: ["status", "example", ...Object.keys(properties)],
    properties: { ...refusalProperties, ...properties },
  };
}

export default {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "SandboxVocabulary",
  description:
    "The two extensions of the sandbox vocabulary where they appear: `x-sandbox` on an operation, `x-sandbox-model` on the document.",
  type: "object",
  properties: {
    // `false`: the operation is answered from its examples and the sandbox keeps nothing for it.
    "x-sandbox": { anyOf: [{ $ref: "#/$defs/SandboxOperation" }, { const: false }] },
    "x-sandbox-model": { $ref: "#/$defs/SandboxModel" },
  },
  $defs: {
    SandboxOperation: {
      title: "SandboxOperation",
      description: "`x-sandbox`: the resource an operation acts on, and how.",
      type: "object",
      additionalProperties: false,
      required: ["resource", "action"],
      properties: {
        resource: { type: "string", pattern: "^[a-z][A-Za-z0-9]*$" },
        action: { $ref: "#/$defs/SandboxAction" },
        answer: nonEmpty,
        dailyQuota: {
          type: "object",
          additionalProperties: false,
          required: ["limit", "status", "example"],
          properties: {
            limit: { type: "integer", minimum: 1 },
            status: clientError,
            example: nonEmpty,
          },
        },
      },
      // Only `inspect` answers with an example and may count a quota; it must name the example.
      if: { properties: { action: { const: "inspect" } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `if` is followed by `then`.
      then: { required: ["answer"], properties: { answer: true } },
      else: { properties: { answer: false, dailyQuota: false } },
    },
    SandboxAction: {
      title: "SandboxAction",
      description: "What the operation does to its resource; the mock has one handler for each.",
      enum: ["create", "read", "update", "list", "inspect"],
    },
    SandboxModel: {
      title: "SandboxModel",
      description:
        "`x-sandbox-model`: how the contract's resources behave together in the sandbox.",
      type: "object",
      additionalProperties: false,
      required: ["examplesNow", "createdField", "updatedField", "pagination", "resources"],
      properties: {
        examplesNow: { type: "string", format: "date-time" },
        createdField: name,
        updatedField: name,
        pagination: { $ref: "#/$defs/SandboxPagination" },
        resources: {
          type: "object",
          minProperties: 1,
          additionalProperties: { $ref: "#/$defs/SandboxResource" },
        },
      },
    },
    SandboxPagination: {
      title: "SandboxPagination",
      description:
        "How a list that takes `perPageParameter` pages, and the envelope its answer carries the page in.",
      type: "object",
      additionalProperties: false,
      required: [
        "perPageParameter",
        "cursorParameter",
        "invalidCursor",
        "itemsField",
        "pageField",
        "pageFields",
      ],
      properties: {
        perPageParameter: name,
        cursorParameter: name,
        invalidCursor: refusal,
        itemsField: name,
        pageField: name,
        pageFields: {
          type: "object",
          additionalProperties: false,
          minProperties: 1,
          properties: {
            totalResults: name,
            returnedResults: name,
            perPage: name,
            totalPages: name,
            nextCursor: name,
            nextPage: name,
          },
        },
      },
    },
    SandboxResource: {
      title: "SandboxResource",
      description: "One resource's rules; every rule but `notFound` is optional.",
      type: "object",
      additionalProperties: false,
      required: ["notFound"],
      properties: {
        notFound: nonEmpty,
        defaults: { type: "object" },
        defaultReferences: { type: "object", additionalProperties: name },
        derived: {
          type: "object",
          description:
            "`field: template`: a create sets the field to the template, each `{field}` filled in from the new record.",
          additionalProperties: nonEmpty,
        },
        references: {
          type: "object",
          additionalProperties: {
            type: "object",
            additionalProperties: false,
            required: ["resource", "status", "example"],
            properties: { resource: name, status: clientError, example: name },
          },
        },
        clears: { type: "object", additionalProperties: fieldList },
        companion: {
          type: "object",
          additionalProperties: false,
          required: ["resource", "example", "idField", "ownerField"],
          properties: {
            resource: name,
            example: name,
            idField: name,
            ownerField: name,
            revisionField: name,
          },
        },
        schedule: { $ref: "#/$defs/SandboxSchedule" },
        lock: refusalWith({ when: someFields, allow: fieldList }),
        revision: refusalWith({ field: name, expectedField: name }),
        patchMaps: fieldList,
        ownerLock: refusalWith({ resource: name, ownerField: name, unless: someFields }),
        maxBytes: {
          type: "object",
          additionalProperties: refusalWith({ bytes: { type: "integer", minimum: 1 } }),
        },
        reserved: refusalWith({ match: someFields }),
        unique: { type: "object", additionalProperties: refusal },
      },
    },
    SandboxSchedule: {
      title: "SandboxSchedule",
      description: "A record that is published on a schedule and moves through its statuses.",
      type: "object",
      additionalProperties: false,
      required: [
        "field",
        "timestampField",
        "statusField",
        "draft",
        "scheduled",
        "sending",
        "sent",
        "sendingMilliseconds",
        "notInFuture",
      ],
      properties: {
        field: name,
        timestampField: name,
        statusField: name,
        draft: name,
        scheduled: name,
        sending: name,
        sent: name,
        sendingMilliseconds: { type: "integer", minimum: 0 },
        notInFuture: refusal,
      },
    },
    Refusal: {
      title: "Refusal",
      description:
        "A request the sandbox refuses: the status, and the named example of it the answer carries.",
      type: "object",
      required: ["status", "example"],
      properties: refusalProperties,
    },
  },
};
