// Unknown extra fields are never drift: walks every documented response of the contract and adds
// an unknown field to each object of each of its examples, one at a time.
import { type DocumentedHeader, operations } from "@loops-contract/spec";
import { expect, test } from "vitest";
import { checkResponse } from "../src/validation.js";

/** A valid value for a documented header, from its schema's example or its lower bound. */
function headerValue(header: DocumentedHeader): string {
  const { examples, minimum } = header.schema as { examples?: unknown[]; minimum?: number };
  const value = examples?.[0] ?? minimum;
  if (value === undefined) throw new Error(`no value to send for header ${header.name}`);
  return String(value);
}

/** JSON pointers to every object in `value`, itself included. */
function objectPointers(value: unknown, pointer = ""): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => objectPointers(item, `${pointer}/${index}`));
  }
  if (typeof value !== "object" || value === null) return [];
  return [
    pointer,
    ...Object.entries(value).flatMap(([key, child]) =>
      objectPointers(child, `${pointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`),
    ),
  ];
}

function withUnknownField(value: unknown, pointer: string): unknown {
  const copy = structuredClone(value);
  let node = copy as Record<string, unknown>;
  for (const segment of pointer.split("/").slice(1)) {
    node = node[segment.replaceAll("~1", "/").replaceAll("~0", "~")] as Record<string, unknown>;
  }
  node.fieldFromANewerApi = "added by a newer API";
  return copy;
}

const cases = operations.flatMap((operation) =>
  operation.responses.flatMap((response) =>
    (response.body?.examples ?? []).map((example) => ({
      label: `${operation.operationId} ${response.status} ${example.name}`,
      operationId: operation.operationId,
      status: Number(response.status),
      headers: new Headers(
        response.headers.map((header) => [header.name, headerValue(header)] as [string, string]),
      ),
      example: example.value,
    })),
  ),
);

test("the contract has response examples to walk, error bodies included", () => {
  expect(cases.length).toBeGreaterThan(operations.length);
  expect(cases.some((one) => one.status >= 400)).toBe(true);
  // A bare list of strings (or `[]`) has no object to add a field to; nearly every body has one.
  const withObjects = cases.filter((one) => objectPointers(one.example).length > 0);
  expect(withObjects.length).toBeGreaterThan(cases.length - 5);
});

test.each(cases)("$label: as documented, and with an unknown field at any object", (one) => {
  const pointers = objectPointers(one.example);
  expect(checkResponse(one.operationId, one.status, one.headers, one.example)).toBeUndefined();
  for (const pointer of pointers) {
    const body = withUnknownField(one.example, pointer);
    expect(checkResponse(one.operationId, one.status, one.headers, body), pointer).toBeUndefined();
  }
});
