// Type helpers that read one operation of openapi-typescript's `operations` (or `paths[P][M]`). The
// generated methods and `call` are typed with them, so every signature follows the contract.
import type { RequestOptions } from "./core.js";

type SuccessStatus = 200 | 201 | 202 | 203 | 206;
type JsonContent<Container> = Container extends { content: { "application/json": infer Json } }
  ? Json
  : undefined;

/** The operation's path parameters, by name (`{ campaignId: string }`). */
export type PathParameters<Operation> = Operation extends {
  parameters: { path: infer Path };
}
  ? Path
  : never;

/** The operation's query parameters, as one object. */
export type QueryParameters<Operation> = Operation extends {
  parameters: { query?: infer Query };
}
  ? NonNullable<Query>
  : never;

/** The JSON body the operation takes (`never` when it takes none). */
export type RequestBody<Operation> = Operation extends { requestBody?: infer Body }
  ? [NonNullable<Body>] extends [never]
    ? never
    : JsonContent<NonNullable<Body>>
  : never;

/** What the operation resolves to: the JSON body of its 2xx response. */
export type SuccessBody<Operation> = Operation extends { responses: infer Responses }
  ? {
      [Status in keyof Responses & SuccessStatus]: JsonContent<Responses[Status]>;
    }[keyof Responses & SuccessStatus]
  : never;

/** One item of a paginated operation's `data`. */
export type PageItem<Operation> =
  SuccessBody<Operation> extends { data: ReadonlyArray<infer Item> } ? Item : never;

type PathPart<Operation> = [PathParameters<Operation>] extends [never]
  ? unknown
  : { path: PathParameters<Operation> };
type QueryPart<Operation> = [QueryParameters<Operation>] extends [never]
  ? unknown
  : Operation extends { parameters: { query: unknown } }
    ? { query: QueryParameters<Operation> }
    : { query?: QueryParameters<Operation> };
type BodyPart<Operation> = [RequestBody<Operation>] extends [never]
  ? unknown
  : Operation extends { requestBody: unknown }
    ? { body: RequestBody<Operation> }
    : { body?: RequestBody<Operation> };

/** What `call` takes for an operation: `path`, `query` and `body`, each only where it has one. */
export type CallInput<Operation> = PathPart<Operation> & QueryPart<Operation> & BodyPart<Operation>;

/** `loops.call`: any operation by its operationId, with the same pipeline as the named methods. */
export type Call<Operations> = <OperationId extends keyof Operations & string>(
  operationId: OperationId,
  input: CallInput<Operations[OperationId]>,
  options?: RequestOptions,
) => Promise<SuccessBody<Operations[OperationId]>>;
