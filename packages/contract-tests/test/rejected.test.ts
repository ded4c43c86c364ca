import { invalidBodies, validatorAt } from "@loops-contract/spec";
import { describe, expect, test } from "vitest";
import { eachCase } from "./support/cases.js";
import {
  effectOf,
  examplePathParameters,
  firstRequestExample,
  label,
  type Operation,
  operations,
} from "./support/contract.js";
import {
  againstMock,
  apiKey,
  callClient,
  type Exchange,
  expectConformingResponse,
  expectTypedError,
  jsonHeaders,
  methodName,
  sendRaw,
  type Tamper,
  writesAllowed,
} from "./support/exchange.js";

const withBodies = operations.filter((operation) => operation.requestBody);

/**
 * Why a request that carries a body may not go to this server: on a real team, only the draft
 * create takes bodies by default, since a lenient server could still act on a faulty one.
 */
function bodySkip(operation: Operation): string {
  if (againstMock || writesAllowed || effectOf(operation) === "draft") return "";
  return " — skipped: writes to a real team need CONTRACT_ALLOW_WRITES=1";
}

const badBodies = withBodies.flatMap((operation) =>
  invalidBodies(operation.operationId).map((row) => ({
    operation,
    title: label(operation),
    ...row,
    skip: bodySkip(operation),
  })),
);

describe("bodies the contract refuses are rejected with 400", () => {
  test.each(withBodies)(
    "$operationId: its table of invalid bodies all break the contract",
    (operation) => {
      const rows = invalidBodies(operation.operationId);
      expect(rows.length).toBeGreaterThanOrEqual(3);
      const validate = validatorAt(operation.requestBody?.schemaPointer ?? "");
      for (const row of rows) expect(validate(row.body), row.name).toBe(false);
    },
  );

  eachCase(badBodies, "$title $name: 400 with a conforming error body (raw fetch)", async (row) => {
    const observed = await sendRaw(row.operation, { body: JSON.stringify(row.body) });
    expect(observed.status).toBe(400);
    expectConformingResponse(row.operation, observed, row.name);
  });

  eachCase(
    badBodies.map((row) => ({
      ...row,
      method: methodName(row.operation),
    })),
    "$title $name: $method throws BadRequestError",
    async (row) => {
      const { outcome, exchanges } = await callClient(row.operation, {
        pathParameters: examplePathParameters(row.operation),
        body: row.body,
      });
      expect(exchanges).toHaveLength(1);
      const error = expectTypedError(outcome, 400, exchanges[0] as Exchange);
      expect(error.body).toEqual(JSON.parse((exchanges[0] as Exchange).response.text));
    },
  );
});

interface TransportFault {
  name: string;
  /** The text to send instead of a valid body. */
  raw?: string;
  headers: Record<string, string>;
  status: 400 | 401;
  /** Only for operations that take a body. */
  needsBody: boolean;
  /** Could a lenient server still act on it? Then a real team needs the write opt-in. */
  mayBeProcessed: boolean;
}

/** What is wrong is not the JSON value but the bytes or headers around it. */
const transportFaults: TransportFault[] = [
  {
    name: "malformed JSON",
    raw: '{"name": "Spring',
    headers: jsonHeaders,
    status: 400,
    needsBody: true,
    mayBeProcessed: false,
  },
  {
    name: "empty body",
    raw: "",
    headers: jsonHeaders,
    status: 400,
    needsBody: true,
    mayBeProcessed: false,
  },
  {
    name: "wrong content type (text/plain)",
    headers: { ...jsonHeaders, "content-type": "text/plain" },
    status: 400,
    needsBody: true,
    mayBeProcessed: true,
  },
  {
    name: "wrong content type (form)",
    raw: "name=Spring",
    headers: { ...jsonHeaders, "content-type": "application/x-www-form-urlencoded" },
    status: 400,
    needsBody: true,
    mayBeProcessed: true,
  },
  {
    name: "no Authorization",
    headers: { "content-type": "application/json" },
    status: 401,
    needsBody: false,
    mayBeProcessed: false,
  },
  {
    name: "Basic scheme",
    headers: { ...jsonHeaders, authorization: `Basic ${btoa(`user:${apiKey}`)}` },
    status: 401,
    needsBody: false,
    mayBeProcessed: false,
  },
  {
    name: "Token scheme",
    headers: { ...jsonHeaders, authorization: `Token ${apiKey}` },
    status: 401,
    needsBody: false,
    mayBeProcessed: false,
  },
  {
    name: "Bearer without a key",
    headers: { ...jsonHeaders, authorization: "Bearer" },
    status: 401,
    needsBody: false,
    mayBeProcessed: false,
  },
];

const faultCases = operations.flatMap((operation) =>
  transportFaults
    .filter((fault) => !fault.needsBody || operation.requestBody)
    .map((fault) => ({
      operation,
      title: label(operation),
      fault,
      skip:
        fault.mayBeProcessed || (operation.requestBody && effectOf(operation) === "write")
          ? bodySkip(operation)
          : "",
    })),
);

/** Makes the client's request into the bad one: the client itself never sends these. */
function tamperFor(fault: TransportFault): Tamper {
  return (_request, body) => ({ body: fault.raw ?? body, headers: new Headers(fault.headers) });
}

describe("requests with a transport fault are rejected", () => {
  eachCase(
    faultCases,
    "$title $fault.name: $fault.status, conforming (raw fetch)",
    async ({ operation, fault }) => {
      const body = firstRequestExample(operation);
      const observed = await sendRaw(operation, {
        headers: operation.requestBody ? fault.headers : withoutContentType(fault.headers),
        ...(operation.requestBody ? { body: fault.raw ?? JSON.stringify(body) } : {}),
      });
      expect(observed.status).toBe(fault.status);
      expectConformingResponse(operation, observed, fault.name);
    },
  );

  eachCase(
    faultCases,
    "$title $fault.name: the client surfaces it as a typed error",
    async ({ operation, fault }) => {
      const { outcome, exchanges } = await callClient(
        operation,
        { pathParameters: examplePathParameters(operation), body: firstRequestExample(operation) },
        { tamper: tamperFor(fault) },
      );
      expect(exchanges).toHaveLength(1);
      expectTypedError(outcome, fault.status, exchanges[0] as Exchange);
    },
  );
});

function withoutContentType(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name !== "content-type"));
}

/** Query values the parameter's schema refuses, as a server reads them off the query string. */
function badQueryValues(schemaPointer: string, schema: Record<string, unknown>): string[] {
  const validate = validatorAt(schemaPointer);
  const numeric = schema.type === "integer" || schema.type === "number";
  const candidates = ["abc", "-1", "0", "1.5", "9", "51", "1000", "true"];
  for (const bound of ["minimum", "maximum"] as const) {
    const limit = schema[bound];
    if (typeof limit === "number")
      candidates.push(String(bound === "minimum" ? limit - 1 : limit + 1));
  }
  return [...new Set(candidates)].filter((text) => {
    const value = numeric && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    return !validate(value);
  });
}

const badQueries = operations.flatMap((operation) =>
  operation.queryParameters.flatMap((parameter) =>
    badQueryValues(parameter.schemaPointer, parameter.schema).map((value) => ({
      operation,
      title: label(operation),
      parameter: parameter.name,
      value,
    })),
  ),
);

describe("query parameters the contract refuses are rejected with 400", () => {
  test("every bounded query parameter has values to refuse", () => {
    for (const operation of operations) {
      for (const parameter of operation.queryParameters) {
        const bounded = ["minimum", "maximum", "enum", "pattern", "const"].some(
          (keyword) => keyword in parameter.schema,
        );
        if (bounded) {
          expect(
            badQueryValues(parameter.schemaPointer, parameter.schema).length,
            `${operation.operationId} ${parameter.name}`,
          ).toBeGreaterThan(0);
        }
      }
    }
  });

  test.each(badQueries)(
    "$title ?$parameter=$value: 400, conforming",
    async ({ operation, parameter, value }) => {
      const observed = await sendRaw(operation, { query: { [parameter]: value } });
      expect(observed.status).toBe(400);
      expectConformingResponse(operation, observed, `${parameter}=${value}`);
    },
  );
});
