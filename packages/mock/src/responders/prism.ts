// Prism answers from the contract's examples (or, dynamic, from its schemas) what the sandbox does
// not: stateless mocks, `Prefer`, operations without `x-sandbox`. It is asked only to make a body:
// the request has passed every check, security included.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { contract, type JsonObject, validatorAt } from "@loops-contract/spec";
import type {
  createInstance,
  getHttpOperationsFromSpec,
  IHttpConfig,
  IHttpNameValues,
  IHttpResponse,
} from "@stoplight/prism-http";
import { coherentBody, freshId } from "../coherent.js";
import { messageReply, type Reply, type RequestContext, type Responder } from "../context.js";
import type { MockBehaviour } from "../engine.js";
import { type OperationRoute, responseFor } from "../routes.js";

type PrismOperation = Awaited<ReturnType<typeof getHttpOperationsFromSpec>>[number];

/** A hash of the contract, to tell whether operations read at build time are still its own. */
export function contractHash(document: unknown): string {
  return createHash("sha256").update(JSON.stringify(document)).digest("hex");
}

/**
 * Prism's reading of the contract. Reading it takes Prism a few hundred cold milliseconds, so the
 * build stores the result (`dist/prism-operations.json`, JSON of the documented output of
 * `getHttpOperationsFromSpec`); it is used only if it was read from this very contract.
 */
async function prismOperationsOf(
  document: JsonObject,
  read: typeof getHttpOperationsFromSpec,
): Promise<PrismOperation[]> {
  try {
    const stored = JSON.parse(
      await readFile(new URL("./prism-operations.json", import.meta.url), "utf8"),
    ) as { contract: string; operations: PrismOperation[] };
    if (stored.contract === contractHash(document)) return stored.operations;
  } catch {
    // Not built (running from src/), or unreadable: read the contract now.
  }
  // Prism's dereferencer rewrites the document it gets: it gets its own copy.
  return read(structuredClone(document));
}

function queryOf(searchParams: URLSearchParams): IHttpNameValues {
  const query: IHttpNameValues = {};
  for (const key of new Set(searchParams.keys())) {
    const values = searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return query;
}

/** The checks are the engine's; Prism picks the example (or generates) and nothing else. */
const baseConfig: IHttpConfig = {
  checkSecurity: false,
  validateRequest: false,
  validateResponse: false,
  errors: false,
  upstreamProxy: undefined,
  isProxy: false,
  mock: { dynamic: false },
};

/** The body's id: the path's, or a fresh one for a create; a generated body keeps its own. */
function idFor(
  behaviour: MockBehaviour,
  status: number,
  target: OperationRoute,
): string | undefined {
  if (behaviour.dynamic) return undefined;
  const last = /^\{(.+)\}$/.exec(target.operation.path.split("/").at(-1) ?? "")?.[1];
  if (last !== undefined) return target.pathParameters[last];
  return status === 201 ? freshId() : undefined;
}

/** Prism's answer, a 2xx made coherent with the request unless an example was asked for. */
function replyOf(
  behaviour: MockBehaviour,
  context: RequestContext,
  target: OperationRoute,
  output: IHttpResponse,
): Reply {
  const status = output.statusCode;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(output.headers ?? {})) {
    if (value !== null && value !== undefined) headers[name.toLowerCase()] = String(value);
  }
  const response = responseFor(target.operation, status);
  // Prism always sends a header's first example; the one named like the body example goes with it.
  const example = context.preferences.example ?? response?.body?.examples[0]?.name;
  const schema = response?.body?.schemaPointer;
  const coherent =
    !behaviour.static &&
    context.preferences.example === undefined &&
    status >= 200 &&
    status < 300 &&
    context.body !== undefined;
  const body =
    coherent && schema !== undefined
      ? coherentBody({
          request: context.body,
          example: output.body,
          id: idFor(behaviour, status, target),
          validate: validatorAt(schema),
        })
      : output.body;
  return { status, headers, body, example };
}

function configFor(behaviour: MockBehaviour, context: RequestContext): IHttpConfig {
  const { code, example, dynamic } = context.preferences;
  const mock: IHttpConfig["mock"] = { dynamic: dynamic ?? behaviour.dynamic ?? false };
  if (code !== undefined) mock.code = code;
  if (example !== undefined) mock.exampleKey = example;
  if (behaviour.seed !== undefined) mock.seed = String(behaviour.seed);
  return { ...baseConfig, mock };
}

interface LoadedPrism {
  prism: ReturnType<typeof createInstance>;
  operations: Map<string, PrismOperation>;
}

/**
 * Prism and its reading of the contract. Imported here, not at the top: an engine whose answers
 * are all the sandbox's and the checks' (MSW in a stateful suite) never loads it. Prism is
 * CommonJS: its module object is the default export, bundled or not.
 */
async function loadPrism(): Promise<LoadedPrism> {
  const [http, core] = await Promise.all([
    import("@stoplight/prism-http"),
    import("@stoplight/prism-core"),
  ]);
  const logger = core.default.createLogger("MOCK", { level: "silent" });
  const read = await prismOperationsOf(contract, http.default.getHttpOperationsFromSpec);
  return {
    prism: http.default.createInstance(baseConfig, { logger }),
    operations: new Map(
      read.map((operation) => [`${operation.method} ${operation.path}`, operation]),
    ),
  };
}

export interface PrismResponder extends Responder {
  /** Loads Prism and its reading of the contract, once; every answer of Prism's waits for it. */
  load(): Promise<unknown>;
}

export function prismResponder(behaviour: MockBehaviour): PrismResponder {
  let loaded: Promise<LoadedPrism> | undefined;
  const load = () => {
    loaded ??= loadPrism();
    return loaded;
  };

  async function answer(context: RequestContext, target: OperationRoute): Promise<Reply> {
    const { operation } = target;
    const { prism, operations } = await load();
    const prismOperation = operations.get(`${operation.method} ${operation.path}`);
    if (prismOperation === undefined) throw new Error(`Prism did not read ${operation.pointer}`);
    const input = {
      method: operation.method,
      url: { path: context.path, query: queryOf(context.url.searchParams) },
      // Prism reads no header but `Content-Type` (and would negotiate `Accept`: Loops answers
      // JSON whatever it says); the body it gets has been checked.
      headers: context.body === undefined ? {} : { "content-type": "application/json" },
      body: context.body,
    };
    const result = await prism.request(input, [prismOperation], configFor(behaviour, context))();
    if (result._tag === "Left") {
      const error = result.left as Error & { status?: number; detail?: string };
      const status = error.status !== undefined && error.status < 500 ? error.status : 500;
      return messageReply(context, status, error.detail ?? error.message);
    }
    return replyOf(behaviour, context, target, result.right.output);
  }

  return { name: "prism", takes: (context) => context.document.kind === "contract", answer, load };
}
