// What counts as drift is decided once, by the client's response validation (over validators
// compiled from the same contract): the drift check and a client with `validateResponses` cannot
// disagree on a response. This adds what a report needs: the operation on every drift.
import { checkResponse, type ResponseDrift } from "@loops-contract/client/validation";
import type { Operation } from "@loops-contract/spec";

export type DriftKind = ResponseDrift["kind"];

/** One way a response departs from the contract. It never carries a value from the account. */
export interface Drift extends ResponseDrift {
  operationId: string;
  method: string;
  /** The contract's path template, never the concrete URL (it would carry the account's ids). */
  path: string;
  status: number;
}

export type ResponseHeaders = Headers | Record<string, string | undefined>;

/**
 * Everything in one response that does not match what `operation` documents for its status, any
 * undocumented status included. `body` is the parsed JSON body, or `undefined` when the response
 * had none (or it was not JSON). `apiKey`, should a response echo it, is never shown.
 */
export function findDrift(
  operation: Operation,
  status: number,
  headers: ResponseHeaders,
  body: unknown,
  apiKey = "",
): Drift[] {
  const { operationId, method, path } = operation;
  const found = checkResponse(operationId, status, asHeaders(headers), body, apiKey);
  return (found?.drifts ?? []).map((drift) => ({ operationId, method, path, status, ...drift }));
}

function asHeaders(headers: ResponseHeaders): Headers {
  if (headers instanceof Headers) return headers;
  return new Headers(
    Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
