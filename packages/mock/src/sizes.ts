// Attachment data is never kept: where an operation declares `x-sandbox.logSizes`, each item of
// that body array keeps the size in bytes of its base64 data instead of the data. The log, the
// journal and the outbox all keep a body this way.
import type { Operation } from "@loops-contract/spec";
import { isObject } from "@loops-contract/spec/json";

/** An item with its base64 data replaced by the data's size in bytes. */
function withSize(item: unknown, sizes: { dataField: string; sizeField: string }): unknown {
  if (!isObject(item)) return item;
  const { [sizes.dataField]: data, ...rest } = item;
  const size = typeof data === "string" ? Buffer.from(data, "base64").byteLength : 0;
  return { ...rest, [sizes.sizeField]: size };
}

/** The body with its declared attachment data replaced by sizes; the body itself is not changed. */
export function withoutData(operation: Operation | undefined, body: unknown): unknown {
  const sizes = operation?.sandbox?.logSizes;
  if (sizes === undefined || !isObject(body) || !Array.isArray(body[sizes.field])) return body;
  const items = body[sizes.field] as unknown[];
  return { ...body, [sizes.field]: items.map((item) => withSize(item, sizes)) };
}
