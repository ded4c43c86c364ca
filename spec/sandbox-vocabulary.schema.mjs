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
/** A path into an event's records: a resource's name then fields, or a `$` name the sandbox fills. */
const recordPath = {
  type: "string",
  pattern: "^(\\$(now|event|source)|[a-z][A-Za-z0-9]*)(\\.[A-Za-z0-9_]+)*$",
};
/**
 * An outbox entry's kind. `webhook` is not one a declaration may take: the mock's webhook
 * deliveries are outbox entries of that kind (SANDBOX.md, "Webhooks: delivery").
 */
const outboxKind = { type: "string", pattern: "^[a-z][A-Za-z0-9]*$", not: { const: "webhook" } };

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

/** An object of the given names, each required and each naming a field or resource. */
function namesOf(names, description) {
  return {
    type: "object",
    description,
    additionalProperties: false,
    required: names,
    properties: Object.fromEntries(names.map((key) => [key, name])),
  };
}

export default {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "SandboxVocabulary",
  description:
    "The extensions of the sandbox vocabulary where they appear: `x-sandbox` on an operation, `x-sandbox-model` on the document, and `x-sandbox` on a webhook's `post`, checked under the name `x-sandbox-webhook`.",
  type: "object",
  properties: {
    // `false`: the operation is answered from its examples and the sandbox keeps nothing for it.
    "x-sandbox": { anyOf: [{ $ref: "#/$defs/SandboxOperation" }, { const: false }] },
    "x-sandbox-model": { $ref: "#/$defs/SandboxModel" },
    // `false`: the sandbox never emits the webhook on its own; the trigger control sends it.
    "x-sandbox-webhook": { anyOf: [{ $ref: "#/$defs/SandboxWebhook" }, { const: false }] },
  },
  $defs: {
    SandboxWebhook: {
      title: "SandboxWebhook",
      description:
        "`x-sandbox` on a webhook's `post`: the state changes that emit it, or the event it follows, and where each field of its payload comes from.",
      type: "object",
      additionalProperties: false,
      required: ["payload"],
      properties: {
        on: {
          type: "array",
          minItems: 1,
          description: "State changes that emit it, any of them.",
          items: { $ref: "#/$defs/SandboxChange" },
        },
        follows: {
          type: "array",
          minItems: 1,
          items: name,
          description:
            "Webhooks (their keys) it follows, `after` milliseconds of the key's clock later.",
        },
        after: { type: "integer", minimum: 0 },
        recipients: {
          type: "object",
          additionalProperties: false,
          required: ["address"],
          minProperties: 2,
          description:
            "Which recipients it follows for: the local part (before any `+label`) of the address at the path `address`, at a domain reserved for examples (`bounced+ada@example.com`), is one of `only`, or none of `except`.",
          properties: { address: nonEmpty, only: fieldList, except: fieldList },
        },
        sets: {
          type: "object",
          additionalProperties: false,
          required: ["resource", "fields"],
          description:
            "Fields the event sets on the event's record of `resource`, as an update would (a hard bounce unsubscribes the contact).",
          properties: { resource: name, fields: someFields },
        },
        source: {
          $ref: "#/$defs/SandboxPayload",
          description:
            "What the webhooks following it read as `$source`: where its email came from.",
        },
        payload: { $ref: "#/$defs/SandboxPayload" },
        outbox: {
          type: "object",
          additionalProperties: false,
          required: ["kind", "to"],
          description:
            "Each event its `on` changes make is a message sent: one entry of `kind` in the key's outbox, to the address at the path `to`, with `fields` filled in from the event's records as `payload` is; written whether or not the key has an endpoint or a listener, so only on a webhook with `on`.",
          properties: {
            kind: outboxKind,
            to: recordPath,
            fields: { $ref: "#/$defs/SandboxPayload" },
          },
        },
      },
      dependentSchemas: { outbox: { required: ["on"], properties: { on: true } } },
      oneOf: [
        { required: ["on"], properties: { on: true } },
        { required: ["follows", "after"], properties: { follows: true, after: true } },
      ],
    },
    SandboxChange: {
      title: "SandboxChange",
      description:
        "A change of a record: `created`, `deleted`, `set` (`field` turns to `to`), `flagAdded` and `flagRemoved` (an id joins or leaves the flag map `field`), `sent` (a `send` operation sent it).",
      type: "object",
      additionalProperties: false,
      required: ["resource", "change"],
      properties: {
        resource: name,
        change: { enum: ["created", "deleted", "set", "flagAdded", "flagRemoved", "sent"] },
        field: name,
        to: { description: "`set`: the value the field turns to." },
        audience: {
          type: "object",
          additionalProperties: false,
          required: ["resource", "flagMap", "field", "where"],
          description:
            "One event per record of `resource` whose flag map `flagMap` holds the changed record's `field` (every record when that is `null`) and that matches `where`.",
          properties: { resource: name, flagMap: name, field: name, where: someFields },
        },
      },
      allOf: [
        {
          if: { properties: { change: { enum: ["set", "flagAdded", "flagRemoved"] } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `if` is followed by `then`.
          then: { required: ["field"], properties: { field: true } },
        },
        {
          if: { properties: { change: { const: "set" } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `if` is followed by `then`.
          then: { required: ["to"], properties: { to: true } },
        },
      ],
    },
    SandboxPayload: {
      title: "SandboxPayload",
      description:
        "Where each field of a payload comes from: a path into the event's records (`contact.email`: a resource's name, then fields; `$now`, the key's clock in Unix seconds; `$event`, the payload of the event followed; `$source`, its `source`), `{ const }`, `{ freshId: true }`, `{ firstOf: [paths] }` (the first that is neither missing, `null` nor empty), `{ listOf: path }` (the value in an array, empty when there is none) or an object of these. A path that leads nowhere leaves the field out; the fields the schema fixes (`const`) are filled in from it.",
      type: "object",
      additionalProperties: { $ref: "#/$defs/SandboxValue" },
    },
    SandboxValue: {
      title: "SandboxValue",
      anyOf: [
        recordPath,
        {
          type: "object",
          additionalProperties: false,
          required: ["const"],
          properties: { const: true },
        },
        {
          type: "object",
          additionalProperties: false,
          required: ["freshId"],
          properties: { freshId: { const: true } },
        },
        {
          type: "object",
          additionalProperties: false,
          required: ["firstOf"],
          properties: { firstOf: { type: "array", minItems: 1, items: { type: "string" } } },
        },
        {
          type: "object",
          additionalProperties: false,
          required: ["listOf"],
          properties: { listOf: { type: "string" } },
        },
        {
          type: "object",
          // An object of fields is none of the four forms above.
          propertyNames: { not: { enum: ["const", "freshId", "firstOf", "listOf"] } },
          additionalProperties: { $ref: "#/$defs/SandboxValue" },
        },
      ],
    },
    SandboxOperation: {
      title: "SandboxOperation",
      description: "`x-sandbox`: the resource an operation acts on, and how.",
      type: "object",
      additionalProperties: false,
      required: ["resource", "action"],
      properties: {
        resource: { type: "string", pattern: "^[a-z][A-Za-z0-9]*$" },
        action: { $ref: "#/$defs/SandboxAction" },
        answer: {
          type: "string",
          minLength: 1,
          description:
            "The named 200 example the operation answers with, its `id` set to the record's, instead of the record itself.",
        },
        // `upsert`'s refusals: nothing matches and the body cannot create; the identifiers name two.
        unknown: refusal,
        ambiguous: refusal,
        log: {
          ...fieldList,
          description:
            "Body fields the request records in the key's log instead of writing them to the record.",
        },
        target: {
          type: "string",
          minLength: 1,
          description: "`send`: the body field holding the id of the record sent.",
        },
        variables: {
          type: "object",
          description:
            "`send`: the body's map of variables must hold every name the record's `declared` list has.",
          additionalProperties: false,
          required: ["field", "declared", "missing"],
          properties: {
            field: name,
            declared: name,
            optional: name,
            missing: refusal,
          },
        },
        audience: namesOf(
          ["when", "resource", "field"],
          "`send`: when the body's `when` is `true`, a record of `resource` is created from the body's `field` unless one has it.",
        ),
        logSizes: namesOf(
          ["field", "dataField", "sizeField"],
          "The logged array `field`'s items keep their size in bytes under `sizeField` instead of the base64 `dataField`.",
        ),
        outbox: {
          type: "object",
          description:
            "A request that succeeds sends a message: one entry of `kind` in the key's outbox, to the recipient (or recipients) in the body's `to` field, keeping the body's `fields` as sent (attachments sized as `logSizes` says), the `recordFields` of the record the operation acted on and, under the entry field `record`, that record as stored.",
          additionalProperties: false,
          required: ["kind", "to"],
          properties: {
            kind: outboxKind,
            to: name,
            fields: fieldList,
            recordFields: fieldList,
            record: name,
          },
        },
        bodyLimit: refusalWith({ bytes: { type: "integer", minimum: 1 } }),
        idempotency: {
          type: "object",
          description:
            "A request repeating the operation's idempotency-key header within `hours` of the key's clock is refused with `conflict`; `scope` says whether keys are shared by every operation of the API key or kept per operation.",
          additionalProperties: false,
          required: ["hours", "scope", "conflict"],
          properties: {
            hours: { type: "integer", minimum: 1 },
            scope: { enum: ["apiKey", "operation"] },
            conflict: refusal,
          },
        },
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
      allOf: [
        {
          // `inspect`, `flagStatus` and `unflag` answer with an example (they must name one);
          // only `inspect` may count a daily quota.
          if: { properties: { action: { enum: ["inspect", "flagStatus", "unflag", "send"] } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `if` is followed by `then`.
          then: { required: ["answer"], properties: { answer: true } },
        },
        {
          if: { properties: { action: { const: "inspect" } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `if` is followed by `then`.
          then: true,
          else: { properties: { dailyQuota: false } },
        },
        {
          // Only an `upsert` finds what it writes by identifiers, so only it can miss or match two.
          if: { properties: { action: { const: "upsert" } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `if` is followed by `then`.
          then: {
            required: ["unknown", "ambiguous"],
            properties: { unknown: true, ambiguous: true },
          },
          else: { properties: { unknown: false, ambiguous: false } },
        },
        {
          // Only a `send` names its record in the body and checks its variables.
          if: { properties: { action: { const: "send" } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `if` is followed by `then`.
          then: { required: ["target"], properties: { target: true } },
          else: { properties: { target: false, variables: false, audience: false } },
        },
        {
          // A send or an inspect acts on one record and writes none: sending is what it does.
          if: { properties: { action: { enum: ["send", "inspect"] } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `if` is followed by `then`.
          then: true,
          else: { properties: { outbox: false } },
        },
        {
          // Reads and lists answer records: an example instead would hide them.
          if: { properties: { action: { enum: ["read", "list", "find"] } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `if` is followed by `then`.
          then: { properties: { answer: false, log: false } },
        },
      ],
    },
    SandboxAction: {
      title: "SandboxAction",
      description: "What the operation does to its resource; the mock has one handler for each.",
      enum: [
        "create",
        "read",
        "update",
        "list",
        "inspect",
        "find",
        "upsert",
        "delete",
        "flagStatus",
        "unflag",
        "send",
      ],
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
      description:
        "One resource's rules, all optional; `notFound` is needed by a resource read by id or deleted.",
      type: "object",
      additionalProperties: false,
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
        idField: {
          type: "string",
          minLength: 1,
          description:
            "The field that names a record, when it is not `id`; a create takes it from the body.",
        },
        renames: {
          type: "object",
          description:
            "`bodyField: recordField`: a write stores the body's field under the record's name.",
          additionalProperties: name,
        },
        reservedIds: refusalWith({ ids: { type: "array", items: name, minItems: 1 } }),
        builtIn: {
          type: "object",
          description:
            "Records every team has (seeded from the examples): a list sent `parameter=value` leaves them out.",
          additionalProperties: false,
          required: ["ids", "parameter", "value"],
          properties: {
            ids: { type: "array", items: name, minItems: 1 },
            parameter: name,
            value: name,
          },
        },
        fixtureOnly: {
          ...fieldList,
          description:
            "Fields, each a list of names, that a fixture may give and no answer shows (a transactional email's optional variables).",
        },
        flag: { $ref: "#/$defs/SandboxFlag" },
        identifiers: { $ref: "#/$defs/SandboxIdentifiers" },
        flagMaps: {
          type: "object",
          description:
            "`field: reference`: a map of ids to booleans, `true` adding the id and `false` removing it; an id the key does not hold in `resource` is refused.",
          additionalProperties: {
            type: "object",
            additionalProperties: false,
            required: ["resource", "status", "example"],
            properties: { resource: name, status: clientError, example: name },
          },
        },
      },
    },
    SandboxFlag: {
      title: "SandboxFlag",
      description:
        "A flag a record may carry (a suppressed contact), read with `flagStatus` and lifted with `unflag`, which spends one of `limit` lifts per rolling `days` of the key's clock.",
      type: "object",
      additionalProperties: false,
      required: [
        "statusField",
        "recordField",
        "quotaField",
        "limitField",
        "remainingField",
        "limit",
        "days",
        "notFlagged",
        "quotaUsed",
      ],
      properties: {
        statusField: name,
        recordField: name,
        quotaField: name,
        limitField: name,
        remainingField: name,
        limit: { type: "integer", minimum: 0 },
        days: { type: "integer", minimum: 1 },
        notFlagged: refusal,
        quotaUsed: refusal,
      },
    },
    SandboxIdentifiers: {
      title: "SandboxIdentifiers",
      description:
        "The fields, each `unique`, that `find`, `upsert` and `delete` name a record by, in the body or as query parameters of the same name.",
      type: "object",
      additionalProperties: false,
      required: ["fields", "creates", "both", "none"],
      properties: {
        fields: { type: "array", items: name, minItems: 1 },
        creates: {
          type: "string",
          minLength: 1,
          description: "The identifier an `upsert` needs to create the record it did not find.",
        },
        // `find` and `delete` take exactly one identifier: more than one, or none.
        both: refusal,
        none: refusal,
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
