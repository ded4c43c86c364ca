// The two entries as a consumer imports them, by the package's name (its exports, its built
// files): ResponseValidationError is one class, whichever entry it is imported from, so an error
// thrown once the client has loaded the validators is an instance of the main entry's class.
import {
  createLoopsClient,
  LoopsError,
  NotFoundError,
  ResponseValidationError,
} from "@loops-contract/client";
import * as validation from "@loops-contract/client/validation";
import { expect, test } from "vitest";
import { examples } from "./contract-examples.gen.js";
import { API_KEY, BASE_URL, jsonResponse, rejectionOf, scriptedFetch } from "./helpers.js";

const campaign = examples.getCampaign.success.draft;
const headers = { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "9" };

test("the validation entry re-exports the main entry's class", () => {
  expect(validation.ResponseValidationError).toBe(ResponseValidationError);
});

test("the client's drift error, thrown from the validators it loads, is the main entry's class", async () => {
  const loops = createLoopsClient({
    apiKey: API_KEY,
    baseUrl: BASE_URL,
    fetch: scriptedFetch(() => jsonResponse(200, { ...campaign, status: "Archived" }, headers)),
    validateResponses: "throw",
  });
  const error = await rejectionOf(loops.campaigns.get(campaign.id));
  expect(error).toBeInstanceOf(ResponseValidationError);
  expect(error).toBeInstanceOf(LoopsError);
  expect((error as ResponseValidationError).drifts.map((drift) => drift.location)).toEqual([
    "/status",
  ]);
});

test("validateResponse from the validation entry throws the main entry's classes", () => {
  const response = { status: 404, headers: new Headers() };
  const cause = new NotFoundError(404, response.headers, undefined, "");
  let thrown: unknown;
  try {
    validation.validateResponse(
      { validateResponses: "throw" },
      "getCampaign",
      response,
      undefined,
      cause,
    );
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ResponseValidationError);
  expect((thrown as ResponseValidationError).cause).toBe(cause);
});
