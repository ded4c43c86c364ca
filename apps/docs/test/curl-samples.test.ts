// Every operation's curl sample, run as a reader would run it, against the mock's sandbox.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type RunningMock, startMock } from "@loops-contract/mock";
import { contract, describeErrors, type JsonObject, validatorAt } from "@loops-contract/spec";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { codeSamples, operations } from "./contract.js";

const productionUrl = String((contract.servers as JsonObject[])[0]?.url);

const everyOperation = operations.map((operation) => ({ operation, title: operation.operationId }));
/** The operations with a curl sample (the first test requires one on every operation). */
const samples = operations.flatMap((operation) => {
  const curl = codeSamples(operation).find((sample) => sample.lang === "curl");
  return curl ? [{ operation, title: operation.operationId, source: curl.source }] : [];
});

/** Splits `curl -i` output into status, headers and the parsed JSON body. */
function parseIncludedResponse(output: string) {
  const [head = "", ...rest] = output.split(/\r?\n\r?\n/);
  const [statusLine = "", ...headerLines] = head.split(/\r?\n/);
  const headers = new Map(
    headerLines.map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const;
    }),
  );
  const text = rest.join("\n\n");
  return {
    status: Number(statusLine.split(" ")[1]),
    headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

/** The JSON a curl command sends with `-d '...'`, or `undefined`. */
function sentJson(command: string): unknown {
  const data = /(?:-d|--data(?:-raw)?) '([^']*)'/.exec(command)?.[1];
  return data === undefined ? undefined : JSON.parse(data);
}

describe("the curl samples", () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(async () => {
    await mock?.stop();
  });

  test.each(everyOperation)("$title has a curl and a TypeScript sample", ({ operation }) => {
    expect(
      codeSamples(operation)
        .map((sample) => sample.lang)
        .sort(),
    ).toEqual(["TypeScript", "curl"]);
  });

  test.each(samples)(
    "$title: calls the production server at its own path with -i",
    ({ operation, source }) => {
      expect(productionUrl).toMatch(/^https:\/\//);
      const url = new RegExp(
        `${productionUrl}${operation.path.replace(/\{[^}]+\}/g, "[^/\\s?]+")}[\\s?]`,
      );
      expect(source).toMatch(url);
      expect(source).toMatch(/curl -sS -i /);
      expect(source).toMatch(new RegExp(`-X ${operation.method.toUpperCase()} `));
    },
  );

  test.each(samples)(
    "$title: sends one of its named request examples, or no body",
    ({ operation, source }) => {
      const sent = sentJson(source);
      if (!operation.requestBody) {
        expect(sent).toBeUndefined();
        return;
      }
      expect(operation.requestBody.examples.map((example) => example.value)).toContainEqual(sent);
    },
  );

  // `for`, not `each`: the test gets its context, whose signal kills the curl on a timeout.
  test.concurrent.for(samples)(
    "$title: gets its success status and a conforming body from the mock, on a fresh key",
    async ({ operation, source }, { signal }) => {
      const command = source.replaceAll(productionUrl, mock.url.replace(/\/$/, ""));
      // Each sample on a key of its own: a reader runs one sample on their own team's data.
      const { stdout } = await promisify(execFile)("sh", ["-c", command], {
        env: { ...process.env, LOOPS_API_KEY: `curl-sample-${operation.operationId}` },
        signal,
      });
      const response = parseIncludedResponse(stdout);
      const success = operation.responses.find((documented) => /^2\d\d$/.test(documented.status));
      expect(response.status).toBe(Number(success?.status));
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const validate = validatorAt(success?.body?.schemaPointer ?? "");
      expect(validate(response.body), describeErrors(validate.errors)).toBe(true);
    },
  );
});
