// `x-exactly-one-of` names parameters of which a request sends exactly one; the client types that
// as a union and the mock refuses both or neither. A name that is no optional parameter of the
// operation (or of its path) would hold requests to a rule about a field they cannot send.
const methods = ["get", "put", "post", "delete", "patch", "options", "head", "trace"];

export default function exactlyOneOfParameters(pathItem, _options, context) {
  const results = [];
  for (const method of methods) {
    const operation = pathItem?.[method];
    const names = operation?.["x-exactly-one-of"];
    if (names === undefined) continue;
    const optional = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]
      .filter((parameter) => parameter?.required !== true)
      .map((parameter) => parameter?.name);
    const fine =
      Array.isArray(names) &&
      names.length >= 2 &&
      new Set(names).size === names.length &&
      names.every((name) => optional.includes(name));
    if (!fine) {
      results.push({
        message: `x-exactly-one-of ${JSON.stringify(names)} of ${method.toUpperCase()} ${context.path.at(-1)} must name two or more of its optional parameters, once each.`,
        path: [...context.path, method, "x-exactly-one-of"],
      });
    }
  }
  return results;
}
