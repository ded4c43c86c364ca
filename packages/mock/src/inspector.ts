// The inspector: a page under the control prefix that shows what each key the mock has seen
// holds, and the cross-key controls it reads (openapi/sandbox.yaml, tag Inspector). Every one of
// them is guarded by ./inspector/access.ts. The page itself is plain files in ../inspector/.
import { readFile } from "node:fs/promises";
import type { JsonObject } from "@loops-contract/spec/json";
import { messageReply, type Reply, type RequestContext, type Responder } from "./context.js";
import type { AnswerListener } from "./engine.js";
import { accessRefusal, type InspectorAccess } from "./inspector/access.js";
import { EventHub, maxStreams } from "./inspector/events.js";
import { KeyHandles, masked } from "./inspector/keys.js";
import { modelOf, resourcesOf } from "./inspector/view.js";
import type { Journal } from "./journal.js";
import type { Outbox } from "./outbox.js";
import type { OperationRoute } from "./routes.js";
import type { Sandbox } from "./sandbox.js";

/** Where the page's files are, from src/ as from dist/ (both one level below the package). */
const pageFolder = new URL("../inspector/", import.meta.url);

/** The page's files, by the name its URLs use, with their media types. */
const pageFiles: Readonly<Record<string, string>> = {
  "page.html": "text/html; charset=utf-8",
  "inspector.js": "text/javascript; charset=utf-8",
  "inspector.css": "text/css; charset=utf-8",
};

/** The page runs its own files and reads this mock, nothing else: no inline script, no frame. */
const pageHeaders = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

const fileTexts = new Map<string, Promise<string>>();

/** A file of the page, read once (the package does not change while the mock runs). */
function pageFile(name: string): Promise<string> {
  let text = fileTexts.get(name);
  if (text === undefined) {
    text = readFile(new URL(name, pageFolder), "utf8");
    fileTexts.set(name, text);
  }
  return text;
}

async function fileReply(name: string): Promise<Reply> {
  const contentType = pageFiles[name] ?? "text/plain; charset=utf-8";
  const content = await pageFile(name);
  return { status: 200, body: undefined, headers: pageHeaders, raw: { contentType, content } };
}

export interface Inspector {
  /** Answers the inspector's controls, once the request passes the access guard. */
  responder: Responder;
  /** Sees every answer: a request with a key changed what the page shows of it (its journal). */
  onAnswer: AnswerListener;
  /** The operationIds of openapi/sandbox.yaml it answers. */
  operations: readonly string[];
}

/** What the inspector reads beside the sandbox: the journal (unless turned off) and the outbox. */
export interface InspectedStores {
  journal: Journal | undefined;
  outbox: Outbox;
}

type Handler = (context: RequestContext, target: OperationRoute) => Reply | Promise<Reply>;
type KeyHandler = (apiKey: string, context: RequestContext) => Reply;

/** The page's script and style: the package's own files, holding no data, served to anyone. */
const unguarded = new Set(["inspectorFile"]);

const clock = (now: number) => ({ now: new Date(now).toISOString() });

/** Every key the mock has seen: the sandbox's (most recently used first), then the records'. */
function keysOf(sandbox: Sandbox, { journal, outbox }: InspectedStores): string[] {
  const recorded = [...(journal?.records.keys() ?? []), ...outbox.records.keys()];
  const keys = new Set([...sandbox.keys(), ...recorded]);
  keys.delete(null);
  return [...keys] as string[];
}

/** The page, its files, its event stream and the keys: what holds no one key's records. */
function pageHandlers(keys: () => string[], hub: EventHub, handles: KeyHandles) {
  return {
    inspectorPage: () => fileReply("page.html"),
    inspectorFile: (_, { pathParameters }) => fileReply(pathParameters.file ?? ""),
    inspectorEvents: (context) => {
      const stream = hub.open();
      if (stream === undefined) {
        return messageReply(context, 503, `${maxStreams} inspector streams are open already.`);
      }
      const raw = { contentType: "text/event-stream", content: stream };
      return { status: 200, body: undefined, headers: { "cache-control": "no-store" }, raw };
    },
    inspectorKeys: () => {
      const body = keys().map((apiKey) => ({
        key: handles.handle(apiKey),
        masked: masked(apiKey),
      }));
      return { status: 200, body };
    },
  } satisfies Record<string, Handler>;
}

/** One key's panels and controls, the key named by its handle. */
function keyHandlers(
  sandbox: Sandbox,
  { journal, outbox }: InspectedStores,
  keys: () => string[],
  handles: KeyHandles,
  changed: (apiKey: string, change: JsonObject) => void,
) {
  let model: ReturnType<typeof modelOf> | undefined;
  /** An unknown handle is a 404 that says where the handles are. */
  const byHandle =
    (handler: KeyHandler): Handler =>
    (context, { pathParameters }) => {
      const handle = pathParameters.handle ?? "";
      const apiKey = handles.find(keys(), handle);
      if (apiKey !== undefined) return handler(apiKey, context);
      const message = `No key the mock holds has the handle '${handle}'; GET /_sandbox/inspector/keys lists them.`;
      return messageReply(context, 404, message);
    };
  return {
    inspectorResources: byHandle((apiKey) => {
      model ??= modelOf(sandbox);
      return { status: 200, body: resourcesOf(sandbox, model, apiKey) ?? [] };
    }),
    inspectorJournal: byHandle((apiKey, context) =>
      journal === undefined
        ? messageReply(
            context,
            404,
            "This mock keeps no journal: it was started with journal: false.",
          )
        : { status: 200, body: journal.read(apiKey) },
    ),
    inspectorOutbox: byHandle((apiKey) => ({ status: 200, body: outbox.read(apiKey) })),
    inspectorDeliveries: byHandle((apiKey) => ({
      status: 200,
      body: sandbox.webhooks.deliveries(apiKey).reverse(),
    })),
    inspectorClock: byHandle((apiKey) => ({
      status: 200,
      body: clock(sandbox.clockOf(apiKey)),
    })),
    inspectorAdvanceClock: byHandle((apiKey, context) => {
      const { milliseconds } = context.body as { milliseconds: number };
      const now = sandbox.advanceClock(apiKey, milliseconds);
      changed(apiKey, { kind: "clock" });
      return { status: 200, body: clock(now) };
    }),
    inspectorReset: byHandle((apiKey) => {
      sandbox.reset(apiKey);
      // Held again at once, from the seed: the page keeps showing the key it reset.
      const now = sandbox.now(apiKey);
      changed(apiKey, { kind: "reset" });
      return { status: 200, body: clock(now) };
    }),
  } satisfies Record<string, Handler>;
}

/** The inspector of a sandbox and its records, reachable as `access` allows. */
export function createInspector(
  sandbox: Sandbox,
  stores: InspectedStores,
  access: InspectorAccess,
): Inspector {
  const hub = new EventHub();
  const handles = new KeyHandles();
  // Every answer calls this: with no page open it costs one check, not an HMAC.
  const changed = (apiKey: string, change: JsonObject) => {
    if (hub.listened) hub.publish("change", { key: handles.handle(apiKey), ...change });
  };
  // What changes outside an answer is written to the outbox: a send the key's clock made due, each
  // step of a webhook delivery (an attempt, a retry, a drop).
  stores.outbox.records.subscribe(undefined, (event) => {
    if (event.type === "added" && event.apiKey !== null) changed(event.apiKey, { kind: "outbox" });
  });
  const keys = () => keysOf(sandbox, stores);
  const handlers: Record<string, Handler> = {
    ...pageHandlers(keys, hub, handles),
    ...keyHandlers(sandbox, stores, keys, handles, changed),
  };
  return {
    responder: {
      name: "control",
      takes: (context, { operation }) =>
        context.document.kind === "controls" && handlers[operation.operationId] !== undefined,
      answer(context, target) {
        const { operationId } = target.operation;
        const refusal = unguarded.has(operationId) ? undefined : accessRefusal(context, access);
        if (refusal !== undefined) return messageReply(context, 403, refusal);
        return (handlers[operationId] as Handler)(context, target);
      },
    },
    onAnswer: (context, answer) => {
      if (context.apiKey === undefined) return;
      const { method } = context.request;
      const { path } = context;
      changed(context.apiKey, { kind: "answer", method, path, status: answer.status });
    },
    operations: Object.keys(handlers),
  };
}
