// The validators live in their own module, which the client imports only when validation is on.
import { expect, test, vi } from "vitest";
import { examples } from "./contract-examples.gen.js";

const loads = vi.hoisted(() => ({ count: 0 }));
vi.mock("../src/validation.js", async (importOriginal) => {
  loads.count += 1;
  return importOriginal();
});

// Test files share one module graph: another file may have loaded the client, and the validators
// with it. This file counts the imports of a client loaded afresh, through the mock above.
vi.resetModules();
const { clientWith, jsonResponse, scriptedFetch } = await import("./helpers.js");

const campaign = examples.getCampaign.success.draft;
const headers = { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "9" };

test("a client without validateResponses never imports the validators", async () => {
  const loops = clientWith(scriptedFetch(() => jsonResponse(200, campaign, headers)));
  await loops.campaigns.get(campaign.id);
  expect(loads.count).toBe(0);
});

test("a client with validateResponses imports them on its first response", async () => {
  const loops = clientWith(
    scriptedFetch(() => jsonResponse(200, campaign, headers)),
    { validateResponses: "throw" },
  );
  expect(loads.count).toBe(0);
  await loops.campaigns.get(campaign.id);
  expect(loads.count).toBe(1);
});
