import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { contract } from "@loops-contract/spec";
import { runDriftCheck } from "./check.js";
import { CouldNotRunError, type HttpOptions } from "./http.js";
import { driftCount, formatJunit, formatText } from "./report.js";

export const exitCodes = { clean: 0, drift: 1, couldNotRun: 2 } as const;

export interface MainIo {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  fetch?: typeof fetch;
  sleep?: HttpOptions["sleep"];
}

const usage = `Usage: loops-drift [--base-url URL] [--junit FILE] [--rate N] [--max-calls N]
                   [--contact-email ADDRESS]

Calls every GET operation of the Loops contract against a live account (key from
LOOPS_API_KEY) and reports what no longer matches. Only GET requests ever leave the process.

  --base-url URL             the API to check; default the contract's production server
  --junit FILE               also write the report as JUnit XML
  --rate N                   at most N requests per second (default 2; the team's limit is shared)
  --max-calls N              at most N requests in all, retries included (default 50)
  --contact-email ADDRESS    a contact of the account: the reads of one contact (find it, its
                             suppression status) are called for it; without it they are not

Exit: 0 no drift, 1 drift, 2 could not run.
`;

function productionServer(): string | undefined {
  const servers = contract.servers;
  if (!Array.isArray(servers)) return undefined;
  const first = servers[0] as { url?: unknown } | undefined;
  return typeof first?.url === "string" ? first.url : undefined;
}

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new CouldNotRunError(`${flag} must be a positive number`);
  }
  return parsed;
}

/** The CLI without the process: returns the exit code. */
export async function main(argv: string[], io: MainIo): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        "base-url": { type: "string" },
        junit: { type: "string" },
        rate: { type: "string" },
        "max-calls": { type: "string" },
        "contact-email": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout(usage);
      return exitCodes.clean;
    }
    const apiKey = io.env.LOOPS_API_KEY?.trim();
    if (!apiKey) {
      throw new CouldNotRunError(
        "LOOPS_API_KEY is not set: export the key of the Loops account to check (Settings > API).",
      );
    }
    const rawBaseUrl = values["base-url"] ?? productionServer();
    let baseUrl: URL;
    try {
      baseUrl = new URL(rawBaseUrl ?? "");
    } catch {
      throw new CouldNotRunError(`--base-url is not a URL`);
    }
    if (baseUrl.protocol !== "http:" && baseUrl.protocol !== "https:") {
      throw new CouldNotRunError("--base-url must be an http or https URL");
    }
    const requestsPerSecond = positiveNumber(values.rate, "--rate");
    const maxCalls = positiveNumber(values["max-calls"], "--max-calls");
    const contactEmail = values["contact-email"]?.trim();
    if (contactEmail !== undefined && !/^[^\s@]+@[^\s@]+$/.test(contactEmail)) {
      throw new CouldNotRunError("--contact-email must be an email address");
    }
    const report = await runDriftCheck({
      // Only scheme, host and path: credentials or a query in the URL never reach the report.
      baseUrl: `${baseUrl.origin}${baseUrl.pathname}`,
      apiKey,
      ...(io.fetch ? { fetch: io.fetch } : {}),
      ...(io.sleep ? { sleep: io.sleep } : {}),
      ...(requestsPerSecond === undefined ? {} : { requestsPerSecond }),
      ...(maxCalls === undefined ? {} : { maxCalls: Math.floor(maxCalls) }),
      ...(contactEmail === undefined ? {} : { contactEmail }),
    });
    if (report.results.length === 0) {
      throw new CouldNotRunError("The contract has no GET operation to check.");
    }
    io.stdout(formatText(report));
    if (values.junit) await writeFile(values.junit, formatJunit(report));
    return driftCount(report) > 0 ? exitCodes.drift : exitCodes.clean;
  } catch (error) {
    if (error instanceof CouldNotRunError) {
      io.stderr(`loops-drift could not run: ${error.message}\n`);
      return exitCodes.couldNotRun;
    }
    if (
      error instanceof TypeError &&
      "code" in error &&
      String(error.code).startsWith("ERR_PARSE_ARGS")
    ) {
      io.stderr(`loops-drift could not run: ${error.message}\n\n${usage}`);
      return exitCodes.couldNotRun;
    }
    throw error;
  }
}
