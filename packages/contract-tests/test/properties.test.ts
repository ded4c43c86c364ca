import { describeErrors, validatorAt } from "@loops-contract/spec";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { arbitraryAt, limitBreakers, type Mutation, singleFault } from "./support/arbitraries.js";
import { examplePathParameters, label, operations, successOf } from "./support/contract.js";
import {
  againstMock,
  callClient,
  concurrency,
  type Exchange,
  expectConformingRequest,
  expectConformingResponse,
  sendRaw,
} from "./support/exchange.js";

/** Bodies per property and operation. */
const runs = Number(process.env.CONTRACT_PROPERTY_RUNS ?? 64);
// FC_SEED=<seed> reproduces a run; the seed is in the test names and printed below.
const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`fast-check seed ${seed} (rerun with FC_SEED=${seed})`);
const mockOnly = againstMock ? "" : " — skipped: generated bodies go to the mock only";

// Each property run sends one batch in parallel; runs × batch size = bodies per property.
const batch = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.array(arbitrary, { minLength: concurrency, maxLength: concurrency });
const numRuns = Math.ceil(runs / concurrency);

const withBodies = operations
  .filter((operation) => operation.requestBody)
  .map((operation) => ({ operation, title: label(operation) }));

const allKinds: Array<Mutation["kind"]> = ["added", "emptied", "removed", "replaced"];
const kindsSeen = new Set<Mutation["kind"]>();
let faultRunsDone = 0;

describe
  .skipIf(!againstMock)
  .sequential(`property-based, per request body schema (seed ${seed})${mockOnly}`, () => {
    test.each(withBodies)(
      `$title: ${numRuns * concurrency} valid bodies from the schema are all accepted`,
      async ({ operation }) => {
        const schemaPointer = operation.requestBody?.schemaPointer ?? "";
        const validate = validatorAt(schemaPointer);
        const success = Number(successOf(operation).status);
        const pathParameters = examplePathParameters(operation);
        let sent = 0;
        await fc.assert(
          fc.asyncProperty(batch(arbitraryAt(schemaPointer)), async (bodies) => {
            await Promise.all(
              bodies.map(async (body) => {
                expect(validate(body), describeErrors(validate.errors)).toBe(true);
                const { exchanges } = await callClient(operation, { pathParameters, body });
                const [exchange] = exchanges as [Exchange];
                expectConformingRequest(operation, exchange);
                expect(exchange.response.status, JSON.stringify(body)).toBe(success);
                expect(exchange.response.headers.get("sl-violations")).toBeNull();
                expectConformingResponse(operation, exchange.response, JSON.stringify(body));
                sent += 1;
              }),
            );
          }),
          { seed, numRuns },
        );
        expect(sent).toBeGreaterThanOrEqual(runs);
      },
    );

    test.each(withBodies)(
      `$title: ${numRuns * concurrency} single-fault mutations are all rejected with 400`,
      async ({ operation }) => {
        const schemaPointer = operation.requestBody?.schemaPointer ?? "";
        const validate = validatorAt(schemaPointer);
        const breakers = limitBreakers(schemaPointer);
        const faultyBody = arbitraryAt(schemaPointer)
          .chain((valid) => singleFault(valid, breakers))
          .filter((mutation) => !validate(mutation.body));
        const pathParameters = examplePathParameters(operation);
        const kinds = new Set<Mutation["kind"]>();
        let sent = 0;
        await fc.assert(
          fc.asyncProperty(batch(faultyBody), async (mutations) => {
            await Promise.all(
              mutations.map(async ({ kind, fault, body }) => {
                const observed = await sendRaw(operation, {
                  pathParameters,
                  body: JSON.stringify(body),
                });
                expect(observed.status, `${fault}: ${JSON.stringify(body)}`).toBe(400);
                expectConformingResponse(operation, observed, fault);
                kinds.add(kind);
                kindsSeen.add(kind);
                sent += 1;
              }),
            );
          }),
          { seed, numRuns },
        );
        expect(sent).toBeGreaterThanOrEqual(runs);
        // Every body is a closed object: an unknown property and a wrong value always break it.
        expect([...kinds]).toEqual(expect.arrayContaining(["added", "replaced"]));
        faultRunsDone += 1;
      },
    );

    afterAll(() => {
      // Across the operations, every kind of fault came up, not only the easiest ones (when all ran).
      if (faultRunsDone === withBodies.length) expect([...kindsSeen].sort()).toEqual(allKinds);
    });
  });
