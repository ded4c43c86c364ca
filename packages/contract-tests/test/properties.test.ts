import type { CreateCampaignRequest } from "@loops-contract/client";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { arbitraryFor, type Mutation, singleFault } from "./support/arbitraries.js";
import { type JsonObject, request } from "./support/contract.js";
import {
  clientFor,
  concurrency,
  type Exchange,
  expectConformingRequest,
  expectConformingResponse,
  sendRaw,
} from "./support/exchange.js";

const runs = Number(process.env.CONTRACT_PROPERTY_RUNS ?? 200);
// FC_SEED=<seed> reproduces a run; the seed is in the test names and printed below.
const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`fast-check seed ${seed} (rerun with FC_SEED=${seed})`);

const requestSchema = { $ref: `#${request.schemaPointer}` } as JsonObject;
const validBody = arbitraryFor(requestSchema);
const faultyBody = validBody
  .chain(singleFault)
  .filter((mutation) => !request.validate(mutation.body));

// Each property run sends one batch in parallel; runs × batch size = bodies per run.
const batch = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.array(arbitrary, { minLength: concurrency, maxLength: concurrency });
const numRuns = Math.ceil(runs / concurrency);

describe("property-based", () => {
  test(`${numRuns * concurrency} valid bodies from the schema are all accepted (seed ${seed})`, async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(batch(validBody), async (bodies) => {
        await Promise.all(
          bodies.map(async (body) => {
            expect(request.validate(body), JSON.stringify(request.validate.errors)).toBe(true);
            const exchanges: Exchange[] = [];
            const campaign = await clientFor(exchanges).campaigns.create(
              body as CreateCampaignRequest,
            );
            const [exchange] = exchanges as [Exchange];
            expectConformingRequest(exchange);
            expect(exchange.response.status).toBe(201);
            expect(exchange.response.headers.get("sl-violations")).toBeNull();
            expectConformingResponse(exchange.response, JSON.stringify(body));
            expect(campaign.status).toBe("Draft");
            sent += 1;
          }),
        );
      }),
      { seed, numRuns },
    );
    expect(sent).toBeGreaterThanOrEqual(runs);
  });

  test(`${numRuns * concurrency} single-fault mutations are all rejected with 400 (seed ${seed})`, async () => {
    let sent = 0;
    const kinds = new Set<Mutation["kind"]>();
    await fc.assert(
      fc.asyncProperty(batch(faultyBody), async (mutations) => {
        await Promise.all(
          mutations.map(async ({ kind, fault, body }) => {
            const observed = await sendRaw({ body: JSON.stringify(body) });
            expect(observed.status, `${fault}: ${JSON.stringify(body)}`).toBe(400);
            expectConformingResponse(observed, fault);
            kinds.add(kind);
            sent += 1;
          }),
        );
      }),
      { seed, numRuns },
    );
    expect(sent).toBeGreaterThanOrEqual(runs);
    // Every kind of fault came up, not only the easiest one.
    expect([...kinds].sort()).toEqual(["added", "emptied", "removed", "replaced"]);
  });
});
