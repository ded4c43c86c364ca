// Spectral has no core function for "unique across the document": two operations with one
// x-sdk-method would make the generated client drop one of them.
const methods = ["get", "put", "post", "delete", "patch", "options", "head", "trace"];

export default function uniqueSdkMethods(paths) {
  const firstSeenAt = new Map();
  const results = [];
  for (const [path, pathItem] of Object.entries(paths ?? {})) {
    for (const method of methods) {
      const name = pathItem?.[method]?.["x-sdk-method"];
      if (typeof name !== "string") continue;
      const first = firstSeenAt.get(name);
      if (first) {
        results.push({
          message: `x-sdk-method ${name} is used by ${first} and ${method.toUpperCase()} ${path}.`,
          path: ["paths", path, method, "x-sdk-method"],
        });
      } else {
        firstSeenAt.set(name, `${method.toUpperCase()} ${path}`);
      }
    }
  }
  return results;
}
