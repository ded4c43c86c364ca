import type { CreateCampaignRequest } from "@loops-contract/client";
import { describe, expect, test } from "vitest";
import { request } from "./support/contract.js";
import {
  clientFor,
  type Exchange,
  expectConformingRequest,
  expectConformingResponse,
} from "./support/exchange.js";

describe("requests that conform are accepted", () => {
  test("the contract has named request examples", () => {
    expect(request.examples.length).toBeGreaterThanOrEqual(1);
  });

  test.each(request.examples)(
    "example %s: sent by the client, answered 201 without a violation",
    async (_name, example) => {
      expect(request.validate(example), JSON.stringify(request.validate.errors)).toBe(true);
      const exchanges: Exchange[] = [];
      const campaign = await clientFor(exchanges).campaigns.create(
        example as CreateCampaignRequest,
      );

      expect(exchanges).toHaveLength(1);
      const [exchange] = exchanges as [Exchange];
      expectConformingRequest(exchange);
      expect(JSON.parse(exchange.requestBody)).toEqual(example);
      expect(exchange.response.status).toBe(201);
      expect(exchange.response.headers.get("sl-violations")).toBeNull();
      expectConformingResponse(exchange.response, "201");
      expect(campaign).toEqual(JSON.parse(exchange.response.text));
      expect(campaign.status).toBe("Draft");
    },
  );
});
