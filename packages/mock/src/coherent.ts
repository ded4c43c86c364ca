import { randomUUID } from "node:crypto";
import { isObject, valueAt } from "@loops-contract/spec/json";
import type { ValidateFunction } from "ajv";

/** An id shaped like Loops' (a cuid: `c` and 24 lower-case base-36 characters). */
export function freshId(): string {
  // randomUUID draws from a cached pool of random bytes: no system call per id.
  const random = BigInt(`0x${randomUUID().replaceAll("-", "")}`).toString(36);
  return `c${random.padStart(24, "0").slice(-24)}`;
}

/** Sets, in `value`, every property a `required` error says is missing to null. */
export function fillMissingWithNull(
  value: Record<string, unknown>,
  validate: ValidateFunction,
): boolean {
  let filled = false;
  for (const error of validate.errors ?? []) {
    if (error.keyword !== "required") continue;
    const node = valueAt(value, error.instancePath);
    const missing = String((error.params as { missingProperty: unknown }).missingProperty);
    if (isObject(node) && !Object.hasOwn(node, missing)) {
      node[missing] = null;
      filled = true;
    }
  }
  return filled;
}

export interface CoherentAnswer {
  /** The request body, already valid against the operation's request schema. */
  request: unknown;
  /** The body the contract's example (or the generator) gave. */
  example: unknown;
  /** The new resource's id, or `undefined` to keep the example's. */
  id: string | undefined;
  validate: ValidateFunction;
}

/**
 * The example with what the request set: every top-level field the request sent that the example
 * also has (the example shows every field the response carries), then `id`. A field the request
 * leaves out of a nested object it replaces (a `now` schedule has no timestamp) becomes `null` if
 * the schema requires it. If the result does not validate, the example goes out unchanged.
 */
export function coherentBody({ request, example, id, validate }: CoherentAnswer): unknown {
  if (!isObject(request) || !isObject(example)) return example;
  const merged: Record<string, unknown> = structuredClone(example);
  for (const [key, value] of Object.entries(request)) {
    if (Object.hasOwn(example, key)) merged[key] = structuredClone(value);
  }
  if (id !== undefined && typeof example.id === "string") merged.id = id;
  for (let attempt = 0; attempt < 4; attempt += 1) {
    if (validate(merged)) return merged;
    if (!fillMissingWithNull(merged, validate)) break;
  }
  return example;
}
