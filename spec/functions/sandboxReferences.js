// Spectral's core functions check one place at a time; the sandbox's declarations point across the
// document (a resource named by an operation, an example named under another operation's status),
// and a dangling name would only surface as a mock that cannot start.
const methods = ["get", "put", "post", "delete", "patch", "options", "head", "trace"];

function operationsOf(document) {
  const list = [];
  for (const [path, pathItem] of Object.entries(document.paths ?? {})) {
    for (const method of methods) {
      const operation = pathItem?.[method];
      const parameters = [...(pathItem.parameters ?? []), ...(operation?.parameters ?? [])];
      if (operation) list.push({ path, method, operation, parameters });
    }
  }
  return list;
}

function exampleNames(operation, status) {
  const content = operation.responses?.[String(status)]?.content?.["application/json"];
  return Object.keys(content?.examples ?? {});
}

/** A schema's properties, its `allOf` parts' included, as [name, schema] pairs. */
function propertiesOf(schema, seen = new Set()) {
  if (!schema || typeof schema !== "object" || seen.has(schema)) return [];
  seen.add(schema);
  return [
    ...Object.entries(schema.properties ?? {}),
    ...(schema.allOf ?? []).flatMap((part) => propertiesOf(part, seen)),
  ];
}

function successSchema(operation) {
  return operation.responses?.["200"]?.content?.["application/json"]?.schema;
}

/**
 * A list that takes the per-page parameter answers the declared envelope, so its 200 schema has
 * the items field and the page field with every figure; any other list answers a bare array.
 */
function checkListAnswer(pagination, entry, problem) {
  const schema = successSchema(entry.operation);
  const named = `${entry.method.toUpperCase()} ${entry.path}`;
  const paged = entry.parameters.some(
    (parameter) => parameter?.in === "query" && parameter.name === pagination.perPageParameter,
  );
  if (!paged) {
    if (schema?.type !== "array")
      problem(
        `${named} takes no '${pagination.perPageParameter}', so the sandbox answers it with a bare array, which its 200 schema is not.`,
        [...entry.where, "action"],
      );
    return;
  }
  const at = ["x-sandbox-model", "pagination"];
  const fields = new Map(propertiesOf(schema));
  for (const key of ["itemsField", "pageField"]) {
    if (!fields.has(pagination[key]))
      problem(`'${pagination[key]}' is no field of ${named}'s 200 answer.`, [...at, key]);
  }
  const page = new Set(propertiesOf(fields.get(pagination.pageField)).map(([name]) => name));
  for (const [figure, field] of Object.entries(pagination.pageFields ?? {})) {
    if (fields.has(pagination.pageField) && !page.has(field))
      problem(`'${field}' is no field of ${named}'s '${pagination.pageField}'.`, [
        ...at,
        "pageFields",
        figure,
      ]);
  }
}

/** The items a list's or a find's answer holds: a bare array's, or the envelope's items field. */
function itemsOf(schema, pagination) {
  if (schema?.type === "array") return schema.items;
  const items = new Map(propertiesOf(schema)).get(pagination?.itemsField);
  return items?.type === "array" ? items.items : undefined;
}

/** The record's schema: a read's answer, else the items of a find's or a list's answer. */
function recordSchemaOf(operations, pagination) {
  const read = operations.find((entry) => entry.declared.action === "read");
  if (read) return successSchema(read.operation);
  for (const action of ["find", "list"]) {
    const items = operations
      .filter((entry) => entry.declared.action === action)
      .map((entry) => itemsOf(successSchema(entry.operation), pagination))
      .find(Boolean);
    if (items) return items;
  }
  return undefined;
}

/**
 * The identifiers are fields of the record; each operation that names a record by them documents
 * the refusals it can give: `find` and `delete` both and none, `upsert` none.
 */
function checkIdentifiers(identifiers, operations, field, problem, at) {
  for (const [index, key] of identifiers.fields.entries())
    field(key, ["identifiers", "fields", index]);
  if (!identifiers.fields.includes(identifiers.creates))
    problem(`identifiers.creates '${identifiers.creates}' is not one of its fields.`, [
      ...at,
      "identifiers",
      "creates",
    ]);
  for (const entry of operations) {
    const action = entry.declared.action;
    const exactlyOne = ["find", "delete", "flagStatus", "unflag"].includes(action);
    const needed = exactlyOne ? ["both", "none"] : [];
    for (const key of needed) {
      const refusal = identifiers[key];
      if (!exampleNames(entry.operation, refusal.status).includes(refusal.example))
        problem(
          `identifiers.${key} '${refusal.example}' is no named ${refusal.status} example of ${entry.method.toUpperCase()} ${entry.path}, which takes exactly one identifier.`,
          [...at, "identifiers", key, "example"],
        );
    }
  }
}

/** A list of the resource takes the parameter that leaves the built-in records out. */
function checkBuiltIn(builtIn, operations, problem, at) {
  const takes = operations.some(
    (entry) =>
      entry.declared.action === "list" &&
      entry.parameters.some(
        (parameter) =>
          parameter?.in === "query" &&
          parameter.name === builtIn.parameter &&
          (parameter.schema?.enum ?? [builtIn.value]).includes(builtIn.value),
      ),
  );
  if (!takes)
    problem(
      `builtIn: no list of this resource takes the query parameter '${builtIn.parameter}' with the value '${builtIn.value}'.`,
      [...at, "parameter"],
    );
}

/** An operation's own refusals (`unknown`, `ambiguous`) are examples it documents. */
function checkOperationRefusals(entry, problem) {
  const declared = entry.declared;
  const refusals = {
    unknown: declared.unknown,
    ambiguous: declared.ambiguous,
    "variables/missing": declared.variables?.missing,
    "idempotency/conflict": declared.idempotency?.conflict,
    bodyLimit: declared.bodyLimit,
  };
  if (declared.idempotency && !entry.operation["x-idempotency-key"])
    problem("x-sandbox idempotency needs the operation's x-idempotency-key header.", [
      ...entry.where,
      "idempotency",
    ]);
  for (const [key, refusal] of Object.entries(refusals)) {
    if (refusal && !exampleNames(entry.operation, refusal.status).includes(refusal.example))
      problem(
        `x-sandbox ${key} names '${refusal.example}', which is no named ${refusal.status} example of this operation.`,
        [...entry.where, ...key.split("/"), "example"],
      );
  }
}

/** Every path a payload declaration reads, with where it is under the declaration. */
function pathsOf(value, at) {
  if (typeof value === "string") return [[value, at]];
  if (!value || typeof value !== "object" || "const" in value || "freshId" in value) return [];
  if (Array.isArray(value.firstOf))
    return value.firstOf.map((path, index) => [path, [...at, "firstOf", index]]);
  if (typeof value.listOf === "string") return [[value.listOf, [...at, "listOf"]]];
  return Object.entries(value).flatMap(([field, entry]) => pathsOf(entry, [...at, field]));
}

/**
 * A webhook's outbox entry is read from the event's records: each path it names starts at a
 * resource of the model and, when it goes on, at a field of that resource's record; else the
 * entry would silently lack it.
 */
function checkWebhookOutbox(outbox, recordSchemas, problem, at) {
  const paths = [[outbox.to, [...at, "to"]], ...pathsOf(outbox.fields ?? {}, [...at, "fields"])];
  for (const [path, where] of paths) {
    const [resource, field] = path.split(".");
    if (resource.startsWith("$")) continue;
    if (!recordSchemas.has(resource)) {
      problem(
        `x-sandbox outbox reads '${path}': '${resource}' is no resource of x-sandbox-model.`,
        where,
      );
    } else if (
      field !== undefined &&
      !propertiesOf(recordSchemas.get(resource)).some(([name]) => name === field)
    ) {
      problem(`x-sandbox outbox reads '${path}': '${field}' is no field of '${resource}'.`, where);
    }
  }
}

/**
 * A webhook's `x-sandbox`: the resources its changes, audience and `sets` name are declared, the
 * webhooks it follows exist, a `set` or flag change's field is one of its resource's, and its
 * outbox entry reads fields the records have.
 */
function checkWebhooks(document, model, recordSchemas, problem) {
  const webhooks = document.webhooks ?? {};
  const declared = (resource, at) => {
    if (!(resource in model.resources))
      problem(`'${resource}' is no resource of x-sandbox-model.`, at);
  };
  for (const [key, pathItem] of Object.entries(webhooks)) {
    const sandbox = pathItem?.post?.["x-sandbox"];
    if (!sandbox || typeof sandbox !== "object") continue;
    const at = ["webhooks", key, "post", "x-sandbox"];
    for (const [index, change] of (sandbox.on ?? []).entries()) {
      declared(change.resource, [...at, "on", index, "resource"]);
      if (change.audience) declared(change.audience.resource, [...at, "on", index, "audience"]);
      const flagMaps = model.resources[change.resource]?.flagMaps ?? {};
      if (change.change.startsWith("flag") && !(change.field in flagMaps))
        problem(`'${change.field}' is no flag map of '${change.resource}'.`, [...at, "on", index]);
    }
    for (const [index, followed] of (sandbox.follows ?? []).entries()) {
      if (!(followed in webhooks))
        problem(`follows '${followed}', which is no webhook of the document.`, [
          ...at,
          "follows",
          index,
        ]);
    }
    if (sandbox.sets) declared(sandbox.sets.resource, [...at, "sets", "resource"]);
    if (sandbox.outbox)
      checkWebhookOutbox(sandbox.outbox, recordSchemas, problem, [...at, "outbox"]);
  }
}

/**
 * An outbox entry is made of the request body's fields and the acted-on record's: each name the
 * declaration gives must be one, or the entry would silently lack it.
 */
function checkOutbox(entry, recordSchema, problem) {
  const outbox = entry.declared.outbox;
  if (!outbox) return;
  const names = (schema) => new Set(propertiesOf(schema).map(([field]) => field));
  const body = names(entry.operation.requestBody?.content?.["application/json"]?.schema);
  const record = names(recordSchema);
  const named = [
    ["to", outbox.to, body],
    ...(outbox.fields ?? []).map((field, index) => [`fields/${index}`, field, body]),
    ...(outbox.recordFields ?? []).map((field, index) => [`recordFields/${index}`, field, record]),
  ];
  for (const [key, field, fields] of named) {
    if (!fields.has(field))
      problem(
        `x-sandbox outbox names '${field}', which is no field of ${fields === body ? "the request body" : "the record"}.`,
        [...entry.where, "outbox", ...key.split("/")],
      );
  }
}

/** Groups the operations that declare `x-sandbox` by resource, checking each declaration's own names. */
function operationsByResource(document, model, problem) {
  const byResource = new Map();
  for (const entry of operationsOf(document)) {
    const declared = entry.operation["x-sandbox"];
    if (!declared) continue;
    const where = ["paths", entry.path, entry.method, "x-sandbox"];
    if (!(declared.resource in model.resources)) {
      problem(
        `x-sandbox names the resource '${declared.resource}', which x-sandbox-model does not declare.`,
        [...where, "resource"],
      );
      continue;
    }
    if (!byResource.has(declared.resource)) byResource.set(declared.resource, []);
    byResource.get(declared.resource).push({ ...entry, declared, where });
    if (declared.action === "list" && model.pagination)
      checkListAnswer(model.pagination, { ...entry, where }, problem);
    if (
      declared.answer !== undefined &&
      !exampleNames(entry.operation, 200).includes(declared.answer)
    ) {
      problem(
        `x-sandbox answers with '${declared.answer}', which is no named 200 example of this operation.`,
        [...where, "answer"],
      );
    }
    checkOperationRefusals({ ...entry, declared, where }, problem);
    const quota = declared.dailyQuota;
    if (quota && !exampleNames(entry.operation, quota.status).includes(quota.example)) {
      problem(
        `dailyQuota names '${quota.example}', which is no named ${quota.status} example of this operation.`,
        [...where, "dailyQuota", "example"],
      );
    }
  }

  return byResource;
}

/**
 * What every check of one resource needs: where it is, the fields its records and writes have,
 * and `field` / `refusal`, which report a name that is no field or a refusal no write documents.
 */
function resourceScope(name, operations, recordSchema, problem) {
  const at = ["x-sandbox-model", "resources", name];
  const fields = new Set(
    [
      ...propertiesOf(recordSchema),
      ...operations.flatMap((entry) =>
        propertiesOf(entry.operation.requestBody?.content?.["application/json"]?.schema),
      ),
    ].map(([field]) => field),
  );
  const field = (value, path) => {
    if (!fields.has(value))
      problem(`'${value}' is no field of resource '${name}'.`, [...at, ...path]);
  };
  /** A refusal names an example that one of the resource's writes documents under its status. */
  const refusal = (value, path) => {
    if (!value) return;
    const writes = operations.filter((entry) => entry.declared.action !== "list");
    if (
      !writes.some((entry) => exampleNames(entry.operation, value.status).includes(value.example))
    ) {
      problem(
        `'${value.example}' is no named ${value.status} example of resource '${name}''s operations.`,
        [...at, ...path, "example"],
      );
    }
  };
  return { name, at, fields, field, refusal, operations, problem };
}

/** Every operation that names one record (by path id, or a delete) documents the `notFound` 404. */
function checkNotFound(resource, { at, operations, problem }) {
  const withId = operations.filter(
    (entry) => entry.path.includes("{") || entry.declared.action === "delete",
  );
  for (const entry of withId) {
    if (
      resource.notFound === undefined ||
      !exampleNames(entry.operation, 404).includes(resource.notFound)
    ) {
      problem(
        `notFound '${resource.notFound}' is no named 404 example of ${entry.method.toUpperCase()} ${entry.path}.`,
        [...at, "notFound"],
      );
    }
  }
}

/** The declarations that name fields of the resource: defaults, references, limits, the schedule. */
function checkFieldDeclarations(resource, model, { at, field, refusal, problem }) {
  for (const key of Object.keys(resource.defaults ?? {})) field(key, ["defaults", key]);
  for (const [key, template] of Object.entries(resource.derived ?? {})) {
    field(key, ["derived", key]);
    for (const [, name] of template.matchAll(/\{(\w+)\}/g)) field(name, ["derived", key]);
  }
  for (const [key, target] of Object.entries(resource.defaultReferences ?? {})) {
    field(key, ["defaultReferences", key]);
    if (!model.resources[target]?.reserved)
      problem(`defaultReferences needs '${target}' to declare a reserved record.`, [
        ...at,
        "defaultReferences",
        key,
      ]);
  }
  for (const [key, reference] of Object.entries(resource.references ?? {})) {
    field(key, ["references", key]);
    if (!(reference.resource in model.resources))
      problem(`references names the undeclared resource '${reference.resource}'.`, [
        ...at,
        "references",
        key,
        "resource",
      ]);
    refusal(reference, ["references", key]);
  }
  for (const [key, cleared] of Object.entries(resource.clears ?? {})) {
    field(key, ["clears", key]);
    for (const [index, other] of cleared.entries()) field(other, ["clears", key, index]);
  }
  for (const [index, key] of (resource.patchMaps ?? []).entries()) field(key, ["patchMaps", index]);
  for (const [key, limit] of Object.entries(resource.maxBytes ?? {})) {
    field(key, ["maxBytes", key]);
    refusal(limit, ["maxBytes", key]);
  }
  for (const [key, rule] of Object.entries(resource.unique ?? {})) {
    field(key, ["unique", key]);
    refusal(rule, ["unique", key]);
  }
  if (resource.schedule) {
    field(resource.schedule.field, ["schedule", "field"]);
    field(resource.schedule.statusField, ["schedule", "statusField"]);
    refusal(resource.schedule.notInFuture, ["schedule", "notInFuture"]);
  }
}

/** Locks, reservations, fixture-only fields, renames, the built-in records, flags, identifiers. */
function checkRules(resource, model, { name, at, fields, field, refusal, operations, problem }) {
  if (resource.lock) {
    for (const [index, key] of resource.lock.allow.entries()) field(key, ["lock", "allow", index]);
    refusal(resource.lock, ["lock"]);
  }
  if (resource.revision) {
    field(resource.revision.field, ["revision", "field"]);
    field(resource.revision.expectedField, ["revision", "expectedField"]);
    refusal(resource.revision, ["revision"]);
  }
  if (resource.ownerLock) {
    field(resource.ownerLock.ownerField, ["ownerLock", "ownerField"]);
    if (!(resource.ownerLock.resource in model.resources))
      problem(`ownerLock names the undeclared resource '${resource.ownerLock.resource}'.`, [
        ...at,
        "ownerLock",
        "resource",
      ]);
    refusal(resource.ownerLock, ["ownerLock"]);
  }
  if (resource.reserved) refusal(resource.reserved, ["reserved"]);
  if (resource.idField) field(resource.idField, ["idField"]);
  for (const [index, key] of (resource.fixtureOnly ?? []).entries()) {
    if (fields.has(key))
      problem(`fixtureOnly '${key}' is a field answers show; it cannot be kept out of them.`, [
        ...at,
        "fixtureOnly",
        index,
      ]);
  }
  for (const entry of operations) {
    const optional = entry.declared.variables?.optional;
    if (optional && !(resource.fixtureOnly ?? []).includes(optional))
      problem(`variables.optional '${optional}' is no fixtureOnly field of '${name}'.`, [
        ...entry.where,
        "variables",
        "optional",
      ]);
  }
  for (const [key, target] of Object.entries(resource.renames ?? {}))
    field(target, ["renames", key]);
  if (resource.reservedIds) refusal(resource.reservedIds, ["reservedIds"]);
  if (resource.builtIn) checkBuiltIn(resource.builtIn, operations, problem, [...at, "builtIn"]);
  if (resource.flag) {
    refusal(resource.flag.notFlagged, ["flag", "notFlagged"]);
    refusal(resource.flag.quotaUsed, ["flag", "quotaUsed"]);
  }
  if (resource.identifiers) checkIdentifiers(resource.identifiers, operations, field, problem, at);
}

/** Flag maps refuse with an example each write documents; a companion's example is its read's. */
function checkLinks(resource, model, byResource, { at, field, operations, problem }) {
  for (const [key, reference] of Object.entries(resource.flagMaps ?? {})) {
    field(key, ["flagMaps", key]);
    if (!(reference.resource in model.resources))
      problem(`flagMaps names the undeclared resource '${reference.resource}'.`, [
        ...at,
        "flagMaps",
        key,
        "resource",
      ]);
    for (const entry of operations.filter((w) =>
      ["create", "update", "upsert"].includes(w.declared.action),
    )) {
      if (!exampleNames(entry.operation, reference.status).includes(reference.example))
        problem(
          `flagMaps '${key}' refuses with '${reference.example}', which is no named ${reference.status} example of ${entry.method.toUpperCase()} ${entry.path}, a write of it.`,
          [...at, "flagMaps", key, "example"],
        );
    }
  }
  const companion = resource.companion;
  if (companion) {
    field(companion.idField, ["companion", "idField"]);
    const companionRead = (byResource.get(companion.resource) ?? []).find(
      (entry) => entry.declared.action === "read",
    );
    if (!companionRead || !exampleNames(companionRead.operation, 200).includes(companion.example)) {
      problem(
        `companion example '${companion.example}' is no named 200 example of reading '${companion.resource}'.`,
        [...at, "companion", "example"],
      );
    }
  }
}

export default function sandboxReferences(document) {
  const model = document?.["x-sandbox-model"];
  if (!model || typeof model.resources !== "object") return [];
  const results = [];
  const problem = (message, path) => results.push({ message, path });
  const byResource = operationsByResource(document, model, problem);
  const recordSchemas = new Map();
  for (const [name, resource] of Object.entries(model.resources)) {
    const operations = byResource.get(name) ?? [];
    const recordSchema = recordSchemaOf(operations, model.pagination);
    if (!recordSchema) {
      problem(
        `Resource '${name}' has no operation with x-sandbox action 'read', 'find' or 'list' to give its record's schema.`,
        ["x-sandbox-model", "resources", name],
      );
      continue;
    }
    recordSchemas.set(name, recordSchema);
    for (const entry of operations) checkOutbox(entry, recordSchema, problem);
    const scope = resourceScope(name, operations, recordSchema, problem);
    checkNotFound(resource, scope);
    checkFieldDeclarations(resource, model, scope);
    checkRules(resource, model, scope);
    checkLinks(resource, model, byResource, scope);
  }
  checkWebhooks(document, model, recordSchemas, problem);
  return results;
}
