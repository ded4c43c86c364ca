// The contract's examples replayed as Postman, Portman and Newman replay them when pointed at the
// document: every operation in the bundle's order, its first named request example, path
// parameters from their schema's examples, required query parameters only (and one of an
// `x-exactly-one-of` group), all on one key of the
// default (stateful) mock. The examples must tell one story the sandbox can follow.
import {
  deref,
  getOperation,
  type JsonObject,
  type Operation,
  operations,
} from "@loops-contract/spec";
import { beforeAll, describe, expect, test } from "vitest";
import { createMockFetch, type MockFetch } from "../dist/index.js";
import { exampleBody, freshKey, productionUrl } from "./support/sandbox.js";

interface Replayed {
  operation: Operation;
  status: number;
  text: string;
}

/** The first value a parameter's schema gives in `examples`. */
function exampleValue(operation: Operation, name: string, schema: JsonObject): string {
  const examples = deref(schema).examples;
  if (!Array.isArray(examples) || examples.length === 0) {
    throw new Error(`${operation.operationId}: parameter ${name} has no schema example to replay`);
  }
  return String(examples[0]);
}

/**
 * The first identifier query parameter of an operation that takes exactly one (its description
 * says so, as OpenAPI cannot): a replaying tool sends one, as a reader of that description does.
 */
/** The request a replaying tool builds from the operation's examples, sent with `key`. */
function requestOf(operation: Operation, key: string): Request {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const parameter = operation.pathParameters.find((candidate) => candidate.name === name);
    if (parameter === undefined)
      throw new Error(`${operation.operationId} does not declare ${name}`);
    return encodeURIComponent(exampleValue(operation, name, parameter.schema));
  });
  // Of an `x-exactly-one-of` group, the first too: a replaying tool must be told to send one.
  const chosen = operation.exactlyOneOf?.[0];
  const query = new URLSearchParams(
    operation.queryParameters
      .filter((parameter) => parameter.required || parameter.name === chosen)
      .map((parameter) => [
        parameter.name,
        exampleValue(operation, parameter.name, parameter.schema),
      ]),
  );
  const body = operation.requestBody?.examples[0];
  if (operation.requestBody?.required && body === undefined) {
    throw new Error(`${operation.operationId} requires a body but names no request example`);
  }
  return new Request(`${productionUrl}${path}${query.size > 0 ? `?${query}` : ""}`, {
    method: operation.method.toUpperCase(),
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body.value) }),
  });
}

/** The one 2xx status the operation documents. */
function successStatus(operation: Operation): number {
  const successes = operation.responses.filter((response) => /^2\d\d$/.test(response.status));
  expect(successes, `${operation.operationId} documents one success status`).toHaveLength(1);
  return Number(successes[0]?.status);
}

async function replayAll(mock: MockFetch, key: string): Promise<Replayed[]> {
  const answers: Replayed[] = [];
  for (const operation of operations) {
    const response = await mock(requestOf(operation, key));
    answers.push({ operation, status: response.status, text: await response.text() });
  }
  return answers;
}

/** One line per answer, so a failure shows where in the story it went wrong. */
function transcript(answers: Replayed[]): string {
  return answers
    .map(
      ({ operation, status, text }, index) =>
        `${index + 1}. ${operation.operationId} ${status}${status >= 300 ? ` ${text}` : ""}`,
    )
    .join("\n");
}

let mock: MockFetch;
beforeAll(async () => {
  mock = await createMockFetch();
});

describe("the request examples replayed in the bundle's order", () => {
  test("every operation answers its documented success on one fresh key", async () => {
    const answers = await replayAll(mock, freshKey());
    expect(
      answers.map(({ status }) => status),
      transcript(answers),
    ).toEqual(operations.map(successStatus));
  });

  // Replaying twice on the same key: the second pass meets what the first pass stored. Only what
  // the contract's facts make unrepeatable may be refused, with the refusal the facts name.
  const refusedOnSecondPass: Record<string, { status: number; example: string; because: string }> =
    {
      createAudienceSegment: {
        status: 400,
        example: "duplicateName",
        because: "a segment's name is unique in the team, and the first pass created this one",
      },
      createContactProperty: {
        status: 400,
        example: "propertyExists",
        because: "a property's name is unique in the team, and the first pass created this one",
      },
      removeContactSuppression: {
        status: 400,
        example: "notSuppressed",
        because: "the first pass took the seeded contact off the suppression list",
      },
      updateEmailMessage: {
        status: 409,
        example: "staleRevision",
        because: "the first pass's update issued a new revision, so the example's is stale",
      },
    };

  test("a second pass answers only documented statuses and refuses only what the facts require", async () => {
    const key = freshKey();
    const first = await replayAll(mock, key);
    const second = await replayAll(mock, key);
    for (const { operation, status, text } of [...first, ...second]) {
      expect(
        operation.responses.map((response) => Number(response.status)),
        `${operation.operationId} answered ${status}: ${text}`,
      ).toContain(status);
    }
    expect(
      first.map(({ status }) => status),
      transcript(first),
    ).toEqual(operations.map(successStatus));
    const refusals = Object.fromEntries(
      second
        .filter(({ status }) => status >= 300)
        .map(({ operation, status, text }) => [
          operation.operationId,
          { status, body: JSON.parse(text) },
        ]),
    );
    const expected = Object.fromEntries(
      Object.entries(refusedOnSecondPass).map(([operationId, { status, example }]) => [
        operationId,
        { status, body: exampleBody(getOperation(operationId), status, example) },
      ]),
    );
    const reasons = Object.entries(refusedOnSecondPass)
      .map(([operationId, { status, because }]) => `${operationId} ${status}: ${because}`)
      .join("\n");
    expect(refusals, `${transcript(second)}\n\nRefused by the facts:\n${reasons}`).toEqual(
      expected,
    );
  });
});
