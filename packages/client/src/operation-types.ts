// Type helpers that read one operation of openapi-typescript's `operations` (or `paths[P][M]`). The
// generated methods and `call` are typed with them, so every signature follows the contract.
import type { RequestOptions } from "./core.js";
import type { ErrorByStatus, InternalServerError, UnexpectedStatusError } from "./errors.js";

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

/** A body's named fields, without the index signature of its custom properties. */
type NamedFields<Body> = Body extends unknown
  ? { [Name in keyof Body as string extends Name ? never : Name]: Body[Name] }
  : never;

/**
 * A body that takes custom properties (the contract's `additionalProperties` beside named ones):
 * its named fields, and the custom ones apart in `properties`, which the method spreads into the
 * body sent.
 */
export type WithCustomProperties<Body, Value> = NamedFields<Body> & {
  properties?: Record<string, Value>;
};

/** Parameters of which exactly one is given (the contract's `x-exactly-one-of`). */
export type ExactlyOneOf<Parameters, Names extends keyof Parameters> = {
  [Name in Names]: Omit<Parameters, Names> &
    Required<Pick<Parameters, Name>> & {
      [Other in Exclude<Names, Name>]?: never;
    };
}[Names];

/** An object type that needs at least one of its fields: the contract's `minProperties: 1`. */
export type AtLeastOneField<Fields> = {
  [Name in keyof Fields]-?: Required<Pick<Fields, Name>> & Fields;
}[keyof Fields];

type ErrorStatus<Responses> = Exclude<keyof Responses, SuccessStatus>;
type StatusError<Status, Body> = Status extends keyof ErrorByStatus<Body>
  ? ErrorByStatus<Body>[Status]
  : `${Status & number}` extends `5${string}`
    ? InternalServerError<Body>
    : UnexpectedStatusError<Body>;

/**
 * The `APIError`s the operation throws: for each error status it documents, that status's class
 * with the documented body; for any other status, `InternalServerError` (5xx) or
 * `UnexpectedStatusError`. `instanceof` picks one out of the union, with its body's type.
 */
export type OperationError<Operation> = Operation extends { responses: infer Responses }
  ?
      | {
          [Status in ErrorStatus<Responses>]: StatusError<Status, JsonContent<Responses[Status]>>;
        }[ErrorStatus<Responses>]
      | InternalServerError
      | UnexpectedStatusError
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
