// The CLI's settings as one table: each is a flag and an environment variable, and `--help` is
// printed from the same rows, so the two cannot disagree.
import { readFileSync } from "node:fs";
import type { MockOptions } from "./index.js";
import { minimumTokenLength } from "./inspector/access.js";
import { endpointUrl } from "./webhooks/dispatcher.js";
import { secretBytes } from "./webhooks/signing.js";

type Kind = "switch" | "port" | "text" | "whole" | "rate" | "json" | "url" | "secret" | "token";

interface Setting {
  flag: string;
  env: string;
  kind: Kind;
  /** What `--help` shows after the flag, for a setting that takes a value. */
  value?: string;
  help: string;
}

const table: Setting[] = [
  {
    flag: "port",
    env: "MOCK_PORT",
    kind: "port",
    value: "N",
    help: "port to listen on (default 4010; 0 picks a free one)",
  },
  {
    flag: "host",
    env: "MOCK_HOST",
    kind: "text",
    value: "ADDRESS",
    help: "address to listen on (default 127.0.0.1)",
  },
  {
    flag: "inspector-token",
    env: "MOCK_INSPECTOR_TOKEN",
    kind: "token",
    value: "TOKEN",
    help: "opens /_sandbox/inspector off loopback to ?token=TOKEN (16+ characters)",
  },
  {
    flag: "empty",
    env: "MOCK_EMPTY",
    kind: "switch",
    help: "start every API key as a new team: the reserved records only",
  },
  {
    flag: "stateless",
    env: "MOCK_STATELESS",
    kind: "switch",
    help: "answer each request from the examples alone, remembering nothing",
  },
  {
    flag: "dynamic",
    env: "MOCK_DYNAMIC",
    kind: "switch",
    help: "generate bodies from the schemas (stateless)",
  },
  {
    flag: "seed",
    env: "MOCK_SEED",
    kind: "whole",
    value: "N",
    help: "seed for --dynamic, so generated bodies are reproducible",
  },
  {
    flag: "static",
    env: "MOCK_STATIC",
    kind: "switch",
    help: "serve the examples verbatim (stateless)",
  },
  {
    flag: "fixtures",
    env: "MOCK_FIXTURES",
    kind: "json",
    value: "FILE",
    help: "a JSON file of records every key's account holds that the API cannot create",
  },
  {
    flag: "rate-limit",
    env: "MOCK_RATE_LIMIT",
    kind: "rate",
    value: "[N]",
    help: "limit each API key to N requests per second (without N: 10, as documented)",
  },
  {
    flag: "webhook-url",
    env: "MOCK_WEBHOOK_URL",
    kind: "url",
    value: "URL",
    help: "post every key's webhooks to this http(s) endpoint, signed",
  },
  {
    flag: "webhook-secret",
    env: "MOCK_WEBHOOK_SECRET",
    kind: "secret",
    value: "SECRET",
    help: "sign every key's webhooks with this secret (default: one per key)",
  },
];

export type CliSettings = MockOptions & { port: number; host: string };

/** What `parseArgs` returns with `tokens: true`, as far as the settings read it. */
interface Parsed {
  values: Record<string, string | boolean | undefined>;
  tokens: Array<
    | { kind: "option"; index: number; name: string; value?: string | undefined }
    | { kind: "positional"; index: number; value: string }
    | { kind: "option-terminator"; index: number }
  >;
}

/** The flags for `parseArgs`: a switch and `--rate-limit` are booleans (a rate's N is read after it). */
export const flagOptions = Object.fromEntries(
  table.map((setting) => [
    setting.flag,
    { type: setting.kind === "switch" || setting.kind === "rate" ? "boolean" : "string" },
  ]),
) as Record<string, { type: "boolean" | "string" }>;

/** The first argument that looks like an option and is none of ours, for a one-line refusal. */
export function unknownOption(args: string[], known: string[]): string | undefined {
  const names = new Set(known.map((name) => (name.length === 1 ? `-${name}` : `--${name}`)));
  for (const arg of args) {
    if (arg === "--") return undefined;
    const name = arg.split("=")[0] as string;
    if (/^--?[^-]/.test(arg) && !names.has(name)) return name;
  }
  return undefined;
}

export function helpText(): string {
  const rows = table.map((setting) => {
    const flag = `--${setting.flag}${setting.value ? ` ${setting.value}` : ""}`;
    const env =
      setting.kind === "switch"
        ? `${setting.env}=1`
        : `${setting.env}=${setting.value?.replace(/[[\]]/g, "")}`;
    return `  ${flag.padEnd(24)} ${env.padEnd(28)} ${setting.help}`;
  });
  return [
    "Usage: loops-mock [options]",
    "",
    "Serves the Loops contract with a sandbox per API key until Ctrl-C.",
    "Each option is a flag or an environment variable; a flag wins over its variable.",
    "",
    `  ${"flag".padEnd(24)} ${"variable".padEnd(28)} meaning`,
    ...rows,
    `  ${"--help, -h".padEnd(24)} ${"".padEnd(28)} this text`,
  ].join("\n");
}

function invalid(what: string, raw: string, expected: string): never {
  throw new TypeError(`${what} must be ${expected}, got '${raw}'.`);
}

/** One setting's value read from its raw text, or a TypeError naming where it came from. */
function parsedValue(setting: Setting, raw: string, where: string): unknown {
  switch (setting.kind) {
    case "switch":
      if (raw === "1" || raw === "true") return true;
      if (raw === "0" || raw === "false" || raw === "") return false;
      return invalid(where, raw, "1 or 0");
    case "port":
      if (/^\d+$/.test(raw) && Number(raw) <= 65_535) return Number(raw);
      return invalid(where, raw, "a port number from 0 to 65535");
    case "whole":
      return /^\d+$/.test(raw) ? Number(raw) : invalid(where, raw, "a whole number");
    case "rate":
      return /^[1-9]\d*$/.test(raw) ? Number(raw) : invalid(where, raw, "a positive whole number");
    case "text":
      return raw === "" ? invalid(where, raw, "an address") : raw;
    case "json":
      return jsonFile(raw, where);
    case "url":
      return endpointUrl(raw, where).href;
    case "secret":
      secretBytes(raw, where);
      return raw;
    case "token":
      if (raw.length >= minimumTokenLength) return raw;
      return invalid(where, raw.replace(/./g, "*"), `at least ${minimumTokenLength} characters`);
  }
}

/** The JSON a file holds, or a TypeError naming the file and what is wrong with it. */
function jsonFile(path: string, where: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new TypeError(
      `${where}: cannot read '${path}' (${(error as NodeJS.ErrnoException).code}).`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TypeError(`${where}: '${path}' is not JSON: ${(error as Error).message}.`);
  }
}

/** `--rate-limit 20`: the number after the flag is its value; any other positional is refused. */
function rateFromTokens(parsed: Parsed): string | undefined {
  let rate: string | undefined;
  for (const token of parsed.tokens) {
    if (token.kind !== "positional") continue;
    const before = parsed.tokens.find((other) => other.index === token.index - 1);
    if (before?.kind === "option" && before.name === "rate-limit" && before.value === undefined) {
      rate = token.value;
      continue;
    }
    throw new TypeError(`Unexpected argument '${token.value}'.`);
  }
  return rate;
}

const keyOf: Record<string, keyof CliSettings> = {
  "rate-limit": "rateLimit",
  "webhook-url": "webhookUrl",
  "webhook-secret": "webhookSecret",
  "inspector-token": "inspectorToken",
};

/** The settings from the flags, then the environment, then the defaults. */
export function readSettings(parsed: Parsed, env: NodeJS.ProcessEnv): CliSettings {
  const rate = rateFromTokens(parsed);
  const settings: CliSettings = { port: 4010, host: "127.0.0.1" };
  for (const setting of table) {
    const flag = parsed.values[setting.flag];
    const key = keyOf[setting.flag] ?? (setting.flag as keyof CliSettings);
    let value: unknown;
    if (setting.kind === "rate" && flag === true) {
      value = rate === undefined ? true : parsedValue(setting, rate, `--${setting.flag}`);
    } else if (typeof flag === "string") {
      value = parsedValue(setting, flag, `--${setting.flag}`);
    } else if (flag === true) {
      value = true;
    } else if (env[setting.env] !== undefined) {
      value = parsedValue(setting, env[setting.env] as string, setting.env);
    }
    if (value !== undefined) Object.assign(settings, { [key]: value });
  }
  return settings;
}
