import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Operation, operations } from "@loops-contract/spec";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { describeDrift, main, runDriftCheck } from "../src/index.js";
import { type ContractServer, type Reply, startContractServer } from "./support/contract-server.js";

type Body = Record<string, unknown> & { data: Array<Record<string, unknown>> };

const apiKey = "sk-canary-7Hq2-never-print-me";
const freeText = {
  subject: "Canary subject for ada@example.com",
  lmx: "<Paragraph>Canary LMX body</Paragraph>",
  title: "Canary guardian title",
};

/** What each planted change must produce, as describeDrift words it; `null`: must not be drift. */
const plants: Record<string, { plant: (reply: Reply) => void; drift: string | null }> = {
  listCampaigns: {
    plant: (reply) => {
      (reply.body as Body).data[0] = { ...(reply.body as Body).data[0], name: 42 };
    },
    drift: "body /data/0/name: changed type: expected string, got integer",
  },
  getCampaign: {
    plant: (reply) => {
      (reply.body as Body).status = "Archived";
    },
    drift:
      'body /status: unknown enum value: expected one of "Draft", "Scheduled", "Sending", "Sent", got "Archived"',
  },
  listCampaignGroups: {
    plant: (reply) => {
      (reply.body as { pagination: Record<string, unknown> }).pagination.perPage = "10";
    },
    drift: "body /pagination/perPage: changed type: expected integer, got string",
  },
  getCampaignGroup: {
    plant: (reply) => {
      delete (reply.body as Body).createdAt;
    },
    drift:
      "body /createdAt: missing required field: expected required field (string (date-time)), got absent",
  },
  listAudienceSegments: {
    plant: (reply) => {
      delete reply.headers["x-ratelimit-remaining"];
    },
    drift:
      "header x-ratelimit-remaining: missing header: expected required header (integer (int32)), got absent",
  },
  getAudienceSegment: {
    plant: (reply) => {
      reply.status = 418;
    },
    drift: "status: undocumented status: expected one of 200, 400, 401, 404, 405, 429, got 418",
  },
  getEmailMessage: {
    plant: (reply) => {
      Object.assign(reply.body as Body, freeText, { fieldLoopsAddedLater: { nested: [1, 2] } });
    },
    drift: null,
  },
  getEmailMessageGuardian: {
    plant: (reply) => {
      const rule = {
        rule: "aCheckLoopsAddedLater",
        title: freeText.title,
        description: "",
        items: [],
      };
      (reply.body as { errors: unknown[] }).errors.push(rule);
    },
    drift: null,
  },
  testApiKey: {
    plant: (reply) => {
      (reply.body as Record<string, unknown>).teamName = 42;
    },
    drift: "body /teamName: changed type: expected string, got integer",
  },
  findContact: {
    plant: (reply) => {
      const [contact] = reply.body as Array<Record<string, unknown>>;
      Object.assign(contact ?? {}, { aPropertyLoopsAddedLater: { nested: true } });
    },
    drift: null,
  },
  getContactSuppression: {
    plant: (reply) => {
      delete (reply.body as { removalQuota: Record<string, unknown> }).removalQuota.remaining;
    },
    drift:
      "body /removalQuota/remaining: missing required field: expected required field (integer (int32)), got absent",
  },
  listContactProperties: {
    plant: (reply) => {
      (reply.body as Array<Record<string, unknown>>).push({ key: "k", label: "K", type: "list" });
    },
    drift: null,
  },
  listMailingLists: {
    plant: (reply) => {
      (reply.body as Array<Record<string, unknown>>)[0] = { id: "l1", isPublic: "yes" };
    },
    drift: "body /0/isPublic: changed type: expected boolean, got string",
  },
  listPublishedTransactionalEmails: {
    plant: (reply) => {
      reply.status = 418;
    },
    drift: "status: undocumented status: expected one of 200, 400, 401, 405, 429, got 418",
  },
  listDedicatedSendingIps: {
    plant: (reply) => {
      (reply.body as unknown[]).push(3232235786);
    },
    drift: "body /2: changed type: expected string, got integer",
  },
};

/** The address --contact-email gives: the reads of one contact are called for it. */
const contactEmail = "ada@example.com";
/** The reads of one contact: a query parameter takes an email address. */
const readsOneContact = (operation: Operation) =>
  operation.queryParameters.some((parameter) => parameter.schema.format === "email");

function planted(operation: Operation, reply: Reply): Reply {
  plants[operation.operationId]?.plant(reply);
  return reply;
}

const getOperations = operations.filter((operation) => operation.method === "get");
const noSleep = async () => {};

function capture() {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: (text: string) => {
        out.stdout += text;
      },
      stderr: (text: string) => {
        out.stderr += text;
      },
    },
  };
}

let server: ContractServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Where the tests' JUnit reports go: one folder for the file, removed after it. */
let reports: string;
beforeAll(() => {
  reports = mkdtempSync(join(tmpdir(), "loops-drift-reports-"));
});
afterAll(() => rmSync(reports, { recursive: true, force: true }));

describe("against a server with planted drift", () => {
  it("plants drift in every GET operation the contract has", () => {
    expect(Object.keys(plants).sort()).toEqual(
      getOperations.map((operation) => operation.operationId).sort(),
    );
  });

  it("names each planted drift exactly, and nothing else", async () => {
    server = await startContractServer(planted);
    const report = await runDriftCheck({
      baseUrl: server.url,
      apiKey,
      requestsPerSecond: 100,
      contactEmail,
    });
    const found = report.results.flatMap((result) =>
      result.drifts.map((drift) => `${drift.operationId} ${describeDrift(drift)}`),
    );
    const expected = Object.entries(plants)
      .filter(([, { drift }]) => drift !== null)
      .map(([operationId, { drift }]) => `${operationId} ${drift}`);
    expect(found.sort()).toEqual(expected.sort());
    expect(report.results.every((result) => result.notReached === undefined)).toBe(true);
    // Lists first, then one call per get, every one a GET.
    const lists = getOperations.filter((operation) => operation.pathParameters.length === 0);
    const pathsReceived = server.received.map((request) => request.replace(/\?.*$/, ""));
    expect(pathsReceived.slice(0, lists.length).sort()).toEqual(
      lists.map((operation) => `GET ${operation.path}`).sort(),
    );
    expect(server.received).toHaveLength(getOperations.length);
    expect(report.calls).toBe(getOperations.length);
    // The reads of one contact ask for the address given, URI-encoded.
    const contactReads = getOperations.filter(readsOneContact);
    expect(contactReads.length).toBeGreaterThan(0);
    for (const operation of contactReads)
      expect(server.received).toContain(`GET ${operation.path}?email=ada%40example.com`);
  });

  it("calls no read of one contact without --contact-email, and says why", async () => {
    server = await startContractServer();
    const report = await runDriftCheck({ baseUrl: server.url, apiKey, requestsPerSecond: 100 });
    for (const result of report.results.filter(({ operation }) => readsOneContact(operation))) {
      expect(result.status).toBeUndefined();
      expect(result.notReached).toMatch(/pass --contact-email/);
    }
    expect(server.received.some((request) => request.includes("email="))).toBe(false);
  });

  it("stops at the cap on calls and names what it did not reach", async () => {
    server = await startContractServer();
    const report = await runDriftCheck({
      baseUrl: server.url,
      apiKey,
      requestsPerSecond: 100,
      maxCalls: 2,
    });
    expect(server.received).toHaveLength(2);
    expect(report.results.filter((result) => result.status !== undefined)).toHaveLength(2);
    expect(
      report.results
        .filter((result) => result.status === undefined)
        .map((result) => result.notReached),
    ).toEqual(Array(getOperations.length - 2).fill("the cap on calls was reached first"));
  });

  it("exits 1 with a report and JUnit XML that name them, without the key or the account's data", async () => {
    server = await startContractServer(planted);
    const junit = join(reports, "main.xml");
    const { out, io } = capture();
    const code = await main(
      [
        "--base-url",
        server.url,
        "--rate",
        "100",
        "--junit",
        junit,
        "--contact-email",
        contactEmail,
      ],
      {
        env: { LOOPS_API_KEY: apiKey },
        ...io,
      },
    );
    const xml = await readFile(junit, "utf8");
    expect(code).toBe(1);
    expect(out.stderr).toBe("");
    for (const [operationId, { drift }] of Object.entries(plants)) {
      if (drift === null) continue;
      expect(out.stdout).toContain(drift);
      expect(xml).toContain(`(${operationId})`);
    }
    const drifting = Object.values(plants).filter(({ drift }) => drift !== null).length;
    expect(xml).toContain(`failures="${drifting}"`);
    expect(xml.match(/<testcase /g)).toHaveLength(getOperations.length);

    // The key did go out, in the Authorization header only.
    expect(server.authorizations.every((value) => value === `Bearer ${apiKey}`)).toBe(true);
    const everything = `${out.stdout}${out.stderr}${xml}`;
    expect(everything).not.toContain(apiKey);
    expect(everything).not.toContain(contactEmail);
    for (const text of [...Object.values(freeText), ...servedFreeText()]) {
      expect(everything).not.toContain(text);
    }
  });
});

describe("the loops-drift bin", () => {
  /** Runs the built bin as a user does (the package's `bin`), the key in LOOPS_API_KEY. */
  async function runBin(args: string[], signal: AbortSignal) {
    const manifest = JSON.parse(
      await readFile(new URL("../package.json", import.meta.url), "utf8"),
    ) as { bin: Record<string, string> };
    const bin = fileURLToPath(new URL(`../${manifest.bin["loops-drift"]}`, import.meta.url));
    // Killed if the test times out: a hung bin must not outlive it.
    return promisify(execFile)(process.execPath, [bin, ...args], {
      env: { ...process.env, LOOPS_API_KEY: apiKey },
      signal,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code?: number; stdout: string; stderr: string }) => error,
    );
  }

  it("runs from the built package with the key from the environment and exits 1 on drift", async ({
    signal,
  }) => {
    server = await startContractServer(planted);
    const junit = join(reports, "planted.xml");
    const run = await runBin(["--base-url", server.url, "--rate", "100", "--junit", junit], signal);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("DRIFT GET");
    expect(await readFile(junit, "utf8")).toContain("<failure");
  });

  it("never prints the key, though the server echoes it into the drifted values", async ({
    signal,
  }) => {
    // A key shaped like a code (`sk-...`) is what an unknown enum value would show.
    const echoes: Record<string, (reply: Reply) => void> = {
      getCampaign: (reply) => {
        (reply.body as Body).status = apiKey;
      },
      listCampaigns: (reply) => {
        (reply.body as Body).data[0] = {
          ...(reply.body as Body).data[0],
          scheduling: { method: apiKey, timestamp: null },
        };
      },
      listCampaignGroups: (reply) => {
        (reply.body as { pagination: Record<string, unknown> }).pagination.perPage = apiKey;
      },
      listAudienceSegments: (reply) => {
        reply.headers["x-ratelimit-remaining"] = apiKey;
      },
      getAudienceSegment: (reply) => {
        reply.status = 418;
        reply.body = { message: `No such key: ${apiKey}` };
      },
    };
    server = await startContractServer((operation, reply) => {
      echoes[operation.operationId]?.(reply);
      return reply;
    });
    const junit = join(reports, "echoed.xml");
    const run = await runBin(["--base-url", server.url, "--rate", "100", "--junit", junit], signal);
    const xml = await readFile(junit, "utf8");
    expect(run.code, run.stderr).toBe(1);
    // The key did go out, in the Authorization header only, and came back in five answers.
    expect(server.authorizations.every((value) => value === `Bearer ${apiKey}`)).toBe(true);
    expect(run.stdout).not.toContain(apiKey);
    expect(run.stderr).not.toContain(apiKey);
    expect(xml).not.toContain(apiKey);
    // Each echo was reported as drift, the key's place named, the key not shown.
    for (const line of [
      'body /status: unknown enum value: expected one of "Draft", "Scheduled", "Sending", "Sent", got a string (not shown)',
      'body /data/0/scheduling/method: unknown enum value: expected one of "now", "schedule", got a string (not shown)',
      "body /pagination/perPage: changed type: expected integer, got string",
      "header x-ratelimit-remaining: header value: expected integer (int32), got text",
      "status: undocumented status: expected one of 200, 400, 401, 404, 405, 429, got 418",
    ]) {
      expect(run.stdout).toContain(line);
    }
    expect(xml).toContain('failures="5"');
  });
});

/** The served examples' ids, names and other free text: none may reach a report. */
function servedFreeText(): string[] {
  const texts: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === "string" && /[\s\d@]/.test(value) && value.length > 3) texts.push(value);
    else if (typeof value === "object" && value !== null) Object.values(value).forEach(visit);
  };
  for (const operation of getOperations) {
    visit(operation.responses.find((response) => response.status === "200")?.body?.examples[0]);
  }
  expect(texts.length).toBeGreaterThan(10);
  return texts;
}

describe("against the mock", () => {
  it("reports clean and exits 0", async () => {
    const { startMock } = await import("@loops-contract/mock");
    const mock = await startMock();
    try {
      const { out, io } = capture();
      const code = await main(
        ["--base-url", mock.url, "--rate", "50", "--contact-email", contactEmail],
        {
          env: { LOOPS_API_KEY: apiKey },
          ...io,
        },
      );
      expect(out.stderr).toBe("");
      expect(code).toBe(0);
      for (const operation of getOperations) {
        expect(out.stdout).toContain(`OK    GET ${operation.path} (${operation.operationId})`);
      }
    } finally {
      await mock.stop();
    }
  });
});

describe("an empty account", () => {
  it("says which operations it could not reach, and exits 0", async () => {
    server = await startContractServer((_, reply) => {
      const body = reply.body as Body;
      if (Array.isArray(body?.data)) body.data = [];
      return reply;
    });
    const { out, io } = capture();
    const code = await main(["--base-url", server.url, "--rate", "100"], {
      env: { LOOPS_API_KEY: apiKey },
      ...io,
    });
    expect(code).toBe(0);
    const skipped = out.stdout
      .split("\n")
      .filter((line) => line.includes("SKIP"))
      .map((line) => /\((\w+)\)/.exec(line)?.[1]);
    expect(skipped.sort()).toEqual(
      getOperations
        .filter((operation) => operation.pathParameters.length > 0 || readsOneContact(operation))
        .map((operation) => operation.operationId)
        .sort(),
    );
    expect(out.stdout).toContain("an empty account has nothing to get");
    expect(server.received.every((request) => request.startsWith("GET "))).toBe(true);
  });
});

describe("could not run: exit 2 with a clear message", () => {
  async function run(
    argv: string[],
    env: Record<string, string | undefined> = { LOOPS_API_KEY: apiKey },
  ) {
    const { out, io } = capture();
    const code = await main(argv, { env, sleep: noSleep, ...io });
    expect(out.stderr).not.toContain(apiKey);
    expect(out.stdout).toBe("");
    return { code, stderr: out.stderr };
  }

  it("without a key", async () => {
    expect(await run(["--base-url", "http://127.0.0.1:9"], {})).toEqual({
      code: 2,
      stderr: expect.stringContaining("LOOPS_API_KEY is not set"),
    });
  });

  it("with a --contact-email that is not an address", async () => {
    expect(await run(["--base-url", "http://127.0.0.1:9", "--contact-email", "ada"])).toEqual({
      code: 2,
      stderr: expect.stringContaining("--contact-email must be an email address"),
    });
  });

  it("when the key is refused (401)", async () => {
    server = await startContractServer((_, reply) => ({
      ...reply,
      status: 401,
      body: { message: "Invalid API key" },
    }));
    expect(await run(["--base-url", server.url])).toEqual({
      code: 2,
      stderr: expect.stringContaining("refused the key (401)"),
    });
    expect(server.received).toHaveLength(1);
  });

  it("when the connection is refused", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await run(["--base-url", `http://127.0.0.1:${port}`])).toEqual({
      code: 2,
      stderr: expect.stringContaining("connection refused"),
    });
  });

  it("when 429s do not clear", async () => {
    server = await startContractServer((_, reply) => ({
      ...reply,
      status: 429,
      body: { message: "Rate limit exceeded" },
    }));
    expect(await run(["--base-url", server.url])).toEqual({
      code: 2,
      stderr: expect.stringContaining("Still rate limited (429)"),
    });
  });

  it("when 5xx do not clear", async () => {
    server = await startContractServer((_, reply) => ({ ...reply, status: 502, body: undefined }));
    expect(await run(["--base-url", server.url])).toEqual({
      code: 2,
      stderr: expect.stringContaining("kept answering 502"),
    });
  });

  it("on a bad argument", async () => {
    expect(await run(["--base-url", "not a url"])).toEqual({
      code: 2,
      stderr: expect.stringContaining("--base-url is not a URL"),
    });
    expect((await run(["--frobnicate"])).code).toBe(2);
  });
});
