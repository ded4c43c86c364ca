// The sandbox knows no resource by name: a copy of the bundle with one more resource, declared in
// the contract alone, gets create, get, update and list from the mock as built, and a list that
// takes no page size answers a bare array, as some of Loops' lists do. The copy is
// served by the built mock and spec module, copied beside it, so nothing under src/ is involved.
import { contract, type JsonObject } from "@loops-contract/spec";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type CopiedMock, copyMockServing } from "./support/copied-mock.js";

const tag = (id: string, name: string, at: string) => ({ id, name, createdAt: at, updatedAt: at });
const json = (schema: JsonObject, examples: Record<string, unknown>) => ({
  content: {
    "application/json": {
      schema,
      examples: Object.fromEntries(Object.entries(examples).map(([n, value]) => [n, { value }])),
    },
  },
});
const notFound = {
  description: "No such tag.",
  ...json({ $ref: "#/components/schemas/Error" }, { tagNotFound: { message: "Tag not found." } }),
};
const tagSchema = { $ref: "#/components/schemas/Tag" };
const tagIdParameter = { name: "tagId", in: "path", required: true, schema: { type: "string" } };

/** The contract with tags: a schema, five operations and a one-line model entry. */
function withTags(document: JsonObject): JsonObject {
  const copy = structuredClone(document) as JsonObject & { paths: Record<string, JsonObject> };
  const schemas = (copy.components as Record<string, JsonObject>).schemas as JsonObject;
  schemas.Tag = {
    type: "object",
    required: ["id", "name", "createdAt", "updatedAt"],
    properties: {
      id: { type: "string", description: "The tag ID." },
      name: { type: "string", description: "The tag name." },
      createdAt: { type: "string", format: "date-time", description: "Created." },
      updatedAt: { type: "string", format: "date-time", description: "Updated." },
    },
  };
  schemas.TagRequest = {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: { name: { type: "string", description: "The tag name." } },
  };
  const body = {
    required: true,
    ...json({ $ref: "#/components/schemas/TagRequest" }, { named: { name: "Launch" } }),
  };
  const seeded = [
    tag("tag-newer", "Newsletters", "2026-03-20T00:00:00.000Z"),
    tag("tag-older", "Events", "2026-03-10T00:00:00.000Z"),
  ];
  const operation = (id: string, sdk: string, action: string, extra: JsonObject) => ({
    operationId: id,
    "x-sdk-method": sdk,
    "x-idempotent": action !== "create",
    "x-sandbox": { resource: "tag", action },
    summary: id,
    ...extra,
  });
  copy.paths["/v1/tags"] = {
    get: operation("listTags", "tags.list", "list", {
      parameters: [
        { $ref: "#/components/parameters/PerPage" },
        { $ref: "#/components/parameters/Cursor" },
      ],
      responses: {
        "200": {
          description: "A page of tags.",
          ...json(
            {
              type: "object",
              required: ["pagination", "data"],
              properties: {
                pagination: { $ref: "#/components/schemas/Pagination" },
                data: { type: "array", items: tagSchema },
              },
            },
            {
              page: {
                pagination: {
                  totalResults: 2,
                  returnedResults: 2,
                  perPage: 20,
                  totalPages: 1,
                  nextCursor: null,
                  nextPage: null,
                },
                data: seeded,
              },
            },
          ),
        },
        "400": (
          (document.paths as JsonObject)["/v1/campaigns"] as Record<
            string,
            Record<string, JsonObject>
          >
        ).get?.responses?.["400"],
      },
    }),
    post: operation("createTag", "tags.create", "create", {
      requestBody: body,
      responses: { "201": { description: "Created.", ...json(tagSchema, { created: seeded[0] }) } },
    }),
  };
  copy.paths["/v1/tags/{tagId}"] = {
    parameters: [tagIdParameter],
    get: operation("getTag", "tags.get", "read", {
      responses: {
        "200": { description: "The tag.", ...json(tagSchema, { tag: seeded[1] }) },
        "404": notFound,
      },
    }),
    post: operation("updateTag", "tags.update", "update", {
      requestBody: body,
      responses: {
        "200": { description: "Updated.", ...json(tagSchema, { tag: seeded[1] }) },
        "404": notFound,
      },
    }),
  };
  copy.paths["/v1/all-tags"] = {
    get: operation("listAllTags", "tags.listAll", "list", {
      responses: {
        "200": {
          description: "Every tag, newest first.",
          ...json({ type: "array", items: tagSchema }, { all: seeded }),
        },
      },
    }),
  };
  const model = copy["x-sandbox-model"] as { resources: JsonObject };
  model.resources.tag = { notFound: "tagNotFound" };
  return copy;
}

let copy: CopiedMock | undefined;
beforeAll(async () => {
  copy = await copyMockServing(withTags(contract));
});
afterAll(() => copy?.remove());

/** Sends requests to a fresh in-process mock of the copy, as one API key. */
async function sender(apiKey: string) {
  if (copy === undefined) throw new Error("The copied mock is not loaded");
  const fetch = await copy.mock.createMockFetch();
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`http://127.0.0.1${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
}

test("create, get, update and list a resource the mock's code has never heard of", async () => {
  const send = await sender("tags");
  const created = await send("POST", "/v1/tags", { name: "Launch" });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ name: "Launch" });
  expect(created.body.id).not.toBe("tag-newer");
  const id = String(created.body.id);
  expect(await send("GET", `/v1/tags/${id}`)).toEqual({ status: 200, body: created.body });
  const updated = await send("POST", `/v1/tags/${id}`, { name: "Launches" });
  expect(updated).toMatchObject({
    status: 200,
    body: { id, name: "Launches", createdAt: created.body.createdAt },
  });
  const listed = await send("GET", "/v1/tags?perPage=10");
  expect((listed.body.data as Array<{ id: string }>).map((t) => t.id)).toEqual([
    id,
    "tag-newer",
    "tag-older",
  ]);
  expect(listed.body.pagination).toMatchObject({ totalResults: 3, nextCursor: null });
  expect(await send("GET", "/v1/tags/nope")).toEqual({
    status: 404,
    body: { message: "Tag not found." },
  });
});

test("a list without a page size answers every record as a bare array, newest first", async () => {
  const send = await sender("all-tags");
  const tags = (body: unknown) => body as Array<{ id: string }>;
  const ids = (body: unknown) => tags(body).map((tag) => tag.id);
  const seeded = await send("GET", "/v1/all-tags");
  expect(seeded.status).toBe(200);
  expect(ids(seeded.body)).toEqual(["tag-newer", "tag-older"]);
  const created = await send("POST", "/v1/tags", { name: "Launch" });
  const listed = await send("GET", "/v1/all-tags");
  expect(Array.isArray(listed.body)).toBe(true);
  expect(ids(listed.body)).toEqual([created.body.id, "tag-newer", "tag-older"]);
  expect(tags(listed.body)[0]).toEqual(created.body);
});

test("the inspector shows it beside the others, its fields from its read schema", async () => {
  const send = await sender("inspected-tags");
  const created = await send("POST", "/v1/tags", { name: "Launch" });
  const keys = (await send("GET", "/_sandbox/inspector/keys")).body as unknown as Array<{
    key: string;
  }>;
  const handle = keys[0]?.key;
  const resources = (await send("GET", `/_sandbox/inspector/keys/${handle}/resources`))
    .body as unknown as Array<{
    name: string;
    fields: Array<{ name: string; types: string[] }>;
    records: unknown[];
  }>;
  const tags = resources.find((resource) => resource.name === "tag");
  expect(tags?.fields).toEqual([
    { name: "id", types: ["string"], description: "The tag ID." },
    { name: "name", types: ["string"], description: "The tag name." },
    { name: "createdAt", types: ["string"], format: "date-time", description: "Created." },
    { name: "updatedAt", types: ["string"], format: "date-time", description: "Updated." },
  ]);
  expect(tags?.records[0]).toEqual(created.body);
});
