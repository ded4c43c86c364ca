// The facts of the endpoints applications call (contacts, properties, lists, events, transactional
// email, the API key, dedicated sending IPs), checked against the bundle with the spec module's
// ajv: operations, statuses, extensions, body shapes, examples, and the bugs of Loops' own
// document this contract fixes (each listed in the README, "Where this contract differs").
import {
  contract as document,
  getOperation,
  operations,
  sandboxModel,
  schemaValidator,
  validatorAt,
} from "@loops-contract/spec";
import { describe, expect, test } from "vitest";

// The bundle as JSON.parse gives it, walked by the facts below as a reader would.
type Json = ReturnType<typeof JSON.parse>;
const contract: Json = document;
const raw = (id: string): Json => {
  const { path, method } = getOperation(id);
  return contract.paths[path][method];
};
const isValid = (name: string) => {
  const validate = schemaValidator(name);
  return (value: unknown) => validate(value) as boolean;
};
const bodyOf = (id: string) => {
  const validate = validatorAt(getOperation(id).requestBody?.schemaPointer ?? "");
  return (value: unknown) => validate(value) as boolean;
};
const response = (id: string, status: string) =>
  getOperation(id).responses.find((documented) => documented.status === status);
const exampleValues = (id: string, status: string) =>
  Object.fromEntries(
    (response(id, status)?.body?.examples ?? []).map((example) => [example.name, example.value]),
  );

// Loops' operationIds, the methods and paths of the facts sheet, our tags, SDK names, retry rule,
// and the statuses each documents besides 401, 405 and 429 (which every operation has).
const APP = [
  ["testApiKey", "get", "/v1/api-key", "API key", "apiKey.test", true, ["200"]],
  [
    "createContact",
    "post",
    "/v1/contacts/create",
    "Contacts",
    "contacts.create",
    false,
    ["200", "400", "409"],
  ],
  [
    "updateContact",
    "put",
    "/v1/contacts/update",
    "Contacts",
    "contacts.update",
    true,
    ["200", "400"],
  ],
  ["findContact", "get", "/v1/contacts/find", "Contacts", "contacts.find", true, ["200", "400"]],
  [
    "deleteContact",
    "post",
    "/v1/contacts/delete",
    "Contacts",
    "contacts.delete",
    false,
    ["200", "400", "404"],
  ],
  [
    "getContactSuppression",
    "get",
    "/v1/contacts/suppression",
    "Contacts",
    "contacts.getSuppression",
    true,
    ["200", "400", "404"],
  ],
  [
    "removeContactSuppression",
    "delete",
    "/v1/contacts/suppression",
    "Contacts",
    "contacts.removeSuppression",
    false,
    ["200", "400", "404"],
  ],
  [
    "createContactProperty",
    "post",
    "/v1/contacts/properties",
    "Contact properties",
    "contactProperties.create",
    false,
    ["200", "400"],
  ],
  [
    "listContactProperties",
    "get",
    "/v1/contacts/properties",
    "Contact properties",
    "contactProperties.list",
    true,
    ["200", "400"],
  ],
  ["listMailingLists", "get", "/v1/lists", "Mailing lists", "mailingLists.list", true, ["200"]],
  ["sendEvent", "post", "/v1/events/send", "Events", "events.send", true, ["200", "400", "409"]],
  [
    "sendTransactionalEmail",
    "post",
    "/v1/transactional",
    "Transactional email",
    "transactional.send",
    true,
    ["200", "400", "404", "409"],
  ],
  [
    "listPublishedTransactionalEmails",
    "get",
    "/v1/transactional",
    "Transactional email",
    "transactional.listPublished",
    true,
    ["200", "400"],
  ],
  [
    "listDedicatedSendingIps",
    "get",
    "/v1/dedicated-sending-ips",
    "Dedicated sending IPs",
    "dedicatedSendingIps.list",
    true,
    ["200"],
  ],
] as const;
const APP_IDS = APP.map(([id]) => id);
const SENDS = ["sendEvent", "sendTransactionalEmail"];

describe("the operations", () => {
  test.each(APP)(
    "%s is %s %s, tagged %s, SDK method %s, idempotent: %s, documenting %j",
    (id, method, path, tag, sdkMethod, idempotent, statuses) => {
      const operation = getOperation(id);
      expect([operation.method, operation.path, operation.tag]).toEqual([method, path, tag]);
      expect(raw(id).tags).toEqual([tag]);
      expect(raw(id)["x-sdk-method"]).toBe(sdkMethod);
      expect(raw(id)["x-idempotent"]).toBe(idempotent);
      expect(raw(id).security).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(raw(id).responses).sort()).toEqual(
        [...statuses, "401", "405", "429"].sort(),
      );
    },
  );

  test("one tag per area, each declared with a description", () => {
    const tags = [...new Set(APP.map(([, , , tag]) => tag))];
    const declared = contract.tags.map((tag: Json) => tag.name);
    for (const tag of tags) expect(declared).toContain(tag);
    for (const tag of contract.tags) expect(tag.description.length).toBeGreaterThan(20);
  });

  test.each(APP_IDS)("%s says in its description why a retry is or is not safe", (id) => {
    const { description, idempotent } = getOperation(id);
    if (SENDS.includes(id))
      expect(description).toMatch(/\*\*Safe to retry with an `Idempotency-Key`\.\*\*/);
    else
      expect(description).toMatch(
        idempotent ? /\*\*Safe to retry\.\*\*/ : /\*\*Not idempotent\.\*\*/,
      );
  });

  test("the reasons a retry is not safe: a false 404, a false 400, an existing property or contact", () => {
    expect(getOperation("deleteContact").description).toMatch(/false `404`/);
    expect(getOperation("removeContactSuppression").description).toMatch(/false `400`/);
    expect(getOperation("createContactProperty").description).toMatch(/Property already exists/);
    expect(getOperation("createContact").description).toMatch(/`409`/);
  });

  const KEPT: Record<string, [string, string]> = {
    createContact: ["contact", "create"],
    updateContact: ["contact", "upsert"],
    findContact: ["contact", "find"],
    deleteContact: ["contact", "delete"],
    sendEvent: ["contact", "upsert"],
    listMailingLists: ["mailingList", "list"],
    getContactSuppression: ["contact", "flagStatus"],
    removeContactSuppression: ["contact", "unflag"],
    sendTransactionalEmail: ["transactionalEmail", "send"],
    listPublishedTransactionalEmails: ["transactionalEmail", "list"],
    createContactProperty: ["contactProperty", "create"],
    listContactProperties: ["contactProperty", "list"],
  };
  test.each(APP_IDS)(
    "%s is kept by the sandbox as SANDBOX.md says, or answered from its examples",
    (id) => {
      const kept = KEPT[id];
      if (kept === undefined) {
        expect(raw(id)["x-sandbox"]).toBe(false);
        expect(getOperation(id).sandbox).toBeUndefined();
      } else {
        expect(getOperation(id).sandbox).toMatchObject({ resource: kept[0], action: kept[1] });
      }
    },
  );

  test("the sandbox's contact properties follow the facts: unique names (400 'Property already exists.'), the reserved names, list=custom without the defaults", () => {
    const property = sandboxModel?.resources.contactProperty;
    expect(property?.unique?.key).toEqual({ status: 400, example: "propertyExists" });
    expect(exampleValues("createContactProperty", "400").propertyExists).toEqual({
      success: false,
      message: "Property already exists.",
    });
    expect(property?.reservedIds?.ids).toEqual([
      "id",
      "listId",
      "softDeleteAt",
      "teamId",
      "updatedAt",
    ]);
    expect(property?.builtIn).toEqual({
      ids: [
        "firstName",
        "lastName",
        "email",
        "notes",
        "source",
        "userGroup",
        "userId",
        "subscribed",
        "createdAt",
      ],
      parameter: "list",
      value: "custom",
    });
  });

  test("the sandbox's sends follow the facts: an unknown transactionalId is the 404, a missing variable the 400 that names it, a key reused within 24 hours the 409", () => {
    const send = getOperation("sendTransactionalEmail").sandbox;
    expect(sandboxModel?.resources.transactionalEmail?.notFound).toBe("transactionalNotFound");
    expect(send?.variables?.missing).toMatchObject({ status: 400, example: "missingVariables" });
    expect(exampleValues("sendTransactionalEmail", "400").missingVariables).toEqual({
      success: false,
      message: "Missing required data variable(s): confirmationUrl",
    });
    expect(send?.audience).toEqual({ when: "addToAudience", resource: "contact", field: "email" });
    for (const id of SENDS) {
      expect(getOperation(id).sandbox?.idempotency).toMatchObject({
        hours: 24,
        conflict: {
          status: 409,
          example: "keyUsed",
          message: "Idempotency key already used within the last 24 hours.",
        },
      });
    }
  });

  test("the sandbox's suppression follows the facts: a rolling 30 days, the 400 when not suppressed or at zero", () => {
    expect(sandboxModel?.resources.contact?.flag).toMatchObject({
      days: 30,
      notFlagged: { status: 400, example: "notSuppressed" },
      quotaUsed: { status: 400, example: "quotaUsed" },
    });
    expect(exampleValues("removeContactSuppression", "400").notSuppressed).toEqual({
      success: false,
      message: "This contact is not suppressed.",
    });
  });

  test("the sandbox's contact follows the facts: email and userId unique (409), find, delete and update by them, a new contact's defaults", () => {
    const contact = sandboxModel?.resources.contact;
    expect(contact?.identifiers).toMatchObject({ fields: ["email", "userId"], creates: "email" });
    for (const field of ["email", "userId"]) {
      expect(contact?.unique?.[field]).toMatchObject({ status: 409, example: "contactExists" });
    }
    expect(contact?.defaults).toEqual({
      source: "API",
      subscribed: true,
      userGroup: "",
      mailingLists: {},
    });
    expect(contact?.flagMaps?.mailingLists?.resource).toBe("mailingList");
    // An event records its own fields and updates the contact with the rest; a userId alone that
    // names no contact is the 400 example the facts give.
    expect(getOperation("sendEvent").sandbox).toMatchObject({
      log: ["eventName", "eventProperties"],
      unknown: { status: 400, example: "contactNotFound" },
    });
    expect(Object.values(exampleValues("sendEvent", "400"))).toContainEqual({
      success: false,
      message: "Contact not found.",
    });
  });

  test("only listPublishedTransactionalEmails is deprecated, as Loops says", () => {
    const deprecated = APP_IDS.filter((id) => raw(id).deprecated === true);
    expect(deprecated).toEqual(["listPublishedTransactionalEmails"]);
  });

  test("the contract's title and guide say it is more than campaigns", () => {
    expect(contract.info.title).toBe("Loops API");
    for (const step of ["Create a contact", "Send an event", "Send a transactional email"])
      expect(contract.info.description).toContain(step);
  });

  test("no string is capped at 500 characters: Loops' only source is its agent notes, for most fields", () => {
    expect(JSON.stringify(contract)).not.toMatch(/"maxLength":\s*500\b/);
  });
});

describe("Idempotency-Key", () => {
  test.each(SENDS)("%s takes an optional string header of at most 100 characters", (id) => {
    const parameter = raw(id).parameters.map((p: Json) =>
      p.$ref ? contract.components.parameters[p.$ref.split("/").at(-1)] : p,
    )[0];
    expect(parameter).toMatchObject({ name: "Idempotency-Key", in: "header", required: false });
    expect(parameter.schema).toMatchObject({ type: "string", maxLength: 100 });
    expect(raw(id)["x-idempotency-key"]).toBe("Idempotency-Key");
    expect(getOperation(id).idempotencyKey).toEqual({ header: "Idempotency-Key", maxLength: 100 });
  });

  test("only the two sends carry it", () => {
    const marked = operations.filter((operation) => operation.idempotencyKey !== undefined);
    expect(marked.map((operation) => operation.operationId).sort()).toEqual([...SENDS].sort());
  });

  test.each(SENDS)(
    "%s answers a used key with 409 {success: false, message}, both required",
    (id) => {
      const conflict = response(id, "409");
      expect(
        validatorAt(conflict?.body?.schemaPointer ?? "")({ success: false, message: "x" }),
      ).toBe(true);
      expect(validatorAt(conflict?.body?.schemaPointer ?? "")({ message: "x" })).toBe(false);
      expect(exampleValues(id, "409").keyUsed).toEqual({
        success: false,
        message: "Idempotency key already used with a different request body.",
      });
    },
  );
});

describe("401 and 429, documented by Loops in prose only", () => {
  const open = isValid("UndocumentedError");
  test.each(APP_IDS)("%s answers both with an open body, so no real answer is flagged", (id) => {
    for (const status of ["401", "429"])
      expect(raw(id).responses[status].$ref, status).toMatch(
        /UnauthorizedOpen|TooManyRequestsOpen/,
      );
  });
  test("the open body takes the SDK's {error}, testApiKey's documented body, and nothing at all", () => {
    expect(open({ error: "Invalid API key" })).toBe(true);
    expect(open({ success: false, message: "Invalid API key", error: "Invalid API key" })).toBe(
      true,
    );
    expect(open({})).toBe(true);
    expect(open({ message: 42 })).toBe(false);
    expect(exampleValues("testApiKey", "401").sdkInvalidApiKey).toEqual({
      error: "Invalid API key",
    });
  });
  test("every response of these operations declares the rate-limit headers", () => {
    for (const id of APP_IDS)
      for (const documented of getOperation(id).responses)
        expect(
          documented.headers.map((header) => header.name),
          `${id} ${documented.status}`,
        ).toEqual(expect.arrayContaining(["x-ratelimit-limit", "x-ratelimit-remaining"]));
  });
});

describe("contact bodies", () => {
  const create = bodyOf("createContact");
  const update = bodyOf("updateContact");
  const event = bodyOf("sendEvent");

  test("create needs only email", () => {
    expect(create({ email: "ada@example.com" })).toBe(true);
    expect(create({ firstName: "Ada" })).toBe(false);
  });

  test.each([
    ["createContact", { email: "ada@example.com" }],
    ["updateContact", { userId: "user_8Hq2" }],
    ["sendEvent", { email: "ada@example.com", eventName: "signup" }],
  ])(
    "%s takes custom properties as top-level string, number, boolean or null, nothing else",
    (id, base) => {
      const valid = bodyOf(id);
      for (const value of ["pro", 3, true, null])
        expect(valid({ ...base, plan: value })).toBe(true);
      for (const value of [{ name: "pro" }, ["pro"]])
        expect(valid({ ...base, plan: value })).toBe(false);
    },
  );

  test("null clears a contact field in create, update and event bodies (Loops' document forbids it)", () => {
    expect(
      create({ email: "a@example.com", firstName: null, lastName: null, userGroup: null }),
    ).toBe(true);
    expect(update({ email: "a@example.com", firstName: null })).toBe(true);
    expect(event({ email: "a@example.com", eventName: "signup", lastName: null })).toBe(true);
  });

  test("mailing lists are an object of list id to boolean (Loops' document leaves them untyped)", () => {
    const lists = isValid("MailingListSubscriptions");
    expect(lists({ cm06f5v0e45nf0ml5754o9cix: true, cm06f5v0e45nf0ml5754o9ciy: false })).toBe(true);
    expect(lists({ cm06f5v0e45nf0ml5754o9cix: "true" })).toBe(false);
    expect(lists(["cm06f5v0e45nf0ml5754o9cix"])).toBe(false);
  });

  test("update takes mailingLists (Loops' document refuses any, its allOf hiding the field)", () => {
    expect(
      update({ email: "a@example.com", mailingLists: { cm06f5v0e45nf0ml5754o9cix: true } }),
    ).toBe(true);
  });

  test("update finds by email or userId or both, and needs one", () => {
    expect(update({ email: "a@example.com" })).toBe(true);
    expect(update({ userId: "u" })).toBe(true);
    expect(update({ email: "a@example.com", userId: "u" })).toBe(true);
    expect(update({ firstName: "Ada" })).toBe(false);
  });

  test("update is an upsert: 200 with the id either way, no 409", () => {
    expect(raw("updateContact").responses["409"]).toBeUndefined();
    expect(getOperation("updateContact").description).toMatch(/creates it when none matches/);
    expect(isValid("ContactSaved")({ success: true, id: "c1" })).toBe(true);
  });

  test("an event needs eventName and email, userId or both", () => {
    expect(event({ email: "a@example.com", eventName: "signup" })).toBe(true);
    expect(event({ userId: "u", eventName: "signup" })).toBe(true);
    expect(event({ eventName: "signup" })).toBe(false);
    expect(event({ email: "a@example.com" })).toBe(false);
    expect(
      event({
        email: "a@example.com",
        eventName: "e",
        eventProperties: { at: "2026-03-30", n: 1, ok: true },
      }),
    ).toBe(true);
  });
});

describe("exactly one identifier", () => {
  test("delete takes {email} or {userId}, not both, not neither (Loops' document requires both)", () => {
    const remove = bodyOf("deleteContact");
    expect(remove({ email: "a@example.com" })).toBe(true);
    expect(remove({ userId: "u" })).toBe(true);
    expect(remove({ email: "a@example.com", userId: "u" })).toBe(false);
    expect(remove({})).toBe(false);
  });

  test.each(["findContact", "getContactSuppression", "removeContactSuppression"])(
    "%s takes the optional query parameters email and userId, says exactly one, and documents the 400",
    (id) => {
      const parameters = getOperation(id).queryParameters;
      expect(parameters.map(({ name, required }) => [name, required])).toEqual([
        ["email", false],
        ["userId", false],
      ]);
      for (const parameter of parameters)
        expect(parameter.description).toMatch(/exactly one of `email` and\s+`userId`/i);
      expect(Object.keys(exampleValues(id, "400"))).toEqual(
        expect.arrayContaining(["bothIdentifiers", "noIdentifier"]),
      );
      expect(raw(id)["x-exactly-one-of"]).toEqual(["email", "userId"]);
      expect(getOperation(id).exactlyOneOf).toEqual(["email", "userId"]);
    },
  );

  test("only these three mark a group of parameters", () => {
    const marked = operations.filter((operation) => operation.exactlyOneOf !== undefined);
    expect(marked.map((operation) => operation.operationId).sort()).toEqual(
      ["findContact", "getContactSuppression", "removeContactSuppression"].sort(),
    );
  });
});

describe("contact answers", () => {
  const contact = isValid("Contact");
  const found = exampleValues("findContact", "200");

  test("find answers an array, [] when nobody matches, never 404", () => {
    expect(raw("findContact").responses["404"]).toBeUndefined();
    expect(isValid("ContactList")([])).toBe(true);
    expect(found.none).toEqual([]);
    expect(found.found).toHaveLength(1);
  });

  test("a contact has its ten fields, with custom properties beside them", () => {
    const [ada] = found.found as Json[];
    expect(contact(ada)).toBe(true);
    const { plan: _plan, ...withoutCustom } = ada;
    expect(contact(withoutCustom)).toBe(true);
    for (const field of [
      "id",
      "email",
      "firstName",
      "lastName",
      "source",
      "subscribed",
      "userGroup",
      "userId",
      "mailingLists",
      "optInStatus",
    ]) {
      const { [field]: _dropped, ...missing } = ada;
      expect(contact(missing), field).toBe(false);
    }
    expect(ada.userGroup).toBe("");
  });

  test("optInStatus is accepted, pending, rejected or null", () => {
    const [ada] = found.found as Json[];
    for (const status of ["accepted", "pending", "rejected", null])
      expect(contact({ ...ada, optInStatus: status })).toBe(true);
    expect(contact({ ...ada, optInStatus: "confirmed" })).toBe(false);
  });

  test("a contact's mailing lists show only the lists it is on, as true", () => {
    const [ada] = found.found as Json[];
    expect(Object.values(ada.mailingLists)).toEqual([true]);
    expect(contact({ ...ada, mailingLists: [] })).toBe(false);
  });

  test("delete answers {success: true, message: 'Contact deleted.'}", () => {
    expect(exampleValues("deleteContact", "200").deleted).toEqual({
      success: true,
      message: "Contact deleted.",
    });
    expect(exampleValues("deleteContact", "404").contactNotFound).toMatchObject({
      message: "This contact was not found.",
    });
  });

  test("suppression: status and removal quota in integers; removal's message; its 400s", () => {
    const status = exampleValues("getContactSuppression", "200");
    expect(isValid("ContactSuppression")(status.suppressed)).toBe(true);
    expect(isValid("ContactSuppression")(status.notSuppressed)).toBe(true);
    expect(isValid("RemovalQuota")({ limit: 10, remaining: 1.5 })).toBe(false);
    expect(exampleValues("removeContactSuppression", "200").removed).toMatchObject({
      success: true,
      message: "Email removed from suppression list.",
    });
    const refusals = exampleValues("removeContactSuppression", "400");
    expect(refusals.notSuppressed).toMatchObject({ message: "This contact is not suppressed." });
    expect(refusals.quotaUsed).toBeDefined();
  });

  test("create answers {success: true, id}; a taken email or userId is 409", () => {
    expect(exampleValues("createContact", "200").created).toMatchObject({ success: true });
    expect(exampleValues("createContact", "400").invalidEmail).toMatchObject({
      message: "Invalid email address.",
    });
    expect(response("createContact", "409")).toBeDefined();
  });
});

describe("properties, lists, key, sending IPs", () => {
  test("a property is created from {name, type}, type one of four", () => {
    const create = bodyOf("createContactProperty");
    for (const type of ["string", "number", "boolean", "date"])
      expect(create({ name: "planName", type })).toBe(true);
    expect(create({ name: "planName", type: "text" })).toBe(false);
    expect(exampleValues("createContactProperty", "400").propertyExists).toMatchObject({
      message: "Property already exists.",
    });
  });

  test("properties list as [{key, label, type}], all required; `list` is all (default) or custom", () => {
    const property = isValid("ContactProperty");
    expect(property({ key: "plan", label: "Plan", type: "string" })).toBe(true);
    expect(property({ key: "plan", label: "Plan" })).toBe(false);
    const [list] = getOperation("listContactProperties").queryParameters;
    expect(list?.schema).toMatchObject({ enum: ["all", "custom"], default: "all" });
  });

  test("mailing lists list as [{id, name, description or null, isPublic}]", () => {
    const lists = exampleValues("listMailingLists", "200").lists as Json[];
    expect(isValid("MailingListList")(lists)).toBe(true);
    expect(lists.map((list) => list.description)).toContain(null);
  });

  test("a valid key answers {success: true, teamName}; testApiKey's 401 has success, message and the deprecated error", () => {
    expect(isValid("ApiKeyTeam")({ success: true, teamName: "T" })).toBe(true);
    expect(isValid("ApiKeyTeam")({ success: true })).toBe(false);
    expect(exampleValues("testApiKey", "401").invalidApiKey).toEqual({
      success: false,
      message: "Invalid API key",
      error: "Invalid API key",
    });
    expect(contract.components.schemas.UndocumentedError.properties.error.deprecated).toBe(true);
  });

  test("dedicated sending IPs are an array of strings", () => {
    expect(isValid("DedicatedSendingIpList")(["192.0.2.10"])).toBe(true);
    expect(isValid("DedicatedSendingIpList")([{ ip: "192.0.2.10" }])).toBe(false);
  });
});

describe("transactional email", () => {
  const send = bodyOf("sendTransactionalEmail");
  const base = { transactionalId: "t1", email: "ada@example.com" };

  test("a send needs transactionalId and email; attachments need all three fields", () => {
    expect(send(base)).toBe(true);
    expect(send({ email: "a@example.com" })).toBe(false);
    const attachment = { filename: "a.pdf", contentType: "application/pdf", data: "JVBERi0xLjQK" };
    expect(send({ ...base, addToAudience: true, attachments: [attachment] })).toBe(true);
    for (const field of Object.keys(attachment)) {
      const { [field as keyof typeof attachment]: _dropped, ...missing } = attachment;
      expect(send({ ...base, attachments: [missing] }), field).toBe(false);
    }
  });

  test("data variables take strings, numbers and arrays of rows (the SDK's shape; Loops' document has only the first two)", () => {
    expect(send({ ...base, dataVariables: { name: "Ada", total: 42, optional: "" } })).toBe(true);
    expect(send({ ...base, dataVariables: { items: [{ name: "Pro", price: 40 }] } })).toBe(true);
    expect(send({ ...base, dataVariables: { vip: true } })).toBe(false);
  });

  test("every documented 400 shape validates (Loops' oneOf refuses all but the first)", () => {
    const refusals = exampleValues("sendTransactionalEmail", "400");
    // Loops' five shapes, and the sandbox's answer past the 4 MB a request may carry (shape 1).
    expect(Object.keys(refusals)).toEqual([
      "missingVariables",
      "notPublished",
      "invalidField",
      "refusedField",
      "variableForEmail",
      "bodyTooLarge",
    ]);
    const error = isValid("TransactionalError");
    for (const [name, body] of Object.entries(refusals)) expect(error(body), name).toBe(true);
    expect(refusals.missingVariables).toEqual({
      success: false,
      message: "Missing required data variable(s): confirmationUrl",
    });
    expect(refusals.variableForEmail).toMatchObject({
      transactionalId: expect.any(String),
      error: expect.any(Object),
    });
  });

  test("not found is 404 with error {path, message}", () => {
    expect(exampleValues("sendTransactionalEmail", "404").transactionalNotFound).toMatchObject({
      error: { path: "transactionalId", message: expect.any(String) },
    });
  });

  test("published emails list a page at a time: perPage 10 to 50 (default 20), cursor; each email's fields required", () => {
    const [perPage, cursor] = getOperation("listPublishedTransactionalEmails").queryParameters;
    expect(perPage?.schema).toMatchObject({
      type: "integer",
      minimum: 10,
      maximum: 50,
      default: 20,
    });
    expect(cursor?.name).toBe("cursor");
    const email = isValid("TransactionalEmail");
    const welcome = {
      id: "t1",
      name: "Welcome",
      lastUpdated: "2026-03-20T10:15:00.000Z",
      dataVariables: ["firstName"],
    };
    expect(email(welcome)).toBe(true);
    expect(email({ ...welcome, dataVariables: [1] })).toBe(false);
    for (const field of Object.keys(welcome)) {
      const { [field as keyof typeof welcome]: _dropped, ...missing } = welcome;
      expect(email(missing), field).toBe(false);
    }
  });
});
