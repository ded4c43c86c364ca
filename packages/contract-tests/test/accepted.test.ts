import { validatorAt } from "@loops-contract/spec";
import { describe, expect, test } from "vitest";
import { examplePathParameters, label, operations, successOf } from "./support/contract.js";
import {
  againstMock,
  callClient,
  type Exchange,
  expectConformingRequest,
  expectConformingResponse,
} from "./support/exchange.js";

const mockOnly = againstMock ? "" : " — skipped: examples run against the mock only";

/** Each named request example, or one request without a body, for every operation. */
const cases = operations.flatMap((operation) => {
  const examples = operation.requestBody?.examples ?? [];
  const requests =
    examples.length > 0
      ? examples.map((example) => ({ name: `example ${example.name}`, body: example.value }))
      : [{ name: "no body", body: undefined }];
  return requests.map((request) => ({ operation, ...request, title: label(operation) }));
});

describe("requests that conform are accepted", () => {
  test.each(operations.filter((operation) => operation.requestBody))(
    "$operationId: has named request examples, each valid",
    (operation) => {
      const body = operation.requestBody;
      expect(body?.examples.length).toBeGreaterThan(0);
      const validate = validatorAt(body?.schemaPointer ?? "");
      for (const example of body?.examples ?? []) {
        expect(validate(example.value), example.name).toBe(true);
      }
    },
  );

  test.skipIf(!againstMock).each(cases)(
    `$title $name: sent by the client, answered with its success status${mockOnly}`,
    async ({ operation, body }) => {
      const success = successOf(operation);
      const { outcome, exchanges } = await callClient(operation, {
        pathParameters: examplePathParameters(operation),
        body,
      });

      expect(exchanges).toHaveLength(1);
      const [exchange] = exchanges as [Exchange];
      expectConformingRequest(operation, exchange);
      if (body !== undefined) expect(JSON.parse(exchange.requestBody)).toEqual(body);
      expect(exchange.response.status).toBe(Number(success.status));
      expect(exchange.response.headers.get("sl-violations")).toBeNull();
      expectConformingResponse(operation, exchange.response);
      expect(outcome).toEqual({ value: JSON.parse(exchange.response.text) });
    },
  );
});
