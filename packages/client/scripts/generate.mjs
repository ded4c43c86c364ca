// Generates the types from the bundled contract, so they can never drift from it:
//   src/schema.gen.ts             `paths`, `components`, `operations` (openapi-typescript)
//   test/contract-examples.gen.ts the contract's named request and 201 examples, typed, for the tests
import { readFile, writeFile } from "node:fs/promises";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";

const specYamlUrl = new URL(import.meta.resolve("@loops-contract/spec/openapi.yaml"));
const specJsonUrl = new URL(import.meta.resolve("@loops-contract/spec/openapi.json"));

const ast = await openapiTS(specYamlUrl, { silent: true });
await writeFile(
  new URL("../src/schema.gen.ts", import.meta.url),
  COMMENT_HEADER + astToString(ast),
);

const spec = JSON.parse(await readFile(specJsonUrl, "utf8"));
const operation = spec.paths["/v1/campaigns"].post;
const exampleValues = (examples) =>
  Object.fromEntries(
    Object.entries(examples).map(([name, example]) => {
      const ref = example.$ref?.replace("#/components/examples/", "");
      return [name, ref ? spec.components.examples[ref].value : example.value];
    }),
  );
const requestExamples = exampleValues(operation.requestBody.content["application/json"].examples);
const createdExamples = exampleValues(
  spec.components.responses.CampaignCreated.content["application/json"].examples,
);

await writeFile(
  new URL("../test/contract-examples.gen.ts", import.meta.url),
  `${COMMENT_HEADER}import type { CreateCampaignRequest, CreateCampaignResponse } from "../src/index.js";

/** Every named request example of the contract. \`satisfies\` makes each one a compile-time check. */
export const requestExamples = ${JSON.stringify(requestExamples, null, 2)} satisfies Record<string, CreateCampaignRequest>;

/** Every named 201 example of the contract. */
export const createdExamples = ${JSON.stringify(createdExamples, null, 2)} satisfies Record<string, CreateCampaignResponse>;
`,
);
