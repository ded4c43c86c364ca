import { operations as contractOperations, type Operation } from "@loops-contract/spec";
import { isObject } from "@loops-contract/spec/json";
import { type Drift, findDrift } from "./find-drift.js";
import { CallCapReachedError, DriftHttp, type HttpOptions } from "./http.js";

export interface CheckedOperation {
  operation: Operation;
  /** The status the server answered; `undefined` when the operation was not reached. */
  status: number | undefined;
  drifts: Drift[];
  /** Why it was not called, when it was not. */
  notReached: string | undefined;
}

export interface DriftReport {
  baseUrl: string;
  results: CheckedOperation[];
  calls: number;
}

export interface DriftCheckOptions extends HttpOptions {
  baseUrl: string;
  /** The operations to check; default every GET of the contract. */
  operations?: readonly Operation[];
  /**
   * The address of a contact of the account: it fills each query parameter of format `email`. A
   * GET that takes one reads that contact, and without an address it is not called.
   */
  contactEmail?: string | undefined;
}

/**
 * Calls every GET operation of the contract once: those without path parameters (the lists) first,
 * then each one with parameters, filled with ids found in the answers so far. Throws
 * `CouldNotRunError` when it cannot go on (401, network, a 429 or 5xx that does not clear).
 */
export async function runDriftCheck(options: DriftCheckOptions): Promise<DriftReport> {
  const http = new DriftHttp(options);
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const pending = (options.operations ?? contractOperations)
    .filter((operation) => operation.method === "get")
    // Stable: the lists (no path parameters) first, each group in the contract's order.
    .sort((a, b) => a.pathParameters.length - b.pathParameters.length);
  const ids = new IdPool();
  const results = new Map<Operation, CheckedOperation>();
  let capReached = false;

  // Operations whose parameters come from answers of other gets need more than one round.
  for (let progress = true; progress && !capReached; ) {
    progress = false;
    for (const operation of pending) {
      if (results.has(operation)) continue;
      const path = fillPath(operation, ids);
      const query = contactQuery(operation, options.contactEmail);
      if (path === undefined || query === undefined || requiredQuery(operation).length > 0)
        continue;
      progress = true;
      let answer: Awaited<ReturnType<DriftHttp["get"]>>;
      try {
        answer = await http.get(new URL(`${baseUrl}${path}${query}`));
      } catch (error) {
        if (!(error instanceof CallCapReachedError)) throw error;
        capReached = true;
        break;
      }
      results.set(operation, {
        operation,
        status: answer.status,
        drifts: findDrift(operation, answer.status, answer.headers, answer.body, options.apiKey),
        notReached: undefined,
      });
      if (answer.status >= 200 && answer.status < 300) ids.collect(operation.path, answer.body);
    }
  }

  return {
    baseUrl,
    calls: http.calls,
    results: pending.map(
      (operation) =>
        results.get(operation) ?? {
          operation,
          status: undefined,
          drifts: [],
          notReached: capReached
            ? "the cap on calls was reached first"
            : whyNotReached(operation, ids, options.contactEmail),
        },
    ),
  };
}

function requiredQuery(operation: Operation): string[] {
  return operation.queryParameters
    .filter((parameter) => parameter.required)
    .map((parameter) => parameter.name);
}

/** The query parameters that take an email address (format `email`): they name one contact. */
function contactParameters(operation: Operation): string[] {
  return operation.queryParameters
    .filter((parameter) => parameter.schema.format === "email")
    .map((parameter) => parameter.name);
}

/** `?email=...` for an operation that reads one contact, `""` for others, `undefined` without an address. */
function contactQuery(operation: Operation, contactEmail: string | undefined): string | undefined {
  const names = contactParameters(operation);
  if (names.length === 0) return "";
  if (contactEmail === undefined) return undefined;
  return `?${new URLSearchParams(names.map((name) => [name, contactEmail])).toString()}`;
}

function fillPath(operation: Operation, ids: IdPool): string | undefined {
  let path = operation.path;
  for (const parameter of operation.pathParameters) {
    const value = ids.find(operation.path, parameter.name);
    if (value === undefined) return undefined;
    path = path.replace(`{${parameter.name}}`, encodeURIComponent(value));
  }
  return path;
}

function whyNotReached(
  operation: Operation,
  ids: IdPool,
  contactEmail: string | undefined,
): string {
  const query = requiredQuery(operation);
  if (query.length > 0) return `it needs the query parameters ${query.join(", ")}`;
  if (contactEmail === undefined && contactParameters(operation).length > 0)
    return "it reads one contact: pass --contact-email with the address of a contact of the account";
  const missing = operation.pathParameters
    .filter((parameter) => ids.find(operation.path, parameter.name) === undefined)
    .map((parameter) => parameter.name);
  return `no ${missing.join(" or ")} was found in the lists (an empty account has nothing to get)`;
}

/**
 * Ids seen in answers, by where they can be used: the `id` of an item listed at `/things` fills
 * `{param}` in `/things/{param}...`; a field named like a parameter (a campaign's `emailMessageId`)
 * fills that parameter anywhere.
 */
class IdPool {
  readonly #itemIdsByListPath = new Map<string, string[]>();
  readonly #valuesByField = new Map<string, string[]>();

  collect(operationPath: string, body: unknown): void {
    if (!isObject(body)) return;
    this.#collectFields(body);
    for (const value of Object.values(body)) {
      if (!Array.isArray(value)) continue;
      for (const item of value) {
        if (!isObject(item)) continue;
        this.#collectFields(item);
        if (typeof item.id === "string" && item.id !== "") {
          const list = this.#itemIdsByListPath.get(operationPath) ?? [];
          list.push(item.id);
          this.#itemIdsByListPath.set(operationPath, list);
        }
      }
    }
  }

  find(operationPath: string, parameter: string): string | undefined {
    for (const [listPath, ids] of this.#itemIdsByListPath) {
      const itemPath = `${listPath}/{${parameter}}`;
      if (operationPath === itemPath || operationPath.startsWith(`${itemPath}/`)) return ids[0];
    }
    return this.#valuesByField.get(parameter)?.[0];
  }

  #collectFields(object: Record<string, unknown>): void {
    for (const [field, value] of Object.entries(object)) {
      if (typeof value !== "string" || value === "") continue;
      const values = this.#valuesByField.get(field) ?? [];
      values.push(value);
      this.#valuesByField.set(field, values);
    }
  }
}
