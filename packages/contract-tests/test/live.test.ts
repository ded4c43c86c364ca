// What may run against any server, a real team included: reads, and one minimal draft per draft
// create (the contract has no delete, so each is printed for a person to find and delete). Writes
// (updates, previews, scheduling, other creates) run on a real team only with CONTRACT_ALLOW_WRITES=1.
import { validatorAt } from "@loops-contract/spec";
import { beforeAll, describe, expect, test } from "vitest";
import { eachCase } from "./support/cases.js";
import {
  effectOf,
  examplePathParameters,
  firstRequestExample,
  label,
  type Operation,
  operations,
  successOf,
} from "./support/contract.js";
import {
  againstMock,
  callClient,
  type Exchange,
  expectConformingRequest,
  expectConformingResponse,
  writesAllowed,
} from "./support/exchange.js";

const draftCreates = operations.filter((operation) => effectOf(operation) === "draft");
const draftName = `loops-contract test ${new Date().toISOString()}`;
const drafts: Array<{ operation: Operation; exchange: Exchange; body: Record<string, unknown> }> =
  [];

beforeAll(async () => {
  for (const operation of draftCreates) {
    const { exchanges } = await callClient(operation, { body: { name: draftName } });
    const exchange = exchanges[0] as Exchange;
    const body: unknown = JSON.parse(exchange.response.text || "null");
    drafts.push({ operation, exchange, body: (body ?? {}) as Record<string, unknown> });
    if (!againstMock) {
      console.log(
        `Created draft ${String((body as { id?: unknown } | null)?.id)} "${draftName}" with ${label(operation)}: delete it in Loops.`,
      );
    }
  }
});

/**
 * Path parameters from this run's drafts where they name them (a field of the same name, or the
 * draft's `id` right under its own path), else the operation's example ids.
 */
function pathParametersFromDrafts(operation: Operation): {
  values: Record<string, string>;
  fromDrafts: boolean;
} {
  const values = examplePathParameters(operation);
  let fromDrafts = true;
  for (const { name } of operation.pathParameters) {
    const found = drafts
      .map(({ operation: create, body }) =>
        typeof body[name] === "string"
          ? body[name]
          : operation.path.startsWith(`${create.path}/{${name}}`) && typeof body.id === "string"
            ? body.id
            : undefined,
      )
      .find((value) => value !== undefined);
    if (found === undefined) fromDrafts = false;
    else values[name] = found;
  }
  return { values, fromDrafts };
}

/** Scheduling a real campaign in the past fails: every date-time in an example moves a month ahead. */
function withFutureDates(value: unknown): unknown {
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) {
    return new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString();
  }
  if (Array.isArray(value)) return value.map(withFutureDates);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, withFutureDates(item)]),
    );
  }
  return value;
}

describe(`on ${againstMock ? "the mock" : "a real server"}: what is safe for a real team`, () => {
  test("at most three drafts per run, each a minimal { name } the contract accepts", () => {
    expect(draftCreates.length).toBeGreaterThan(0);
    expect(draftCreates.length).toBeLessThanOrEqual(3);
    for (const { operation, exchange, body } of drafts) {
      const validate = validatorAt(operation.requestBody?.schemaPointer ?? "");
      expect(validate({ name: draftName })).toBe(true);
      expectConformingRequest(operation, exchange);
      expect(exchange.response.status).toBe(Number(successOf(operation).status));
      expectConformingResponse(operation, exchange.response, "draft");
      // The mock answers with the contract's examples; a real server names the draft as asked.
      if (!againstMock) expect(body.name).toBe(draftName);
    }
  });

  const reads = operations
    .filter((operation) => effectOf(operation) === "read")
    .map((operation) => ({ operation, title: label(operation), skip: "" }));
  eachCase(reads, "$title: read, answered as documented", async ({ operation }) => {
    const { values, fromDrafts } = pathParametersFromDrafts(operation);
    const { exchanges } = await callClient(operation, { pathParameters: values });
    expect(exchanges).toHaveLength(1);
    const [exchange] = exchanges as [Exchange];
    expectConformingRequest(operation, exchange);
    expectConformingResponse(operation, exchange.response, JSON.stringify(values));
    // On a real team an example id may not exist there: a documented 4xx is then the right answer.
    if (againstMock || fromDrafts) {
      expect(exchange.response.status).toBe(Number(successOf(operation).status));
    }
  });

  const writes = operations
    .filter((operation) => effectOf(operation) === "write")
    .map((operation) => ({
      operation,
      title: label(operation),
      skip:
        againstMock || writesAllowed
          ? ""
          : " — skipped: it changes a real team (updates, sends a preview or schedules); set CONTRACT_ALLOW_WRITES=1",
    }));
  eachCase(
    writes,
    "$title: its first example, on this run's draft where it can",
    async ({ operation }) => {
      const { values, fromDrafts } = pathParametersFromDrafts(operation);
      const body = withFutureDates(firstRequestExample(operation));
      const { exchanges } = await callClient(operation, { pathParameters: values, body });
      expect(exchanges).toHaveLength(1);
      const [exchange] = exchanges as [Exchange];
      expectConformingRequest(operation, exchange);
      expectConformingResponse(operation, exchange.response, JSON.stringify(values));
      if (againstMock) expect(exchange.response.status).toBe(Number(successOf(operation).status));
      if (!againstMock) {
        const ids =
          operation.pathParameters.length === 0
            ? "no path parameters"
            : fromDrafts
              ? "ids from this run's draft"
              : "example ids";
        console.log(`${label(operation)} with ${ids}: ${exchange.response.status}`);
      }
    },
  );
});
