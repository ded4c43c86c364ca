// The lint gate: `pnpm lint` runs this on the bundle with --fail-severity=warn, so every finding fails it.
// It lints dist/ because Spectral 6 wrongly reports a path-item $ref as unevaluated in OpenAPI 3.1 sources.
// A JavaScript ruleset, in the form Spectral documents, so the sandbox rules can import the
// vocabulary's schema module: Spectral 6 imports no JSON file, nor follows a `$ref` to one.
// biome-ignore-all lint/suspicious/noThenProperty: a Spectral rule says what it checks under `then`.

import { undefined as isUndefined, pattern, schema, truthy } from "@stoplight/spectral-functions";
import owasp from "@stoplight/spectral-owasp-ruleset";
import { oas } from "@stoplight/spectral-rulesets";
import exactlyOneOfParameters from "./functions/exactlyOneOfParameters.js";
import idempotencyKeyHeader from "./functions/idempotencyKeyHeader.js";
import sandboxReferences from "./functions/sandboxReferences.js";
import uniqueSdkMethods from "./functions/uniqueSdkMethods.js";
import sandboxVocabulary from "./sandbox-vocabulary.schema.mjs";

// The operations the client calls. The rules about calling the API (client method, retries,
// rate limits, 400s, closed bodies, the sandbox) look at these only: a webhook (`$.webhooks`) is a
// request Loops sends to the application, which those promises do not fit; its own rules are below.
const operations = "$.paths[*][get,put,post,delete,patch,options,head,trace]";
const webhookPosts = "$.webhooks[*].post";
const webhookHeaders = ["webhook-id", "webhook-timestamp", "webhook-signature"];

export default {
  extends: [oas, owasp],
  rules: {
    // Turned down, each for one reason:
    "owasp:api4:2023-string-limit": "off", // Loops publishes no length limits; an invented maxLength would reject what the API accepts.
    "owasp:api4:2023-string-restricted": "off", // IDs, names and keys are free text at Loops; a made-up pattern would be a false promise.
    "owasp:api4:2023-array-limit": "off", // Loops publishes no limit on filter conditions; minItems is the only documented bound.
    "owasp:api4:2023-integer-limit": "off", // Its check wants minimum and maximum on every integer, the rate-limit response headers included; perPage, the one integer input, has both.
    "owasp:api4:2023-rate-limit": "off", // It matches X-RateLimit-* case-sensitively; loops-rate-limit-headers checks Loops' lower-case names instead.
    "owasp:api4:2023-rate-limit-retry-after": "off", // Loops sends no Retry-After; its hints are the x-ratelimit-* headers.
    "owasp:api8:2023-define-cors-origin": "off", // Loops blocks browser calls by design, so no response carries Access-Control-Allow-Origin.
    "owasp:api8:2023-define-error-responses-500": "off", // Loops documents no 5xx body; the operation describes what a 5xx means for retries.
    "owasp:api8:2023-define-error-validation": "off", // It wants a 400 even where there is no input to refuse; loops-operation-400 asks it of every operation that takes input.
    "owasp:api8:2023-no-server-http": "off", // loops-https-servers below says the same but lets the loopback mock use plain HTTP.

    // What this contract promises, beyond the shared rulesets:
    "loops-property-description": {
      description: "Every schema property has a description.",
      message: "Property `{{property}}` has no description.",
      severity: "error",
      given: "$..properties[*]",
      then: { field: "description", function: truthy },
    },

    "loops-error-body-message": {
      description:
        "Every 4xx/5xx response but 405 has a JSON body whose schema requires `message`.",
      message:
        "Error response {{property}} needs an application/json body whose schema requires `message`: {{error}}",
      severity: "error",
      // The exception: a 401 or 429 whose body Loops does not document (`UndocumentedError`, with
      // nothing required) for the application endpoints, so a real answer is never flagged.
      // Not webhooks: their answers are the application's, any 2xx or anything else.
      given:
        "$.paths[*][*].responses[?(@property.match(/^[45]/) && @property != '405' && !((@property == '401' || @property == '429') && @.content && @.content['application/json'] && @.content['application/json'].schema && @.content['application/json'].schema.title == 'UndocumentedError'))]",
      then: {
        function: schema,
        functionOptions: {
          schema: {
            type: "object",
            required: ["content"],
            properties: {
              content: {
                type: "object",
                required: ["application/json"],
                properties: {
                  "application/json": {
                    type: "object",
                    required: ["schema"],
                    properties: {
                      schema: {
                        type: "object",
                        required: ["required", "properties"],
                        properties: {
                          required: { type: "array", contains: { const: "message" } },
                          properties: { type: "object", required: ["message"] },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },

    "loops-operation-429": {
      description: "Every operation documents 429, since every endpoint is rate limited.",
      message: "Operation has no 429 response.",
      severity: "error",
      given: operations, // Not webhooks: Loops sends them, at most 10 a second, and gets no 429.
      then: { field: "responses.429", function: truthy },
    },

    "loops-operation-400": {
      description:
        "Every operation that takes input (parameters or a body) documents the 400 that refuses it.",
      message: "Operation takes input but documents no 400.",
      severity: "error",
      given: operations, // Not webhooks: what an application answers a bad delivery is its own.
      then: {
        function: schema,
        functionOptions: {
          schema: {
            if: { anyOf: [{ required: ["parameters"] }, { required: ["requestBody"] }] },
            then: { properties: { responses: { required: ["400"] } } },
          },
        },
      },
    },

    "loops-rate-limit-headers": {
      description:
        "Every response declares the x-ratelimit-limit and x-ratelimit-remaining headers Loops sends.",
      message:
        "Response {{property}} must declare x-ratelimit-limit and x-ratelimit-remaining: {{error}}",
      severity: "error",
      given: "$.paths[*][*].responses[*]", // Not webhooks: an application's answer has no rate limit.
      then: {
        function: schema,
        functionOptions: {
          schema: {
            type: "object",
            required: ["headers"],
            properties: {
              headers: { type: "object", required: ["x-ratelimit-limit", "x-ratelimit-remaining"] },
            },
          },
        },
      },
    },

    "loops-no-nullable": {
      description:
        "OpenAPI 3.1 spells a nullable type as `type: [T, 'null']`; 3.0's `nullable` is ignored by 3.1 tools.",
      message: 'Use `type: [T, "null"]`, not the OpenAPI 3.0 `nullable` keyword.',
      severity: "error",
      given: "$..nullable",
      then: { function: isUndefined },
    },

    "loops-closed-request-body": {
      description:
        "Loops rejects unknown request fields, so request body schemas set additionalProperties to false, or to the one shape of custom contact properties.",
      message:
        "Request body schema must set `additionalProperties: false` (or to custom property values: string, number, boolean, null): {{error}}",
      severity: "error",
      given: "$.paths[*][*].requestBody.content[*].schema", // Not webhooks: payloads stay open (loops-open-webhook-payload).
      then: {
        function: schema,
        functionOptions: {
          schema: {
            type: "object",
            required: ["additionalProperties"],
            properties: {
              additionalProperties: {
                anyOf: [
                  { const: false },
                  // Contact and event bodies take custom contact properties as extra top-level
                  // fields, so they are open, to exactly these value types (null clears one).
                  {
                    type: "object",
                    required: ["type"],
                    propertyNames: { enum: ["type", "title", "description"] },
                    properties: { type: { const: ["string", "number", "boolean", "null"] } },
                  },
                ],
              },
            },
          },
        },
      },
    },

    "loops-named-examples": {
      description: "Every request and response body has at least one named example.",
      message: "Body has no named `examples`.",
      severity: "error",
      given: [
        "$.paths[*][*].requestBody.content[*]",
        "$.paths[*][*].responses[*].content[*]",
        "$.webhooks[*][*].requestBody.content[*]",
      ],
      then: { field: "examples", function: truthy },
    },

    "loops-no-localhost-server": {
      description:
        "Server URLs use 127.0.0.1, since Node may resolve `localhost` to ::1 where nothing listens.",
      message: "Use 127.0.0.1, not localhost.",
      severity: "error",
      given: "$.servers[*].url",
      then: { function: pattern, functionOptions: { notMatch: "localhost" } },
    },

    "loops-https-servers": {
      description: "Servers use https://, except the local mock on loopback.",
      message: "Server URL must use https:// (only http://127.0.0.1 may use plain HTTP).",
      severity: "error",
      given: "$.servers[*].url",
      then: {
        function: pattern,
        functionOptions: { match: "^(https://|http://127\\.0\\.0\\.1[:/])" },
      },
    },

    "loops-sdk-method": {
      description:
        "Every operation names its client method as `x-sdk-method: namespace.method`; the client is generated from it.",
      message:
        "Operation needs `x-sdk-method: <namespace>.<method>` (camelCase, e.g. campaigns.create): {{error}}",
      severity: "error",
      given: operations, // Not webhooks: the client calls none.
      then: {
        field: "x-sdk-method",
        function: pattern,
        functionOptions: { match: "^[a-z][A-Za-z0-9]*\\.[a-z][A-Za-z0-9]*$" },
      },
    },

    "loops-sdk-method-defined": {
      description: "Every operation names its client method.",
      message: "Operation has no `x-sdk-method`.",
      severity: "error",
      given: operations, // Not webhooks: the client calls none.
      then: { field: "x-sdk-method", function: truthy },
    },

    "loops-sdk-method-unique": {
      description: "No two operations share a client method name.",
      message: "{{error}}",
      severity: "error",
      given: "$.paths", // Not webhooks: they have no client method.
      then: { function: uniqueSdkMethods },
    },

    "loops-idempotent": {
      description:
        "Every operation says whether repeating it is safe (`x-idempotent`), which decides what the client retries.",
      message: "Operation needs `x-idempotent: true` or `false`: {{error}}",
      severity: "error",
      given: operations, // Not webhooks: the client retries none; `webhook-id` deduplicates Loops' retries.
      then: {
        function: schema,
        functionOptions: {
          schema: {
            type: "object",
            required: ["x-idempotent"],
            properties: { "x-idempotent": { type: "boolean" } },
          },
        },
      },
    },

    "loops-idempotency-key": {
      description:
        "`x-idempotency-key` names a header parameter of its operation, which the client fills with one key per call.",
      message: "{{error}}",
      severity: "error",
      given: "$.paths[*]", // Not webhooks: no client fills their headers.
      then: { function: idempotencyKeyHeader },
    },

    "loops-exactly-one-of": {
      description:
        "`x-exactly-one-of` names two or more optional parameters of its operation, of which a request sends exactly one.",
      message: "{{error}}",
      severity: "error",
      given: "$.paths[*]", // Not webhooks: they take no parameters of the caller's choosing.
      then: { function: exactlyOneOfParameters },
    },

    "loops-webhook-headers": {
      description:
        "Every webhook declares the three headers Loops signs it with, required, and no security scheme (Loops has none on them).",
      message:
        "Webhook needs required header parameters webhook-id, webhook-timestamp, webhook-signature and `security: []`: {{error}}",
      severity: "error",
      given: webhookPosts,
      then: {
        function: schema,
        functionOptions: {
          schema: {
            type: "object",
            required: ["parameters", "security"],
            properties: {
              security: { const: [] },
              parameters: {
                allOf: webhookHeaders.map((name) => ({
                  contains: {
                    type: "object",
                    required: ["name", "in", "required"],
                    properties: {
                      name: { const: name },
                      in: { const: "header" },
                      required: { const: true },
                    },
                  },
                })),
              },
            },
          },
        },
      },
    },

    "loops-open-webhook-payload": {
      description:
        "Webhook payloads stay open: Loops may add fields, and a receiver that validates must not refuse them.",
      message: "A webhook payload schema must not close itself with `{{property}}: false`.",
      severity: "error",
      given: [
        "$.webhooks[*][*].requestBody.content[*].schema..additionalProperties",
        "$.webhooks[*][*].requestBody.content[*].schema..unevaluatedProperties",
      ],
      then: { function: schema, functionOptions: { schema: { not: { const: false } } } },
    },

    // The two sandbox extensions have one schema, sandbox-vocabulary.schema.mjs; each rule adds
    // only that its extension must be there.
    "loops-sandbox-operation": {
      description:
        "Every operation tells the mock's sandbox which resource it acts on and how, or that it keeps nothing for it (`x-sandbox`, described in SANDBOX.md).",
      message:
        "Operation needs `x-sandbox: { resource, action }`, or `x-sandbox: false` for one answered from its examples (SANDBOX.md): {{error}}",
      severity: "error",
      given: operations, // Not webhooks: what emits one is not an action on a resource.
      then: {
        function: schema,
        functionOptions: { schema: { ...sandboxVocabulary, required: ["x-sandbox"] } },
      },
    },

    "loops-sandbox-webhook": {
      description:
        "Every webhook tells the mock's sandbox what emits it and what its payload holds, or that only the trigger control sends it (`x-sandbox` on its `post`, described in SANDBOX.md).",
      message:
        "Webhook needs `x-sandbox: { on | follows, payload }`, or `x-sandbox: false` for one the sandbox never emits on its own (SANDBOX.md): {{error}}",
      severity: "error",
      given: webhookPosts,
      then: {
        function: schema,
        functionOptions: {
          schema: {
            ...sandboxVocabulary,
            properties: { "x-sandbox": sandboxVocabulary.properties["x-sandbox-webhook"] },
            required: ["x-sandbox"],
          },
        },
      },
    },

    "loops-sandbox-model": {
      description:
        "The sandbox's model of each resource (`x-sandbox-model`, described in SANDBOX.md) has the vocabulary's shape.",
      message: "`x-sandbox-model` does not fit the vocabulary of SANDBOX.md: {{error}}",
      severity: "error",
      given: "$",
      then: {
        function: schema,
        functionOptions: { schema: { ...sandboxVocabulary, required: ["x-sandbox-model"] } },
      },
    },

    "loops-sandbox-references": {
      description:
        "Every resource, field and named example the sandbox's declarations name exists in the contract.",
      message: "{{error}}",
      severity: "error",
      given: "$",
      then: { function: sandboxReferences },
    },
  },
};
