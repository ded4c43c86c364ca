// `x-idempotency-key` names the header the client fills with one key per call; a name that is no
// header parameter of the operation (or of its path) would leave the client sending a header the
// contract does not take, and the operation unsafe to retry after all.
const methods = ["get", "put", "post", "delete", "patch", "options", "head", "trace"];

export default function idempotencyKeyHeader(pathItem, _options, context) {
  const results = [];
  for (const method of methods) {
    const operation = pathItem?.[method];
    const marker = operation?.["x-idempotency-key"];
    if (marker === undefined) continue;
    const where = [...context.path, method, "x-idempotency-key"];
    const headers = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]
      .filter((parameter) => parameter?.in === "header")
      .map((parameter) => String(parameter.name).toLowerCase());
    if (typeof marker !== "string" || !headers.includes(marker.toLowerCase())) {
      results.push({
        message: `x-idempotency-key ${JSON.stringify(marker)} names no header parameter of ${method.toUpperCase()} ${context.path.at(-1)}.`,
        path: where,
      });
    }
  }
  return results;
}
