// The sandbox answers what the contract declares `x-sandbox`, unless `Prefer` asks for an answer
// from the examples (a code, a named example, a generated body): that is Prism's.
import type { Responder } from "../context.js";
import type { Sandbox } from "../sandbox.js";

export function sandboxResponder(sandbox: Sandbox): Responder {
  return {
    name: "sandbox",
    takes: (context, { operation }) => {
      const { code, example, dynamic } = context.preferences;
      return (
        context.document.kind === "contract" &&
        code === undefined &&
        example === undefined &&
        dynamic !== true &&
        sandbox.handles(operation)
      );
    },
    answer: (context, { operation, pathParameters }) =>
      sandbox.answer({
        key: context.apiKey ?? "",
        operation,
        pathParameters,
        query: context.url.searchParams,
        body: context.body,
        url: context.url,
        headers: context.request.headers,
      }),
  };
}
